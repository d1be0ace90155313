"""The generic registry list: FilterSet + sort + keyset pagination + htmx fragment + export.

Every registry list (organisations, municipalities, instruments, later projects and
challenges) is a `ListingView` subclass with a few lines of configuration. One view serves:

- the full page (plain GET form, works without JavaScript),
- the result region only when htmx asks for it (`request.htmx`), so filters refresh in place,
- a download of exactly the filtered, sorted rows (`?format=csv|xlsx|json`) with the same
  column spec as the page (`helix.core.tabular.Column`).

Pagination is keyset ("seek") pagination: the page after a row is found with a WHERE on the
sort key and id of that row, never with OFFSET, so page 1000 costs what page 1 costs. The
`?after=` / `?before=` tokens carry the (sort key, id) of the last / first row shown.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import DatabaseError, connections, models
from django.db.models import Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View

from helix.core.tabular import FORMATS, Column, export_response

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
RELEVANCE = "relevance"
RELEVANCE_ORDER = ("-relevance", "id")
MAX_TOKEN_LENGTH = 1000
# A select of free identifiers (networks, offering organisations) shows at most this many
# choices: at 100k organisations there are 10k networks, and a 10k-option select weighs 800 kB.
MAX_SELECT_CHOICES = 200


def most_used_organisations(relation: str, records: QuerySet[Any], *, count: str | None = None) -> list[tuple[str, str]]:
    """(slug, name) choices for a select of organisations: those linked to `records` through
    `relation` (an Organisation lookup, e.g. "projects_here"), the most used first, at most
    MAX_SELECT_CHOICES, returned in name order."""
    from helix.actors.models import Organisation

    rows = (
        Organisation.objects.live()
        .filter(**{f"{relation}__in": records})
        .annotate(n=Count(count or relation.split("__")[0]))
        .order_by("-n", "name", "id")
        .values_list("slug", "name")[:MAX_SELECT_CHOICES]
    )
    return sorted(rows, key=lambda c: c[1])


# Parameters that position or shape the page, never filters: dropped from export links and facets.
PAGING_PARAMS = ("after", "before", "size", "format")


# --- Keyset pagination -----------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    """One component of an ordering: a field (or annotation), its direction, nullability."""

    name: str
    descending: bool
    nullable: bool


def sort_keys(model: type[models.Model], order: Sequence[str]) -> list[SortKey]:
    """SortKeys for an ordering like ("-founded_year", "-id"); annotations count as non-null."""
    keys = []
    for item in order:
        name = item.lstrip("-")
        try:
            nullable = bool(model._meta.get_field(name).null)
        except FieldDoesNotExist:
            nullable = False
        keys.append(SortKey(name=name, descending=item.startswith("-"), nullable=nullable))
    return keys


def order_expressions(keys: Sequence[SortKey], *, reverse: bool = False) -> list[Any]:
    """ORDER BY terms: NULLs always come last when reading forwards (first when reversed)."""
    terms = []
    for key in keys:
        descending = key.descending != reverse
        expr = F(key.name)
        if key.nullable:
            nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
            terms.append(expr.desc(**nulls) if descending else expr.asc(**nulls))
        else:
            terms.append(expr.desc() if descending else expr.asc())
    return terms


def _strictly_beyond(key: SortKey, value: Any, *, reverse: bool) -> Q | None:
    """Rows strictly beyond `value` on this key in reading direction (None: no row is)."""
    descending = key.descending != reverse
    lookup = f"{key.name}__lt" if descending else f"{key.name}__gt"
    if not key.nullable:
        return Q(**{lookup: value})
    if not reverse:  # NULLs are last: after a value come bigger values and all NULLs.
        if value is None:
            return None
        return Q(**{lookup: value}) | Q(**{f"{key.name}__isnull": True})
    # Reading backwards NULLs come first: before NULL come all values, before a value only values.
    if value is None:
        return Q(**{f"{key.name}__isnull": False})
    return Q(**{lookup: value})


def _equal(key: SortKey, value: Any) -> Q:
    if value is None:
        return Q(**{f"{key.name}__isnull": True})
    return Q(**{key.name: value})


def seek_condition(keys: Sequence[SortKey], values: Sequence[Any], *, reverse: bool = False) -> Q | None:
    """The WHERE that selects the rows after (reverse: before) the row with `values`.

    Lexicographic: beyond on key 1, or equal on key 1 and beyond on the rest. For a non-null
    leading key the form `k1 >= v1 AND (k1 > v1 OR rest)` lets PostgreSQL start an index scan
    at v1 (an index on (k1, id) serves every page).
    """
    key, value = keys[0], values[0]
    beyond = _strictly_beyond(key, value, reverse=reverse)
    if len(keys) == 1:
        return beyond
    rest = seek_condition(keys[1:], values[1:], reverse=reverse)
    if not key.nullable:
        descending = key.descending != reverse
        bound = Q(**{f"{key.name}__lte" if descending else f"{key.name}__gte": value})
        inner = beyond if rest is None else (beyond | rest) if beyond is not None else rest
        return bound & inner if inner is not None else None
    tail = _equal(key, value) & rest if rest is not None else None
    if beyond is None:
        return tail
    return beyond | tail if tail is not None else beyond


def _json_scalar(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def encode_token(values: Sequence[Any]) -> str:
    raw = json.dumps([_json_scalar(v) for v in values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str | None, length: int) -> list[Any] | None:
    """The values of a cursor token, or None when absent or malformed (then: first page)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        values = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    if not all(v is None or (isinstance(v, str | int | float) and not isinstance(v, bool)) for v in values):
        return None
    if not isinstance(values[-1], int):  # the id
        return None
    return values


@dataclass
class Page:
    rows: list[Any]
    next_token: str | None
    prev_token: str | None
    size: int

    @property
    def has_next(self) -> bool:
        return self.next_token is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_token is not None


def keyset_page(
    qs: QuerySet[Any], keys: Sequence[SortKey], *, size: int, after: str | None = None, before: str | None = None
) -> Page:
    """One page of `qs` ordered by `keys` (the last key must be the unique id)."""

    def token_of(row: Any) -> str:
        return encode_token([getattr(row, key.name) for key in keys])

    before_values = decode_token(before, len(keys)) if not after else None
    after_values = decode_token(after, len(keys))
    if before_values is not None:
        condition = seek_condition(keys, before_values, reverse=True)
        window = qs.filter(condition) if condition is not None else qs.none()
        rows = list(window.order_by(*order_expressions(keys, reverse=True))[: size + 1])
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        return Page(
            rows=rows,
            next_token=token_of(rows[-1]) if rows else None,
            prev_token=token_of(rows[0]) if rows and more_before else None,
            size=size,
        )
    ordered = qs.order_by(*order_expressions(keys))
    if after_values is not None:
        condition = seek_condition(keys, after_values)
        ordered = ordered.filter(condition) if condition is not None else ordered.none()
    rows = list(ordered[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        next_token=token_of(rows[-1]) if rows and more_after else None,
        prev_token=token_of(rows[0]) if rows and after_values is not None else None,
        size=size,
    )


# --- Facets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    """Counts per value of one filter, computed with every other active filter applied."""

    param: str
    field: str


def _active(data: QueryDict, param: str) -> bool:
    return any(v != "" for v in data.getlist(param))


def _grouped_counts(qs: QuerySet[Any], fields: Sequence[str], *, with_total: bool) -> tuple[int | None, list[dict[str, int]]]:
    """Counts per value of each field (and the row count) over `qs` in ONE query.

    `GROUP BY GROUPING SETS ((f0), (f1), ..., ())` reads the filtered rows once for every
    facet and the total, where one `COUNT(DISTINCT id) ... GROUP BY` per facet read them once
    each. The rows are made unique per id first (only when the filters joined a to-many
    relation), so `COUNT(*)` is exact.
    """
    if qs.query.is_empty():
        return (0 if with_total else None), [{} for _ in fields]
    if not fields:  # every facet is an active filter (e.g. /gemeenten/?municipality_size=large)
        return (qs.count() if with_total else None), []
    aliases = [f"f{i}" for i in range(len(fields))]
    inner = qs.order_by().values(_pk=F("pk"), **{a: F(f) for a, f in zip(aliases, fields, strict=True)})
    if qs.query.distinct:
        inner = inner.distinct()
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return (0 if with_total else None), [{} for _ in fields]
    sets = [f"({a})" for a in aliases] + (["()"] if with_total else [])
    columns = ", ".join(aliases)
    # Only generated aliases (f0, f1, ...) and Django's compiled SQL go in; values stay parameters.
    wrapper = (
        f"SELECT {columns}, GROUPING({columns}), COUNT(*) FROM ({sql}) AS facet_rows "  # noqa: S608
        f"GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    total: int | None = 0 if with_total else None
    counts: list[dict[str, int]] = [{} for _ in fields]
    full = (1 << len(fields)) - 1
    with connections[qs.db].cursor() as cursor:
        cursor.execute(wrapper, params)
        for row in cursor.fetchall():
            values, grouping, n = row[: len(fields)], row[len(fields)], row[len(fields) + 1]
            if grouping == full:  # the () set: every row
                total = n
                continue
            # GROUPING(...) has a 0 bit for the one field this row is grouped by (first field = highest bit).
            index = next(i for i in range(len(fields)) if not grouping & (1 << (len(fields) - 1 - i)))
            if values[index] is not None:
                key = str(values[index])
                counts[index][key] = counts[index].get(key, 0) + n
    return total, counts


def facet_summary(
    filterset_class: type[Any],
    data: QueryDict,
    base: QuerySet[Any],
    facets: Sequence[Facet],
    request: HttpRequest,
    filtered: QuerySet[Any] | None = None,
) -> tuple[int, dict[str, dict[str, int]]]:
    """The number of filtered rows and the facet counts, in as few queries as possible.

    A facet's counts apply every active filter except its own (so a chosen kind still shows
    how many rows the other kinds would give). Facets whose parameter is not in the request
    all share the fully filtered rows: they and the total come from one grouped query. Each
    facet whose parameter is active needs its own query.
    """
    if filtered is None:
        filtered = filterset_class(data=data, queryset=base, request=request).qs
    shared = [f for f in facets if not _active(data, f.param)]
    total, shared_counts = _grouped_counts(filtered, [f.field for f in shared], with_total=True)
    counts: dict[str, dict[str, int]] = {f.param: c for f, c in zip(shared, shared_counts, strict=True)}
    for facet in facets:
        if facet in shared:
            continue
        without = data.copy()
        without.pop(facet.param, None)
        qs = filterset_class(data=without, queryset=base, request=request).qs
        counts[facet.param] = _grouped_counts(qs, [facet.field], with_total=False)[1][0]
    return total or 0, counts


def facet_counts(
    filterset_class: type[Any], data: QueryDict, base: QuerySet[Any], facets: Sequence[Facet], request: HttpRequest
) -> dict[str, dict[str, int]]:
    """Counts per value of each facet, computed with every other active filter applied."""
    return facet_summary(filterset_class, data, base, facets, request)[1]


# --- Caching of counts and choices -------------------------------------------------------------

SUMMARY_CACHE_SECONDS = 300
"""Upper bound on how stale cached counts can be (see `data_version` for the normal path)."""
DATA_VERSION_SEQUENCE = "helix_data_version"


def data_version(using: str = "default") -> str | None:
    """A value that changes whenever a registry table is written, or None (then: do not cache).

    Statement-level triggers on every actors and instruments table call nextval() on the
    sequence `helix_data_version` (migration instruments 0003). A sequence is never rolled back,
    so a value is never reused for other data. Inside a transaction (tests, or a view that
    writes) nothing is cached: it may read rows that are later rolled back.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_value, is_called FROM {DATA_VERSION_SEQUENCE}")  # noqa: S608 (a constant)
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return f"{row[0]}.{int(row[1])}" if row else None


def cached_by_data_version(key: Sequence[Any], compute: Callable[[], Any], *, using: str = "default") -> Any:
    """`compute()`, cached while the registry data do not change (at most SUMMARY_CACHE_SECONDS).

    Counts over 100k rows cost a scan; they change only when data change, so they are cached
    under the current data version. A write bumps the version and the next page computes
    fresh counts.
    """
    version = data_version(using)
    if version is None:
        return compute()
    raw = json.dumps([version, *key], default=str, sort_keys=True)
    cache_key = "helix:listing:" + hashlib.sha256(raw.encode()).hexdigest()
    hit = cache.get(cache_key)
    if hit is not None:
        return hit
    value = compute()
    cache.set(cache_key, value, SUMMARY_CACHE_SECONDS)
    return value


def filter_key(data: QueryDict) -> list[tuple[str, list[str]]]:
    """The filters of a request as a cache key: paging and sort parameters left out."""
    ignored = (*PAGING_PARAMS, "sort")
    return sorted((k, sorted(v for v in values if v != "")) for k, values in data.lists() if k not in ignored)


# --- The view ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: Any
    selected: bool
    count: int | None = None


@dataclass
class FilterWidget:
    """One control of the filter form, ready for the template (see core/listing/filter.html)."""

    name: str
    label: Any
    kind: str  # checkboxes | select | number | text
    value: str = ""
    options: list[Option] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def active(self) -> bool:
        return bool(self.value) or any(o.selected for o in self.options)


def _choices(form_field: Any) -> list[tuple[Any, Any]]:
    """A field's choices; a model field's in one query (its iterator also counts the rows)."""
    queryset = getattr(form_field, "queryset", None)
    if queryset is None:
        return list(form_field.choices)
    to_field = form_field.to_field_name
    choices = [("", form_field.empty_label)] if form_field.empty_label is not None else []
    choices += [(getattr(o, to_field) if to_field else o.pk, form_field.label_from_instance(o)) for o in queryset]
    return choices


def _submitted(data: QueryDict, name: str) -> list[str]:
    return [v for v in data.getlist(name) if v != ""]


def filter_widgets(
    form: Any,
    data: QueryDict,
    names: Sequence[str],
    counts: Mapping[str, Mapping[str, int]],
    choices: Mapping[str, Sequence[tuple[str, Any]]],
    labels: Mapping[str, Any] | None = None,
) -> list[FilterWidget]:
    """Describe the shown filters: checkboxes for multiple choices (with facet counts), a select
    with "any" for single choices and yes/no filters, inputs for numbers and text."""
    from django import forms

    widgets = []
    for name in names:
        if name not in form.fields:
            continue
        form_field = form.fields[name]
        submitted = _submitted(data, name)
        errors = [str(e) for e in form.errors.get(name, [])]
        facet = counts.get(name)
        label = (labels or {}).get(name, form_field.label)
        widget = FilterWidget(name=name, label=label, kind="text", errors=errors)
        if name in choices:
            widget.kind = "select"
            widget.value = submitted[0] if submitted else ""
            widget.options = [Option("", _("Any"), not submitted)] + [
                Option(str(v), label, str(v) == widget.value) for v, label in choices[name]
            ]
            if widget.value and not any(o.selected for o in widget.options):
                # A value beyond the shortened choice list (see MAX_SELECT_CHOICES) stays visible.
                widget.options.append(Option(widget.value, widget.value, True))
        elif isinstance(form_field, forms.NullBooleanField):
            widget.kind = "select"
            widget.value = submitted[0] if submitted else ""
            widget.options = [
                Option("", _("Any"), widget.value == ""),
                Option("true", _("Yes"), widget.value.lower() in ("true", "1")),
                Option("false", _("No"), widget.value.lower() in ("false", "0")),
            ]
        elif isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            widget.kind = "checkboxes"
            for value, label in _choices(form_field):
                text = str(getattr(value, "value", value))
                if text == "":
                    continue
                count = facet.get(text, 0) if facet is not None else None
                widget.options.append(Option(text, label, text in submitted, count))
        elif isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
            widget.kind = "select"
            widget.value = submitted[0] if submitted else ""
            for value, label in _choices(form_field):
                text = str(getattr(value, "value", value))
                if text == "":
                    widget.options.append(Option("", _("Any"), widget.value == ""))
                else:
                    count = facet.get(text, 0) if facet is not None else None
                    widget.options.append(Option(text, label, text == widget.value, count))
        else:
            widget.kind = "number" if isinstance(form_field, forms.DecimalField | forms.IntegerField) else "text"
            widget.value = submitted[0] if submitted else ""
        widgets.append(widget)
    return widgets


@dataclass(frozen=True)
class ExportLink:
    format: str
    label: str
    url: str


@dataclass
class ListingConfig:
    """What a ListingView needs to know besides its FilterSet (filled by subclasses)."""

    sorts: Mapping[str, Sequence[str]]
    sort_labels: Mapping[str, Any]
    default_sort: str
    facets: Sequence[Facet] = ()
    default_filters: Mapping[str, str] = field(default_factory=dict)


class ListingView(View):
    """A registry list. Subclasses set the class attributes below; see actors/instruments views."""

    model: type[models.Model]
    filterset_class: type[Any]
    config: ListingConfig
    template_name: str
    results_template_name = "core/listing/results.html"
    title: Any = ""
    intro: Any = ""
    export_filename = "export"
    # Filters shown in the form, in order (names of the FilterSet's filters).
    shown_filters: Sequence[str] = ()
    # Labels that replace a filter's own label on the page (e.g. when a select replaces an id input).
    filter_labels: Mapping[str, Any] = {}
    # Keys of the columns shown on the page (a readable subset; exports carry every column).
    page_columns: Sequence[str] = ()
    # Column display overrides for pages (e.g. a code shown as its label); exports use Column.get.
    display: Mapping[str, Callable[[Any], Any]] = {}

    # Hooks -------------------------------------------------------------------------------------
    def get_base_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.all().live()  # type: ignore[attr-defined]

    def get_columns(self) -> Sequence[Column]:
        return ()

    def optimise(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs

    def extra_context(self) -> dict[str, Any]:
        return {}

    def filter_choices(self) -> dict[str, Sequence[tuple[str, Any]]]:
        """Choices for filters that take a free identifier (e.g. a network), shown as a select."""
        return {}

    # Plumbing ----------------------------------------------------------------------------------
    def filter_data(self, request: HttpRequest) -> QueryDict:
        data = request.GET.copy()
        for name, value in self.config.default_filters.items():
            if name not in data:
                data[name] = value
        return data

    def sort_for(self, request: HttpRequest, searching: bool) -> tuple[str, Sequence[str]]:
        sort = request.GET.get("sort", "")
        if sort == RELEVANCE and searching:
            return RELEVANCE, RELEVANCE_ORDER
        if sort in self.config.sorts:
            return sort, self.config.sorts[sort]
        if searching:
            return RELEVANCE, RELEVANCE_ORDER
        return self.config.default_sort, self.config.sorts[self.config.default_sort]

    @staticmethod
    def page_size(request: HttpRequest) -> int:
        try:
            size = int(request.GET.get("size", DEFAULT_PAGE_SIZE))
        except ValueError:
            return DEFAULT_PAGE_SIZE
        return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = self.filter_data(request)
        base = self.get_base_queryset()
        filterset = self.filterset_class(data=data, queryset=base, request=request)
        qs = filterset.qs
        searching = bool(filterset.form.is_valid() and filterset.form.cleaned_data.get("q"))
        sort, order = self.sort_for(request, searching)
        if sort == RELEVANCE:
            # The search rank is a float4 in PostgreSQL; as float8 it survives the round trip
            # through a cursor token exactly, so `rank < cursor` never repeats or skips a row.
            qs = qs.annotate(relevance=Cast("rank", output_field=FloatField()))
        keys = sort_keys(self.model, order)
        columns = list(self.get_columns())

        export_format = request.GET.get("format", "")
        if export_format in FORMATS and columns:
            rows = self.optimise(qs.order_by(*order_expressions(keys)))
            return export_response(export_format, columns, rows.iterator(chunk_size=2000), filename=self.export_filename)

        size = self.page_size(request)
        page = keyset_page(self.optimise(qs), keys, size=size, after=request.GET.get("after"), before=request.GET.get("before"))
        by_key = {c.key: c for c in columns}
        shown_columns = [by_key[k] for k in self.page_columns if k in by_key] or [c for c in columns if not c.export_only]
        total, facets = self.summary(request, data, base, filterset.qs)
        fragment = bool(getattr(request, "htmx", False)) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
        # Built only when needed: the cached panel HTML usually makes them unnecessary.
        filters = SimpleLazyObject(
            lambda: filter_widgets(
                filterset.form, data, self.shown_filters, facets, self.cached_filter_choices(), self.filter_labels
            )
        )
        context = {
            "title": self.title,
            "intro": self.intro,
            "filterset": filterset,
            "form": filterset.form,
            "filters": filters,
            "filters_html": "" if fragment else self.render_filters(data, filters, using=base.db),
            "is_fragment": fragment,
            "page": page,
            "rows": [(row, [self.cell(column, row) for column in shown_columns]) for row in page.rows],
            "columns": shown_columns,
            "total": total,
            "sort": sort,
            "sort_options": self.sort_options(searching),
            "page_sizes": PAGE_SIZES,
            "size": size,
            "searching": searching,
            "export_links": self.export_links(request) if columns else [],
            "list_url": request.path,
            **self.extra_context(),
        }
        response = render(request, self.results_template_name if fragment else self.template_name, context)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def render_filters(self, data: QueryDict, filters: Any, *, using: str) -> SafeString:
        """The filter panel's HTML, cached by data version: its hundreds of options (facets,
        networks, offering organisations) are most of a list page's rendering time."""
        key = ["filters_html", type(self).__module__, type(self).__qualname__, filter_key(data), get_language()]
        html = cached_by_data_version(
            key, lambda: str(render_to_string("core/listing/filters.html", {"filters": filters})), using=using
        )
        return mark_safe(html)  # noqa: S308 (rendered by our autoescaping template above)

    def summary(
        self, request: HttpRequest, data: QueryDict, base: QuerySet[Any], filtered: QuerySet[Any]
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """The result count and facet counts of these filters, cached by data version."""
        key = ["summary", type(self).__module__, type(self).__qualname__, filter_key(data)]
        value = cached_by_data_version(
            key,
            lambda: facet_summary(self.filterset_class, data, base, self.config.facets, request, filtered=filtered),
            using=base.db,
        )
        return value[0], value[1]

    def cached_filter_choices(self) -> dict[str, Sequence[tuple[str, Any]]]:
        """`filter_choices()`, cached by data version (they are queries over the registry).

        Lazy translations stay lazy through the cache (they pickle as a function call).
        """
        key = ["choices", type(self).__module__, type(self).__qualname__]
        return dict(cached_by_data_version(key, self.filter_choices, using=self.model._default_manager.db))

    def cell(self, column: Column, row: Any) -> Any:
        show = self.display.get(column.key)
        return show(row) if show is not None else column.get(row)

    def sort_options(self, searching: bool) -> list[tuple[str, Any]]:
        options = [(key, self.config.sort_labels.get(key, key)) for key in self.config.sorts]
        if searching:
            options.insert(0, (RELEVANCE, _("Relevance")))
        return options

    @staticmethod
    def export_links(request: HttpRequest) -> list[ExportLink]:
        labels = {"csv": "CSV", "xlsx": "Excel (xlsx)", "json": "JSON"}
        links = []
        for fmt in ("csv", "xlsx", "json"):
            params = request.GET.copy()
            for name in PAGING_PARAMS:
                params.pop(name, None)
            params["format"] = fmt
            links.append(ExportLink(format=fmt, label=labels[fmt], url=f"{request.path}?{params.urlencode()}"))
        return links

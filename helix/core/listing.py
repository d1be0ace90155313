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
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View

from helix.core.tabular import FORMATS, Column, export_response

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
RELEVANCE = "relevance"
RELEVANCE_ORDER = ("-relevance", "id")
MAX_TOKEN_LENGTH = 1000
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


def facet_counts(
    filterset_class: type[Any], data: QueryDict, base: QuerySet[Any], facets: Sequence[Facet], request: HttpRequest
) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for facet in facets:
        without = data.copy()
        without.pop(facet.param, None)
        qs = filterset_class(data=without, queryset=base, request=request).qs
        rows = qs.order_by().values(facet.field).annotate(n=Count("pk", distinct=True))
        counts[facet.param] = {str(r[facet.field]): r["n"] for r in rows if r[facet.field] is not None}
    return counts


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
    return list(form_field.choices)


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
        facets = facet_counts(self.filterset_class, data, base, self.config.facets, request)
        fragment = bool(getattr(request, "htmx", False)) and not request.htmx.history_restore_request  # type: ignore[attr-defined]
        context = {
            "title": self.title,
            "intro": self.intro,
            "filterset": filterset,
            "form": filterset.form,
            "filters": filter_widgets(
                filterset.form, data, self.shown_filters, facets, self.filter_choices(), self.filter_labels
            ),
            "is_fragment": fragment,
            "page": page,
            "rows": [(row, [self.cell(column, row) for column in shown_columns]) for row in page.rows],
            "columns": shown_columns,
            "total": qs.count(),
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

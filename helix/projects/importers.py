"""Bulk loading of projects (`manage.py import_projects`) from Helix's own export (xlsx or json).

Reuses the import pipeline of helix.core.importing for everything that is not specific to
projects: the guards against hostile files (`check_upload`), the readers (xlsx, JSON; row
limits), header detection (`detect_layout`), cell parsers (`FieldSpec`s) and the report
(`ImportPlan`, one `Issue` per problem with sheet, row, column and reason). Projects have their
own plan and commit because their relation rows carry details (a partner's role, a funding
amount, a link's kind and note) and every write goes through helix.projects.services, so the
registry's rules hold for imports as for pages and the API.

The columns are the list export's (helix.projects.tables), so export -> import is the identity.
The contact person is never exported, so it is never imported either. See
docs/projects-editing.md, section "Import".
"""

from __future__ import annotations

import copy
import decimal
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.core.importing.fields import (
    CellError,
    FieldSpec,
    Index,
    Resolver,
    choice,
    date,
    is_empty,
    references,
    split_list,
    term,
    text,
    to_decimal,
)
from helix.core.importing.guards import CheckedFile
from helix.core.importing.normalise import normalise_name
from helix.core.importing.pipeline import (
    Change,
    CommitFailed,
    ImportPlan,
    Issue,
    RowPlan,
    SheetPlan,
    Status,
    _write_journal,
    detect_layout,
)
from helix.core.importing.readers import read
from helix.core.importing.registry import Layout, RevertTarget, register_revert_target
from helix.core.importing.revert import RevertRefused, RevertReport, revert_batch
from helix.core.models import Term
from helix.instruments.models import Instrument
from helix.market.importers import live_organisation_index, organisation, organisations

from . import services
from .choices import LinkKind, ProjectStatus
from .models import Project, ProjectFunding, ProjectLink, ProjectPartner

SEPARATOR = "|"
IMPORTER = "projects"  # on the history context of a project import, so its undo knows its batches


def _parts(item: str, count: int) -> list[str]:
    pieces = [p.strip() for p in item.split(SEPARATOR, count - 1)]
    return pieces + [""] * (count - len(pieces))


def _joined(values: Any) -> str:
    """A list as the xlsx export writes it ("; "-joined): lists compare by this form, so a fact
    or lesson holding a ";" (split apart on the way back from a spreadsheet) is not a change."""
    return "; ".join(str(v) for v in values) if isinstance(values, list | tuple) else str(values or "")


# --- Indexes of instruments and projects (organisations: helix.market.importers) ---------------


def instrument_index() -> Index:
    index = Index()
    for pk, slug, title, title_nl in Instrument.objects.values_list("pk", "slug", "title", "title_nl"):
        index.add(pk, slug=slug, label=title, names=[title, title_nl])
    return index


def project_index() -> Index:
    index = Index()
    for pk, slug, title, title_nl in Project.objects.values_list("pk", "slug", "title", "title_nl"):
        index.add(pk, slug=slug, label=title, names=[title, title_nl])
    return index


def _slug(resolver: Resolver, name: str, pk: int) -> str:
    return resolver.index(name).slugs.get(pk, str(pk))


# --- Column specs ------------------------------------------------------------------------------


def _items(raw: Any, resolver: Resolver, starts: Callable[[str, Resolver], bool]) -> list[str]:
    """A list cell's items. A spreadsheet joins items with "; ", so a role or note holding ";" is
    split apart there: a piece that does not start an item (`starts`) goes back to the one before."""
    if isinstance(raw, list | tuple):
        return split_list(raw)
    items: list[str] = []
    for piece in split_list(raw):
        if items and not starts(piece, resolver):
            items[-1] = f"{items[-1]}; {piece}"
        else:
            items.append(piece)
    return items


def _names_a(index_name: str) -> Callable[[str, Resolver], bool]:
    def starts(piece: str, resolver: Resolver) -> bool:
        try:
            resolver.index(index_name).find(_parts(piece, 2)[0])
        except CellError:
            return False
        return True

    return starts


def _starts_link(piece: str, _resolver: Resolver) -> bool:
    return SEPARATOR in piece and _parts(piece, 2)[0] in LinkKind.values


def _rows(
    spec_key: str,
    parse_item: Callable[[str, Resolver], Any],
    show_item: Callable[[Any, Resolver], str],
    starts: Callable[[str, Resolver], bool],
) -> FieldSpec:
    """A relation given as "identifier | detail" items; value: a frozenset of tuples."""

    def parse(raw: Any, resolver: Resolver) -> frozenset[Any]:
        found, errors = [], []
        for item in _items(raw, resolver, starts):
            try:
                found.append(parse_item(item, resolver))
            except CellError as error:
                errors.append(str(error))
        if errors:
            raise CellError(" ".join(errors))
        return frozenset(found)

    def show(value: Any, resolver: Resolver) -> str:
        return "; ".join(sorted(show_item(item, resolver) for item in value))

    return FieldSpec(spec_key, spec_key, parse, empty=frozenset, show=show)


def _partner(item: str, resolver: Resolver) -> tuple[int, str]:
    name, role = _parts(item, 2)
    return resolver.index("organisation").find(name, what=_("organisation")), role


def _funding(item: str, resolver: Resolver) -> tuple[int, decimal.Decimal | None]:
    name, amount = _parts(item, 2)
    return resolver.index("instrument").find(name, what=_("instrument")), to_decimal(amount) if amount else None


def _link(item: str, resolver: Resolver) -> tuple[str, int, str]:
    kind, name, note = _parts(item, 3)
    if kind not in LinkKind.values:
        raise CellError(
            _("Unknown kind of link “%(kind)s”; expected one of: %(allowed)s.")
            % {"kind": kind, "allowed": ", ".join(LinkKind.values)}
        )
    return kind, resolver.index("project").find(name, what=_("project")), note


def _show_partner(value: Any, resolver: Resolver) -> str:
    return f"{_slug(resolver, 'organisation', value[0])} | {value[1]}".rstrip(" |")


def _show_funding(value: Any, resolver: Resolver) -> str:
    amount = value[1] if value[1] is not None else ""
    return f"{_slug(resolver, 'instrument', value[0])} | {amount}".rstrip(" |")


def _show_link(value: Any, resolver: Resolver) -> str:
    return " | ".join(p for p in (value[0], _slug(resolver, "project", value[1]), value[2]) if p)


def _parse_results(raw: Any, _resolver: Resolver) -> list[Any]:
    results: list[Any] = []
    for item in split_list(raw):
        if SEPARATOR in item:
            indicator, value, unit = _parts(item, 3)
            results.append({"indicator": indicator, "value": value, "unit": unit})
        else:
            results.append(item)
    return results


def _parse_links(raw: Any, _resolver: Resolver) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Links as (urls, ((url, title), ...)): "url | title" items, the title optional."""
    urls, titles = [], []
    for item in split_list(raw):
        url, title = _parts(item, 2)
        urls.append(url)
        if title:
            titles.append((url, title))
    return tuple(urls), tuple(titles)


def _same_list(old: Any, new: Any) -> bool:
    return _joined(old) == _joined(new)


def _result_text(item: Any) -> str:
    if isinstance(item, dict):
        return " | ".join(str(item.get(k) if item.get(k) is not None else "") for k in ("indicator", "value", "unit"))
    return str(item)


def _same_results(old: Any, new: Any) -> bool:
    """Results compare as the export writes them (the database keeps a result's keys in its own order)."""
    old_items = old if isinstance(old, list) else [old]
    return _joined([_result_text(i) for i in old_items if i]) == _joined([_result_text(i) for i in new])


def _show_results(value: Any, _resolver: Resolver) -> str:
    return _joined([_result_text(i) for i in (value if isinstance(value, list) else [value])])


def _same_lines(old: Any, new: Any) -> bool:
    lines = [line.strip() for line in str(old or "").splitlines() if line.strip()]
    return _joined(lines) == _joined(new)


def _show_list(value: Any, _resolver: Resolver) -> str:
    return _joined(value)


FIELDS: tuple[FieldSpec, ...] = (
    text("slug"),
    text("title"),
    text("title_nl"),
    text("project_type"),
    organisation("lead", "lead_id"),
    _rows("partners", _partner, _show_partner, _names_a("organisation")),
    organisations("places", "places"),
    text("area"),
    references("domains", "domains", "term:domains", what=gettext_lazy("domain")),
    references("sdgs", "sdgs", "term:sdgs", what=gettext_lazy("SDG")),
    choice("status", ProjectStatus),
    term("phase", "phases", what=gettext_lazy("phase")),
    date("start_date"),
    date("end_date"),
    text("period_text"),
    FieldSpec("budget", "budget", lambda raw, _r: to_decimal(raw), empty=lambda: None),
    _rows("funding", _funding, _show_funding, _names_a("instrument")),
    text("summary_nl"),
    text("summary_en"),
    text("objectives"),
    text("success_factors"),
    FieldSpec("lessons", "lessons", lambda raw, _r: split_list(raw), empty=list, same=_same_lines, show=_show_list),
    text("risks"),
    FieldSpec("results", "results", _parse_results, empty=list, same=_same_results, show=_show_results),
    FieldSpec("links", "links", _parse_links, empty=lambda: ((), ())),
    _rows("links_to", _link, _show_link, _starts_link),
    FieldSpec("facts", "facts", lambda raw, _r: split_list(raw), empty=list, same=_same_list, show=_show_list),
    text("notes"),
    text("source"),
    date("last_verified"),
)
SPECS = {spec.key: spec for spec in FIELDS}
RELATION_KEYS = ("partners", "funding", "links_to")
M2M_KEYS = ("places", "domains", "sdgs")

LAYOUT = Layout(
    name="helix-projects",
    target="project",
    headers={spec.key: spec.key for spec in FIELDS}
    | {"identifier": "slug", "titel": "title", "trekker": "lead", "partners": "partners", "last_verified": "last_verified"},
    required=frozenset({"title"}),
    description=gettext_lazy("Projects (Helix export)"),
)


# --- Current values ------------------------------------------------------------------------------


def _current(project: Project, key: str) -> Any:
    if key == "partners":
        return frozenset((p.organisation_id, p.role) for p in project.partnerships.all())
    if key == "funding":
        return frozenset((f.instrument_id, f.amount) for f in project.fundings.all())
    if key == "links_to":
        return frozenset((lk.kind, lk.to_project_id, lk.note) for lk in project.links_out.all())
    if key in M2M_KEYS:
        return frozenset(item.pk for item in getattr(project, key).all())
    if key == "links":
        titles = project.link_titles or {}
        return tuple(project.links), tuple((url, titles[url]) for url in project.links if titles.get(url))
    return getattr(project, SPECS[key].attr)


def _load(pks: list[int]) -> dict[int, Project]:
    qs = Project.objects.filter(pk__in=pks).prefetch_related("places", "domains", "sdgs", "partnerships", "fundings", "links_out")
    return {project.pk: project for project in qs}


# --- Plan: read, match, validate, diff (writes nothing) -------------------------------------------


def plan_project_import(checked: CheckedFile) -> ImportPlan:
    """Every row of `checked` read, matched to an existing project, validated and compared."""
    resolver = Resolver({"organisation": live_organisation_index, "instrument": instrument_index, "project": project_index})
    plan = ImportPlan(file_name=checked.name, format=checked.format)
    for grid in read(checked):
        detected = detect_layout(grid, [LAYOUT])
        if detected is None:
            plan.sheets.append(SheetPlan(grid.name, None, None, note=_("No recognised header row; sheet skipped.")))
            continue
        header_number, header_cells = grid.rows[detected.header_index]
        sheet = SheetPlan(grid.name, LAYOUT.name, "project", header_row=header_number or None)
        unknown = [str(c).strip() for i, c in enumerate(header_cells) if i not in detected.columns and not is_empty(c)]
        if unknown:
            sheet.note = _("Columns not recognised (ignored): %(columns)s.") % {"columns": ", ".join(unknown)}
        plan.sheets.append(sheet)
        for number, cells in grid.rows[detected.header_index + 1 :]:
            row = RowPlan(sheet=grid.name, row=number, target="project", label="")
            for position, key in detected.columns.items():
                value = cells[position] if position < len(cells) else None
                if is_empty(value):
                    continue  # an empty cell leaves the stored value as it is
                try:
                    row.values[key] = SPECS[key].parse(value, resolver)
                except CellError as error:
                    row.errors.append(Issue(grid.name, number, detected.headers.get(key, key), str(error)))
            row.values["__headers__"] = detected.headers
            row.values["__source__"] = f"{plan.file_name} > {grid.name}"
            row.label = str(row.values.get("title") or row.values.get("slug") or "")[:200]
            if not row.values.get("title") and not row.values.get("slug"):
                row.errors.append(Issue(grid.name, number, detected.headers.get("title", "title"), _("The row has no title.")))
            plan.rows.append(row)
    if not any(sheet.layout for sheet in plan.sheets):
        where = plan.sheets[0].name if plan.sheets else plan.file_name
        plan.file_errors.append(
            Issue(where, None, "", _("No sheet has a recognised header row: a projects sheet needs at least the column title."))
        )
    _match(plan.rows)
    loaded = _load([row.pk for row in plan.rows if row.pk is not None and not row.errors])
    for row in plan.rows:
        if row.errors:
            row.status = Status.ERROR
        else:
            _diff(row, loaded.get(row.pk) if row.pk is not None else None, resolver)
    return plan


def _header(row: RowPlan, key: str) -> str:
    return str(row.values["__headers__"].get(key, key))


def _match(rows: list[RowPlan]) -> None:
    """The project a row updates: by identifier (slug), else by title within the same lead."""
    by_slug = dict(Project.objects.values_list("slug", "pk"))
    by_title: dict[tuple[str, int | None], list[int]] = {}
    for existing, title, title_nl, lead in Project.objects.values_list("pk", "title", "title_nl", "lead_id"):
        for name in {normalise_name(title), normalise_name(title_nl)} - {""}:
            by_title.setdefault((name, lead), []).append(existing)
    claimed: dict[Any, RowPlan] = {}
    for row in rows:
        if row.errors:
            continue
        slug = row.values.get("slug")
        pk: int | None = by_slug.get(slug) if slug else None
        if pk is None and not slug:
            found = by_title.get((normalise_name(row.values.get("title")), row.values.get("lead")), [])
            if len(found) > 1:
                row.errors.append(
                    Issue(row.sheet, row.row, _header(row, "title"), _("Several projects have this title; add the slug column."))
                )
            elif found:
                pk = found[0]
        key = ("pk", pk) if pk is not None else ("new", slug or (normalise_name(row.values.get("title")), row.values.get("lead")))
        first = claimed.get(key)
        if first is not None:
            row.errors.append(
                Issue(
                    row.sheet, row.row, "", _("Same project as %(sheet)s row %(row)s.") % {"sheet": first.sheet, "row": first.row}
                )
            )
        claimed[key] = row
        row.pk = pk


def _diff(row: RowPlan, project: Project | None, resolver: Resolver) -> None:
    values = {k: v for k, v in row.values.items() if not k.startswith("__")}
    if project is not None:
        row.instance = project
        row.label = str(project)
        for key, new in values.items():
            if key == "slug":
                continue
            old = _current(project, key)
            if SPECS[key].same(old, new):
                continue
            row.changes.append(
                Change(key, _header(row, key), SPECS[key].display(old, resolver), SPECS[key].display(new, resolver))
            )
            if key in M2M_KEYS:
                row.m2m_changes[key] = new
                row.m2m_before[key] = sorted(old)  # for the undo (revert_batch)
            elif key not in RELATION_KEYS:
                row.scalar_changes[key] = new
            else:
                row.values[f"__{key}__"] = True
        row.status = Status.CHANGED if row.changes else Status.UNCHANGED
        candidate = copy.copy(project)
    else:
        row.changes = [
            Change(k, _header(row, k), "—", SPECS[k].display(v, resolver))
            for k, v in values.items()
            if v not in ("", frozenset())
        ]
        row.scalar_changes = {k: v for k, v in values.items() if k not in M2M_KEYS and k not in RELATION_KEYS}
        row.m2m_changes = {k: v for k, v in values.items() if k in M2M_KEYS}
        for key in RELATION_KEYS:
            if key in values:
                row.values[f"__{key}__"] = True
        row.scalar_changes.setdefault("source", row.values["__source__"])
        row.status = Status.NEW
        candidate = Project(slug=values.get("slug") or "placeholder")
    _validate(row, candidate)


def _model_changes(scalar: dict[str, Any]) -> dict[str, Any]:
    """Column values as model attributes (lead_id, phase_id; links split into urls and titles)."""
    changes: dict[str, Any] = {}
    for key, value in scalar.items():
        if key == "links":
            urls, titles = value
            changes["links"] = list(urls)
            changes["link_titles"] = dict(titles)
        elif key == "lessons":
            changes["lessons"] = "\n".join(value)
        elif key == "facts":
            changes["facts"] = list(value)
        elif key == "results":
            changes["results"] = services.clean_results(value)
        elif key != "slug":
            changes[SPECS[key].attr] = value
    return changes


def _validate(row: RowPlan, candidate: Project) -> None:
    """The model's own validation (fields and check constraints) of the row's values."""
    by_attr = {spec.attr: spec.key for spec in FIELDS} | {"link_titles": "links"}
    try:
        for attr, value in _model_changes(row.scalar_changes).items():
            setattr(candidate, attr, value)
        candidate.full_clean(exclude=["slug", "search_vector"], validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = _header(row, by_attr.get(name, by_attr.get(f"{name}_id", name))) if name != "__all__" else ""
            row.errors.extend(Issue(row.sheet, row.row, column, message) for message in messages)
    if row.errors:
        row.status = Status.ERROR


# --- Commit: one transaction, one history batch, through the services ------------------------------


def commit_project_import(plan: ImportPlan, *, user: Any = None) -> str | None:
    """Write every new and changed row in one transaction under one batch id (channel "import").

    Refuses a plan with errors; writes nothing (and returns None) when nothing changes. The
    import is a curator's channel: rights were checked by whoever runs it. Undone by
    `undo_project_import(batch)`.
    """
    if plan.errors:
        raise CommitFailed(plan.errors)
    if not plan.has_writes:
        return None
    journal: dict[str, dict[str, dict[str, list[int]]]] = {}
    try:
        with (
            transaction.atomic(),
            history_context(channel=Channel.IMPORT, user=user, file=plan.file_name, importer=IMPORTER) as batch,
        ):
            new_rows = [row for row in plan.rows if row.status == Status.NEW]
            changed_rows = [row for row in plan.rows if row.status == Status.CHANGED]
            # New projects first (without their links), so rows may link to projects of the same file.
            for row in new_rows:
                _write(row, links=False)
            for row in changed_rows:
                _write(row, links=True)
                if row.m2m_before:
                    journal.setdefault(Project._meta.label_lower, {})[str(row.pk)] = row.m2m_before
            for row in new_rows:
                if row.values.get("__links_to__"):
                    services.update_project(project=row.instance, data={}, user=None, links_to=_links_to(row))
            _write_journal(batch, journal)
    except ValidationError as error:
        raise CommitFailed([Issue(plan.file_name, None, "", "; ".join(error.messages))]) from error
    except IntegrityError as error:
        raise CommitFailed([Issue(plan.file_name, None, "", str(error).splitlines()[0])]) from error
    plan.batch = batch
    plan.committed = True
    return batch


def _links_to(row: RowPlan) -> list[services.LinkRow]:
    projects = Project.objects.in_bulk([pk for _kind, pk, _note in row.values["links_to"]])
    return [services.LinkRow(kind, projects[pk], note) for kind, pk, note in sorted(row.values["links_to"])]


def _write(row: RowPlan, *, links: bool) -> None:
    data = _model_changes(row.scalar_changes)
    if "lead_id" in data:
        lead_id = data.pop("lead_id")
        data["lead"] = Organisation.objects.get(pk=lead_id) if lead_id is not None else None
    if "phase_id" in data:
        phase_id = data.pop("phase_id")
        data["phase"] = Term.objects.get(pk=phase_id) if phase_id is not None else None
    m2m: dict[str, list[Any]] = {}
    for key, pks in row.m2m_changes.items():
        model: Any = Organisation if key == "places" else Term
        m2m[key] = list(model.objects.filter(pk__in=pks))
    partners = funding = None
    if row.values.get("__partners__"):
        organisations_ = Organisation.objects.in_bulk([pk for pk, _role in row.values["partners"]])
        partners = [services.PartnerRow(organisations_[pk], role) for pk, role in sorted(row.values["partners"])]
    if row.values.get("__funding__"):
        instruments = Instrument.objects.in_bulk([pk for pk, _amount in row.values["funding"]])
        funding = [services.FundingRow(instruments[pk], amount) for pk, amount in sorted(row.values["funding"], key=str)]
    try:
        if row.status == Status.NEW:
            if row.values.get("slug"):
                data["slug"] = row.values["slug"]
            row.instance = services.create_project(data=data, m2m=m2m, partners=partners, fundings=funding, user=None)
        else:
            row.instance = services.update_project(
                project=row.instance,
                data=data,
                m2m=m2m,
                partners=partners,
                fundings=funding,
                links_to=_links_to(row) if links and row.values.get("__links_to__") else None,
                user=None,
            )
    except ValidationError as error:
        raise CommitFailed([Issue(row.sheet, row.row, "", "; ".join(error.messages))]) from error
    row.pk = row.instance.pk


# --- Undo: the generic revert of helix.core.importing, over the project models -------------------

# Relation rows go first and belong to their project: a partner, funding or link changed after the
# import counts as a change of the project.
register_revert_target(RevertTarget(ProjectPartner, order=40, parent="project_id"))
register_revert_target(RevertTarget(ProjectFunding, order=40, parent="project_id"))
register_revert_target(RevertTarget(ProjectLink, order=40, parent="from_project_id"))
register_revert_target(RevertTarget(Project, order=30, keep_referenced=True))


def undo_project_import(batch: str, *, user: Any = None) -> RevertReport:
    """Revert every change of the import batch `batch` in one transaction (its own batch, channel
    "import"): created projects and relation rows are deleted, updated projects get back their
    fields, places, domains, SDGs, partners, funding and links. RevertRefused (nothing written)
    for an unknown batch, a batch of another import, one already undone, or one whose projects
    changed after the import."""
    from pghistory.models import Context

    metadata = list(Context.objects.filter(metadata__batch=str(batch)).values_list("metadata", flat=True))
    if metadata and not any(m.get("importer") == IMPORTER for m in metadata):
        raise RevertRefused(
            _("Batch %(batch)s was not written by import_projects; undo it where it was made.") % {"batch": batch}
        )
    return revert_batch(batch, user=user)

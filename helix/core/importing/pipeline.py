"""The import pipeline: parse → map columns → validate every row → preview the diff → commit.

`plan_import` reads a checked file and returns an `ImportPlan`: one `RowPlan` per data row with
its status (new / changed / unchanged / duplicate / error), the changed fields (old → new),
and every problem with sheet, row and column. Nothing is written. `commit_import` writes a plan
without errors in one transaction under one history batch id (channel "import"); a plan whose
rows are all unchanged writes nothing at all (no history events either).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helix.core.history import Channel, history_context
from helix.core.services import save_record

from .fields import CellError, Resolver, is_empty
from .guards import CheckedFile
from .normalise import key
from .readers import Grid, read
from .registry import Layout, Target, discover

HEADER_SEARCH_ROWS = 15
DUPLICATE_SIMILARITY = 0.6  # trigram similarity (pg_trgm's measure) of normalised names that flags a possible duplicate
MAX_DUPLICATE_CANDIDATES = 3


class Status:
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    ERROR = "error"


class Decision:
    """What to do with a possible duplicate: skip it (default), create it anyway, or update a candidate."""

    SKIP = "skip"
    CREATE = "create"
    MATCH = "match:"  # followed by the candidate's pk


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" if self.row is not None else self.sheet
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass(frozen=True)
class Change:
    key: str
    column: str
    old: str
    new: str


@dataclass
class RowContext:
    """What a layout hook and a target's callbacks know about the row being read."""

    sheet: str
    row: int
    file_name: str
    resolver: Resolver
    defaults: dict[str, Any]
    headers: dict[str, str]
    warnings: list[Issue] = field(default_factory=list)

    def warn(self, column_key: str, message: str) -> None:
        self.warnings.append(Issue(self.sheet, self.row, self.headers.get(column_key, column_key), message))


@dataclass
class RowPlan:
    sheet: str
    row: int
    target: str
    label: str
    status: str = Status.UNCHANGED
    pk: int | None = None
    changes: list[Change] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    duplicates: list[tuple[int, str, float]] = field(default_factory=list)
    decision: str = ""
    matched_by_name: bool = False
    # For the commit step:
    values: dict[str, Any] = field(default_factory=dict, repr=False)
    instance: Any = field(default=None, repr=False)
    scalar_changes: dict[str, Any] = field(default_factory=dict, repr=False)
    m2m_changes: dict[str, frozenset[int]] = field(default_factory=dict, repr=False)
    m2m_before: dict[str, list[int]] = field(default_factory=dict, repr=False)

    @property
    def ref(self) -> str:
        return f"{self.sheet}:{self.row}"


@dataclass
class SheetPlan:
    name: str
    layout: str | None
    target: str | None
    header_row: int | None = None
    note: str = ""


@dataclass
class ImportPlan:
    file_name: str
    format: str
    sheets: list[SheetPlan] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[Issue] = field(default_factory=list)
    batch: str | None = None
    committed: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [*self.file_errors, *(issue for row in self.rows for issue in row.errors)]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for row in self.rows for issue in row.warnings]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def has_writes(self) -> bool:
        return any(row.status in (Status.NEW, Status.CHANGED) for row in self.rows)

    def digest(self) -> str:
        """A fingerprint of the file's rows against the database, independent of duplicate decisions.

        The web UI compares the preview's digest with the one at confirmation, so nothing the
        curator did not see gets written when the data changed in between.
        """
        summary = [
            [row.ref, "duplicate", sorted(pk for pk, _label, _sim in row.duplicates)]
            if row.duplicates
            else [row.ref, row.status, row.pk, [[c.key, c.old, c.new] for c in row.changes]]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps(summary, sort_keys=True, default=str).encode()).hexdigest()

    def as_json(self, *, dry_run: bool) -> dict[str, Any]:
        return {
            "sheets": [sheet.name for sheet in self.sheets if sheet.layout],
            "created": self.count(Status.NEW),
            "updated": self.count(Status.CHANGED),
            "unchanged": self.count(Status.UNCHANGED),
            "duplicates": self.count(Status.DUPLICATE),
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
            "sheet_details": [
                {
                    "name": s.name,
                    "layout": s.layout,
                    "target": s.target,
                    "header_row": s.header_row,
                    "rows": sum(1 for r in self.rows if r.sheet == s.name),
                    "note": s.note,
                }
                for s in self.sheets
            ],
            "possible_duplicates": [
                {
                    "sheet": r.sheet,
                    "row": r.row,
                    "label": r.label,
                    "candidates": [{"id": pk, "label": label, "similarity": round(sim, 2)} for pk, label, sim in r.duplicates],
                }
                for r in self.rows
                if r.status == Status.DUPLICATE
            ],
            "dry_run": dry_run,
            "committed": self.committed,
            "batch": self.batch,
        }


# --- header detection ------------------------------------------------------------------------


@dataclass
class DetectedSheet:
    layout: Layout
    header_index: int
    columns: dict[int, str]
    headers: dict[str, str]


def detect_layout(grid: Grid, layouts: list[Layout]) -> DetectedSheet | None:
    """The first row (within the first rows) that reads as a header of a known layout."""
    best: tuple[int, int, DetectedSheet] | None = None
    for index, (_number, cells) in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        texts = [(key(c) or str(c).strip()) if not is_empty(c) else "" for c in cells]
        for layout in layouts:
            normalised_headers = {(key(h) or h): k for h, k in layout.headers.items()}
            columns: dict[int, str] = {}
            headers: dict[str, str] = {}
            for position, text in enumerate(texts):
                column_key = normalised_headers.get(text) if text else None
                if column_key and column_key not in headers:
                    columns[position] = column_key
                    headers[column_key] = str(cells[position]).strip()
            if not layout.required <= set(columns.values()):
                continue
            if layout.unlabelled and columns:
                free = [p for p in range(min(columns), max(columns)) if p not in columns and not texts[p]]
                for position, column_key in zip(free, [k for k in layout.unlabelled if k not in headers], strict=False):
                    columns[position] = column_key
                    headers[column_key] = column_key
            score = len(columns) * 10 + layout.priority
            if best is None or score > best[0]:
                best = (score, -index, DetectedSheet(layout, index, columns, headers))
        if best is not None:
            return best[2]
    return None


# --- planning ----------------------------------------------------------------------------------


def plan_import(checked: CheckedFile, *, decisions: Mapping[str, str] | None = None) -> ImportPlan:
    """Read, map, match, validate and diff every row of `checked`; writes nothing."""
    reg = discover()
    resolver = Resolver(reg.indexes)
    plan = ImportPlan(file_name=checked.name, format=checked.format)
    grids = read(checked)
    layouts = sorted(reg.layouts, key=lambda layout: -layout.priority)
    pending: list[tuple[RowPlan, Target]] = []
    for grid in grids:
        detected = detect_layout(grid, layouts)
        if detected is None:
            plan.sheets.append(SheetPlan(grid.name, None, None, note=_("No recognised header row; sheet skipped.")))
            continue
        target = reg.targets[detected.layout.target]
        header_number = grid.rows[detected.header_index][0]
        plan.sheets.append(SheetPlan(grid.name, detected.layout.name, target.name, header_row=header_number or None))
        defaults = detected.layout.sheet_defaults(grid.name) if detected.layout.sheet_defaults else {}
        for number, cells in grid.rows[detected.header_index + 1 :]:
            row = _read_row(grid.name, number, cells, detected, target, defaults, resolver, plan.file_name)
            plan.rows.append(row)
            pending.append((row, target))
    if not any(sheet.layout for sheet in plan.sheets):
        plan.file_errors.append(
            Issue(
                plan.sheets[0].name if plan.sheets else plan.file_name,
                None,
                "",
                _(
                    "No sheet has a recognised header row. Expected the study's headers (e.g. NAAM, "
                    "Titel instrument) or Helix's export keys (slug, name / title); see the import formats page."
                ),
            )
        )
    _match_rows(pending, resolver, decisions or {})
    _diff_rows(pending, resolver)
    return plan


def _read_row(
    sheet: str,
    number: int,
    cells: list[Any],
    detected: DetectedSheet,
    target: Target,
    defaults: dict[str, Any],
    resolver: Resolver,
    file_name: str,
) -> RowPlan:
    layout = detected.layout
    raw: dict[str, Any] = {}
    for position, column_key in detected.columns.items():
        if column_key in layout.ignore:
            continue
        raw[column_key] = cells[position] if position < len(cells) else None
    ctx = RowContext(sheet, number, file_name, resolver, dict(defaults), detected.headers)
    if layout.hook is not None:
        layout.hook(raw, ctx)
    row = RowPlan(sheet=sheet, row=number, target=target.name, label=str(raw.get(target.title_key) or "").strip()[:200])
    specs = target.specs
    for column_key, value in raw.items():
        spec = specs.get(column_key)
        if spec is None:
            continue
        if is_empty(value):
            if layout.empty_clears:
                row.values[column_key] = spec.empty()
            continue
        try:
            row.values[column_key] = spec.parse(value, resolver)
        except CellError as error:
            row.errors.append(Issue(sheet, number, detected.headers.get(column_key, column_key), str(error)))
    row.values["__defaults__"] = ctx.defaults
    row.values["__headers__"] = detected.headers
    row.values["__file__"] = file_name
    row.warnings.extend(ctx.warnings)
    if not row.label and not row.values.get("slug"):
        header = detected.headers.get(target.title_key, target.title_key)
        row.errors.append(Issue(sheet, number, header, _("The row has no %(what)s.") % {"what": header}))
    return row


def _match_rows(pending: list[tuple[RowPlan, Target]], resolver: Resolver, decisions: Mapping[str, str]) -> None:
    """Find each row's existing record (identifier, enterprise number, normalised name)."""
    claimed: dict[tuple[str, int], RowPlan] = {}
    new_names: dict[tuple[str, str], RowPlan] = {}
    new_rows: dict[str, list[RowPlan]] = {}
    for row, target in pending:
        if row.errors:
            row.status = Status.ERROR
            continue
        index = resolver.index(target.index)
        values = row.values
        merged = {**values["__defaults__"], **{k: v for k, v in values.items() if not k.startswith("__")}}
        group = target.match_group(merged) if target.match_group else None
        header = values["__headers__"]
        pk: int | None = None
        slug = values.get("slug")
        if slug and slug in index.by_slug:
            pk = index.by_slug[slug]
        for id_key in target.id_keys:
            value = values.get(id_key)
            found = index.by_key.get(id_key, {}).get(value) if value else None
            if found is not None and pk is None:
                pk = found
            elif found is not None and found != pk:
                row.errors.append(
                    Issue(
                        row.sheet,
                        row.row,
                        header.get(id_key, id_key),
                        _("%(value)s belongs to %(other)s, not to %(this)s.")
                        % {"value": value, "other": index.slugs[found], "this": slug},
                    )
                )
        if pk is None:
            names = [values[k] for k in target.name_keys if values.get(k)]
            candidates: set[int] = set()
            for name in names:
                candidates |= index.by_name_any(name, group=group)
            if len(candidates) > 1:
                row.errors.append(
                    Issue(
                        row.sheet,
                        row.row,
                        header.get(target.title_key, target.title_key),
                        _("The name matches several records (%(slugs)s); add the identifier (slug) column.")
                        % {"slugs": ", ".join(sorted(index.slugs[c] for c in candidates))},
                    )
                )
            elif candidates and slug:
                found = next(iter(candidates))
                row.errors.append(
                    Issue(
                        row.sheet,
                        row.row,
                        header.get("slug", "slug"),
                        _("Unknown identifier “%(slug)s”, but the name belongs to “%(other)s”; correct the identifier.")
                        % {"slug": slug, "other": index.slugs[found]},
                    )
                )
            elif candidates:
                pk = next(iter(candidates))
                row.matched_by_name = True
        if pk is None and not row.errors:
            refusal = target.refuse_new(merged) if target.refuse_new else None
            if refusal:
                row.errors.append(Issue(row.sheet, row.row, header.get(target.title_key, target.title_key), refusal))
        if pk is not None and (target.name, pk) in claimed:
            first = claimed[(target.name, pk)]
            row.errors.append(
                Issue(
                    row.sheet, row.row, "", _("Same record as %(sheet)s row %(row)s.") % {"sheet": first.sheet, "row": first.row}
                )
            )
        if row.errors:
            row.status = Status.ERROR
            continue
        if pk is not None:
            row.pk = pk
            claimed[(target.name, pk)] = row
            continue
        name_key = (target.name, index.normalise(row.label) or str(slug))
        if name_key in new_names:
            first = new_names[name_key]
            row.errors.append(
                Issue(
                    row.sheet,
                    row.row,
                    header.get(target.title_key, target.title_key),
                    _("Same name as %(sheet)s row %(row)s.") % {"sheet": first.sheet, "row": first.row},
                )
            )
            row.status = Status.ERROR
            continue
        new_names[name_key] = row
        row.status = Status.NEW
        new_rows.setdefault(target.name, []).append(row)
    targets = {target.name: target for _row, target in pending}
    for target_name, rows in new_rows.items():
        _flag_duplicates(targets[target_name], rows, resolver, decisions)


def _flag_duplicates(target: Target, rows: list[RowPlan], resolver: Resolver, decisions: Mapping[str, str]) -> None:
    """Mark new rows whose name is close to an existing record's (trigram similarity) as possible duplicates."""
    index = resolver.index(target.index)
    found = {position: index.similar(row.label, threshold=DUPLICATE_SIMILARITY) for position, row in enumerate(rows)}
    for position, candidates in found.items():
        row = rows[position]
        row.duplicates = [
            (pk, index.labels.get(pk, str(pk)), sim) for pk, sim in candidates[:MAX_DUPLICATE_CANDIDATES] if pk in index.labels
        ]
        if not row.duplicates:
            continue
        decision = decisions.get(row.ref, Decision.SKIP)
        row.decision = decision
        if decision == Decision.CREATE:
            continue
        if decision.startswith(Decision.MATCH):
            chosen = decision.removeprefix(Decision.MATCH)
            if chosen.isdigit() and int(chosen) in {pk for pk, _label, _sim in row.duplicates}:
                row.pk = int(chosen)
                row.matched_by_name = True
                row.status = Status.UNCHANGED  # settled by the diff
                continue
        row.status = Status.DUPLICATE


def _diff_rows(pending: list[tuple[RowPlan, Target]], resolver: Resolver) -> None:
    """Load matched records, compute changed fields, build new records and validate both."""
    by_target: dict[str, list[int]] = {}
    for row, target in pending:
        if row.pk is not None and row.status not in (Status.ERROR, Status.DUPLICATE):
            by_target.setdefault(target.name, []).append(row.pk)
    loaded: dict[tuple[str, int], models.Model] = {}
    targets = {target.name: target for _row, target in pending}
    for target_name, pks in by_target.items():
        target = targets[target_name]
        for start in range(0, len(pks), 5000):
            chunk = pks[start : start + 5000]
            relations = _load_m2m(target, chunk)
            for obj in target.model._default_manager.filter(pk__in=chunk):
                obj._import_m2m = {attr: values.get(obj.pk, frozenset()) for attr, values in relations.items()}  # type: ignore[attr-defined]
                loaded[(target_name, obj.pk)] = obj
    taken_slugs: set[str] = set()
    for row, target in pending:
        if row.status in (Status.ERROR, Status.DUPLICATE):
            continue
        if row.pk is not None:
            _diff_existing(row, target, loaded[(target.name, row.pk)], resolver)
        else:
            _build_new(row, target, resolver, taken_slugs)


def _load_m2m(target: Target, pks: list[int]) -> dict[str, dict[int, frozenset[int]]]:
    """Current many-to-many values of `pks`: one query per relation on its through table."""
    relations: dict[str, dict[int, frozenset[int]]] = {}
    for spec in target.fields:
        if not spec.many:
            continue
        field: Any = target.model._meta.get_field(spec.attr)
        through = field.remote_field.through
        source, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        collected: dict[int, set[int]] = {}
        for owner, related in through._default_manager.filter(**{f"{source}__in": pks}).values_list(source, other):
            collected.setdefault(owner, set()).add(related)
        relations[spec.attr] = {owner: frozenset(values) for owner, values in collected.items()}
    return relations


def _values(row: RowPlan) -> dict[str, Any]:
    return {k: v for k, v in row.values.items() if not k.startswith("__")}


def _diff_existing(row: RowPlan, target: Target, obj: models.Model, resolver: Resolver) -> None:
    specs = target.specs
    headers = row.values["__headers__"]
    for column_key, new in _values(row).items():
        spec = specs[column_key]
        if column_key == "slug" or (row.matched_by_name and column_key in target.name_keys):
            continue  # a row found by its name never renames the record (spellings differ: 'Stad Gent', 'Gent')
        old = spec.current(obj)
        if spec.merge:
            new = {**(old or {}), **new}
        if spec.same(old, new):
            continue
        row.changes.append(
            Change(column_key, headers.get(column_key, column_key), spec.display(old, resolver), spec.display(new, resolver))
        )
        if spec.many:
            row.m2m_changes[spec.attr] = new
            row.m2m_before[spec.attr] = sorted(old)
        else:
            row.scalar_changes[spec.attr] = new
    row.label = row.label or str(obj)
    row.instance = obj
    if not row.changes:
        row.status = Status.UNCHANGED
        return
    row.status = Status.CHANGED
    candidate = copy.copy(obj)
    for attr, value in row.scalar_changes.items():
        setattr(candidate, attr, value)
    _validate(row, target, candidate, touched=set(row.scalar_changes))


def _build_new(row: RowPlan, target: Target, resolver: Resolver, taken_slugs: set[str]) -> None:
    specs = target.specs
    values = _values(row)
    defaults = row.values["__defaults__"]
    ctx = RowContext(row.sheet, row.row, row.values["__file__"], resolver, defaults, row.values["__headers__"])
    for column_key, value in defaults.items():
        spec = specs.get(column_key)
        if spec is not None and column_key not in values:
            try:
                values[column_key] = spec.parse(value, resolver)
            except CellError as error:
                row.errors.append(Issue(row.sheet, row.row, column_key, str(error)))
    extra = target.prepare_new(values, ctx) if target.prepare_new else {}
    obj = target.model()
    for column_key, value in values.items():
        spec = specs[column_key]
        if spec.many:
            if value:
                row.m2m_changes[spec.attr] = value
            continue
        setattr(obj, spec.attr, value)
    for attr, value in extra.items():
        setattr(obj, attr, value)
    obj.slug = values.get("slug") or _unique_slug(target, row.label, resolver, taken_slugs)  # type: ignore[attr-defined]
    taken_slugs.add(obj.slug)  # type: ignore[attr-defined]
    row.instance = obj
    row.changes = [
        Change(k, ctx.headers.get(k, k), "—", specs[k].display(v, resolver))
        for k, v in values.items()
        if not is_empty(v) and v not in (frozenset(), {})
    ]
    touched = {"slug", *extra, *(specs[k].attr for k in values if not specs[k].many)}
    _validate(row, target, obj, touched=touched)
    if not row.errors:
        row.status = Status.NEW


def _unique_slug(target: Target, label: str, resolver: Resolver, taken: set[str]) -> str:
    field_length = int(getattr(target.model._meta.get_field("slug"), "max_length", None) or 100)
    base = (slugify(label) or target.name)[: field_length - 6].strip("-")
    index = resolver.index(target.index)
    slug, counter = base, 2
    while slug in index.by_slug or slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _validate(row: RowPlan, target: Target, obj: models.Model, *, touched: set[str]) -> None:
    """Model validation of the fields the row sets (`touched`, attribute names) and of every
    required field without a default; the other fields keep their default or stored value,
    and skipping them makes validation several times faster."""
    many = {spec.field_name for spec in target.fields if spec.many}
    skip = [f.name for f in obj._meta.concrete_fields if f.name not in touched and f.attname not in touched and _optional(f)]
    by_field = target.keys_by_field
    headers = row.values["__headers__"]
    problems: list[tuple[str, str]] = []
    try:
        obj.full_clean(exclude=[*many, *skip], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems.extend((name, message) for name, messages in error.message_dict.items() for message in messages)
    try:
        _check_constraints(obj)
    except ValidationError as error:
        problems.extend(("__all__", message) for message in error.messages)
    for field_name, message in problems:
        names = [field_name] if field_name != "__all__" else _constraint_fields(obj, message)
        keys = [by_field.get(name, name) for name in names]
        column = ", ".join(headers.get(k, k) for k in keys)
        row.errors.append(Issue(row.sheet, row.row, column, message))
    if row.errors:
        row.status = Status.ERROR


def _optional(field: Any) -> bool:
    """A field that holds a valid value unless the row sets it: blank allowed, or a default."""
    return bool(field.blank or field.has_default() or field.primary_key)


def _check_constraints(obj: models.Model) -> None:
    """Check constraints evaluated in Python (a query per row and constraint is too slow for big files)."""
    errors = []
    for constraint in obj._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if condition is None:
            continue
        verdict = _evaluate(condition, obj)
        if verdict is _UNSUPPORTED:
            try:
                constraint.validate(type(obj), obj)
            except ValidationError as error:
                errors.extend(error.error_list)
        elif verdict is False:
            errors.append(ValidationError(constraint.get_violation_error_message()))
    if errors:
        raise ValidationError(errors)


_UNSUPPORTED = object()
_COMPARE = {
    "exact": lambda a, b: a == b,
    "gte": lambda a, b: a >= b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "lt": lambda a, b: a < b,
}


def _evaluate(node: Any, obj: models.Model) -> Any:
    """SQL three-valued logic over a Q of simple lookups: True, False, None (unknown) or _UNSUPPORTED."""
    if isinstance(node, tuple):
        lookup, value = node
        name, _sep, op = str(lookup).partition("__")
        op = op or "exact"
        try:
            current = getattr(obj, getattr(obj._meta.get_field(name), "attname", name))
        except Exception:
            return _UNSUPPORTED
        if op == "isnull":
            return (current is None) == bool(value)
        if isinstance(value, models.F):
            other = str(getattr(value, "name", ""))
            value = getattr(obj, getattr(obj._meta.get_field(other), "attname", other), None)
        elif hasattr(value, "resolve_expression"):
            return _UNSUPPORTED
        if op not in _COMPARE:
            return _UNSUPPORTED
        if current is None or value is None:
            return None
        return bool(_COMPARE[op](current, value))
    results = [_evaluate(child, obj) for child in node.children]
    if any(result is _UNSUPPORTED for result in results):
        return _UNSUPPORTED
    if node.connector == "OR":
        verdict = True if True in results else (None if None in results else False)
    else:
        verdict = False if False in results else (None if None in results else True)
    if node.negated and verdict is not None:
        verdict = not verdict
    return verdict


def _constraint_fields(obj: models.Model, message: str) -> list[str]:
    """The fields a violated check constraint is about (its message names the constraint)."""
    for constraint in obj._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if condition is not None and constraint.name in message:
            found: list[str] = []
            stack: list[Any] = [condition]
            while stack:
                node = stack.pop()
                if isinstance(node, tuple):
                    name = str(node[0]).split("__")[0]
                    if name not in found:
                        found.append(name)
                elif hasattr(node, "children"):
                    stack.extend(node.children)
            return found
    return []


# --- commit ------------------------------------------------------------------------------------


class CommitFailed(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(str(issue) for issue in issues))


def commit_import(plan: ImportPlan, *, user: Any = None) -> str | None:
    """Write every new and changed row in one transaction under one batch id; returns it.

    Refuses a plan with errors. Returns None (and writes nothing) when nothing changes.
    """
    if plan.errors:
        raise CommitFailed(plan.errors)
    if not plan.has_writes:
        return None
    journal: dict[str, dict[str, dict[str, list[int]]]] = {}
    try:
        with transaction.atomic():
            with history_context(channel=Channel.IMPORT, user=user, file=plan.file_name) as batch:
                _create_new(plan)
                for row in plan.rows:
                    if row.status != Status.CHANGED:
                        continue
                    try:
                        save_record(row.instance, changes=row.scalar_changes, m2m=row.m2m_changes)
                    except ValidationError as error:
                        raise CommitFailed([Issue(row.sheet, row.row, "", "; ".join(error.messages))]) from error
                    if row.m2m_before:
                        journal.setdefault(row.instance._meta.label_lower, {})[str(row.pk)] = row.m2m_before
            _write_journal(batch, journal)
    except IntegrityError as error:
        raise CommitFailed([Issue(plan.file_name, None, "", str(error).splitlines()[0])]) from error
    plan.batch = batch
    plan.committed = True
    return batch


def _create_new(plan: ImportPlan) -> None:
    """Insert new records with COPY (validated in the plan; history and search triggers fire for every row).

    `bulk_create` spent most of its time compiling and binding SQL (about 1 ms a row); COPY streams
    the rows. Keys are taken from the table's sequence first, so the rows' links can be written too.
    """
    by_model: dict[type[models.Model], list[RowPlan]] = {}
    for row in plan.rows:
        if row.status == Status.NEW:
            by_model.setdefault(type(row.instance), []).append(row)
    for model, rows in by_model.items():
        for row, pk in zip(rows, _reserve_ids(model, len(rows)), strict=True):
            row.instance.pk = row.pk = pk
        fields = list(model._meta.concrete_fields)
        plain = [f for f in fields if f.get_internal_type() in _PLAIN_TYPES]
        prepared = [f for f in fields if f.get_internal_type() not in _PLAIN_TYPES]
        _copy_rows(
            model,
            [str(f.column) for f in (*plain, *prepared)],
            (
                [
                    *(row.instance.__dict__[f.attname] for f in plain),
                    *(f.get_db_prep_save(f.pre_save(row.instance, True), connection) for f in prepared),
                ]
                for row in rows
            ),
        )
        for row in rows:
            row.instance._state.adding = False
            row.instance._state.db = connection.alias
        attrs = sorted({attr for row in rows for attr in row.m2m_changes})
        for attr in attrs:
            field: Any = model._meta.get_field(attr)
            through = field.remote_field.through
            source, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            links = ([row.pk, pk] for row in rows for pk in sorted(row.m2m_changes.get(attr, ())))
            _copy_rows(through, [source, other], links)


# Fields whose Python value psycopg writes as is (Django's preparation would only return it).
_PLAIN_TYPES = frozenset(
    {
        "BigAutoField", "AutoField", "CharField", "SlugField", "TextField", "URLField", "EmailField",
        "IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
        "PositiveSmallIntegerField", "PositiveBigIntegerField", "BooleanField", "DateField", "ForeignKey",
    }
)  # fmt: skip


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` keys taken from the table's sequence."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [int(pk) for (pk,) in cursor.fetchall()]


def _copy_rows(model: type[models.Model], columns: list[str], rows: Any) -> None:
    """Stream `rows` (lists of database values, in `columns` order) into the model's table with COPY."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        # COPY bypasses Django's cursor wrappers; a statement through them sets the history
        # context (pghistory's transaction-local variables) that the row triggers read.
        cursor.execute("DO $$ BEGIN END $$")
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)


def _write_journal(batch: str, journal: dict[str, Any]) -> None:
    """Keep what history triggers cannot see (many-to-many before-states) on the batch's context."""
    from pghistory.models import Context

    for context in Context.objects.filter(metadata__batch=batch):
        context.metadata = {**context.metadata, "import_m2m_before": journal}
        context.save(update_fields=["metadata"])

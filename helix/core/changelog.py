"""Reading the change log that pghistory's triggers write: a record's versions and their diffs.

Each event row is a full snapshot of a row after an insert or update; pghistory's `Events`
view pairs every snapshot with the previous one of the same row (`pgh_diff`: field ->
[old, new]) and with its context (`pgh_context`: channel, user, username, batch, request id,
reverted_to, ...). This module turns those rows into `Version` objects for pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from pghistory.models import Events

from helix.core.m2m_history import LinkChange, m2m_changes, tracked_fields

# Bookkeeping columns never shown as changes.
HIDDEN_FIELDS = frozenset({"id", "updated_at", "version", "search_vector", "created_at"})


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Version:
    event_id: int
    event_model: str
    subject: str  # what changed: the record itself, or e.g. "contact person"
    is_record: bool  # True for the record's own snapshots (revertable)
    at: datetime.datetime
    action: str  # "insert", "update" or "delete"
    who: str
    channel: str
    batch: str
    context: dict[str, Any]
    version: int | None
    changes: list[FieldChange] = field(default_factory=list)
    context_id: Any = None  # pghistory's context of the change (one request, command or import)


def event_model_for(model: type[models.Model]) -> type[models.Model]:
    """The pghistory event model of a tracked model (e.g. Organisation -> OrganisationEvent)."""
    event_model: type[models.Model] = model.pgh_event_model  # type: ignore[attr-defined]
    return event_model


def _display(model: type[models.Model], name: str, raw: Any, cache: dict[tuple[str, Any], str]) -> str:
    """A readable value for a raw JSON value of a snapshot."""
    if raw is None or raw == "" or raw == []:
        return "—"
    try:
        fld = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
    except Exception:
        return str(raw)
    if isinstance(fld, models.ForeignKey):
        related: Any = fld.related_model
        key = (related._meta.label, raw)
        if key not in cache:
            obj = related._default_manager.filter(pk=raw).first()
            cache[key] = str(obj) if obj is not None else f"#{raw}"
        return cache[key]
    if isinstance(fld, models.BooleanField):
        return _("yes") if raw else _("no")
    choices = dict(getattr(fld, "flatchoices", ())) if getattr(fld, "choices", None) else {}
    if choices:
        return str(choices.get(raw, raw))
    base = getattr(fld, "base_field", None)
    if isinstance(raw, list):
        if base is not None and getattr(base, "choices", None):
            labels = dict(base.flatchoices)
            return ", ".join(str(labels.get(v, v)) for v in raw)
        return ", ".join(str(v) for v in raw)
    if isinstance(fld, models.DateTimeField) and isinstance(raw, str):
        parsed = parse_datetime(raw)
        return parsed.strftime("%Y-%m-%d %H:%M") if parsed else raw
    if isinstance(fld, models.DateField) and isinstance(raw, str):
        parsed_date = parse_date(raw[:10])
        return parsed_date.isoformat() if parsed_date else raw
    return str(raw)


def _label(model: type[models.Model], name: str) -> str:
    try:
        fld = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
    except Exception:
        return name
    return str(getattr(fld, "verbose_name", name))


def _changes(model: type[models.Model], row: Any, cache: dict[tuple[str, Any], str]) -> list[FieldChange]:
    diff = row.pgh_diff or {}
    if row.pgh_label == "delete":
        # A deletion: every value it had is gone.
        diff = {k: [v, None] for k, v in (row.pgh_data or {}).items() if v not in (None, "", [], {})}
    elif row.pgh_label == "insert" or not diff:
        # A creation: everything that has a value is "new".
        data = row.pgh_data or {}
        diff = {k: [None, v] for k, v in data.items() if v not in (None, "", [], {})} if row.pgh_label == "insert" else {}
    return [
        FieldChange(
            name=name, label=_label(model, name), old=_display(model, name, old, cache), new=_display(model, name, new, cache)
        )
        for name, (old, new) in sorted(diff.items())
        if name not in HIDDEN_FIELDS and not name.startswith("pgh_")
    ]


def _version(row: Any, *, record_model: type[models.Model], cache: dict[tuple[str, Any], str]) -> Version:
    event_model = _event_model_by_label(row.pgh_model)
    tracked: type[models.Model] = event_model.pgh_tracked_model  # type: ignore[attr-defined]
    context = row.pgh_context or {}
    data = row.pgh_data or {}
    is_record = tracked is record_model
    return Version(
        event_id=row.pgh_id,
        event_model=row.pgh_model,
        subject=str(record_model._meta.verbose_name) if is_record else str(tracked._meta.verbose_name),
        is_record=is_record,
        at=row.pgh_created_at,
        action=row.pgh_label,
        who=context.get("username") or _("system"),
        channel=context.get("channel") or "—",
        batch=context.get("batch") or "",
        context=context,
        version=data.get("version") if is_record else None,
        changes=_changes(tracked, row, cache),
        context_id=row.pgh_context_id,
    )


def _event_model_by_label(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def record_versions(
    record: models.Model,
    *,
    related: Sequence[type[models.Model]] = (),
    limit: int = 500,
) -> list[Version]:
    """The record's own versions plus the changes of the `related` tracked models that point to it
    (e.g. identifiers, memberships), newest first."""
    cache: dict[tuple[str, Any], str] = {}
    record_model = type(record)
    rows: list[Any] = list(Events.objects.tracks(record).order_by("-pgh_created_at", "-pgh_id")[:limit])
    if related:
        related_events = [event_model_for(m) for m in related]
        rows += list(Events.objects.across(*related_events).references(record).order_by("-pgh_created_at", "-pgh_id")[:limit])
    rows.sort(key=lambda r: (r.pgh_created_at, r.pgh_model == record_model.pgh_event_model._meta.label, r.pgh_id), reverse=True)  # type: ignore[attr-defined]
    versions = _with_link_changes(record, [_version(r, record_model=record_model, cache=cache) for r in rows[:limit]])
    return [v for v in versions[:limit] if v.changes or v.action in ("insert", "delete") or v.context.get("reverted_to")]


def _with_link_changes(record: models.Model, versions: list[Version]) -> list[Version]:
    """Add the changes of the record's many-to-many fields (helix.core.m2m_history): to the
    record's own version of the same transaction, or as a version of their own (a link added or
    removed without saving the record, e.g. by a loader)."""
    link_changes = m2m_changes(record)
    if not link_changes:
        return versions
    names = _linked_names(type(record), link_changes)
    own = {(v.at, v.context_id): i for i, v in reversed(list(enumerate(versions))) if v.is_record}
    extra: dict[tuple[datetime.datetime, Any], Version] = {}
    for change in link_changes:
        fld: Any = type(record)._meta.get_field(change.field)
        field_change = FieldChange(
            name=change.field,
            label=str(fld.verbose_name),
            old=_names(change.before, names[change.field]),
            new=_names(change.after, names[change.field]),
        )
        key = (change.at, change.context_id)
        if key in own:
            i = own[key]
            versions[i] = replace(versions[i], changes=[*versions[i].changes, field_change])
            continue
        if key not in extra:
            context = change.context
            extra[key] = Version(
                event_id=change.event_id,
                event_model=tracked_fields(type(record))[change.field]._meta.label,
                subject=str(type(record)._meta.verbose_name),
                is_record=False,
                at=change.at,
                action="update",
                who=context.get("username") or _("system"),
                channel=context.get("channel") or "—",
                batch=context.get("batch") or "",
                context=context,
                version=None,
                context_id=change.context_id,
            )
        extra[key].changes.append(field_change)
    merged = versions + list(extra.values())
    merged.sort(key=lambda v: (v.at, v.is_record, v.event_id), reverse=True)
    return merged


def _linked_names(model: type[models.Model], changes: Sequence[LinkChange]) -> dict[str, dict[int, str]]:
    """Field -> primary key -> readable name of every linked object the changes mention."""
    wanted: dict[str, set[int]] = {}
    for change in changes:
        wanted.setdefault(change.field, set()).update(change.before | change.after)
    out: dict[str, dict[int, str]] = {}
    for name, pks in wanted.items():
        related: Any = model._meta.get_field(name).related_model
        out[name] = {pk: str(obj) for pk, obj in related._default_manager.in_bulk(pks).items()}
    return out


def _names(pks: frozenset[int], names: dict[int, str]) -> str:
    if not pks:
        return "—"
    return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in pks))


def changes_since(record: models.Model, version: int) -> list[Version]:
    """The record's own versions saved after `version`, oldest first (what the other editor did)."""
    newer = [v for v in record_versions(record) if v.is_record and v.version is not None and v.version > version]
    return list(reversed(newer))


def merged_changes(versions: Iterable[Version]) -> list[FieldChange]:
    """Collapse several versions (oldest first) into one old -> new change per field."""
    first: dict[str, FieldChange] = {}
    last: dict[str, FieldChange] = {}
    for v in versions:
        for change in v.changes:
            first.setdefault(change.name, change)
            last[change.name] = change
    return [
        FieldChange(name=name, label=first[name].label, old=first[name].old, new=last[name].new)
        for name in first
        if first[name].old != last[name].new
    ]

"""History of many-to-many fields (domains, SDGs, phases, co-offering organisations, ...).

pghistory's row snapshots hold a record's own columns only. A many-to-many field lives in its
own link table (Django's auto-created "through" model), so `track_m2m` puts pghistory's insert
and delete triggers on that table too: every link added or removed, through any channel (page,
admin, API, import, command, raw SQL), is an event row with its context (who, channel, batch).

From those events this module reconstructs a field's set of linked records at any moment:
start from today's set and undo, newest first, every change made after that moment. That gives
the "before -> after" of each change for the history page (`m2m_changes`) and the sets a revert
restores (`m2m_state_at`). Events of one save share their transaction time (`pgh_created_at`,
PostgreSQL's `now()`) and their pghistory context, so one save is one change, however many
links it added or removed. A revert undoes what was changed in later transactions.

Limit: changes made before tracking was installed (migrations of 2026-11-27) were not recorded,
so a version older than that is reconstructed as of the first recorded state.
"""

from __future__ import annotations

import datetime
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import pghistory
import pgtrigger
from django.db import models

M = TypeVar("M", bound=type[models.Model])

TRACKED: dict[type[models.Model], dict[str, type[models.Model]]] = {}
"""Record model -> many-to-many field name -> pghistory event model of its link table."""


def track_m2m(*field_names: str) -> Any:
    """Class decorator: record every link added to or removed from these many-to-many fields.

    Creates one event model per field in the record's app (``<Model><Field>Event``, e.g.
    ``OrganisationDomainsEvent``), with pghistory's insert and delete triggers on the link table.
    """

    def decorate(model: M) -> M:
        events = TRACKED.setdefault(model, {})
        for name in field_names:
            field = model._meta.get_field(name)
            through = field.remote_field.through  # type: ignore[union-attr]
            camel = "".join(part.title() for part in name.split("_"))
            # Triggers go on a proxy of the auto-created link model: migrations keep proxies
            # (and so their triggers, which pgtrigger installs on the link table) but not
            # auto-created models.
            link = type(
                f"{model.__name__}{camel}Link",
                (through,),
                {
                    "__module__": model.__module__,
                    "Meta": type("Meta", (), {"proxy": True, "app_label": model._meta.app_label}),
                },
            )
            setattr(sys.modules[model.__module__], link.__name__, link)
            events[name] = pghistory.create_event_model(
                link,
                pghistory.InsertEvent(),
                pghistory.DeleteEvent(),
                # One trigger call per statement (transition tables), not per link row: `set()`
                # and bulk loaders write many links in one statement.
                level=pgtrigger.Statement,
                # No reference to the link row (gone after a delete); its two keys are kept.
                obj_field=None,  # type: ignore[arg-type]
                model_name=f"{model.__name__}{camel}Event",
                app_label=model._meta.app_label,
                abstract=False,
            )
        return model

    return decorate


def tracked_fields(model: type[models.Model]) -> dict[str, type[models.Model]]:
    return TRACKED.get(model, {})


@dataclass(frozen=True)
class LinkChange:
    """What one transaction did to one many-to-many field of one record."""

    field: str
    at: datetime.datetime
    context_id: Any  # pghistory's context (one request, command or import); None outside one
    context: dict[str, Any]
    event_id: int  # the first event of the change
    before: frozenset[int]
    after: frozenset[int]


def _keys(model: type[models.Model], name: str) -> tuple[str, str]:
    """(column of the record, column of the linked object) in the link table of `name`."""
    field: Any = model._meta.get_field(name)
    return field.m2m_column_name(), field.m2m_reverse_name()


def _events(model: type[models.Model], name: str, pks: list[int], after: datetime.datetime | None) -> list[dict[str, Any]]:
    """The link events of field `name` of these records (after `after`, when given), each with
    its `record` and linked `target` key."""
    source, target = _keys(model, name)
    rows = tracked_fields(model)[name]._default_manager.filter(**{f"{source}__in": pks})
    if after is not None:
        rows = rows.filter(pgh_created_at__gt=after)
    fields = ("pgh_id", "pgh_created_at", "pgh_label", "pgh_context_id", "pgh_context__metadata", source, target)
    return [{**row, "record": row[source], "target": row[target]} for row in rows.values(*fields)]


def _linked(model: type[models.Model], name: str, pks: list[int]) -> dict[int, set[int]]:
    """Record pk -> the primary keys its field `name` links today."""
    source, target = _keys(model, name)
    through: Any = model._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
    linked: dict[int, set[int]] = {pk: set() for pk in pks}
    for record_pk, target_pk in through._default_manager.filter(**{f"{source}__in": pks}).values_list(source, target):
        linked[record_pk].add(target_pk)
    return linked


def _undo(rows: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Events grouped by change (transaction time and context), newest first."""
    groups: dict[tuple[datetime.datetime, Any], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["pgh_created_at"], row["pgh_context_id"]].append(row)
    return sorted(groups.values(), key=lambda rows: (rows[0]["pgh_created_at"], max(r["pgh_id"] for r in rows)), reverse=True)


def _before(state: set[int], rows: list[dict[str, Any]]) -> set[int]:
    """The linked keys before one change, given those after it: its additions undone, its
    removals put back."""
    added = {r["target"] for r in rows if r["pgh_label"] == "insert"}
    removed = {r["target"] for r in rows if r["pgh_label"] == "delete"}
    return (state - added) | removed


def m2m_changes(record: models.Model) -> list[LinkChange]:
    """Every recorded change of the record's tracked many-to-many fields, newest first, each with
    the set of linked primary keys before and after it."""
    out: list[LinkChange] = []
    for name in tracked_fields(type(record)):
        events = _events(type(record), name, [record.pk], None)
        state = _linked(type(record), name, [record.pk])[record.pk] if events else set()
        for rows in _undo(events):
            before = _before(state, rows)
            if before != state:
                first = min(rows, key=lambda r: r["pgh_id"])
                out.append(
                    LinkChange(
                        field=name,
                        at=first["pgh_created_at"],
                        context_id=first["pgh_context_id"],
                        context=first["pgh_context__metadata"] or {},
                        event_id=first["pgh_id"],
                        before=frozenset(before),
                        after=frozenset(state),
                    )
                )
            state = before
    out.sort(key=lambda c: (c.at, c.event_id), reverse=True)
    return out


def m2m_state_at(record: models.Model, at: datetime.datetime) -> dict[str, set[int]]:
    """Field -> the primary keys linked at `at` (after the transaction of that moment), for every
    tracked many-to-many field of the record: today's links with every later change undone."""
    return {name: links_at(type(record), name, [record.pk], at)[record.pk] for name in tracked_fields(type(record))}


def links_at(model: type[models.Model], name: str, pks: Iterable[int], at: datetime.datetime) -> dict[int, set[int]]:
    """Record pk -> the primary keys its field `name` linked at `at`, for many records in two
    queries (today's links, and the link events after `at`, undone newest first)."""
    pks = list(pks)
    states = _linked(model, name, pks)
    later: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _events(model, name, pks, at):
        later[row["record"]].append(row)
    for record_pk, rows in later.items():
        for change in _undo(rows):
            states[record_pk] = _before(states[record_pk], change)
    return states


def link_triggers(*record_models: type[models.Model]) -> tuple[str, ...]:
    """pgtrigger URIs of the link-table history triggers of these record models (for
    `pgtrigger.ignore` in bulk loaders that skip history, like the synthetic generators)."""
    return tuple(
        f"{event_model.pgh_tracked_model._meta.label}:{trigger}"  # type: ignore[attr-defined]
        for model in record_models
        for event_model in tracked_fields(model).values()
        for trigger in ("insert_insert", "delete_delete")
    )


def delete_link_events(model: type[models.Model], pks: Iterable[int]) -> int:
    """Delete the link events of these records (for purging synthetic records with history)."""
    pks = list(pks)
    deleted = 0
    for name, event_model in tracked_fields(model).items():
        source, _target = _keys(model, name)
        deleted += event_model._default_manager.filter(**{f"{source}__in": pks}).delete()[0]
    return deleted

"""Idempotent upserts that respect curators.

Every loader writes through `Loader.upsert`, which

- creates a record that does not exist yet,
- updates only the fields whose value really differs (so a re-run issues no UPDATE at all and
  pghistory records no event), and
- never overwrites a field whose latest change was made by someone else than a loader: a field
  last changed through the web, admin, API or an import (any history context whose channel is
  not `command`, or no context at all) belongs to the curators from then on. The loader still
  fills such a field when it is empty. Which fields are curated is read from the pghistory
  events of the record, so no extra bookkeeping column is needed.

Many-to-many fields are only ever added to (`add_m2m`), never cleared, so a curator's extra
terms stay.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from helix.core.history import Channel
from helix.core.models import Record

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"


class LoadStats:
    """Created / updated / unchanged counts per kind of record, for the command's summary."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {}
        self.kept: Counter[str] = Counter()
        self.batch = ""
        self.dry_run = False

    def add(self, kind: str, status: str) -> None:
        self.counts.setdefault(kind, Counter())[status] += 1

    def set(self, kind: str, status: str, n: int) -> None:
        self.counts.setdefault(kind, Counter())[status] = n

    def total(self, status: str) -> int:
        return sum(c[status] for c in self.counts.values())

    @property
    def changed(self) -> int:
        return self.total(CREATED) + self.total(UPDATED)

    def lines(self) -> list[str]:
        width = max((len(k) for k in self.counts), default=10)
        out = [f"{'kind':<{width}}  {'created':>8}  {'updated':>8}  {'unchanged':>9}"]
        for kind, c in self.counts.items():
            out.append(f"{kind:<{width}}  {c[CREATED]:>8}  {c[UPDATED]:>8}  {c[UNCHANGED]:>9}")
        if self.kept:
            kept = ", ".join(f"{field} x{n}" for field, n in sorted(self.kept.items()))
            out.append(f"curator edits kept (not overwritten): {kept}")
        return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _event_model(model: type[models.Model]) -> type[models.Model] | None:
    try:
        return apps.get_model(model._meta.app_label, f"{model.__name__}Event")
    except LookupError:
        return None


def curated_fields(model: type[models.Model], fields: Iterable[str]) -> dict[int, set[str]]:
    """For each record of `model`: the fields whose latest change was not made by a command.

    Walks the pghistory events of every record in order; the insert event counts as a change of
    every non-empty field. Models without history give an empty answer.
    """
    event_model = _event_model(model)
    if event_model is None:
        return {}
    names = list(fields)
    rows = event_model._default_manager.order_by("pgh_obj_id", "pgh_id").values("pgh_obj_id", "pgh_context__metadata", *names)
    last_channel: dict[int, dict[str, str | None]] = {}
    previous: dict[int, Mapping[str, Any]] = {}
    for row in rows:
        obj_id = row["pgh_obj_id"]
        metadata = row["pgh_context__metadata"] or {}
        channel = metadata.get("channel")
        before = previous.get(obj_id)
        # The first event (the insert) sets every non-empty field; later ones change some.
        changed = [f for f in names if not _empty(row[f])] if before is None else [f for f in names if row[f] != before[f]]
        for f in changed:
            last_channel.setdefault(obj_id, {})[f] = channel
        previous[obj_id] = row
    return {
        obj_id: {f for f, ch in channels.items() if ch != Channel.COMMAND}
        for obj_id, channels in last_channel.items()
        if any(ch != Channel.COMMAND for ch in channels.values())
    }


class Loader:
    """Upserts for one run of a loader command (one transaction, one history batch)."""

    def __init__(self) -> None:
        self.stats = LoadStats()
        self._curated: dict[type[models.Model], dict[int, set[str]]] = {}

    def curated(self, model: type[models.Model], pk: int) -> set[str]:
        if model not in self._curated:
            concrete = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            tracked = _event_model(model)
            tracked_names = {f.attname for f in tracked._meta.concrete_fields} if tracked else set()
            self._curated[model] = curated_fields(model, [n for n in concrete if n in tracked_names])
        return self._curated[model].get(pk, set())

    def upsert(
        self,
        kind: str,
        model: type[models.Model],
        *,
        lookup: Mapping[str, Any],
        values: Mapping[str, Any],
        instance: models.Model | None = None,
    ) -> tuple[Any, str]:
        """Create or update one record; returns (record, created/updated/unchanged).

        `values` may hold callables `f(current_value) -> new_value` for fields that merge
        rather than replace (sources, alternative names).
        """
        obj = instance if instance is not None else model._default_manager.filter(**lookup).first()
        if obj is None:
            data = {**lookup}
            for name, value in values.items():
                data[name] = value(_default(model, name)) if callable(value) else value
            obj = model._default_manager.create(**data)
            self.stats.add(kind, CREATED)
            return obj, CREATED
        curated = self.curated(model, obj.pk)
        changed: list[str] = []
        for name, value in values.items():
            field = model._meta.get_field(name)
            if not isinstance(field, models.Field) or field.many_to_many:
                raise TypeError(f"{name}: upsert takes concrete fields; use add_m2m for many-to-many")
            attname = field.attname if isinstance(field, models.ForeignKey) else name
            current = getattr(obj, attname)
            new = value(current) if callable(value) else value
            if isinstance(field, models.ForeignKey) and isinstance(new, models.Model):
                new = new.pk
            new = field.to_python(new) if new is not None and not isinstance(field, models.ForeignKey) else new
            if new == current:
                continue
            if attname in curated and not _empty(current):
                self.stats.kept[f"{model.__name__}.{name}"] += 1
                continue
            setattr(obj, attname, new)
            changed.append(attname)
        if not changed:
            self.stats.add(kind, UNCHANGED)
            return obj, UNCHANGED
        if isinstance(obj, Record):
            obj.updated_at = timezone.now()
            obj.version = obj.version + 1
            changed += ["updated_at", "version"]
        obj.save(update_fields=changed)
        self.stats.add(kind, UPDATED)
        return obj, UPDATED

    def add_m2m(self, obj: models.Model, field: str, targets: Iterable[models.Model]) -> bool:
        """Add `targets` to a many-to-many field (never removes); True when something was added."""
        targets = list(targets)
        if not targets:
            return False
        manager = getattr(obj, field)
        have = set(manager.values_list("pk", flat=True))
        missing = [t for t in targets if t.pk not in have]
        if missing:
            manager.add(*missing)
        return bool(missing)


def _default(model: type[models.Model], name: str) -> Any:
    field = model._meta.get_field(name)
    return field.get_default() if isinstance(field, models.Field) else None


def merge_source_line(line: str, prefix: str) -> Any:
    """A merge function for `source`: replace the line that starts with `prefix`, or append it."""

    def merge(current: str | None) -> str:
        lines = [x for x in (current or "").splitlines() if x.strip()]
        for i, existing in enumerate(lines):
            if existing.startswith(prefix):
                lines[i] = line
                break
        else:
            lines.append(line)
        return "\n".join(lines)

    return merge


def merge_list(extra: Iterable[str]) -> Any:
    """A merge function for list fields: keep what is there, append what is missing (in order)."""
    wanted = [x for x in extra if x]

    def merge(current: list[str] | None) -> list[str]:
        out = list(current or [])
        for item in wanted:
            if item not in out:
                out.append(item)
        return out

    return merge


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for matching names."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def repair_split_scalars(record: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    """Undo a YAML flow-mapping artefact of the seed files.

    `{what: A, of which B}` parses as {"what": "A", "of which B": None}: a comma inside an
    unquoted flow scalar splits it into an extra key with a null value. Unknown keys with a null
    value are glued back onto the preceding string field ("A, of which B").
    """
    known_keys = set(known)
    out: dict[str, Any] = {}
    last: str | None = None
    for key, value in record.items():
        if key not in known_keys and value is None and last is not None and isinstance(out[last], str):
            out[last] = f"{out[last]}, {key}"
            continue
        out[key] = value
        if isinstance(value, str):
            last = key
    return out

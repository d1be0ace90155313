"""Pre-aggregated figures: what a request cannot compute at scale, kept as `Snapshot`s.

An *aggregate* is a function returning a JSON payload (language-neutral: ids, codes and names
in both languages, no URLs) computed SQL-side. `serve()` decides per request:

- a snapshot of the current registry data version exists: it is served as it is;
- otherwise, while the aggregate's tables are small (estimated rows <= its `limit`), the payload
  is computed in the request and stored (the study's data, the tests);
- above the limit the last snapshot is served with its date (`stale`) and a refresh is queued as
  a background task (django-tasks, `manage.py db_worker`), at most one per aggregate at a time;
  when there is no snapshot yet, the page says its figures are being computed (`pending`).

`manage.py compute_insights` refreshes every snapshot (after imports, or from cron). Pages say
when their numbers come from a snapshot and of when (`insights/_snapshot.html`).
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from helix.core.listing import data_version

from .models import Snapshot

ROW_LIMIT = 200_000
"""Estimated rows (over an aggregate's tables) up to which it is computed in the request: the
grouped counts over that many rows take well under a second."""
EXACT_COUNT_BELOW = 100_000
"""Tables whose planner estimate is below this are counted exactly (cheap, and right for tables
that were never analysed, such as those of a test)."""
KNOWLEDGE_OVERVIEW = "knowledge-overview"
KNOWLEDGE_ROW_LIMIT = 50_000
"""The knowledge overview splits every project's statements (~70 s at 1.5M projects, 6.4M rows
over its tables): computed in the request only up to ~12,000 projects (well under a second)."""
QUEUE_TIMEOUT = datetime.timedelta(hours=1)
"""A queued refresh that has not finished after this long (a worker died) may be queued again."""


@dataclass(frozen=True)
class Aggregate:
    key: str
    title: str
    compute: Callable[[], dict[str, Any]]
    tables: tuple[str, ...] = ()
    limit: int | None = None  # default ROW_LIMIT
    size: Callable[[], int] | None = None  # instead of `tables`: the aggregate's own measure
    empty: Mapping[str, Any] = field(default_factory=dict)  # the payload shown while pending

    def rows(self) -> int:
        return self.size() if self.size is not None else estimated_rows(*self.tables)

    def large(self) -> bool:
        return self.rows() > (ROW_LIMIT if self.limit is None else self.limit)


@dataclass(frozen=True)
class Served:
    payload: dict[str, Any]
    snapshot: Snapshot | None = None
    stale: bool = False
    pending: bool = False

    @property
    def computed_at(self) -> datetime.datetime | None:
        return self.snapshot.computed_at if self.snapshot is not None else None

    def note(self) -> dict[str, Any]:
        """What `insights/_snapshot.html` shows: from a snapshot of when, stale, pending."""
        return {"computed_at": self.computed_at, "stale": self.stale, "pending": self.pending}


def estimated_rows(*tables: str) -> int:
    """The planner's row estimate of these tables (pg_class), exact for small or unanalysed ones."""
    total = 0
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [table])
            row = cursor.fetchone()
            if not row or row[0] is None:  # no such table
                continue
            estimate = int(row[0])
            if estimate < EXACT_COUNT_BELOW:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our table names)
                estimate = int(cursor.fetchone()[0])
            total += estimate
    return total


def _json(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as a snapshot stores it: computed in the request or read, pages see the same."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def store(key: str, payload: dict[str, Any], version: str, seconds: float) -> Snapshot | None:
    try:
        with transaction.atomic():
            snapshot, _ = Snapshot.objects.update_or_create(
                key=key,
                defaults={
                    "data_version": version,
                    "computed_at": timezone.now(),
                    "seconds": round(seconds, 3),
                    "payload": payload,
                    "refresh_queued_at": None,
                },
            )
    except DatabaseError:  # a concurrent writer won; the next request reads its row
        return None
    return snapshot


def compute(aggregate: Aggregate) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    payload = _json(aggregate.compute())
    return payload, time.perf_counter() - started


def serve(aggregate: Aggregate) -> Served:
    """The aggregate's payload for a request (see the module docstring)."""
    return serve_at(aggregate, data_version())


def serve_at(aggregate: Aggregate, current: str | None) -> Served:
    """`serve` for a given data version (None inside a transaction: computed, never stored)."""
    snapshot = Snapshot.objects.filter(key=aggregate.key).first()
    computed = snapshot is not None and snapshot.computed_at is not None
    if snapshot is not None and computed and current is not None and snapshot.data_version == current:
        return Served(snapshot.payload, snapshot)
    if not aggregate.large():
        payload, seconds = compute(aggregate)
        if current is None:
            return Served(payload)
        return Served(payload, store(aggregate.key, payload, current, seconds))
    queue_refresh(aggregate.key)
    if snapshot is not None and computed:
        return Served(snapshot.payload, snapshot, stale=True)
    return Served(_json(dict(aggregate.empty)), pending=True)


def queue_refresh(key: str) -> bool:
    """Enqueue the refresh of `key` unless one is queued already (across processes: the row's
    `refresh_queued_at` is claimed by one conditional UPDATE). True when enqueued."""
    from .tasks import refresh_snapshot_task

    now = timezone.now()
    try:
        with transaction.atomic():
            Snapshot.objects.get_or_create(key=key)  # a placeholder row (computed_at NULL) to claim
            claimed = (
                Snapshot.objects.filter(key=key)
                .filter(Q(refresh_queued_at__isnull=True) | Q(refresh_queued_at__lt=now - QUEUE_TIMEOUT))
                .update(refresh_queued_at=now)
            )
    except DatabaseError:
        return False
    if claimed:
        refresh_snapshot_task.enqueue(key)
    return bool(claimed)


def refresh(aggregate: Aggregate) -> Snapshot | None:
    """Recompute and store one snapshot for the current data version (task and command)."""
    version = data_version() or ""
    try:
        payload, seconds = compute(aggregate)
    except BaseException:
        Snapshot.objects.filter(key=aggregate.key).update(refresh_queued_at=None)  # may be queued again
        raise
    return store(aggregate.key, payload, version, seconds)


def stamp(keys: Iterable[str]) -> list[tuple[str, str, str]]:
    """Which snapshots a cached page was built from (part of its cache key): when one of them
    is refreshed, the page is built again even though the data version did not change."""
    wanted = list(keys)
    if not wanted:
        return []
    rows = Snapshot.objects.filter(key__in=wanted).order_by("key").values_list("key", "data_version", "computed_at")
    return [(k, v, c.isoformat() if c else "") for k, v, c in rows]


def registry() -> dict[str, Aggregate]:
    """Every pre-aggregated figure, by key (what `compute_insights` refreshes)."""
    from helix.projects import overviews

    from . import aggregates, network

    found = [
        network.aggregate(),
        *aggregates.AGGREGATES,
        Aggregate(
            KNOWLEDGE_OVERVIEW,
            "Knowledge hub overview (/kennishub/overzicht/)",
            overviews.overview_payload,
            tables=("projects_project", "projects_project_domains", "projects_project_places"),
            limit=KNOWLEDGE_ROW_LIMIT,
            empty=overviews.EMPTY_OVERVIEW,
        ),
    ]
    return {a.key: a for a in found}


def get(key: str) -> Aggregate:
    return registry()[key]

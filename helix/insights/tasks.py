"""Background tasks of the insights (django-tasks; a worker runs `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_snapshot_task(key: str) -> float | None:
    """Recompute one pre-aggregated snapshot (queued by a page that served a stale one)."""
    from .snapshots import get, refresh

    snapshot = refresh(get(key))
    return snapshot.seconds if snapshot is not None else None

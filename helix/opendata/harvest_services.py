"""Write services of harvesting: sources, starting runs, resolving publishers.

Callers provide the history context (the web middleware, or `history_context` in commands).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.actors.models import Organisation

from .models import Dataset, HarvestRun, HarvestSource, PublisherMatch, PublisherResolution, RunStatus

SOURCE_FIELDS = ("title", "url", "format", "organisation", "enabled")


def save_source(source: HarvestSource | None, data: dict[str, Any]) -> HarvestSource:
    """Create (source None) or change a harvest source; writes only when something changed."""
    if source is None:
        source = HarvestSource(**{k: v for k, v in data.items() if k in SOURCE_FIELDS})
        source.full_clean()
        source.save()
        return source
    changed = [k for k in SOURCE_FIELDS if k in data and getattr(source, k) != data[k]]
    if changed:
        for name in changed:
            setattr(source, name, data[name])
        source.modified = timezone.now()
        source.full_clean()
        source.save(update_fields=[*changed, "modified"])
    return source


def start_run(source: HarvestSource, user: Any = None, *, enqueue: bool = True) -> HarvestRun:
    """Queue a run of the source (or return the one already queued or running)."""
    from .tasks import harvest_task

    with transaction.atomic():
        HarvestSource.objects.select_for_update().filter(pk=source.pk).first()
        active = source.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
        if active is not None and _abandoned(active):
            # a worker that died mid-run must not block the source for ever
            HarvestRun.objects.filter(pk=active.pk).update(
                status=RunStatus.FAILED,
                finished_at=timezone.now(),
                report=[*active.report, _("The run was abandoned (no progress for too long).")],
            )
            active = None
        if active is not None:
            return active
        run = HarvestRun.objects.create(
            source=source,
            batch=uuid.uuid4(),
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
    if enqueue:
        harvest_task.enqueue(run.pk)
        run.refresh_from_db()
    return run


ABANDONED_AFTER = datetime.timedelta(hours=6)


def _abandoned(run: HarvestRun) -> bool:
    since = run.started_at or run.requested_at
    return since < timezone.now() - ABANDONED_AFTER


def resolve_publisher(*, publisher_uri: str, publisher_name: str, organisation: Organisation | None, user: Any = None) -> int:
    """Record a curator's decision for a publisher and apply it to its datasets; returns how many."""
    PublisherResolution.objects.update_or_create(
        publisher_uri=publisher_uri,
        publisher_name="" if publisher_uri else publisher_name,
        defaults={
            "organisation": organisation,
            "resolved_by": user if getattr(user, "is_authenticated", False) else None,
            "resolved_at": timezone.now(),
        },
    )
    datasets = Dataset.objects.filter(publisher_uri=publisher_uri)
    if not publisher_uri:
        datasets = datasets.filter(publisher_name=publisher_name)
    return datasets.exclude(publisher_match=PublisherMatch.RESOLVED, organisation=organisation).update(
        organisation=organisation, publisher_match=PublisherMatch.RESOLVED
    )

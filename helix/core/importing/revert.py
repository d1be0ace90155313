"""Undo an import: every change of one batch, found through the history (pghistory) context.

Records the batch created are deleted (archived instead when something else now refers to
them); records it updated get back the field values of their last event before the batch,
and their many-to-many relations the before-state the import kept on the batch's context.
Refused, with the records named, when a record was changed again after the import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from helix.core.changelog import event_model_for
from helix.core.history import Channel, history_context
from helix.core.services import archive_record, save_record

from .registry import discover

UNRESTORED_FIELDS = {"id", "version", "created_at", "updated_at", "search_vector", "archived_at"}


class RevertRefused(Exception):
    pass


@dataclass
class RevertReport:
    batch: str
    revert_batch: str | None = None
    deleted: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch,
            "revert_batch": self.revert_batch,
            "deleted": self.deleted,
            "archived": self.archived,
            "restored": self.restored,
        }


def revert_batch(batch_id: str, *, user: Any) -> RevertReport:
    """Revert every change made under history batch `batch_id`, in one transaction."""
    from pghistory.models import Context

    contexts = list(Context.objects.filter(metadata__batch=str(batch_id)))
    if not contexts:
        raise RevertRefused(_("No change was recorded under batch %(batch)s.") % {"batch": batch_id})
    context_ids = [c.id for c in contexts]
    journal: dict[str, dict[str, dict[str, list[int]]]] = {}
    for context in contexts:
        journal.update(context.metadata.get("import_m2m_before") or {})
    report = RevertReport(batch=str(batch_id))
    targets = sorted(discover().targets.values(), key=lambda t: -t.order)  # dependants (instruments) first
    plans = []
    conflicts: list[str] = []
    for target in targets:
        event_model: Any = event_model_for(target.model)
        events = list(event_model.objects.filter(pgh_context_id__in=context_ids).order_by("pgh_id"))
        if not events:
            continue
        first: dict[int, Any] = {}
        last: dict[int, Any] = {}
        for event in events:
            first.setdefault(event.pgh_obj_id, event)
            last[event.pgh_obj_id] = event
        for obj_id, event in last.items():
            later = (
                event_model.objects.filter(pgh_obj_id=obj_id, pgh_id__gt=event.pgh_id)
                .filter(Q(pgh_context_id__isnull=True) | ~Q(pgh_context_id__in=context_ids))
                .select_related("pgh_context")
                .first()
            )
            if later is not None:
                reverted = later.pgh_context is not None and later.pgh_context.metadata.get("reverts") == str(batch_id)
                message = _("already reverted") if reverted else _("changed after the import")
                conflicts.append(f"{target.model._meta.verbose_name} {event.slug}: {message}")
        plans.append((target, event_model, first))
    if conflicts:
        raise RevertRefused(_("The import cannot be reverted: %(list)s.") % {"list": "; ".join(conflicts)})
    with transaction.atomic(), history_context(channel=Channel.IMPORT, user=user, reverts=str(batch_id)) as batch:
        for target, event_model, first in plans:
            label = target.model._meta.label_lower
            tracked = [
                f.attname
                for f in event_model._meta.concrete_fields
                if not f.name.startswith("pgh_") and f.name not in UNRESTORED_FIELDS
            ]
            for obj_id, event in first.items():
                obj: Any = target.model._default_manager.filter(pk=obj_id).first()
                if obj is None:
                    continue
                if event.pgh_label == "insert":
                    _remove(obj, report)
                    continue
                previous = event_model.objects.filter(pgh_obj_id=obj_id, pgh_id__lt=event.pgh_id).order_by("-pgh_id").first()
                if previous is None:
                    raise RevertRefused(
                        _("No earlier version of %(slug)s is recorded; it cannot be restored.") % {"slug": event.slug}
                    )
                changes = {
                    attname: getattr(previous, attname)
                    for attname in tracked
                    if hasattr(obj, attname) and getattr(obj, attname) != getattr(previous, attname)
                }
                m2m = journal.get(label, {}).get(str(obj_id), {})
                save_record(obj, changes=changes, m2m=m2m)
                report.restored.append(str(getattr(obj, "slug", obj_id)))
    report.revert_batch = batch
    return report


def _remove(obj: Any, report: RevertReport) -> None:
    slug = str(getattr(obj, "slug", obj.pk))
    try:
        with transaction.atomic():
            obj.delete()
        report.deleted.append(slug)
    except (ProtectedError, RestrictedError):
        archive_record(obj)
        report.archived.append(slug)

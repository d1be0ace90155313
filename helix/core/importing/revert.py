"""Undo an import: every change of one batch, found through the history (pghistory) context.

Records the batch created are deleted (archived instead when something else now refers to
them); records it updated get back the field values of their last event before the batch,
and their many-to-many relations the before-state the import kept on the batch's context.
Refused, with the records named, when a record was changed again after the import.
Besides the import targets, apps register other models to revert (`register_revert_target`):
the marketplace import's challenges, solutions and owner links (helix/market/importers.py).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import Min, Q
from django.db.models.deletion import DO_NOTHING, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from helix.core.changelog import event_model_for
from helix.core.history import Channel, history_context
from helix.core.models import Record
from helix.core.services import archive_record, save_record

from .registry import RevertTarget, discover

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
    if Context.objects.filter(metadata__reverts=str(batch_id)).exists():
        raise RevertRefused(_("The import cannot be reverted: %(list)s.") % {"list": _("already reverted")})
    context_ids = [c.id for c in contexts]
    journal: dict[str, dict[str, dict[str, list[int]]]] = {}
    for context in contexts:
        journal.update(context.metadata.get("import_m2m_before") or {})
    report = RevertReport(batch=str(batch_id))
    targets = _revert_targets()  # dependants (instruments) first
    reverted_models = {target.model for target in targets}
    plans = []
    conflicts: list[str] = []
    touched: set[type[models.Model]] = set()
    created: dict[type[models.Model], set[int]] = {}
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
        touched.add(target.model)
        created.setdefault(target.model, set()).update(pk for pk, e in first.items() if e.pgh_label == "insert")
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
                conflicts.append(f"{target.model._meta.verbose_name} {_event_label(event)}: {message}")
        plans.append((target, event_model, first))
    for target in targets:
        if target.parent and target.model in touched:
            conflicts += _later_link_changes(target, context_ids)
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
            # Undo the latest change first, so one-of-a-kind rules (one lead owner) hold at every step.
            for obj_id, event in sorted(first.items(), key=lambda item: -item[1].pgh_id):
                obj: Any = target.model._default_manager.filter(pk=obj_id).first()
                if obj is None:
                    if event.pgh_label != "insert":  # a row the batch deleted (a link): put it back
                        _recreate(target.model, event_model, event, report)
                    continue
                if event.pgh_label == "insert":
                    if target.parent and getattr(obj, target.parent) in created.get(_parent_model(target), set()):
                        continue  # a link of a record the batch created: goes (or stays) with that record
                    _remove(obj, report, keep_if_referenced=target.keep_referenced, reverted_models=reverted_models)
                    continue
                previous = event_model.objects.filter(pgh_obj_id=obj_id, pgh_id__lt=event.pgh_id).order_by("-pgh_id").first()
                if previous is None:
                    raise RevertRefused(
                        _("No earlier version of %(slug)s is recorded; it cannot be restored.") % {"slug": _event_label(event)}
                    )
                changes = {
                    attname: getattr(previous, attname)
                    for attname in tracked
                    if hasattr(obj, attname) and getattr(obj, attname) != getattr(previous, attname)
                }
                m2m = journal.get(label, {}).get(str(obj_id), {})
                if isinstance(obj, Record):
                    save_record(obj, changes=changes, m2m=m2m)
                else:  # a plain row (a link): no version, no validation of its own
                    for attname, value in changes.items():
                        setattr(obj, attname, value)
                    if changes:
                        obj.save(update_fields=list(changes))
                    for attr, pks in m2m.items():
                        getattr(obj, attr).set(pks)
                report.restored.append(_label(obj))
    report.revert_batch = batch
    return report


def _revert_targets() -> list[RevertTarget]:
    """The import targets and the other registered revert targets, dependants first."""
    found = discover()
    targets = {t.model._meta.label_lower: RevertTarget(t.model, order=t.order) for t in found.targets.values()}
    for label, target in found.revert_targets.items():
        targets.setdefault(label, target)
    return sorted(targets.values(), key=lambda t: -t.order)


def _parent_model(target: RevertTarget) -> type[models.Model]:
    link: Any = target.model._meta.get_field(target.parent.removesuffix("_id"))
    parent: type[models.Model] = link.related_model
    return parent


def _later_link_changes(target: RevertTarget, context_ids: list[Any]) -> list[str]:
    """Link rows (e.g. owners) of the records whose links the batch changed, changed again after it.

    "After" is by event id: a record's link events after its first one in the batch and not
    part of the batch (the ids of one event table grow with time).
    """
    event_model: Any = event_model_for(target.model)
    first = dict(
        event_model.objects.filter(pgh_context_id__in=context_ids)
        .values(target.parent)
        .annotate(first=Min("pgh_id"))
        .values_list(target.parent, "first")
    )
    if not first:
        return []
    after = Q()
    for parent_id, event_id in first.items():
        after |= Q(**{target.parent: parent_id}, pgh_id__gt=event_id)
    later = set(
        event_model.objects.filter(after)
        .filter(Q(pgh_context_id__isnull=True) | ~Q(pgh_context_id__in=context_ids))
        .values_list(target.parent, flat=True)
    )
    parent_model = _parent_model(target)
    names = {pk: _label(obj) for pk, obj in parent_model._default_manager.in_bulk(later).items()}
    return [
        f"{parent_model._meta.verbose_name} {names.get(pk, pk)}: "
        + _("%(what)s changed after the import") % {"what": target.model._meta.verbose_name_plural}
        for pk in sorted(later)
    ]


def _event_label(event: Any) -> str:
    return str(getattr(event, "slug", None) or f"#{event.pgh_obj_id}")


def _label(obj: Any) -> str:
    return str(getattr(obj, "slug", None) or obj)


def _recreate(model: type[models.Model], event_model: Any, event: Any, report: RevertReport) -> None:
    """Insert again, with its own key, a row the batch deleted, as it was before the batch."""
    source = event
    if event.pgh_label != "delete":
        source = event_model.objects.filter(pgh_obj_id=event.pgh_obj_id, pgh_id__lt=event.pgh_id).order_by("-pgh_id").first()
        if source is None:
            return
    names = {f.attname for f in model._meta.concrete_fields}
    values = {
        f.attname: getattr(source, f.attname)
        for f in event_model._meta.concrete_fields
        if not f.name.startswith("pgh_") and f.attname in names
    }
    obj = model._default_manager.create(**values)
    report.restored.append(_label(obj))


def _referenced_elsewhere(obj: Any, reverted_models: Collection[type[models.Model]]) -> bool:
    """Rows of a model the revert does not handle refer to `obj` (a delete would cascade to them)."""
    for relation in obj._meta.related_objects:
        if relation.related_model in reverted_models or relation.on_delete is DO_NOTHING:
            continue  # DO_NOTHING: history events (pghistory), which keep their rows anyway
        if relation.related_model._base_manager.filter(**{relation.field.name: obj.pk}).exists():
            return True
    return False


def _remove(
    obj: Any, report: RevertReport, *, keep_if_referenced: bool = False, reverted_models: Collection[type[models.Model]] = ()
) -> None:
    slug = _label(obj)
    if keep_if_referenced and _referenced_elsewhere(obj, reverted_models):
        archive_record(obj)
        report.archived.append(slug)
        return
    try:
        with transaction.atomic():
            obj.delete()
        report.deleted.append(slug)
    except (ProtectedError, RestrictedError):
        if not isinstance(obj, Record):
            raise RevertRefused(
                _("%(what)s %(name)s is still referred to; it cannot be removed.")
                % {"what": obj._meta.verbose_name, "name": slug}
            ) from None
        archive_record(obj)
        report.archived.append(slug)

"""Revert a record to one of its earlier versions (curators only).

The snapshot's column values are copied back through `save_record`, so the revert is
validated, bumps the version and is itself recorded in history, with `reverted_to` (the event
id) in its context. The many-to-many fields (domains, SDGs, phases, ...) get back the links
they had at that version, reconstructed from their link events (helix.core.m2m_history). Not
reverted: the identity and bookkeeping columns (id, slug, version, created/updated/archived
timestamps), since archiving has its own restore.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from helix.core.changelog import event_model_for
from helix.core.history import Channel, history_context
from helix.core.m2m_history import m2m_state_at
from helix.core.models import Record
from helix.core.permissions import is_curator
from helix.core.services import save_record

R = TypeVar("R", bound=Record)

NOT_REVERTED = frozenset({"id", "slug", "version", "created_at", "updated_at", "archived_at", "search_vector"})


def snapshot_changes(record: Record, event: Any) -> dict[str, Any]:
    """Field (attname) -> value of the snapshot, for the columns a revert restores."""
    changes: dict[str, Any] = {}
    for fld in record._meta.concrete_fields:
        if fld.name in NOT_REVERTED or fld.primary_key:
            continue
        if hasattr(event, fld.attname):
            changes[fld.attname] = getattr(event, fld.attname)
    return changes


def revert_record(*, record: R, event_id: int, user: Any, channel: str = Channel.WEB) -> R:
    """Copy the snapshot `event_id` of `record` back onto it. Raises Http404 for an unknown
    event, PermissionDenied for non-curators, ValidationError when the old values no longer
    pass today's validation."""
    if not is_curator(user):
        raise PermissionDenied(_("Only curators may revert records."))
    event_model = event_model_for(type(record))
    event: Any = event_model._default_manager.filter(pgh_id=event_id, pgh_obj_id=record.pk).first()
    if event is None:
        raise Http404(_("This version does not exist for this record."))
    with history_context(channel=channel, user=user, reverted_to=event_id):
        links = m2m_state_at(record, event.pgh_created_at)
        return save_record(record, changes=snapshot_changes(record, event), m2m=links, user=user)

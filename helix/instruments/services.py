"""Write use cases of the instrument registry. Entry points wrap calls in `history_context`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from helix.actors.services import unique_slug
from helix.core.permissions import can_edit_organisation, is_curator
from helix.core.services import archive_record, restore_record, save_record

from .models import Instrument


def _check_offered_by(user: Any, data: Mapping[str, Any]) -> None:
    """Members may only attach instruments to organisations they edit."""
    if user is None or is_curator(user):
        return
    offered_by = data.get("offered_by")
    if offered_by is None or not can_edit_organisation(user, offered_by.pk):
        raise PermissionDenied(_("You may only add instruments offered by an organisation you edit."))


def create_instrument(*, data: Mapping[str, Any], user: Any, m2m: Mapping[str, Iterable[Any]] | None = None) -> Instrument:
    """A new instrument: curators, or members for an organisation they edit (`user=None`: trusted channel)."""
    _check_offered_by(user, data)
    instrument = Instrument(slug=unique_slug(Instrument, str(data.get("title", ""))))
    return save_record(instrument, changes=data, m2m=m2m, user=user)


def update_instrument(
    *,
    instrument: Instrument,
    data: Mapping[str, Any],
    user: Any,
    expected_version: int | None,
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> Instrument:
    """Save an edit; raises StaleVersion when someone else saved since `expected_version`."""
    if "offered_by" in data:
        _check_offered_by(user, data)
    return save_record(instrument, changes=data, m2m=m2m, user=user, expected_version=expected_version)


def archive_instrument(*, instrument: Instrument, user: Any) -> None:
    archive_record(instrument, user=user)


def restore_instrument(*, instrument: Instrument, user: Any) -> None:
    restore_record(instrument, user=user)

"""Roles and object-level rights, shared by pages, API and imports.

anonymous: reads public data. member: belongs to organisations (OrganisationEditor) and edits
those and the records they own. curator: edits everything, imports, merges, verifies (group
"curators" or staff). admin: superuser.
"""

from __future__ import annotations

from typing import Any

CURATOR_GROUP = "curators"


def is_curator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(user.groups.filter(name=CURATOR_GROUP).exists())


def is_member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def organisation_ids_for(user: Any) -> set[int]:
    """The organisations a member may edit."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(user.editorships.values_list("organisation_id", flat=True))


def can_edit_organisation(user: Any, organisation_id: int) -> bool:
    return is_curator(user) or organisation_id in organisation_ids_for(user)


def owner_ids(obj: Any) -> set[int]:
    """Organisations that own a record: the organisation itself, or the offering organisation."""
    from helix.actors.models import Organisation
    from helix.instruments.models import Instrument

    if isinstance(obj, Organisation):
        return {obj.pk}
    if isinstance(obj, Instrument):
        ids = {obj.offered_by_id} if obj.offered_by_id else set()
        return ids
    owner = getattr(obj, "organisation_id", None)
    return {owner} if owner else set()


def can_edit(user: Any, obj: Any) -> bool:
    if is_curator(user):
        return True
    return bool(owner_ids(obj) & organisation_ids_for(user))


def get_for_edit(queryset: Any, user: Any, **lookup: Any) -> Any:
    """The object an edit page works on, with the object-level checks of every write page.

    Missing, or archived for a non-curator -> 404 (Http404); exists but no right -> 403
    (PermissionDenied). Anonymous users are sent to sign in by the view before this runs.
    """
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    if not is_curator(user) and hasattr(queryset, "live"):
        queryset = queryset.live()
    obj = get_object_or_404(queryset, **lookup)
    if not can_edit(user, obj):
        raise PermissionDenied
    return obj

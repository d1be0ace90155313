"""Object-level rights of the project registry, on top of helix.core.permissions.

A project belongs to its lead organisation: the lead's editors and curators edit, archive and
fill in its contact person. Partners do not edit the project: a project has one voice (the lead
answers for what it says), and a partner that disagrees asks the lead or a curator. Members
create projects that an organisation they edit leads.
"""

from __future__ import annotations

from typing import Any

from helix.core.permissions import can_edit_organisation, is_curator, organisation_ids_for


def can_edit_project(user: Any, project: Any) -> bool:
    if is_curator(user):
        return True
    return project.lead_id is not None and project.lead_id in organisation_ids_for(user)


def can_create_project(user: Any) -> bool:
    """Curators, and members of at least one organisation (for projects it leads)."""
    return is_curator(user) or bool(organisation_ids_for(user))


def can_lead(user: Any, organisation_id: int | None) -> bool:
    """May `user` make this organisation the lead? (Curators: any; members: one they edit.)"""
    if is_curator(user):
        return True
    return organisation_id is not None and can_edit_organisation(user, organisation_id)

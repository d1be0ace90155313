"""Object-level rights of the marketplace, on top of helix.core.permissions.

Challenges belong to all their owners: editors of the lead and of every co-owner edit them;
only the lead's editors (and curators) change who owns them. Solutions belong to their
provider (core's `organisation_id` rule). A response is seen and followed up by both sides.
"""

from __future__ import annotations

from typing import Any

from helix.core.permissions import can_edit, can_edit_organisation, is_curator, organisation_ids_for

from .choices import OwnerRole


def challenge_owner_ids(challenge: Any, *, role: str | None = None) -> set[int]:
    return {o.organisation_id for o in challenge.ownerships.all() if role is None or o.role == role}


def can_edit_challenge(user: Any, challenge: Any) -> bool:
    """Editors of any owner (lead or co-owner), and curators."""
    return is_curator(user) or bool(challenge_owner_ids(challenge) & organisation_ids_for(user))


def can_manage_owners(user: Any, challenge: Any) -> bool:
    """Adding or removing co-owners: editors of the lead owner, and curators."""
    return is_curator(user) or bool(challenge_owner_ids(challenge, role=OwnerRole.LEAD) & organisation_ids_for(user))


def can_see_challenge(user: Any, challenge: Any) -> bool:
    return not challenge.is_draft or can_edit_challenge(user, challenge)


def can_edit_solution(user: Any, solution: Any) -> bool:
    return bool(can_edit(user, solution))


def can_respond_for(user: Any, organisation_id: int) -> bool:
    return bool(can_edit_organisation(user, organisation_id))


def can_see_response(user: Any, response: Any) -> bool:
    """The responder's editors, the challenge owners' editors, curators."""
    if is_curator(user):
        return True
    organisations = organisation_ids_for(user)
    return response.organisation_id in organisations or bool(challenge_owner_ids(response.challenge) & organisations)


def can_review_response(user: Any, response: Any) -> bool:
    """Shortlisting and rejecting: the challenge owners' editors and curators."""
    return can_edit_challenge(user, response.challenge)


def can_withdraw_response(user: Any, response: Any) -> bool:
    return is_curator(user) or response.organisation_id in organisation_ids_for(user)

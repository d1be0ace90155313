"""Write use cases of the strategy monitor. Entry points wrap calls in `history_context`.

Rights: curators do everything; owners (editors of an organisation that owns the
recommendation, directly or through one of its actions) record progress and add actions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.actors.models import Organisation
from helix.core.permissions import is_curator, organisation_ids_for

from .choices import ProgressStatus
from .models import Action, ProgressUpdate, Recommendation


def owner_ids(recommendation: Recommendation) -> set[int]:
    """Organisations that own a recommendation: its owners and the owners of its actions."""
    owners = set(recommendation.owners.values_list("pk", flat=True))
    return owners | set(recommendation.actions.values_list("organisation_id", flat=True))


def owned_for(user: Any, recommendation: Recommendation) -> set[int]:
    """The owner organisations of `recommendation` that `user` edits."""
    return owner_ids(recommendation) & organisation_ids_for(user)


def can_record_progress(user: Any, recommendation: Recommendation) -> bool:
    return is_curator(user) or bool(owned_for(user, recommendation))


@transaction.atomic
def record_progress(
    *,
    recommendation: Recommendation,
    status: ProgressStatus | str,
    justification: str,
    evidence: Iterable[str],
    user: Any,
    as_of: datetime.date | None = None,
    organisation: Organisation | None = None,
) -> ProgressUpdate:
    """A progress update by an owner (or a curator); `user=None` means a trusted channel.

    `organisation` is the owner on whose behalf the update is made; for an editor of exactly
    one owner organisation it is that one. Raises PermissionDenied or ValidationError.
    """
    if user is not None and not is_curator(user):
        allowed = owned_for(user, recommendation)
        if not allowed or (organisation is not None and organisation.pk not in allowed):
            raise PermissionDenied(_("Only the owners of a recommendation and curators record its progress."))
        if organisation is None:
            organisation = Organisation.objects.get(pk=min(allowed))
    update = ProgressUpdate(
        recommendation=recommendation,
        status=ProgressStatus(status),
        justification=justification.strip(),
        evidence=[e.strip() for e in evidence if e and e.strip()],
        as_of=as_of or timezone.localdate(),
        organisation=organisation,
        author=user if getattr(user, "is_authenticated", False) else None,
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def add_action(
    *,
    recommendation: Recommendation,
    title: str,
    organisation: Organisation,
    user: Any,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Action:
    """An action under a recommendation, owned by `organisation` (an owner of the recommendation)."""
    if user is not None and not is_curator(user) and organisation.pk not in owned_for(user, recommendation):
        raise PermissionDenied(_("Only the owners of a recommendation and curators add actions to it."))
    action = Action(
        recommendation=recommendation, title=title.strip(), organisation=organisation, starts_on=starts_on, ends_on=ends_on
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def assign_owner(*, recommendation: Recommendation, organisation: Organisation, user: Any) -> None:
    """Make an organisation an owner of a recommendation (curators only)."""
    if user is not None and not is_curator(user):
        raise PermissionDenied(_("Only curators assign the owners of a recommendation."))
    recommendation.owners.add(organisation)

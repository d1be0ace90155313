"""Read logic of the marketplace, chainable: who may see which challenge and response."""

from __future__ import annotations

import datetime
from typing import Any, Self

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from helix.actors.choices import OrganisationKind
from helix.core.models import RecordQuerySet
from helix.core.permissions import is_curator, organisation_ids_for

from .choices import ChallengeStatus


def startup_condition(prefix: str = "", *, today: datetime.date | None = None) -> Q:
    """The start-up rule of helix.market.models.is_startup as a query condition on an organisation."""
    from .models import STARTUP_YEARS

    year = (today or timezone.localdate()).year
    return Q(**{f"{prefix}kind": OrganisationKind.COMPANY}) & (
        Q(**{f"{prefix}subkind__icontains": "start"}) | Q(**{f"{prefix}founded_year__gte": year - STARTUP_YEARS})
    )


class ChallengeQuerySet(RecordQuerySet):
    def live(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def published(self) -> Self:
        """Challenges the public may see: every status except draft."""
        return self.exclude(status=ChallengeStatus.DRAFT)

    def owned_by(self, organisation_ids: Any) -> Self:
        """Challenges (co-)owned by any of these organisations (no duplicate rows)."""
        owner = apps.get_model("market", "ChallengeOwner")
        return self.filter(pk__in=owner.objects.filter(organisation_id__in=organisation_ids).values("challenge_id"))

    def visible_to(self, user: Any) -> Self:
        """Drafts exist only for their owners' editors and for curators (archiving is separate)."""
        if is_curator(user):
            return self
        organisations = organisation_ids_for(user)
        if not organisations:
            return self.published()
        owner = apps.get_model("market", "ChallengeOwner")
        own = owner.objects.filter(organisation_id__in=organisations).values("challenge_id")
        return self.filter(~Q(status=ChallengeStatus.DRAFT) | Q(pk__in=own))

    def open_for_responses(self) -> Self:
        today = timezone.localdate()
        return self.filter(status=ChallengeStatus.OPEN).filter(Q(deadline__isnull=True) | Q(deadline__gte=today))


class SolutionQuerySet(RecordQuerySet):
    def live(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def startups(self) -> Self:
        return self.filter(startup_condition("organisation__"))


class ResponseQuerySet(QuerySet):
    def visible_to(self, user: Any) -> Self:
        """Never public: the responder's editors, the challenge owners' editors and curators."""
        if is_curator(user):
            return self
        organisations = organisation_ids_for(user)
        if not organisations:
            return self.none()
        owner = apps.get_model("market", "ChallengeOwner")
        owned = owner.objects.filter(organisation_id__in=organisations).values("challenge_id")
        return self.filter(Q(organisation_id__in=organisations) | Q(challenge_id__in=owned))

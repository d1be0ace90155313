"""What the challenge, solution and organisation pages show of the matcher: ranked objects with
a readable explanation, peers with who could carry a joint challenge, and fitting funding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.market.models import Challenge, Solution

from . import market
from .market import Carriers, RankedObject

CRITERION_LABELS = {
    "text": _("Text relevance"),
    "domains": _("Shared domains"),
    "sdgs": _("Shared SDGs"),
    "roles": _("Value-chain roles"),
    "references": _("References in municipalities of a similar size"),
    "maturity": _("Maturity vs phase sought"),
    "proximity": _("Same province"),
    "startup_boost": _("Policy: buy from start-ups"),
    "open_standards_boost": _("Policy: open standards"),
    "shared_challenges": _("Similar challenges"),
    "size_class": _("Similar size"),
}

PANEL_LIMIT = 5


@dataclass(frozen=True)
class ShownContribution:
    criterion: str
    label: str
    weight: float
    value: float
    contribution: float


@dataclass(frozen=True)
class ShownMatch:
    object: Any
    kind: str
    score: float
    explanation: list[ShownContribution]


def shown_explanation(explanation: Any, labels: dict[str, Any] = CRITERION_LABELS) -> list[ShownContribution]:
    """An engine explanation as table rows with translated criterion labels."""
    return [
        ShownContribution(
            criterion=str(c.criterion),
            label=str(labels.get(str(c.criterion), str(c.criterion))),
            weight=c.weight,
            value=c.value,
            contribution=c.contribution,
        )
        for c in explanation
    ]


def shown(ranked: list[RankedObject]) -> list[ShownMatch]:
    return [ShownMatch(object=r.object, kind=r.kind, score=r.score, explanation=shown_explanation(r.explanation)) for r in ranked]


def _organisations(ranked: list[RankedObject]) -> list[Organisation]:
    return [r.object for r in ranked if isinstance(r.object, Organisation)]


@dataclass(frozen=True)
class ChallengeNeed:
    """A challenge as a funding-finder profile: its owners apply (several: a consortium)."""

    owners: list[Organisation]
    domains: list[str]
    phase: str | None
    budget: int | None
    title: str
    text: str


def challenge_need(challenge: Challenge) -> ChallengeNeed:
    from .services import MAX_APPLICANTS

    return ChallengeNeed(
        owners=[o.organisation for o in challenge.owner_links][:MAX_APPLICANTS],
        domains=[t.code for t in challenge.domains.all()],
        phase=challenge.phase_sought.code if challenge.phase_sought_id else None,  # type: ignore[union-attr]
        budget=int(challenge.budget_max) if challenge.budget_max is not None else None,
        title=challenge.display_title,
        text=" ".join(filter(None, [challenge.title, challenge.title_nl, challenge.description_nl, challenge.description_en])),
    )


def _funding_for_challenge(challenge: Challenge) -> Any:
    from .services import ApplicantChoice, find_funding

    need = challenge_need(challenge)
    if not need.owners:
        return None
    return find_funding(
        applicants=[ApplicantChoice(organisation=o) for o in need.owners],
        domains=need.domains,
        phase=need.phase,
        budget=need.budget,
        text=need.text,
        limit=PANEL_LIMIT,
    )


def challenge_panel(challenge: Challenge, user: Any) -> dict[str, Any]:
    """Solutions, companies, peers (of the lead owner), joint carriers and funding for a challenge."""
    owners = [o.organisation for o in challenge.owner_links]
    towns = [o for o in owners if o.kind == OrganisationKind.MUNICIPALITY]
    lead = challenge.lead_owner
    peers = market.municipality_peers(lead, limit=PANEL_LIMIT, user=user) if lead and lead in towns else []
    return {
        "solutions": shown(market.challenge_matches(challenge, type="solution", limit=PANEL_LIMIT, user=user)),
        "organisations": shown(market.challenge_matches(challenge, type="organisation", limit=PANEL_LIMIT, user=user)),
        "peers": shown(peers),
        "carriers": market.joint_carriers([*towns, *_organisations(peers[:2])]) if towns else Carriers([], []),
        "funding": _funding_for_challenge(challenge),
    }


def solution_panel(solution: Solution, user: Any) -> dict[str, Any]:
    return {"challenges": shown(market.solution_matches(solution, limit=PANEL_LIMIT, user=user))}


def organisation_panel(organisation: Organisation, user: Any) -> dict[str, Any]:
    """Companies: open challenges that fit and complementary partners. Municipalities: peers."""
    if organisation.kind == OrganisationKind.MUNICIPALITY:
        if not organisation.in_region:
            return {}
        peers = market.municipality_peers(organisation, limit=PANEL_LIMIT, user=user)
        return {
            "peers": shown(peers),
            "carriers": market.joint_carriers([organisation, *_organisations(peers[:2])]),
        }
    if organisation.kind not in market.parties.PROVIDER_KINDS:
        return {}
    return {
        "challenges": shown(market.organisation_challenges(organisation, limit=PANEL_LIMIT, user=user)),
        "partners": shown(market.organisation_partners(organisation, limit=PANEL_LIMIT, user=user)),
    }

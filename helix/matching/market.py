"""Marketplace matching use cases: what pages, API and evaluation call.

- `challenge_matches(challenge, type="solution" | "organisation")`: solutions or organisations
  that offer what a challenge needs;
- `solution_matches(solution)`: open challenges a solution could answer;
- `organisation_partners(organisation)`: complementary companies (other value-chain roles,
  shared domains: the sensor maker and the dashboard builder);
- `municipality_peers(municipality)`: municipalities with similar challenges, with the
  intercommunales and framework contracts that could carry a joint challenge or group purchase.

Access rules are applied before ranking: the engine receives the ids the user may see. The
built `Matcher` of each candidate set is kept per process under the registry's data version and
the policy levers, so a request ranks a warm index.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q

from helix.actors.choices import OrganisationKind, Predicate
from helix.actors.models import Membership, Organisation
from helix.core.listing import data_version
from helix.instruments.models import Instrument
from helix.market.models import Challenge, Solution
from helix.matching.engine.market import Matcher
from helix.matching.engine.types import Match, Party, Weights

from . import parties
from .models import MatchingPolicy

MAX_LIMIT = 100


@dataclass(frozen=True)
class RankedObject:
    """A match with its ORM object (for pages and the API)."""

    object: Model
    kind: str
    score: float
    explanation: Sequence[Any]


_cache: dict[tuple[str, str], tuple[str, Weights, Matcher]] = {}
_lock = threading.Lock()
_rebuilding: set[tuple[str, str]] = set()

SYNC_REBUILD_MAX = 5000
"""Candidate sets up to this size are rebuilt in the request (well under a second). Larger ones
(100k solutions take ~15 s) are rebuilt in a background thread while requests keep ranking with
the previous index: results may lag a write by the rebuild time. Access rules and the objects
shown are always read fresh from the database, so nobody sees what they may not."""

CANDIDATE_SETS: dict[str, Callable[[], list[Party]]] = {
    "solutions": parties.solution_parties,
    "organisations": parties.organisation_parties,
    "companies": lambda: parties.organisation_parties(kinds=(OrganisationKind.COMPANY,)),
    "challenges": parties.challenge_parties,
    "municipalities": parties.municipality_parties,
}


def current_weights() -> Weights:
    return MatchingPolicy.current().weights()


def matcher(name: str, weights: Weights | None = None, *, using: str = "default") -> Matcher:
    """The Matcher over a candidate set, built once per data version and weights."""
    weights = weights or current_weights()
    version = data_version(using)
    if version is None:  # inside a transaction: never cache what may be rolled back
        return Matcher(CANDIDATE_SETS[name](), weights)
    key = (name, using)
    hit = _cache.get(key)
    if hit and hit[0] == version and hit[1] == weights:
        return hit[2]
    if hit and hit[1] == weights and len(hit[2]) > SYNC_REBUILD_MAX:
        _rebuild_in_background(key, name, version, weights)
        return hit[2]  # stale while the new index is built
    built = Matcher(CANDIDATE_SETS[name](), weights)
    _cache[key] = (version, weights, built)
    return built


def _rebuild_in_background(key: tuple[str, str], name: str, version: str, weights: Weights) -> None:
    with _lock:
        if key in _rebuilding:
            return
        _rebuilding.add(key)

    def run() -> None:
        from django.db import connections

        try:
            _cache[key] = (version, weights, Matcher(CANDIDATE_SETS[name](), weights))
        finally:
            connections.close_all()  # this thread's own connection
            with _lock:
                _rebuilding.discard(key)

    threading.Thread(target=run, name=f"helix-matcher-{name}", daemon=True).start()


def _objects(model: type[Model], matches: list[Match], kind: str) -> list[RankedObject]:
    """The ORM objects of the matches, read fresh: archived ones (after the index was built) drop out."""
    by_id = model._default_manager.filter(archived_at=None).in_bulk([m.party.id for m in matches])
    return [RankedObject(by_id[m.party.id], kind, m.score, m.explanation) for m in matches if m.party.id in by_id]


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _only(party_ids: Iterable[int]) -> frozenset[int]:
    return frozenset(party_ids)


def challenge_party(challenge: Challenge) -> Party:
    found = parties.challenge_parties([challenge.pk], include_drafts=True)
    return found[0]


def challenge_matches(challenge: Challenge, *, type: str = "solution", limit: int = 20, user: Any = None) -> list[RankedObject]:
    """Solutions (type="solution") or organisations (type="organisation") for a challenge."""
    query = challenge_party(challenge)
    if type == "organisation":
        found = matcher("organisations").match(query, limit=_limit(limit), mode="need_offer")
        return _objects(Organisation, found, "organisation")
    found = matcher("solutions").match(query, limit=_limit(limit), mode="need_offer")
    return _objects(Solution, found, "solution")


def solution_matches(solution: Solution, *, limit: int = 20, user: Any = None) -> list[RankedObject]:
    """Published, open challenges that a solution could answer (drafts never: access first)."""
    query = parties.solution_parties([solution.pk])[0]
    visible = _only(Challenge.objects.live().visible_to(user).open_for_responses().values_list("pk", flat=True))
    found = matcher("challenges").match(query, limit=_limit(limit), allowed=visible, mode="need_offer")
    return _objects(Challenge, found, "challenge")


def organisation_challenges(organisation: Organisation, *, limit: int = 20, user: Any = None) -> list[RankedObject]:
    """Open challenges that fit what an organisation offers (a company looking for work)."""
    query = parties.organisation_parties([organisation.pk], kinds=[organisation.kind])
    if not query:
        return []
    visible = _only(Challenge.objects.live().visible_to(user).open_for_responses().values_list("pk", flat=True))
    found = matcher("challenges").match(query[0], limit=_limit(limit), allowed=visible, mode="need_offer")
    return _objects(Challenge, found, "challenge")


def organisation_partners(organisation: Organisation, *, limit: int = 20, user: Any = None) -> list[RankedObject]:
    """Complementary companies: other value-chain roles in shared domains."""
    query = parties.organisation_parties([organisation.pk], kinds=[organisation.kind])
    if not query:
        return []
    found = matcher("companies").match(query[0], limit=_limit(limit), mode="complement")
    return _objects(Organisation, [m for m in found if m.party.id != organisation.pk], "organisation")


def municipality_peers(municipality: Organisation, *, limit: int = 20, user: Any = None) -> list[RankedObject]:
    """Municipalities with similar challenges and projects (candidates for a joint challenge)."""
    query = parties.municipality_parties([municipality.pk])
    if not query:
        return []
    found = matcher("municipalities").match(query[0], limit=_limit(limit), mode="peer")
    return _objects(Organisation, [m for m in found if m.party.id != municipality.pk], "organisation")


@dataclass(frozen=True)
class Carriers:
    """Who could carry a joint challenge or group purchase of some municipalities, and why."""

    intercommunales: list[tuple[Organisation, str]]  # (organisation, basis: "member" | "province")
    framework_instruments: list[Instrument]


def joint_carriers(municipalities: Iterable[Organisation]) -> Carriers:
    """Intercommunales that count these municipalities as members, or else work in their
    provinces, and the procurement-support instruments (framework contracts, purchasing
    centres) open to municipalities."""
    towns = list(municipalities)
    ids = {m.pk for m in towns}
    provinces = {m.province_id for m in towns if m.province_id}
    members = set(
        Membership.objects.filter(
            archived_at=None, subject_id__in=ids, predicate__in=[Predicate.MEMBER_OF, Predicate.SHAREHOLDER_OF]
        ).values_list("object_id", flat=True)
    ) | set(
        Membership.objects.filter(archived_at=None, object_id__in=ids, predicate=Predicate.SERVES).values_list(
            "subject_id", flat=True
        )
    )
    found: list[tuple[Organisation, str]] = []
    for org in Organisation.objects.live().filter(kind=OrganisationKind.INTERCOMMUNALE).order_by("name"):
        if org.pk in members:
            found.append((org, "member"))
        elif org.province_id in provinces:
            found.append((org, "province"))
    found.sort(key=lambda pair: pair[1] != "member")
    frameworks = list(
        Instrument.objects.live()
        .filter(instrument_type__code="procurement_support")
        .filter(Q(applicant_types__isnull=True) | Q(applicant_types__code="municipality"))
        .distinct()
        .order_by("title")
    )
    return Carriers(found, frameworks)

"""SYNTHETIC marketplace data for scale tests: solutions and challenges (`generate_synthetic
--solutions N --challenges M`). Labelled like the rest of `helix.core.synthetic` (slug prefix
`synthetic-`, source SYNTHETIC_SOURCE) and deleted by its `purge()`.

Solutions belong to synthetic companies; challenges are owned by synthetic governments and
intercommunales (never by a real municipality, so no real body is shown asking for anything).
Texts are composed from the same Dutch/English word lists, so text relevance sees a realistic
vocabulary. Synthetic solutions have no references (a reference would claim a real municipality
uses them).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

import pgtrigger
from django.db import transaction
from django.utils import timezone

from helix.core.m2m_history import link_triggers
from helix.core.synthetic import (
    CONTEXTS,
    OBJECTS,
    SYNTHETIC_PREFIX,
    SYNTHETIC_SOURCE,
    VERBS,
    _copy,
    _m2m,
    _next_number,
    _pick,
    _reserve_ids,
    _terms,
    _Words,
)

OPEN_STANDARDS = ("OSLO", "NGSI-LD", "DCAT-AP", "GTFS", "DATEX II", "SensorThings", "CityGML", "OpenAPI")
PRICING = ("license", "subscription", "per_use", "open_source", "custom", "unknown")

SOLUTION_COLUMNS = (
    "id", "slug", "source", "last_verified", "created_at", "updated_at", "title", "title_nl", "description_nl",
    "description_en", "organisation_id", "maturity_id", "open_standards", "pricing_model", "website",
)  # fmt: skip
# pghistory's insert triggers are skipped, as for the other synthetic data.
MARKET_HISTORY_TRIGGERS = tuple(f"market.{model}:insert_insert" for model in ("Solution", "Challenge", "ChallengeOwner"))
CHALLENGE_COLUMNS = (
    "id", "slug", "source", "last_verified", "created_at", "updated_at", "title", "title_nl", "description_nl",
    "description_en", "budget_min", "budget_max", "phase_sought_id", "deadline", "status", "published_at", "format",
)  # fmt: skip


def _organisations(kinds: tuple[str, ...], limit: int) -> list[int]:
    from helix.actors.models import Organisation

    qs = Organisation.objects.filter(slug__startswith=SYNTHETIC_PREFIX, source=SYNTHETIC_SOURCE, kind__in=kinds)
    return list(qs.order_by("pk").values_list("pk", flat=True)[:limit])


def generate_market(*, solutions: int, challenges: int, seed: int = 0) -> dict[str, int]:
    """Add synthetic solutions (of synthetic companies) and open challenges."""
    from helix.market.models import Challenge, ChallengeOwner, Solution

    rng = random.Random(seed + 7)  # noqa: S311 (synthetic data, not security)
    words = _Words(rng)
    today = timezone.localdate()
    now = timezone.now()
    phases, domains, sdgs, roles = _terms("phases"), _terms("domains"), _terms("sdgs"), _terms("value-chain-roles")
    made = {"solutions": 0, "challenges": 0}
    with transaction.atomic(), pgtrigger.ignore(*MARKET_HISTORY_TRIGGERS, *link_triggers(Challenge, Solution)):
        companies = _organisations(("company",), 1_000_000)
        if solutions and not companies:
            raise ValueError("no synthetic companies: generate organisations first (--orgs)")
        if solutions:
            first = _next_number("market_solution", "sol")
            ids = _reserve_ids(Solution, solutions)

            def solution(i: int, pk: int) -> dict[str, Any]:
                verb, obj, ctx = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(CONTEXTS)
                brand = words.brand()
                return {
                    "id": pk,
                    "slug": f"{SYNTHETIC_PREFIX}sol-{first + i}",
                    "source": SYNTHETIC_SOURCE,
                    "last_verified": today,
                    "created_at": now,
                    "updated_at": now,
                    "title": f"{brand} {obj[1]}",
                    "title_nl": f"{brand} {obj[0]}" if rng.random() < 0.6 else "",
                    "description_nl": f"{brand} {verb[0]} {obj[0]} {ctx[0]}.",
                    "description_en": f"{brand} {verb[1]} {obj[1]} {ctx[1]}.",
                    "organisation_id": rng.choice(companies),
                    "maturity_id": rng.choice(phases) if phases and rng.random() < 0.8 else None,
                    "open_standards": rng.sample(OPEN_STANDARDS, rng.choice((0, 0, 1, 2))),
                    "pricing_model": rng.choice(PRICING),
                    "website": "",
                }

            made["solutions"] = _copy(Solution, SOLUTION_COLUMNS, (solution(i, pk) for i, pk in enumerate(ids)))
            _m2m(Solution.domains, ((pk, t) for pk in ids for t in _pick(rng, domains, 1, 2)))
            _m2m(Solution.sdgs, ((pk, t) for pk in ids for t in _pick(rng, sdgs, 0, 2)))
            _m2m(Solution.value_chain_roles, ((pk, t) for pk in ids for t in _pick(rng, roles, 1, 2)))
        if challenges:
            owners = _organisations(("government", "intercommunale"), 10_000)
            if not owners:
                raise ValueError("no synthetic governments or intercommunales: generate organisations first (--orgs)")
            first = _next_number("market_challenge", "chl")
            ids = _reserve_ids(Challenge, challenges)

            def challenge(i: int, pk: int) -> dict[str, Any]:
                obj, ctx = rng.choice(OBJECTS), rng.choice(CONTEXTS)
                low = rng.choice((10_000, 25_000, 50_000, 100_000))
                return {
                    "id": pk,
                    "slug": f"{SYNTHETIC_PREFIX}chl-{first + i}",
                    "source": SYNTHETIC_SOURCE,
                    "last_verified": today,
                    "created_at": now,
                    "updated_at": now,
                    "title": f"Looking for {obj[1]} {ctx[1]}",
                    "title_nl": f"Gezocht: {obj[0]} {ctx[0]}",
                    "description_nl": f"Wij zoeken {obj[0]} {ctx[0]}; {rng.choice(OBJECTS)[0]} zijn een plus.",
                    "description_en": f"We are looking for {obj[1]} {ctx[1]}; {rng.choice(OBJECTS)[1]} are a plus.",
                    "budget_min": low,
                    "budget_max": low * rng.choice((2, 4, 10)),
                    "phase_sought_id": rng.choice(phases) if phases else None,
                    "deadline": today + datetime.timedelta(days=rng.randint(10, 300)),
                    "status": "open",
                    "published_at": now,
                    "format": "",
                }

            made["challenges"] = _copy(Challenge, CHALLENGE_COLUMNS, (challenge(i, pk) for i, pk in enumerate(ids)))
            _copy(
                ChallengeOwner,
                ("challenge_id", "organisation_id", "role"),
                ({"challenge_id": pk, "organisation_id": rng.choice(owners), "role": "lead"} for pk in ids),
            )
            _m2m(Challenge.domains, ((pk, t) for pk in ids for t in _pick(rng, domains, 1, 2)))
            _m2m(Challenge.sdgs, ((pk, t) for pk in ids for t in _pick(rng, sdgs, 0, 2)))
            _m2m(Challenge.value_chain_roles_needed, ((pk, t) for pk in ids for t in _pick(rng, roles, 1, 3)))
    return made


def purge_market() -> dict[str, int]:
    """Delete synthetic challenges and solutions (before their synthetic owners)."""
    from helix.market.models import Challenge, Response, Solution

    label = {"slug__startswith": SYNTHETIC_PREFIX, "source": SYNTHETIC_SOURCE}
    with transaction.atomic(), pgtrigger.ignore(*link_triggers(Challenge, Solution)):  # no link events, as when made
        Response.objects.filter(solution__slug__startswith=SYNTHETIC_PREFIX).delete()
        n_chl, _ = Challenge.objects.filter(**label).delete()
        solutions = Solution.objects.filter(**label)
        n_sol = solutions.count()
        solutions.delete()
    return {"challenges": n_chl, "solutions": n_sol}

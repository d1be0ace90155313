"""Benchmarks of issue 3: the funding finder and the marketplace matcher (`bench/run.py --only
funding,matching`). Called by run.py after it has prepared the database (Django is set up).

- funding: the funding finder over every instrument of the benchmark database (10k synthetic +
  reference), warm index, p50/p95 per profile; the index build is timed separately.
- matching: challenge -> solutions top 20 over 100k synthetic solutions, and challenge ->
  organisations top 20 over the providers among 100k organisations, with the indexed matcher and
  side by side with a brute-force scoring of every candidate on the same data. Reports the
  speed ratio and checks that both give the same top 20 (ids and scores).
"""

from __future__ import annotations

import random
import time
from typing import Any

from timing import stats

FUNDING_P95_MS = 100.0
MATCHING_P95_MS = 200.0

WORDS = (
    "mobiliteit", "air quality sensors", "slimme verlichting", "open data", "digital twin", "laadpalen",
    "energy dashboards", "deelfietsen", "parking", "afval", "water meters", "zorg", "participation",
    "heat networks", "5G", "cyber security", "traffic lights", "noise meters", "route planners", "",
)  # fmt: skip


def _funding_profiles(rng: random.Random, n: int) -> list[Any]:
    from helix.actors.models import Organisation
    from helix.core.models import Term
    from helix.matching.adapters import applicant_from_organisation
    from helix.matching.engine.types import Applicant, FundingProfile

    towns = list(Organisation.objects.filter(kind="municipality", in_region=True).select_related("province")[:300])
    domains = list(Term.objects.filter(scheme__slug="domains", broader=None).values_list("code", flat=True))
    phases = list(Term.objects.filter(scheme__slug="phases").values_list("code", flat=True))
    types = list(Term.objects.filter(scheme__slug="applicant-types").values_list("code", flat=True))
    profiles = []
    for i in range(n):
        if i % 3 == 0 and towns:
            applicants: tuple[Any, ...] = (applicant_from_organisation(rng.choice(towns)),)
        elif i % 3 == 1:
            applicants = (Applicant(applicant_types=frozenset({rng.choice(types)})),)
        else:
            applicants = tuple(Applicant(applicant_types=frozenset({t})) for t in rng.sample(types, 2))
        profiles.append(
            FundingProfile(
                applicants=applicants,
                domains=frozenset(rng.sample(domains, rng.randint(0, 2))),
                phase=rng.choice([*phases, None]),
                budget=rng.choice([None, 20_000, 150_000, 2_000_000]),
                text=rng.choice(WORDS),
            )
        )
    return profiles


def bench_funding(reps: int, seed: int) -> dict[str, Any]:
    from helix.instruments.models import Instrument
    from helix.matching.adapters import instrument_profiles
    from helix.matching.engine.funding import FundingIndex

    rng = random.Random(seed)
    started = time.perf_counter()
    instruments = instrument_profiles(Instrument.objects.live())
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    index = FundingIndex(instruments)
    built = time.perf_counter() - started
    profiles = _funding_profiles(rng, max(reps, 50))
    for p in profiles[:5]:  # warm-up
        index.evaluate(p, limit=50)
    samples, verdicts = [], {"eligible": 0, "possibly_eligible": 0, "not_eligible": 0}
    for p in profiles:
        t = time.perf_counter()
        results = index.evaluate(p, limit=50, include_ineligible=True)
        samples.append(time.perf_counter() - t)
        for r in results:
            verdicts[str(r.verdict)] += 1
    st = stats(samples)
    return {
        "what": "funding finder: every live instrument evaluated, top 50 with full reasons, warm index",
        "instruments": len(instruments),
        "profiles": len(profiles),
        "load_profiles_seconds": round(loaded, 2),
        "build_index_seconds": round(built, 2),
        "evaluate": st,
        "verdicts_in_top_50": verdicts,
        "target_met": st["p95_ms"] <= FUNDING_P95_MS,
    }


def _compare(matcher: Any, queries: list[Any], limit: int) -> dict[str, Any]:
    fast, slow, same = [], [], 0
    for q in queries[:3]:  # warm-up
        matcher.match(q, limit=limit)
    mismatches: list[int] = []
    for q in queries:
        t = time.perf_counter()
        a = matcher.match(q, limit=limit)
        fast.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = matcher.brute_force(q, limit=limit)
        slow.append(time.perf_counter() - t)
        if [(m.party.id, m.score) for m in a] == [(m.party.id, m.score) for m in b]:
            same += 1
        else:
            mismatches.append(q.id)
    indexed, brute = stats(fast), stats(slow)
    return {
        "indexed": indexed,
        "brute_force": brute,
        "speedup_mean": round(brute["mean_ms"] / max(indexed["mean_ms"], 0.001), 1),
        "same_top_k": f"{same}/{len(queries)}",
        "mismatched_queries": mismatches[:10],
        "target_met": indexed["p95_ms"] <= MATCHING_P95_MS,
    }


def bench_matching(reps: int, seed: int) -> dict[str, Any]:
    from helix.market.models import Challenge
    from helix.matching import parties
    from helix.matching.engine.market import Matcher
    from helix.matching.models import MatchingPolicy

    rng = random.Random(seed)
    weights = MatchingPolicy.current().weights()
    ids = list(Challenge.objects.live().exclude(status="draft").values_list("pk", flat=True))
    queries = parties.challenge_parties(rng.sample(ids, min(len(ids), max(reps, 50))))
    out: dict[str, Any] = {"queries": len(queries), "limit": 20}
    for name, build in (("solutions", parties.solution_parties), ("organisations", parties.organisation_parties)):
        started = time.perf_counter()
        candidates = build()
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        matcher = Matcher(candidates, weights)
        built = time.perf_counter() - started
        out[f"challenge_to_{name}"] = {
            "candidates": len(candidates),
            "load_parties_seconds": round(loaded, 2),
            "build_index_seconds": round(built, 2),
            **_compare(matcher, queries, 20),
        }
    return out


def rows(results: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """(label, stats, target) rows for run.py's table."""
    out: list[tuple[str, dict[str, Any], str]] = []
    funding = results.get("funding")
    if funding:
        out.append(("funding finder (10k instruments)", funding["evaluate"], "met" if funding["target_met"] else "NOT met"))
    matching = results.get("matching") or {}
    for name in ("solutions", "organisations"):
        part = matching.get(f"challenge_to_{name}")
        if part:
            label = f"challenge->{name} top 20 ({part['candidates'] // 1000}k)"
            out.append((label + " indexed", part["indexed"], "met" if part["target_met"] else "NOT met"))
            out.append(
                (label + " brute force", part["brute_force"], f"x{part['speedup_mean']} same {part['same_top_k']}"),
            )
    return out

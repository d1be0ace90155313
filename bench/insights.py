"""Insights pages at 100k organisations (`bench/run.py --only insights`): p50/p95 per page.

Three timings per page, side by side with a baseline (a plain COUNT(*) of the organisations,
the cheapest query any page makes):
- `cold`: the aggregate cache emptied before every request: every number computed live;
- `warm`: as visitors see it while the data do not change (cached under the data version);
- the network's snapshot (betweenness centrality over the whole graph) is computed once and
  timed separately: pages read it (helix.insights.network).
Target: <= 1 s per insights page (cold).
"""

from __future__ import annotations

import time
from typing import Any

from timing import stats, timed

TARGET_MS = 1000.0


def bench_insights(reps: int) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_test_environment

    from helix.actors.models import Organisation
    from helix.insights import network
    from helix.insights.analyses import ANALYSES

    setup_test_environment()
    client = Client()
    out: dict[str, Any] = {}
    started = time.perf_counter()
    snapshot = network.refresh()
    out["network_snapshot"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "graph_seconds": snapshot.seconds if snapshot else None,
        "approximate": snapshot.payload["approximate"] if snapshot else None,
        "organisations": snapshot.payload["organisations"] if snapshot else None,
        "links": snapshot.payload["links"] if snapshot else None,
    }
    out["baseline_count"] = stats([timed(lambda: Organisation.objects.count()) for _ in range(reps)])
    cold_reps = max(5, reps // 6)  # a cold request recomputes everything: fewer repetitions
    pages = {"index": "/inzichten/", **{slug: f"/inzichten/{slug}/" for slug in ANALYSES}}
    for name, url in pages.items():
        client.get(url)  # warm-up: imports, templates, the map's shapes
        cold, statuses = [], set()
        for _ in range(cold_reps):
            cache.clear()
            started = time.perf_counter()
            statuses.add(client.get(url).status_code)
            cold.append(time.perf_counter() - started)
        warm = []
        for _ in range(reps):
            started = time.perf_counter()
            statuses.add(client.get(url).status_code)
            warm.append(time.perf_counter() - started)
        cold_stats = stats(cold)
        out[f"page_{name}"] = {
            "cold": cold_stats,
            "warm": stats(warm),
            "status": max(statuses),
            "target_met": cold_stats["p95_ms"] <= TARGET_MS,
        }
    return out


def rows(results: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """Table rows for bench/run.py's summary."""
    insights = results.get("insights") or {}
    lines: list[tuple[str, dict[str, Any], str]] = []
    if "baseline_count" in insights:
        lines.append(("insights: baseline COUNT(*) organisations", insights["baseline_count"], ""))
    for name, entry in insights.items():
        if name.startswith("page_"):
            met = "met" if entry["target_met"] else "NOT met"
            lines.append((f"insights: {name[5:]} (cold)", entry["cold"], met))
            lines.append((f"insights: {name[5:]} (warm)", entry["warm"], ""))
    if "network_snapshot" in insights:
        snap = insights["network_snapshot"]
        lines.append(("insights: network snapshot (s, once)", {"p50_ms": snap["seconds"]}, "refresh: compute_insights"))
    return lines

"""Insights pages: p50/p95 per page, at 100k organisations (`bench/run.py --only insights`) and on
the 1.5M-project database (`bench/run.py --only insights-projects`).

Per page, side by side with a baseline (a plain COUNT(*) of the organisations, the cheapest
query any page makes):
- `cold`: the page cache emptied before every request, the pre-aggregated snapshots present
  (helix/insights/snapshots.py): every number not pre-aggregated is computed live;
- `warm`: as visitors see it while the data do not change (cached under the data version);
- the snapshots themselves (what `compute_insights` and the background refresh compute) are
  refreshed once and timed separately, each with the process's peak memory.
Target: <= 1 s per page (cold). The knowledge-hub overview `/kennishub/overzicht/` is measured
with them (it reads the `knowledge-overview` snapshot).

The 1.5M part runs in a child process on `helix_bench_projects` (bench/projects.py prepares it
with `--only projects`; this part only reads its data and writes `insights_snapshot` rows):

    .venv/bin/python bench/insights.py --child-projects REPS   (run.py does this)
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from timing import child_json, client_environment, stats, timed

TARGET_MS = 1000.0
ROOT = Path(__file__).resolve().parent.parent
OVERVIEW = "/kennishub/overzicht/"


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def refresh_snapshots() -> dict[str, Any]:
    """Every snapshot recomputed once (as `compute_insights` does): seconds and peak memory."""
    from helix.insights import snapshots

    out: dict[str, Any] = {}
    for key, aggregate in snapshots.registry().items():
        started = time.perf_counter()
        snapshot = snapshots.refresh(aggregate)
        out[key] = {
            "seconds": round(time.perf_counter() - started, 2),
            "stored": snapshot is not None,
            "process_peak_rss_mb": _rss_mb(),
        }
        if key == "network" and snapshot is not None:
            payload = snapshot.payload
            out[key].update(
                {
                    k: payload.get(k)
                    for k in ("approximate", "organisations", "projects", "links", "components", "sampled_projects")
                }
            )
    return out


def bench_pages(reps: int, pages: dict[str, str]) -> dict[str, Any]:
    from django.core.cache import cache
    from django.test import Client

    client_environment()
    client = Client()
    out: dict[str, Any] = {}
    cold_reps = max(5, reps // 6)  # a cold request recomputes everything not pre-aggregated: fewer repetitions
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
            "url": url,
            "cold": cold_stats,
            "warm": stats(warm),
            "status": max(statuses),
            "target_met": cold_stats["p95_ms"] <= TARGET_MS,
        }
    return out


def pages_to_measure() -> dict[str, str]:
    from helix.insights.analyses import ANALYSES

    return {"index": "/inzichten/", **{slug: f"/inzichten/{slug}/" for slug in ANALYSES}, "kennishub_overzicht": OVERVIEW}


def bench_insights(reps: int) -> dict[str, Any]:
    from helix.actors.models import Organisation

    out: dict[str, Any] = {}
    started = time.perf_counter()
    out["snapshots"] = refresh_snapshots()
    network = out["snapshots"].get("network", {})
    out["network_snapshot"] = {  # as reported before the other snapshots existed
        "seconds": network.get("seconds"),
        "approximate": network.get("approximate"),
        "organisations": network.get("organisations"),
        "links": network.get("links"),
    }
    out["snapshots_seconds"] = round(time.perf_counter() - started, 2)
    out["baseline_count"] = stats([timed(lambda: Organisation.objects.count()) for _ in range(reps)])
    out.update(bench_pages(reps, pages_to_measure()))
    return out


# --- the 1.5M-project database (child process) ---------------------------------------------------


def bench_insights_projects(url: str, reps: int) -> dict[str, Any]:
    """Run the 1.5M part in a child process on helix_bench_projects; its JSON."""
    import projects as projects_bench  # bench/projects.py: the database's name
    import run  # bench/run.py: database helpers

    if not run.database_exists(url, projects_bench.DATABASE):
        return {"error": f"{projects_bench.DATABASE} does not exist: run bench/run.py --only projects first"}
    env = {
        **os.environ,
        "DATABASE_URL": run.with_database(url, projects_bench.DATABASE),
        "DJANGO_SETTINGS_MODULE": "helix.settings",
    }
    return child_json([str(Path(__file__)), "--child-projects", str(reps)], env, timeout=3 * 3600)


def child_projects(reps: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    import projects as projects_bench
    import run
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        meta: dict[str, str] = {}
        if cur.fetchone()[0]:
            cur.execute("SELECT key, value FROM bench_meta")
            meta = dict(cur.fetchall())
    if "projects" not in meta:  # never prepares nor purges: that is bench/projects.py's job
        raise SystemExit(f"{projects_bench.DATABASE} is not prepared (no bench_meta 'projects'): run --only projects first")
    call_command("migrate", "insights", verbosity=0, interactive=False)  # the snapshot table only
    with connection.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM projects_project WHERE archived_at IS NULL),"
            " (SELECT count(*) FROM actors_organisation), (SELECT count(*) FROM projects_projectpartner),"
            " (SELECT count(*) FROM projects_project_places), (SELECT count(*) FROM projects_project_domains),"
            " (SELECT count(*) FROM actors_membership)"
        )
        projects, orgs, partners, places, domains, memberships = cur.fetchone()
    result: dict[str, Any] = {
        "machine": run.machine_facts(),
        "data": {
            "database": projects_bench.DATABASE,
            "synthetic": True,
            "projects": projects,
            "organisations": orgs,
            "project_partners": partners,
            "project_places": places,
            "project_domains": domains,
            "memberships": memberships,
            "meta": {k: meta.get(k) for k in ("generator", "seed", "projects", "orgs")},
        },
        "target_ms": TARGET_MS,
    }
    from helix.actors.models import Organisation

    print("  insights-projects: refreshing every snapshot ...", file=sys.stderr)
    refresh_started = time.perf_counter()
    result["snapshots"] = refresh_snapshots()
    result["snapshots_seconds"] = round(time.perf_counter() - refresh_started, 2)
    result["snapshots_peak_rss_mb"] = _rss_mb()
    result["baseline_count"] = stats([timed(lambda: Organisation.objects.count()) for _ in range(reps)])
    print("  insights-projects: pages ...", file=sys.stderr)
    result.update(bench_pages(reps, pages_to_measure()))
    result["all_pages_met"] = all(v["target_met"] for k, v in result.items() if k.startswith("page_"))
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def rows(results: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """Table rows for bench/run.py's summary."""
    lines: list[tuple[str, dict[str, Any], str]] = []
    for section, label in (("insights", "insights"), ("insights_projects", "insights 1.5M")):
        part = results.get(section) or {}
        if "error" in part:
            lines.append((f"{label}: failed (see JSON)", {}, ""))
            continue
        if "baseline_count" in part:
            lines.append((f"{label}: baseline COUNT(*) organisations", part["baseline_count"], ""))
        for name, entry in part.items():
            if name.startswith("page_"):
                met = "met" if entry["target_met"] else "NOT met"
                lines.append((f"{label}: {name[5:]} (cold)", entry["cold"], met))
                lines.append((f"{label}: {name[5:]} (warm)", entry["warm"], ""))
        for key, snap in (part.get("snapshots") or {}).items():
            lines.append((f"{label}: snapshot {key} (s, once)", {"p50_ms": snap["seconds"]}, "refresh: compute_insights"))
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child-projects":
        print(json.dumps(child_projects(int(sys.argv[2])), default=str))
    else:
        sys.exit(__doc__)

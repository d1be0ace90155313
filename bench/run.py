"""Helix benchmarks (`make bench`): search, import, pages, funding, matching and insights at 100k
organisations + 10k instruments; quality scoring; harvesting a 100k-dataset synthetic catalogue
(own database helix_bench_harvest); 1.5M synthetic projects (own database helix_bench_projects).

Plain Python: sets up Django itself and uses its own database — the server of $DATABASE_URL
with the database name `helix_bench` (created and migrated when missing). The synthetic data
(helix.core.synthetic) is generated once and reused while its size and generator version match.
Results: bench/results/<timestamp>.json and bench/results/latest.json, plus a table on stdout.
Timings never fail the run (shared machines are noisy); each target is reported as met or not.

    .venv/bin/python bench/run.py [--only search,import,pages,...] [--reps 60] [--quick]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

import insights as insights_bench  # noqa: E402 (bench/insights.py, beside this file)
import matching as matching_bench  # noqa: E402 (bench/matching.py, beside this file)
import projects as projects_bench  # noqa: E402 (bench/projects.py, beside this file)
import quality as quality_bench  # noqa: E402 (bench/quality.py, beside this file)
from timing import client_environment, stats, timed  # noqa: E402 (bench/timing.py)

GENERATOR_VERSION = "4"  # bump when helix.core.synthetic changes the data it makes
SEED = 20201
TARGETS = {
    "search_p95_ms": 100.0,
    "search_speedup_vs_scan": 50.0,
    "import_seconds": 20.0,
    "import_vs_raw_parse": 10.0,
    "import_peak_mb": 1024.0,
    "list_p95_ms": 150.0,
    "detail_p95_ms": 50.0,
}

# Search words: names (brands, surnames, places), description words in Dutch and English,
# multi-word queries and typos. Varied so that caches do not flatter one query.
SEARCH_QUERIES = [
    "mobiliteit", "mobility", "energie", "energy transition", "sensoren", "sensors", "luchtkwaliteit",
    "air quality", "laadpalen", "charging stations", "digitale tweeling", "digital twin", "Peeters",
    "Janssens", "Van den Broeck", "Gent", "Antwerpen", "Hasselt", "Kortrijk", "Leuven", "smart city",
    "slimme verlichting", "street lighting", "parkeren", "parking", "afval", "waste", "water", "zorg",
    "health care", "drones", "robots", "open data", "data platform", "glasvezel", "5G", "warmtenet",
    "zonnepanelen", "solar panels", "waterstof", "hydrogen", "klimaat", "circulaire economie",
    "Kenniscentrum", "Agentschap", "Intercommunale", "cluster", "living labs", "proeftuinen",
    "Oproep Slimme Mobiliteit", "Horizon", "subsidie", "grant", "mobilty", "enrgie", "sensorren",
    "Peters", "Antwerpn", "ziekenhuizen", "hospitals", "netbeheerders", "cyber security", "telezorg",
]  # fmt: skip


# --- helpers -------------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def admin_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def database_exists(url: str, name: str) -> bool:
    with admin_connect(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def create_database(url: str, name: str, template: str | None = None) -> None:
    from psycopg import sql

    with admin_connect(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    from psycopg import sql

    with admin_connect(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def machine_facts() -> dict[str, Any]:
    from django.db import connection

    facts: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        facts["cpu_model"] = model.group(1).strip() if model else None
        meminfo = Path("/proc/meminfo").read_text()
        total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
        facts["memory_gb"] = round(int(total.group(1)) / 1024 / 1024, 1) if total else None
        facts["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    import django

    facts["django"] = django.get_version()
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        facts["postgres"] = cur.fetchone()[0]
    return facts


# --- data ----------------------------------------------------------------------------------


def bench_meta() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        cur.execute("SELECT key, value FROM bench_meta")
        return dict(cur.fetchall())


def prepare_data(url: str, name: str, orgs: int, instruments: int, solutions: int, challenges: int) -> dict[str, Any]:
    """Migrate, load reference data and generate the synthetic data unless it is there already."""
    import django
    from django.core.management import call_command
    from django.db import connection, connections

    want = {
        "generator": GENERATOR_VERSION,
        "seed": str(SEED),
        "orgs": str(orgs),
        "instruments": str(instruments),
        "solutions": str(solutions),
        "challenges": str(challenges),
    }
    if not database_exists(url, name):
        create_database(url, name)
    os.environ["DATABASE_URL"] = with_database(url, name)
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if bench_meta() != want:
        print(f"Preparing {name}: {orgs} organisations, {instruments} instruments (once; reused by later runs) ...")
        connections.close_all()
        create_database(url, name)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_reference", verbosity=0)
        from helix.core import synthetic
        from helix.core.synthetic_market import generate_market

        result = synthetic.generate(organisations=orgs, instruments=instruments, seed=SEED)
        started = time.perf_counter()
        generate_market(solutions=solutions, challenges=challenges, seed=SEED)
        print(f"  generated in {result.seconds + time.perf_counter() - started:.1f} s")
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
            bench_meta()
            cur.executemany("INSERT INTO bench_meta VALUES (%s, %s)", list(want.items()))
        generated_seconds: float | None = round(result.seconds, 1)
    else:
        generated_seconds = None
    from helix.core import synthetic

    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('actors_organisation')),"
            " pg_size_pretty(pg_total_relation_size('instruments_instrument')), pg_size_pretty(pg_database_size(%s))",
            [name],
        )
        org_size, ins_size, db_size = cur.fetchone()
    return {
        **synthetic.synthetic_counts(),
        "generator_version": GENERATOR_VERSION,
        "seed": SEED,
        "generated_seconds": generated_seconds,
        "organisation_table_size": org_size,
        "instrument_table_size": ins_size,
        "database_size": db_size,
    }


def setup_for_projects(url: str) -> dict[str, Any]:
    """Django on the projects benchmark's own database (for machine facts), when only that runs."""
    import django

    name = projects_bench.DATABASE
    if not database_exists(url, name):
        create_database(url, name)
    os.environ["DATABASE_URL"] = with_database(url, name)
    django.setup()
    return {"database": name, "see": "projects.data"}


# --- a. search -----------------------------------------------------------------------------


def naive_scan(model: Any, name_field: str, text: str) -> list[Any]:
    """What search looks like without an index: every word ILIKE'd over name and descriptions,
    name matches first, top 20. It must read every row."""
    from django.db.models import Case, IntegerField, Q, Value, When

    cond = Q()
    name_hit = Q()
    for word in text.split():
        cond &= Q(**{f"{name_field}__icontains": word}) | Q(description_nl__icontains=word) | Q(description_en__icontains=word)
        name_hit &= Q(**{f"{name_field}__icontains": word})
    return list(
        model.objects.live()
        .filter(cond)
        .annotate(name_hit=Case(When(name_hit, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-name_hit", name_field, "pk")[:20]
    )


def sql_floor(queries: list[str]) -> list[float]:
    """Seconds per query of the ranked statements alone: SQL compiled beforehand, executed on
    Django's open connection, ids fetched; no ORM work. What PostgreSQL itself needs."""
    from django.db import connection

    from helix.actors.models import Organisation
    from helix.core.search import ranked_search
    from helix.instruments.models import Instrument

    def compiled(model: Any, field: str, q: str) -> tuple[str, Any]:
        qs = ranked_search(model.objects.live(), q, field).values_list("pk", flat=True)[:20]
        return qs.query.get_compiler(using=qs.db).as_sql()

    statements = [(compiled(Organisation, "name", q), compiled(Instrument, "title", q)) for q in queries]
    out = []
    with connection.cursor() as cur:
        for pair in statements:
            started = time.perf_counter()
            for sql, params in pair:
                cur.execute(sql, params)
                cur.fetchall()
            out.append(time.perf_counter() - started)
    return out


def bench_search(reps: int) -> dict[str, Any]:
    from helix.actors.models import Organisation
    from helix.core.search import ranked_search
    from helix.instruments.models import Instrument

    queries = [SEARCH_QUERIES[i % len(SEARCH_QUERIES)] for i in range(max(reps, len(SEARCH_QUERIES)))]

    def ranked(model: Any, field: str, q: str) -> Callable[[], Any]:
        return lambda: list(ranked_search(model.objects.live(), q, field)[:20])

    for q in queries[:5]:  # warm-up
        ranked(Organisation, "name", q)()
    org_s, ins_s, both_s, hits = [], [], [], {}
    for q in queries:
        a = timed(ranked(Organisation, "name", q))
        b = timed(ranked(Instrument, "title", q))
        org_s.append(a)
        ins_s.append(b)
        both_s.append(a + b)
    for q in ("mobiliteit", "Peeters", "mobilty"):
        hits[q] = [o.name for o in ranked_search(Organisation.objects.live(), q, "name")[:3]]
    floor_s = sql_floor(queries)
    scan_s = []
    for q in queries[: max(20, reps // 3)]:  # the scan is slow; fewer repetitions suffice
        scan_s.append(timed(lambda q=q: (naive_scan(Organisation, "name", q), naive_scan(Instrument, "title", q))))
    ranked_stats, scan_stats, floor_stats = stats(both_s), stats(scan_s), stats(floor_s)
    speedup_mean = scan_stats["mean_ms"] / max(ranked_stats["mean_ms"], 0.001)
    speedup_p50 = scan_stats["p50_ms"] / max(ranked_stats["p50_ms"], 0.001)
    return {
        "what": "ranked_search top 20 on Organisation + top 20 on Instrument (as the search page), per query",
        "queries": len(queries),
        "ranked_both": ranked_stats,
        "ranked_organisations": stats(org_s),
        "ranked_instruments": stats(ins_s),
        "naive_ilike_scan_both": scan_stats,
        "sql_floor_both": floor_stats,
        "sql_floor_note": "the same two ranked statements, compiled beforehand, executed over the open connection and "
        "their 20 ids fetched: PostgreSQL's share alone, without Django; the ILIKE scan mean / this mean is the "
        "highest speed-up these statements can reach on this machine",
        "speedup_ceiling_mean": round(scan_stats["mean_ms"] / max(floor_stats["mean_ms"], 0.001), 1),
        "speedup_mean": round(speedup_mean, 1),
        "speedup_p50": round(speedup_p50, 1),
        "sample_top_hits": hits,
        "targets": {
            "p95_ms<=100": ranked_stats["p95_ms"] <= TARGETS["search_p95_ms"],
            "speedup>=50x": speedup_mean >= TARGETS["search_speedup_vs_scan"],
        },
    }


# --- b. import -----------------------------------------------------------------------------

ACTOR_SHEETS = [("Bedrijven", 0.8), ("Academische instellingen", 0.05), ("Intermediaire organisaties", 0.1)]
ACTOR_SHEETS.append(("Openbare diensten", 1 - sum(share for _, share in ACTOR_SHEETS)))
NACE = [("J", "Informatie en communicatie"), ("M", "Vrije beroepen en wetenschappelijke activiteiten"), ("C", "Industrie")]


def write_workbook(path: Path, rows: int) -> None:
    """A workbook in the study's actor layout: one sheet per actor group, a title row above the
    header, Dutch headers. Names are unique and labelled as synthetic."""
    from openpyxl import Workbook

    from helix.core.synthetic import SYNTHETIC_SOURCE, _Words

    rng = random.Random(SEED)
    words = _Words(rng)
    wb = Workbook()
    wb.remove(wb.active)
    n = 0
    for sheet_name, share in ACTOR_SHEETS:
        ws = wb.create_sheet(sheet_name)
        ws.append([f"Inventaris actoren — {sheet_name} ({SYNTHETIC_SOURCE})"])
        ws.append(["#", "NAAM", "NACE letter", "NACE label", "OPRICHTINGSJAAR", "SECTOR ANALYSE"])
        for _ in range(round(rows * share)):
            n += 1
            letter, label = rng.choice(NACE)
            ws.append(
                [
                    n,
                    f"Synthetic {words.brand()} {n}",
                    letter,
                    label,
                    rng.randint(1950, 2020),
                    rng.choice(("Mobiliteit", "Energie", "Data")),
                ]
            )
    wb.save(path)


CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
mode, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()
out = ""
if mode == "parse":
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    out = str(rows)
else:
    import io, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helix.settings")
    django.setup()
    from django.core.management import call_command
    buf = io.StringIO()
    args = [path, "--format", "json"] + (["--dry-run"] if mode == "dry-run" else [])
    try:
        call_command("import_inventory", *args, stdout=buf)
    except Exception as error:
        out = "ERROR " + str(error)[:300] + " " + buf.getvalue()[:500]
    else:
        out = buf.getvalue()
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "out": out}}))
"""


def run_child(mode: str, path: Path, database_url: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url}
    proc = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), mode, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["seconds"] = round(result["seconds"], 2)
    result["peak_mb"] = round(result["peak_mb"], 1)
    return result


def bench_import(url: str, bench_db: str, rows: int) -> dict[str, Any]:
    from django.core.management import get_commands
    from django.db import connections

    if "import_inventory" not in get_commands():
        return {"skipped": "pipeline missing (no import_inventory command)"}
    scratch = f"{bench_db}_import"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "actors-10k.xlsx"
        write_workbook(path, rows)
        file_kb = round(path.stat().st_size / 1024)
        # The import writes; it runs in a throwaway copy of the bench database (same 100k rows
        # to match against), dropped afterwards.
        connections.close_all()
        create_database(url, scratch, template=bench_db)
        scratch_url = with_database(url, scratch)
        try:
            parse = [run_child("parse", path, scratch_url) for _ in range(3)]
            dry = run_child("dry-run", path, scratch_url)
            commit = run_child("commit", path, scratch_url)
        finally:
            drop_database(url, scratch)
    result: dict[str, Any] = {
        "what": f"import_inventory of a {rows}-row workbook (study actor layout, 4 sheets) into the 100k database",
        "file_kb": file_kb,
        "raw_parse": parse,
        "dry_run": dry,
        "commit": commit,
    }
    for part in (dry, commit, *parse):
        if "error" in part or str(part.get("out", "")).startswith("ERROR"):
            result["failed"] = True
    if result.get("failed"):
        return result
    summary = json.loads(commit["out"]) if commit["out"].strip().startswith("{") else {}
    result["commit_summary"] = {k: summary.get(k) for k in ("created", "updated", "unchanged")} | {
        "errors": len(summary.get("errors", [])),
    }
    for part in (dry, commit, *parse):
        part.pop("out", None)
    raw = min(p["seconds"] for p in parse)
    result["ratio_commit_vs_raw_parse"] = round(commit["seconds"] / raw, 1)
    result["peak_mb"] = max(dry["peak_mb"], commit["peak_mb"])
    result["targets"] = {
        "seconds<=20": commit["seconds"] <= TARGETS["import_seconds"],
        "ratio<=10x": commit["seconds"] / raw <= TARGETS["import_vs_raw_parse"],
        "peak<1GB": result["peak_mb"] < TARGETS["import_peak_mb"],
    }
    return result


# --- c. pages ------------------------------------------------------------------------------


def deep_tokens(url_name: str, model: Any, count: int) -> list[str]:
    """`after` tokens of rows spread over the second half of the list's default order."""
    from django.urls import resolve, reverse

    from helix.core.listing import encode_token, order_expressions, sort_keys

    view = resolve(reverse(url_name)).func.view_class  # type: ignore[attr-defined]
    order = view.config.sorts[view.config.default_sort]
    keys = sort_keys(model, order)
    qs = model.objects.live().order_by(*order_expressions(keys))
    total = qs.count()
    rng = random.Random(SEED)
    offsets = sorted(rng.randint(total // 2, max(total // 2, total - 100)) for _ in range(count))
    tokens = []
    for offset in offsets:
        row = qs.values(*(k.name for k in keys))[offset]
        tokens.append(encode_token([row[k.name] for k in keys]))
    return tokens


PAGE_BUDGET_S = 45.0
"""Time one page benchmark may take: a page far over its target stops early (n < reps is then
reported with `stopped_early`), so `make bench` stays within ~15 minutes."""


def measure_pages(client: Any, urls: list[str]) -> tuple[dict[str, Any], int | None, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(urls[0])  # warm-up
    samples, statuses = [], set()
    deadline = time.perf_counter() + PAGE_BUDGET_S
    for u in urls:
        started = time.perf_counter()
        response = client.get(u)
        samples.append(time.perf_counter() - started)
        statuses.add(response.status_code)
        if started > deadline:
            break
    with CaptureQueriesContext(connection) as ctx:
        client.get(urls[-1])
    bad = sorted(s for s in statuses if s != 200)
    result: dict[str, Any] = stats(samples)
    if len(samples) < len(urls):
        result["stopped_early"] = f"{len(samples)} of {len(urls)} requests within {PAGE_BUDGET_S:.0f} s"
    return result, len(ctx.captured_queries), bad[0] if bad else 200


def bench_pages(reps: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from helix.actors.models import Organisation, Province
    from helix.instruments.models import Instrument

    client_environment()
    client = Client()
    rng = random.Random(SEED)
    out: dict[str, Any] = {}
    provinces = list(Province.objects.values_list("refnis", flat=True)) or [""]
    lists = {
        "organisations": ("actors:organisation-list", Organisation, ["kind=company", "kind=intermediary", "status=active"]),
        "instruments": ("instruments:instrument-list", Instrument, ["policy_level=flemish", "kind=financial", "status=open"]),
    }
    for label, (url_name, model, filters) in lists.items():
        try:
            base = reverse(url_name)
        except NoReverseMatch:
            out[f"{label}_list"] = {"skipped": f"URL {url_name} does not exist yet"}
            continue
        entries: dict[str, Any] = {}
        first = [base if i % 2 else f"{base}?size=50" for i in range(reps)]
        entries["first_page"] = first
        try:
            entries["deep_page"] = [f"{base}?after={t}" for t in deep_tokens(url_name, model, reps)]
        except Exception as error:  # the listing internals may change; report, do not crash
            out[f"{label}_deep_page_error"] = repr(error)
        extra = [f"&province={p}" for p in provinces] if label == "organisations" else [""]
        entries["filtered"] = [f"{base}?{rng.choice(filters)}{rng.choice(extra)}" for _ in range(reps)]
        entries["searched"] = [f"{base}?q={rng.choice(SEARCH_QUERIES)}" for _ in range(reps)]  # the list's own search
        for name, urls in entries.items():
            st, queries, status = measure_pages(client, urls)
            out[f"{label}_list_{name}"] = {
                **st,
                "sql_queries": queries,
                "status": status,
                "target_met": st["p95_ms"] <= TARGETS["list_p95_ms"],
            }
    details = {
        "organisation_detail": ("actors:organisation-detail", Organisation),
        "instrument_detail": ("instruments:instrument-detail", Instrument),
    }
    for label, (url_name, model) in details.items():
        try:
            reverse(url_name, kwargs={"slug": "x"})
        except NoReverseMatch:
            out[label] = {"skipped": f"URL {url_name} does not exist yet"}
            continue
        qs = model.objects.live().filter(slug__startswith="synthetic-")
        if model is Organisation:
            qs = qs.exclude(kind="municipality")
        ids = list(qs.values_list("slug", flat=True)[:5000])
        urls = [reverse(url_name, kwargs={"slug": s}) for s in rng.sample(ids, min(reps, len(ids)))]
        st, queries, status = measure_pages(client, urls)
        out[label] = {**st, "sql_queries": queries, "status": status, "target_met": st["p95_ms"] <= TARGETS["detail_p95_ms"]}
    return out


# --- report --------------------------------------------------------------------------------


def table(results: dict[str, Any]) -> str:
    lines = [f"{'benchmark':44} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9} {'SQL':>5}  target"]

    def row(name: str, st: dict[str, Any], target: Any = "") -> None:
        lines.append(
            f"{name:44} {st.get('p50_ms', ''):>9} {st.get('p95_ms', ''):>9} {st.get('mean_ms', ''):>9} "
            f"{st.get('sql_queries', ''):>5}  {target}"
        )

    search = results.get("search", {})
    if "ranked_both" in search:
        row(
            "search: ranked (orgs + instruments)", search["ranked_both"], "met" if search["targets"]["p95_ms<=100"] else "NOT met"
        )
        row("search: ranked organisations", search["ranked_organisations"])
        row("search: ranked instruments", search["ranked_instruments"])
        row("search: naive ILIKE scan (orgs + instruments)", search["naive_ilike_scan_both"])
        row("search: SQL alone, no Django (floor)", search["sql_floor_both"])
        met = "met" if search["targets"]["speedup>=50x"] else "NOT met"
        lines.append(f"{'search: speed-up vs scan (mean / p50)':44} {search['speedup_mean']}x / {search['speedup_p50']}x  {met}")
        lines.append(f"{'search: ceiling, scan / SQL floor (mean)':44} {search['speedup_ceiling_mean']}x")
    imp = results.get("import", {})
    if "skipped" in imp or imp.get("failed"):
        lines.append(f"{'import':44} {imp.get('skipped') or 'FAILED (see JSON)'}")
    elif imp:
        targets = ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in imp["targets"].items())
        lines.append(
            f"{'import: commit / dry-run / raw parse (s)':44} {imp['commit']['seconds']} / {imp['dry_run']['seconds']} / "
            f"{min(p['seconds'] for p in imp['raw_parse'])}; ratio {imp['ratio_commit_vs_raw_parse']}x; "
            f"peak {imp['peak_mb']} MB  {targets}"
        )
    for name, st in results.get("pages", {}).items():
        if isinstance(st, dict) and "skipped" in st:
            lines.append(f"{'page: ' + name:44} skipped: {st['skipped']}")
        elif isinstance(st, dict):
            row(f"page: {name}", st, "met" if st.get("target_met") else "NOT met")
    for label, st, target in matching_bench.rows(results):
        row(label, st, target)
    for label, st, target in insights_bench.rows(results):
        row(label, st, target)
    for label, st, target in projects_bench.rows(results):
        row(label, st, target)
    lines.extend(quality_bench.rows(results))
    hv = results.get("harvest")
    if hv and "error" not in hv:
        lines.append(
            f"{'harvest (datasets/s): run / parse alone':44} {hv['first_run_datasets_per_s']} / "
            f"{hv['parse_alone_datasets_per_s']}; peak {hv.get('peak_rss_mb')} MB; unchanged re-run "
            f"{hv.get('unchanged_ratio')} of the first  ({hv['datasets']} synthetic)"
        )
    elif hv:
        lines.append(f"{'harvest':44} failed: {hv['error']}")
    return "\n".join(lines)


def bench_harvest(url: str, datasets: int) -> dict[str, Any]:
    """bench/harvest.py in a child process on its own database (helix_bench_harvest)."""
    name = "helix_bench_harvest"
    if not database_exists(url, name):
        create_database(url, name)
    env = {**os.environ, "DATABASE_URL": with_database(url, name)}
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, str(Path(__file__).parent / "harvest.py"), "--datasets", str(datasets)],
        env=env,
        capture_output=True,
        text=True,
    )
    latest = RESULTS / "harvest-latest.json"
    if done.returncode != 0 or not latest.exists():
        return {"error": (done.stderr or done.stdout)[-2000:]}
    return json.loads(latest.read_text())


ALL_PARTS = (
    "search", "import", "pages", "funding", "matching", "insights", "quality", "harvest", "projects", "insights-projects",
)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--only",
        default=",".join(ALL_PARTS),
        help="comma-separated, default all: " + ", ".join(ALL_PARTS),
    )
    parser.add_argument("--reps", type=int, default=60, help="repetitions per benchmark (>= 50 for the report)")
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--instruments", type=int, default=10_000)
    parser.add_argument("--solutions", type=int, default=100_000, help="synthetic marketplace solutions")
    parser.add_argument("--challenges", type=int, default=500, help="synthetic open challenges (the matching queries)")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--database", default="helix_bench", help="benchmark database name (default: helix_bench)")
    parser.add_argument("--datasets", type=int, default=100_000, help="synthetic catalogue size for --only harvest")
    parser.add_argument("--scored", type=int, default=200, help="synthetic datasets scored for --only quality")
    parser.add_argument("--projects", type=int, default=1_500_000, help="synthetic projects for --only projects (own database)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helix")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helix.settings")
    started = time.perf_counter()
    only = {part.strip() for part in args.only.split(",")}
    if only <= {"projects", "harvest", "insights-projects"}:  # their own databases: helix_bench is neither needed nor touched
        data = setup_for_projects(url)
    else:
        data = prepare_data(url, args.database, args.orgs, args.instruments, args.solutions, args.challenges)
    results: dict[str, Any] = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine_facts(),
        "data": data,
        "targets": TARGETS,
    }
    if "search" in only:
        print("search ...")
        results["search"] = bench_search(args.reps)
    if "pages" in only:
        print("pages ...")
        results["pages"] = bench_pages(args.reps)
    if "import" in only:
        print("import ...")
        results["import"] = bench_import(url, args.database, args.import_rows)
    if "funding" in only:
        print("funding ...")
        results["funding"] = matching_bench.bench_funding(args.reps, SEED)
    if "matching" in only:
        print("matching ...")
        results["matching"] = matching_bench.bench_matching(args.reps, SEED)
    if "insights" in only:
        print("insights ...")
        results["insights"] = insights_bench.bench_insights(args.reps)
    if "projects" in only:
        print(f"projects ({args.projects}) ...")
        results["projects"] = projects_bench.bench_projects(url, args.projects, args.reps)
    if "insights-projects" in only:  # after "projects", which prepares its database
        print("insights at 1.5M projects ...")
        results["insights_projects"] = insights_bench.bench_insights_projects(url, args.reps)
    if "quality" in only:
        print("quality ...")
        results["quality"] = quality_bench.bench_quality(args.scored)
    if "harvest" in only:
        print(f"harvest ({args.datasets}) ...")
        results["harvest"] = bench_harvest(url, args.datasets)
    results["seconds"] = round(time.perf_counter() - started, 1)

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = json.dumps(results, indent=2, ensure_ascii=False, default=str)
    (RESULTS / f"{stamp}.json").write_text(text + "\n")
    (RESULTS / "latest.json").write_text(text + "\n")
    print(table(results))
    print(f"\nWrote bench/results/{stamp}.json and bench/results/latest.json ({results['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

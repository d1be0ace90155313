"""Projects at EU cohesion-policy scale (issue 4 §3; `bench/run.py --only projects [--projects N]`).

Runs in a child process against its own database `helix_bench_projects` (1.5M SYNTHETIC projects
are too big to share `helix_bench`), prepared once and reused while the size, seed and generator
version match (`bench_meta`). Measures, side by side with a baseline on the same data:

- search: `ranked_search` top 20 on the live projects (what the project list's `q` uses) and the
  list page `/projecten/?q=` itself, vs a naive ILIKE scan over title and summaries;
- similar projects: `helix.projects.similar_scale` (PostgreSQL candidates re-ranked by the
  engine) vs a brute-force SQL statement scoring every project; plus the build time of the
  adapter's in-memory `ProjectIndex` on a sample (why the scaled path exists);
- bulk load: `generate_synthetic_projects`' rate (COPY with the search trigger, all indexes,
  foreign keys, link tables; measured when the database is prepared) vs a raw COPY of the same
  project rows (dumped from the table) into an unindexed, untriggered copy of the table; plus a
  raw COPY straight from the generator (the Python side's share).

    .venv/bin/python bench/projects.py --child DATABASE_URL N REPS   (run.py does this)
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

GENERATOR_VERSION = "2"  # bump when helix.projects.synthetic changes the data it makes
SEED = 20204
ORGS = 20_000  # synthetic organisations: leads and partners
INSTRUMENTS = 2_000
DATABASE = "helix_bench_projects"
TARGETS = {"search_p95_ms": 100.0, "similar_p95_ms": 200.0, "load_vs_raw_copy": 0.2}
QUERIES = [
    "slim parkeren", "smart parking", "laadpalen", "charging stations", "luchtkwaliteit", "air quality",
    "telezorg", "telecare", "digitale tweeling", "digital twin", "warmtenet", "heat network",
    "deelmobiliteit", "shared mobility", "open data", "afvalinzameling", "waste collection", "living lab",
    "Gent", "Antwerpen", "Hasselt", "Leuven", "proefproject", "pilot", "burgerparticipatie", "digitale inclusie",
    "energiecooperatie", "flood models", "groendaken", "green roofs", "verkeersveiligheid", "road safety",
    "parkeeren", "chargng stations", "innovatiehub", "stadslogistiek", "city logistics", "fietsdata",
]  # fmt: skip


def bench_projects(url: str, count: int, reps: int) -> dict[str, Any]:
    """Run the section in a child process (own database, own Django settings); its JSON."""
    import run  # bench/run.py: database helpers
    from timing import child_json

    name = DATABASE
    if not run.database_exists(url, name):
        run.create_database(url, name)
    env = {**os.environ, "DATABASE_URL": run.with_database(url, name), "DJANGO_SETTINGS_MODULE": "helix.settings"}
    return child_json([str(Path(__file__)), "--child", str(count), str(reps)], env, timeout=6 * 3600)


def rows(results: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """Table rows for run.py's report: (label, stats, target)."""
    out: list[tuple[str, dict[str, Any], str]] = []
    section = results.get("projects")
    if not section or "error" in section:
        return out
    n = section["data"]["projects"]
    met = section["targets"]
    search = section["search"]
    out.append((f"projects ({n}): ranked search top 20", search["ranked"], "met" if met["search_p95"] else "NOT met"))
    if "list_page" in search:
        out.append((f"projects ({n}): list page ?q=", search["list_page"], ""))
    out.append((f"projects ({n}): naive ILIKE scan", search["naive_ilike_scan"], "baseline"))
    similar = section["similar"]
    out.append((f"projects ({n}): similar (scaled path)", similar["scaled"], "met" if met["similar_p95"] else "NOT met"))
    out.append((f"projects ({n}): similar brute-force SQL", similar["brute_force_sql"], "baseline"))
    load = section["bulk_load"]
    out.append(
        (
            f"projects ({n}): bulk load {load['load_rows_per_s']}/s vs raw COPY {load['raw_copy_all_tables_projects_per_s']}/s",
            {"p50_ms": f"{load['ratio']}x"},
            "met" if met["load_vs_raw_copy"] else "NOT met",
        )
    )
    shaped = load["same_rows_into_an_indexed_triggered_table"]
    out.append(
        (
            f"projects ({n}): bulk load vs raw COPY into a shaped table {shaped['rows_per_s']}/s",
            {"p50_ms": f"{load['ratio_vs_shaped_table']}x"},
            "met" if met.get("load_vs_raw_copy_into_shaped_table") else "NOT met",
        )
    )
    return out


# --- child ---------------------------------------------------------------------------------


def _meta() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        cur.execute("SELECT key, value FROM bench_meta")
        return dict(cur.fetchall())


def _prepare(count: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from helix.core import synthetic
    from helix.projects import synthetic as synthetic_projects

    want = {"generator": GENERATOR_VERSION, "seed": str(SEED), "projects": str(count), "orgs": str(ORGS)}
    call_command("migrate", verbosity=0, interactive=False)
    meta = _meta()
    if {k: meta.get(k) for k in want} != want:
        print(f"Preparing {DATABASE}: {count} synthetic projects (once; reused by later runs) ...", file=sys.stderr)
        with connection.cursor() as cur:
            cur.execute("DELETE FROM bench_meta")
        synthetic_projects.purge_projects()
        synthetic.purge()
        from helix.actors.models import Organisation

        if not Organisation.objects.filter(kind="municipality").exists():
            call_command("load_reference", verbosity=0)
        synthetic.generate(organisations=ORGS, instruments=INSTRUMENTS, seed=SEED)
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")

        def progress(done: int, seconds: float) -> None:
            if done % 100_000 < synthetic_projects.CHUNK:
                print(f"  {done} projects, {done / seconds:.0f}/s", file=sys.stderr)

        result = synthetic_projects.generate_projects(count=count, seed=SEED, defer_indexes=True, progress=progress)
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
            loaded = {
                "load_seconds": f"{result.seconds:.2f}",
                "project_rows_seconds": f"{result.project_rows_seconds:.2f}",
                "index_build_seconds": f"{result.index_seconds:.2f}",
                "deferred_indexes": "true",
                "partners": str(result.partners),
                "places": str(result.places),
                "load_average_during_load": json.dumps([round(x, 2) for x in os.getloadavg()]),
            }
            cur.executemany("INSERT INTO bench_meta VALUES (%s, %s)", list({**want, **loaded}.items()))
        meta = _meta()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('projects_project')),"
            " pg_size_pretty(pg_database_size(current_database())),"
            " (SELECT count(*) FROM projects_project_places), (SELECT count(*) FROM projects_project_domains),"
            " (SELECT count(*) FROM projects_projectpartner)"
        )
        table_size, db_size, places, domains, partners = cur.fetchone()
    return {
        "database": DATABASE,
        "projects": synthetic_projects.synthetic_project_count(),
        "synthetic": True,
        "generator_version": GENERATOR_VERSION,
        "seed": SEED,
        "synthetic_organisations": ORGS,
        "project_places": places,
        "project_domains": domains,
        "project_partners": partners,
        "project_table_size": table_size,
        "database_size": db_size,
        "meta": meta,
    }


def _naive_scan(text: str) -> list[Any]:
    from django.db.models import Case, IntegerField, Q, Value, When

    from helix.projects.models import Project

    cond, title_hit = Q(), Q()
    for word in text.split():
        cond &= (
            Q(title__icontains=word) | Q(title_nl__icontains=word) | Q(summary_nl__icontains=word) | Q(summary_en__icontains=word)
        )
        title_hit &= Q(title__icontains=word) | Q(title_nl__icontains=word)
    return list(
        Project.objects.live()
        .filter(cond)
        .annotate(hit=Case(When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField()))
        .order_by("-hit", "title", "pk")[:20]
    )


def _search(reps: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse
    from timing import client_environment, stats, timed

    from helix.core.search import ranked_search
    from helix.projects.models import Project

    queries = [QUERIES[i % len(QUERIES)] for i in range(max(reps, len(QUERIES)))]
    for q in queries[:5]:
        list(ranked_search(Project.objects.live(), q, "title")[:20])
    ranked = [timed(lambda q=q: list(ranked_search(Project.objects.live(), q, "title")[:20])) for q in queries]
    client_environment()
    client = Client()
    base = reverse("projects:project-list")
    client.get(f"{base}?q=warm")
    page, statuses = [], set()
    deadline = time.perf_counter() + 60
    for q in queries:
        started = time.perf_counter()
        statuses.add(client.get(base, {"q": q}).status_code)
        page.append(time.perf_counter() - started)
        if started > deadline:
            break
    scan, deadline = [], time.perf_counter() + 240
    for q in queries[: max(10, reps // 4)]:
        started = time.perf_counter()
        _naive_scan(q)
        scan.append(time.perf_counter() - started)
        if started > deadline:
            break
    r, s = stats(ranked), stats(scan)
    hits = {
        q: [p.display_title for p in ranked_search(Project.objects.live(), q, "title")[:3]]
        for q in ("warmtenet", "chargng stations")
    }
    return {
        "what": "ranked_search top 20 over the live projects (the list's q) vs ILIKE of every word over titles and summaries",
        "ranked": r,
        "list_page": {**stats(page), "status": sorted(statuses)},
        "naive_ilike_scan": s,
        "speedup_p50": round(s["p50_ms"] / max(r["p50_ms"], 0.001), 1),
        "sample_top_hits": hits,
    }


def _similar(reps: int, count: int) -> dict[str, Any]:
    from timing import stats

    from helix.matching.project_similarity import WEIGHTS, project_profiles, project_query
    from helix.projects import similar_scale
    from helix.projects.models import Project

    rng = random.Random(SEED)
    max_id = Project.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    min_id = Project.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    sample = [rng.randint(min_id, max_id) for _ in range(reps * 2)]
    projects = list(Project.objects.live().filter(pk__in=sample).order_by("pk")[:reps])
    rng.shuffle(projects)
    queries = [project_query(p) for p in projects]
    for q in queries[:3]:
        similar_scale.similar_profiles(q)
    scaled, pools, explained = [], [], True
    for q in queries:
        started = time.perf_counter()
        found = similar_scale.similar_profiles(q, limit=10)
        scaled.append(time.perf_counter() - started)
        explained &= all(len(r.explanation) >= 5 for r in found)
        pools.append(len(found))
    started = time.perf_counter()
    project_query(projects[0])
    query_build = time.perf_counter() - started
    brute, deadline = [], time.perf_counter() + 300
    agree = []
    for q in queries[: max(3, min(8, reps // 8))]:
        started = time.perf_counter()
        top = similar_scale.brute_force_sql(q, limit=10)
        brute.append(time.perf_counter() - started)
        scaled_ids = {r.project.id for r in similar_scale.similar_profiles(q, limit=10)}
        agree.append(len(scaled_ids & {pk for pk, _ in top}) / 10)
        if started > deadline:
            break
    # The adapter's in-memory index on a sample: build time and memory (it must hold every project).
    sample_n = min(count, 50_000)
    ids = list(Project.objects.live().order_by("pk").values_list("pk", flat=True)[:sample_n])
    from helix.matching.engine.projects import ProjectIndex

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    profiles = project_profiles(ids)
    index = ProjectIndex(profiles, WEIGHTS)
    build = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    in_memory = []
    for q in queries[:20]:
        started = time.perf_counter()
        index.similar(q, limit=10)
        in_memory.append(time.perf_counter() - started)
    s, b = stats(scaled), stats(brute)
    return {
        "what": "top 10 similar projects elsewhere for a random project: PostgreSQL candidates (title terms in the GIN "
        "index, same-domain proven projects) re-ranked by the engine, vs one SQL statement scoring every project",
        "scaled": s,
        "brute_force_sql": b,
        "speedup_p50": round(b["p50_ms"] / max(s["p50_ms"], 0.001), 1),
        "results_per_query_min": min(pools) if pools else 0,
        "every_result_explained": explained,
        "overlap_at_10_with_brute_force_sql": round(sum(agree) / len(agree), 2) if agree else None,
        "query_profile_ms": round(query_build * 1000, 1),
        "adapter_in_memory_index_sample": {
            "projects": sample_n,
            "build_seconds": round(build, 1),
            "peak_rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
            "extrapolated_build_seconds_at_full_size": round(build * count / max(sample_n, 1), 0),
            "query_on_sample": stats(in_memory) if in_memory else None,
        },
    }


RAW_TABLE = "bench_raw_projects"
LINK_TABLES = (
    "projects_project_places", "projects_project_domains", "projects_project_sdgs", "projects_projectpartner",
    "projects_projectfunding",
)  # fmt: skip


def _bulk_load(meta: dict[str, str]) -> dict[str, Any]:
    """Raw COPY of the same project rows into an unindexed, untriggered copy of the table."""
    from django.db import connection

    from helix.projects import synthetic as synthetic_projects
    from helix.projects.models import Project

    # Every stored column but the derived search vector; the generator's unset columns get the
    # field defaults, as helix.core.synthetic._copy writes them.
    fields = [f for f in Project._meta.concrete_fields if f.column != "search_vector"]
    generated = synthetic_projects.PROJECT_COLUMNS
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields if f.column not in generated]
    names = [*generated, *(f.column for f in fields if f.column not in generated)]
    columns = ", ".join(names)
    label = f"slug LIKE '{synthetic_projects.PROJECT_SLUG}%%'"
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, connection.cursor() as cur:
        path = Path(tmp) / "projects.copy"
        cur.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        # LIKE without INCLUDING INDEXES/CONSTRAINTS: no indexes, no triggers, no foreign keys.
        cur.execute(f"CREATE TABLE {RAW_TABLE} (LIKE projects_project INCLUDING DEFAULTS)")

        with (
            path.open("wb") as dump,
            cur.cursor.copy(f"COPY (SELECT {columns} FROM projects_project WHERE {label} ORDER BY id) TO STDOUT") as copy,
        ):
            for block in copy:
                dump.write(block)
        size_mb = path.stat().st_size / 1024 / 1024
        started = time.perf_counter()
        with path.open("rb") as f, cur.cursor.copy(f"COPY {RAW_TABLE} ({columns}) FROM STDIN") as copy:
            while block := f.read(1 << 20):
                copy.write(block)
        raw_seconds = time.perf_counter() - started
        cur.execute(f"SELECT count(*) FROM {RAW_TABLE}")
        n = cur.fetchone()[0]
        cur.execute(f"TRUNCATE {RAW_TABLE}")
        database_work = _database_work(cur, path, columns)
        # The same rows made by the generator and copied raw: the Python side's share of the load.
        made = synthetic_projects.project_rows(n, seed=SEED)
        started = time.perf_counter()
        with cur.cursor.copy(f"COPY {RAW_TABLE} ({columns}) FROM STDIN") as copy:
            for row in made:
                copy.write_row([*(row[c] for c in generated), *defaults])
        generated_seconds = time.perf_counter() - started
        cur.execute(f"DROP TABLE {RAW_TABLE}")
        # The whole load's rows (projects and their link rows), dumped and copied raw the same way.
        link_rows, link_seconds = 0, 0.0
        for table in LINK_TABLES:
            link_path = Path(tmp) / f"{table}.copy"
            cur.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}_link")
            cur.execute(f"CREATE TABLE {RAW_TABLE}_link (LIKE {table} INCLUDING DEFAULTS)")
            with (
                link_path.open("wb") as dump,
                cur.cursor.copy(
                    f"COPY (SELECT t.* FROM {table} t JOIN projects_project p ON p.id = t.project_id WHERE p.{label}) TO STDOUT"
                ) as copy,
            ):
                for block in copy:
                    dump.write(block)
            started = time.perf_counter()
            with link_path.open("rb") as f, cur.cursor.copy(f"COPY {RAW_TABLE}_link FROM STDIN") as copy:
                while block := f.read(1 << 20):
                    copy.write(block)
            link_seconds += time.perf_counter() - started
            cur.execute(f"SELECT count(*) FROM {RAW_TABLE}_link")
            link_rows += cur.fetchone()[0]
            cur.execute(f"DROP TABLE {RAW_TABLE}_link")
            link_path.unlink()
    load_seconds = float(meta["load_seconds"])
    rows_seconds = float(meta["project_rows_seconds"])
    load_rate = n / load_seconds
    raw_rate = n / raw_seconds
    raw_all_rate = n / (raw_seconds + link_seconds)
    out = {
        "what": "generate_synthetic_projects --defer-indexes (COPY through the search trigger, unique slug and foreign keys "
        "and data-version trigger, the 8 secondary indexes built again at the end and included; places, domains, SDGs, "
        "partners, funding rows; pghistory insert events skipped) vs raw COPY of the same "
        "project rows (dumped from the table) into an unindexed, untriggered copy of projects_project",
        "rows": n,
        "copy_file_mb": round(size_mb, 1),
        "load_seconds": load_seconds,
        "load_rows_per_s": round(load_rate),
        "project_rows_copy_seconds": rows_seconds,
        "deferred_index_build_seconds": float(meta.get("index_build_seconds", 0)),
        "project_rows_copy_rows_per_s": round(n / rows_seconds),
        "raw_copy_seconds": round(raw_seconds, 2),
        "raw_copy_rows_per_s": round(raw_rate),
        "raw_copy_from_generator_seconds": round(generated_seconds, 2),
        "raw_copy_from_generator_rows_per_s": round(n / generated_seconds),
        "link_rows": link_rows,
        "raw_copy_all_tables_seconds": round(raw_seconds + link_seconds, 2),
        "raw_copy_all_tables_projects_per_s": round(raw_all_rate),
        "ratio": round(load_rate / raw_all_rate, 3),
        "ratio_vs_project_rows_raw_copy": round(load_rate / raw_rate, 3),
        "ratio_project_rows_only": round((n / rows_seconds) / raw_rate, 3),
        "load_average_during_load": json.loads(meta.get("load_average_during_load", "null")),
        "same_rows_into_an_indexed_triggered_table": database_work,
        "ratio_vs_shaped_table": round(load_rate / database_work["rows_per_s"], 3),
    }
    return out


DATABASE_WORK_SAMPLE = 100_000


def _database_work(cur: Any, path: Path, columns: str) -> dict[str, Any]:
    """What PostgreSQL itself spends on the same project rows in a table shaped like the real one.

    The first DATABASE_WORK_SAMPLE rows of the dump are copied raw (no Helix code) into a copy
    of projects_project with the same search trigger, primary key and unique slug, then the
    table's 8 secondary indexes are built, as `--defer-indexes` does: a second baseline that
    tells the database's share of the load from the generator's and Helix's.
    """
    table = f"{RAW_TABLE}_shaped"
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute(f"CREATE TABLE {table} (LIKE projects_project INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cur.execute(f"ALTER TABLE {table} ADD PRIMARY KEY (id), ADD UNIQUE (slug)")
    cur.execute(
        f"CREATE TRIGGER {table}_search BEFORE INSERT OR UPDATE ON {table}"
        " FOR EACH ROW EXECUTE FUNCTION projects_project_search_update()"
    )
    cur.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = 'projects_project'::regclass"
        " AND NOT i.indisunique AND NOT i.indisprimary"
    )
    definitions = [
        d.replace("public.projects_project ", f"public.{table} ").replace("INDEX ", f"INDEX {table}_", 1)
        for (d,) in cur.fetchall()
    ]
    lines = []
    with path.open("rb") as f:
        for line in f:
            lines.append(line)
            if len(lines) >= DATABASE_WORK_SAMPLE:
                break
    started = time.perf_counter()
    with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for start in range(0, len(lines), 10_000):
            copy.write(b"".join(lines[start : start + 10_000]))
    copy_seconds = time.perf_counter() - started
    cur.execute("SET maintenance_work_mem = '256MB'")
    started = time.perf_counter()
    for definition in definitions:
        cur.execute(definition)
    index_seconds = time.perf_counter() - started
    cur.execute(f"DROP TABLE {table}")
    n = len(lines)
    return {
        "what": "raw COPY (no Helix code) of the first rows of the same dump into a copy of projects_project with the "
        "same search trigger, primary key and unique slug, then its secondary indexes built: PostgreSQL's own work",
        "rows": n,
        "secondary_indexes": len(definitions),
        "copy_through_trigger_seconds": round(copy_seconds, 2),
        "copy_through_trigger_us_per_row": round(copy_seconds / n * 1e6, 1),
        "index_build_seconds": round(index_seconds, 2),
        "rows_per_s": round(n / (copy_seconds + index_seconds)),
    }


def child(count: int, reps: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    import run

    started = time.perf_counter()
    data = _prepare(count)
    result: dict[str, Any] = {"machine": run.machine_facts(), "data": data, "targets": TARGETS}
    print("  projects: search ...", file=sys.stderr)
    result["search"] = _search(reps)
    print("  projects: similar ...", file=sys.stderr)
    result["similar"] = _similar(reps, count)
    print("  projects: bulk load vs raw COPY ...", file=sys.stderr)
    result["bulk_load"] = _bulk_load(data["meta"])
    result["targets_met"] = result["targets"] = {
        "search_p95": result["search"]["ranked"]["p95_ms"] <= TARGETS["search_p95_ms"],
        "similar_p95": result["similar"]["scaled"]["p95_ms"] <= TARGETS["similar_p95_ms"],
        "load_vs_raw_copy": result["bulk_load"]["ratio"] >= TARGETS["load_vs_raw_copy"],
        # The same target read against a raw COPY into a table shaped like projects_project
        # (its search trigger and indexes): the rows as the registry must store them.
        "load_vs_raw_copy_into_shaped_table": result["bulk_load"]["ratio_vs_shaped_table"] >= TARGETS["load_vs_raw_copy"],
    }
    result["target_values"] = TARGETS
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), int(sys.argv[3])), default=str))
    else:
        sys.exit(__doc__)

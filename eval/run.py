"""`make eval`: ranking quality of the funding finder and the marketplace matcher.

    .venv/bin/python eval/run.py [--out eval/results/latest.json] [--database helix_eval] [--reuse]

Uses its own database: the server of $DATABASE_URL (default postgres://postgres@127.0.0.1:5432)
with the database name `helix_eval`, dropped and created anew (unless --reuse finds it loaded),
migrated, loaded with the reference data and the study, then with the evaluation fixtures
(eval/sets/: municipality size classes, the market's challenges and solutions). It then asks the
system under test through its services (helix.matching.services.find_funding and the matcher's
challenge_matches, organisation_partners, municipality_peers) and scores the answers against the
labels (eval/metrics.py, docs/evaluation.md). A service that does not exist yet is reported as
"not available", not a crash. Prints a table; writes JSON to --out and eval/results/<timestamp>.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import importlib
import json
import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval import metrics  # noqa: E402
from eval.sets import SETS, established, funding_set, market_set, municipality_sizes  # noqa: E402

RESULTS = ROOT / "eval" / "results"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/helix"
MARKER = "eval_meta"
DEPTH = 20  # how many results to ask for: enough for @10 and the exposure window


class NotAvailable(Exception):
    """A part of the system under test does not exist (yet)."""


# --- database ------------------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def admin_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def database_exists(url: str, name: str) -> bool:
    with admin_connect(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def recreate_database(url: str, name: str) -> None:
    from psycopg import sql

    with admin_connect(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def sets_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(SETS.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def loaded_fingerprint() -> str | None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (key text PRIMARY KEY, value text NOT NULL)")
        cur.execute(f"SELECT value FROM {MARKER} WHERE key = 'fixtures'")  # noqa: S608 (constant)
        row = cur.fetchone()
    return row[0] if row else None


def mark_loaded(fingerprint: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (key text PRIMARY KEY, value text NOT NULL)")
        cur.execute(
            f"INSERT INTO {MARKER} (key, value) VALUES ('fixtures', %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",  # noqa: S608
            [fingerprint],
        )


def migrate() -> None:
    """Migrate; then create the tables of an app that has models but no migrations yet (work in
    progress of another part), so that the parts that exist can still be evaluated."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)


def prepare(url: str, name: str, *, reuse: bool) -> dict[str, Any]:
    """A database with the reference data, the study and the evaluation fixtures."""
    import django
    from django.core.management import call_command
    from django.db import connections

    notes: dict[str, Any] = {"database": name}
    fresh = not (reuse and database_exists(url, name))
    if fresh:
        recreate_database(url, name)
    os.environ["DATABASE_URL"] = with_database(url, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helix.settings")
    django.setup()
    started = time.perf_counter()
    migrate()
    if not fresh and loaded_fingerprint() == sets_fingerprint():
        notes["reused"] = True
        return notes
    if not fresh:  # reuse asked, but the fixtures changed: start over
        connections.close_all()
        recreate_database(url, name)
        migrate()
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_study", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    notes["sizes"] = apply_municipality_sizes()
    notes["market_fixtures"] = load_market_fixtures()
    mark_loaded(sets_fingerprint())
    notes["prepare_seconds"] = round(time.perf_counter() - started, 1)
    return notes


def apply_municipality_sizes() -> int:
    """Evaluation fixture: the size classes the registry lacks (eval/sets/municipalities.yaml)."""
    from helix.actors.models import Organisation
    from helix.core.history import Channel, history_context

    n = 0
    with history_context(channel=Channel.COMMAND, command="eval: municipality sizes"):
        for refnis, row in municipality_sizes().items():
            n += (
                Organisation.objects.filter(refnis=refnis)
                .exclude(is_centrumstad=True)
                .update(municipality_size=row["size_class"])
            )
    return n


# --- market fixtures -----------------------------------------------------------------------------


def _terms(scheme: str, codes: list[str]) -> list[Any]:
    from helix.core.models import Term

    found = {t.code: t for t in Term.objects.filter(scheme__slug=scheme, code__in=codes)}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise ValueError(f"unknown {scheme} codes: {missing}")
    return [found[c] for c in codes]


def load_market_fixtures() -> dict[str, Any]:
    """Challenges, solutions and fictitious companies of eval/sets/market.yaml, written through the
    marketplace's services (helix.market.services), as a curator's trusted import would."""
    try:
        market_services = importlib.import_module("helix.market.services")
        create_solution = market_services.create_solution
        create_challenge = market_services.create_challenge
    except (ImportError, AttributeError) as error:
        # TODO(lead): wire to `import_market` once the marketplace has no create_* services.
        return {"status": "not available", "detail": str(error)}
    from django.db import transaction

    from helix.actors.choices import HelixRole, OrganisationKind
    from helix.actors.models import Organisation, Province
    from helix.core.history import Channel, history_context

    market = market_set()
    orgs = organisations_by_key(market)
    by_refnis = {o.refnis: o for o in Organisation.objects.filter(refnis__isnull=False)}
    with history_context(channel=Channel.COMMAND, command="eval: market fixtures"), transaction.atomic():
        for fake in market["fictitious_organisations"]:
            orgs[fake["id"]] = Organisation.objects.create(
                slug=fake["id"],
                name=fake["name"],
                kind=OrganisationKind.COMPANY,
                helix_role=HelixRole.BUSINESS,
                country="BE",
                founded_year=fake["founded"],
                province=Province.objects.get(refnis=fake["province"]),
                notes="Fictitious company of the evaluation set (eval/sets/market.yaml); not product data.",
            )
        for s in market["solutions"]:
            create_solution(
                organisation=orgs[s["organisation"]],
                user=None,
                data={
                    "slug": f"eval-{s['id']}",
                    "title": s["title"],
                    "title_nl": s.get("title_nl", ""),
                    "description_en": s["description_en"],
                    "description_nl": s["description_nl"],
                    "maturity": _terms("phases", [s["maturity"]])[0],
                    "open_standards": s.get("open_standards") or [],
                    "pricing_model": s.get("pricing_model", "unknown"),
                },
                m2m={
                    "domains": _terms("domains", s["domains"]),
                    "value_chain_roles": _terms("value-chain-roles", s["roles"]),
                    "references": [by_refnis[r] for r in s.get("references") or []],
                },
            )
        for c in market["challenges"]:
            owners = [by_refnis[r] for r in c["owners"]]
            create_challenge(
                lead=owners[0],
                co_owners=owners[1:],
                user=None,
                data={
                    "slug": f"eval-{c['id']}",
                    "title": c["title"],
                    "title_nl": c.get("title_nl", ""),
                    "description_en": c["description_en"],
                    "description_nl": c["description_nl"],
                    "phase_sought": _terms("phases", [c["phase"]])[0],
                    "budget_min": c["budget"][0],
                    "budget_max": c["budget"][1],
                    "status": "open",
                },
                m2m={
                    "domains": _terms("domains", c["domains"]),
                    "value_chain_roles_needed": _terms("value-chain-roles", c["roles_needed"]),
                },
            )
    return {
        "status": "loaded",
        "fictitious_organisations": len(market["fictitious_organisations"]),
        "solutions": len(market["solutions"]),
        "challenges": len(market["challenges"]),
    }


def organisations_by_key(market: dict[str, Any]) -> dict[str, Any]:
    """Seed id (or fictitious id) -> Organisation, for every provider the market set names."""
    from helix.actors.models import ExternalIdentifier, Organisation

    wanted = {s["organisation"] for s in market["solutions"]} | {q["organisation"] for q in market["partners"]}
    found = {
        i.value: i.organisation
        for i in ExternalIdentifier.objects.filter(scheme="seed", value__in=wanted).select_related("organisation")
    }
    found |= {o.slug: o for o in Organisation.objects.filter(slug__in=wanted - set(found))}
    return found


def key_of(obj: Any) -> str:
    """The set's key of a ranked object: solution fixture id, REFNIS, seed id or fictitious id."""
    slug = getattr(obj, "slug", "") or ""
    if type(obj).__name__ == "Solution":
        return slug.removeprefix("eval-")
    if getattr(obj, "refnis", None):
        return str(obj.refnis)
    seed = next((i.value for i in obj.identifiers.all() if i.scheme == "seed"), None)
    return seed or slug


# --- system under test ---------------------------------------------------------------------------


def sut_function(name: str) -> Callable[..., Any]:
    """A function of the matching module by name: helix.matching.services first, then .market."""
    for module_name in ("helix.matching.services", "helix.matching.market"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        if hasattr(module, name):
            return getattr(module, name)  # type: ignore[no-any-return]
    raise NotAvailable(f"{name} is not in helix.matching.services or helix.matching.market")


def engine_weights() -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        weights = sut_function("current_weights")()
        out["market"] = dataclasses.asdict(weights) if dataclasses.is_dataclass(weights) else repr(weights)
    except Exception as error:  # report, never crash
        out["market"] = f"not available ({error})"
    try:
        from helix.matching.engine import funding as funding_engine  # type: ignore[attr-defined]

        found = {k: v for k, v in vars(funding_engine).items() if k.isupper() and isinstance(v, int | float | dict)}
        out["funding"] = found or "no module-level weights"
    except Exception as error:
        out["funding"] = f"not available ({error})"
    return out


class _FixedApplicant:
    """An applicant the registry cannot name (a province-level body): built from its areas."""

    def __init__(self, applicant: Any) -> None:
        self._applicant = applicant

    def applicant(self) -> Any:
        return self._applicant


def applicant_choices(entries: list[dict[str, Any]]) -> list[Any]:
    from helix.matching.engine.types import Applicant

    services = importlib.import_module("helix.matching.services")
    choices = []
    for e in entries:
        if "province" in e:
            from helix.actors.models import Province

            province = Province.objects.select_related("region").get(refnis=e["province"])
            areas = {province.refnis, province.region.refnis, "be", *e.get("areas", [])}
            choices.append(_FixedApplicant(Applicant(applicant_types=frozenset({e["applicant_type"]}), areas=frozenset(areas))))
            continue
        municipality = services.find_municipality(e["municipality"]) if "municipality" in e else None
        organisation = services.find_organisation(e["organisation"]) if "organisation" in e else None
        choices.append(
            services.ApplicantChoice(organisation=organisation, municipality=municipality, applicant_type=e.get("applicant_type"))
        )
    return choices


def evaluate_funding() -> dict[str, Any]:
    find_funding = sut_function("find_funding")
    data = funding_set()
    per_query: list[dict[str, Any]] = []
    ndcgs: list[float | None] = []
    p5s: list[float] = []
    ideal_p5s: list[float] = []
    nulls: list[dict[str, Any]] = []
    false_rejections: list[dict[str, Any]] = []
    eligible_verdicts = eligible_on_relevant = 0
    for q in data["queries"]:
        kwargs = {
            "applicants": applicant_choices(q["applicants"]),
            "domains": q["domains"],
            "phase": q["phase"],
            "budget": q["budget"],
            "text": q["text"],
            "today": q["today"],
        }
        row: dict[str, Any] = {"id": q["id"]}
        try:
            shown = find_funding(**kwargs, limit=DEPTH).results
            everything = find_funding(**kwargs, include_ineligible=True, limit=200).results
        except Exception as error:  # a refused query scores as an empty answer
            row["error"] = f"{type(error).__name__}: {error}"
            shown = everything = []
        ranking = [r.slug for r in shown]
        verdicts = {r.slug: r.verdict for r in everything}
        labels = q["labels"]
        row["top5"] = ranking[:5]
        if q["expect_nothing"]:
            eligible = sorted(slug for slug, v in verdicts.items() if v == "eligible")
            row.update({"expect_nothing": True, "eligible": eligible, "passed": not eligible})
            nulls.append(row)
        else:
            n = metrics.ndcg_at_k(ranking, labels, 10)
            p5 = metrics.precision_at_k(ranking, labels, 5)
            ndcgs.append(n)
            p5s.append(p5)
            ideal_p5s.append(metrics.ideal_precision_at_k(labels, 5))
            row.update({"ndcg@10": _r(n), "p@5": _r(p5)})
            for slug, grade in labels.items():
                if grade >= metrics.RELEVANT and verdicts.get(slug) == "not_eligible":
                    false_rejections.append({"query": q["id"], "instrument": slug, "grade": grade})
            for slug, verdict in verdicts.items():
                if verdict == "eligible":
                    eligible_verdicts += 1
                    eligible_on_relevant += labels.get(slug, 0) >= metrics.RELEVANT
        per_query.append(row)
    return {
        "status": "ok",
        "queries": len(data["queries"]),
        "answerable": len(p5s),
        "ndcg@10": _r(metrics.mean_or_none(ndcgs)),
        "p@5": _r(metrics.mean_or_none(p5s)),
        "ideal_p@5": _r(metrics.mean_or_none(ideal_p5s)),
        "nothing_fits": {
            "queries": len(nulls),
            "passing": sum(1 for r in nulls if r["passed"]),
            "passed": all(r["passed"] for r in nulls),
            "rule": "no instrument gets the verdict 'eligible' (every label < 2)",
        },
        "diagnostics": {
            "relevant_ruled_out": false_rejections,
            "eligible_verdicts": eligible_verdicts,
            "eligible_verdicts_on_relevant": eligible_on_relevant,
        },
        "errors": [r for r in per_query if "error" in r],
        "per_query": per_query,
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_ranked(
    name: str,
    queries: list[dict[str, Any]],
    ask: Callable[[dict[str, Any]], list[Any]],
    labels_of: Callable[[dict[str, Any]], dict[str, int]],
    newcomers_of: Callable[[dict[str, Any]], frozenset[str]] | None = None,
) -> dict[str, Any]:
    per_query: list[dict[str, Any]] = []
    ndcgs: list[float | None] = []
    p5s: list[float] = []
    ideal: list[float] = []
    null_tops: list[float | None] = []
    answer_tops: list[float | None] = []
    exposure_queries: list[metrics.ExposureQuery] = []
    for q in queries:
        row: dict[str, Any] = {"id": q["id"]}
        try:
            ranked = ask(q)
        except NotAvailable:
            raise
        except Exception as error:  # a refused query scores as an empty answer
            if not per_query and q is queries[0]:
                raise  # the very first query fails: the service itself is broken, report that
            row["error"] = f"{type(error).__name__}: {error}"
            ranked = []
        ranking = [key_of(r.object) for r in ranked]
        top = float(ranked[0].score) if ranked else None
        labels = labels_of(q)
        row.update({"top5": ranking[:5], "top_score": _r(top)})
        if q["expect_nothing"]:
            null_tops.append(top)
            row["expect_nothing"] = True
        else:
            answer_tops.append(top)
            n, p5 = metrics.ndcg_at_k(ranking, labels, 10), metrics.precision_at_k(ranking, labels, 5)
            ndcgs.append(n)
            p5s.append(p5)
            ideal.append(metrics.ideal_precision_at_k(labels, 5))
            row.update({"ndcg@10": _r(n), "p@5": _r(p5)})
            if newcomers_of is not None:
                exposure_queries.append(metrics.ExposureQuery(q["id"], ranking, labels, newcomers_of(q)))
        per_query.append(row)
    result: dict[str, Any] = {
        "status": "ok",
        "queries": len(queries),
        "answerable": len(p5s),
        "ndcg@10": _r(metrics.mean_or_none(ndcgs)),
        "p@5": _r(metrics.mean_or_none(p5s)),
        "ideal_p@5": _r(metrics.mean_or_none(ideal)),
        "nothing_fits": metrics.null_separation(null_tops, answer_tops),
        "errors": [r for r in per_query if "error" in r],
        "per_query": per_query,
    }
    if newcomers_of is not None:
        check = metrics.exposure_check(exposure_queries)
        result["exposure"] = {k: (_r(v) if isinstance(v, float) else v) for k, v in dataclasses.asdict(check).items()}
    return result


def evaluate_market() -> dict[str, dict[str, Any]]:
    from helix.actors.models import Organisation
    from helix.market.models import Challenge

    market = market_set()
    est_solutions, est_orgs = established(market)
    solution_ids = {s["id"] for s in market["solutions"]}
    org_keys = {s["organisation"] for s in market["solutions"]}
    new_solutions = frozenset(solution_ids - est_solutions)
    new_orgs = frozenset(org_keys - est_orgs)
    orgs = organisations_by_key(market)
    challenges = {c.slug: c for c in Challenge.objects.filter(slug__startswith="eval-")}
    out: dict[str, dict[str, Any]] = {}

    def run(name: str, fn: Callable[[], dict[str, Any]]) -> None:
        try:
            out[name] = fn()
        except NotAvailable as error:
            out[name] = {"status": "not available", "detail": str(error)}
        except Exception as error:  # one broken part must not hide the others
            out[name] = {"status": "error", "detail": f"{type(error).__name__}: {error}", "trace": traceback.format_exc(limit=4)}

    def challenge(q: dict[str, Any]) -> Any:
        if f"eval-{q['id']}" not in challenges:
            raise NotAvailable("the market fixtures are not loaded (see market_fixtures)")
        return challenges[f"eval-{q['id']}"]

    def challenge_to(kind: str) -> dict[str, Any]:
        fn = sut_function("challenge_matches")
        return score_ranked(
            f"challenge_to_{kind}",
            market["challenges"],
            lambda q: list(fn(challenge(q), type=kind, limit=DEPTH)),
            lambda q: q["labels"]["solutions" if kind == "solution" else "organisations"],
            lambda q: new_solutions if kind == "solution" else new_orgs,
        )

    def partners() -> dict[str, Any]:
        fn = sut_function("organisation_partners")
        return score_ranked(
            "company_to_partner",
            market["partners"],
            lambda q: list(fn(orgs[q["organisation"]], limit=DEPTH)),
            lambda q: q["labels"],
        )

    def peers() -> dict[str, Any]:
        fn = sut_function("municipality_peers")
        by_refnis = {o.refnis: o for o in Organisation.objects.filter(refnis__in=[q["municipality"] for q in market["peers"]])}
        return score_ranked(
            "municipality_to_peer",
            market["peers"],
            lambda q: list(fn(by_refnis[q["municipality"]], limit=DEPTH)),
            lambda q: q["labels"],
        )

    run("challenge_to_solution", lambda: challenge_to("solution"))
    run("challenge_to_organisation", lambda: challenge_to("organisation"))
    run("company_to_partner", partners)
    run("municipality_to_peer", peers)
    return out


# --- report --------------------------------------------------------------------------------------


def git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603, S607

    return {
        "commit": git("rev-parse", "HEAD") or None,
        "dirty": bool(git("status", "--porcelain", "--", "helix", "eval", "data")),
    }


def fmt(value: Any) -> str:
    return "—" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


def table(report: dict[str, Any]) -> str:
    lines = [f"{'query type':<27} {'queries':>7} {'nDCG@10':>8} {'P@5':>6} {'ideal P@5':>9}  nothing fits / exposure"]
    for name, r in report["query_types"].items():
        if r.get("status") != "ok":
            lines.append(f"{name:<27} {r.get('status')}: {str(r.get('detail', ''))[:90]}")
            continue
        nf = r["nothing_fits"]
        extra = f"null {nf.get('passing')}/{nf.get('queries')}"
        if "exposure" in r:
            e = r["exposure"]
            verdict = {True: "pass", False: "FAIL", None: "n/a"}[e["passed"]]
            extra += (
                f"; exposure {fmt(e['ratio'])} >= {e['threshold']}: {verdict}"
                f" (ideal {fmt(e['ideal_ratio'])}, merit-adjusted {fmt(e['merit_adjusted_ratio'])})"
            )
        lines.append(
            f"{name:<27} {r['answerable']:>3}+{r['queries'] - r['answerable']:<3} {fmt(r['ndcg@10']):>8} {fmt(r['p@5']):>6} "
            f"{fmt(r['ideal_p@5']):>9}  {extra}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(RESULTS / "latest.json"), help="JSON report (default eval/results/latest.json)")
    parser.add_argument("--database", default="helix_eval", help="evaluation database name (default helix_eval)")
    parser.add_argument("--reuse", action="store_true", help="keep the evaluation database when its fixtures are current")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    started = datetime.datetime.now(datetime.UTC)
    report: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "git": git_commit(),
        "sets_sha256": sets_fingerprint(),
        "labels_frozen_before_tuning": True,
    }
    report["setup"] = prepare(url, args.database, reuse=args.reuse)
    report["weights"] = engine_weights()
    query_types: dict[str, Any] = {}
    try:
        query_types["funding_finder"] = evaluate_funding()
    except NotAvailable as error:
        query_types["funding_finder"] = {"status": "not available", "detail": str(error)}
    except Exception as error:
        query_types["funding_finder"] = {
            "status": "error",
            "detail": f"{type(error).__name__}: {error}",
            "trace": traceback.format_exc(limit=4),
        }
    query_types.update(evaluate_market())
    report["query_types"] = query_types
    report["seconds"] = round((datetime.datetime.now(datetime.UTC) - started).total_seconds(), 1)
    print(table(report))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, ensure_ascii=False, default=str)
    out.write_text(text + "\n", encoding="utf-8")
    written = [str(out)]
    if out.resolve().parent == RESULTS.resolve():  # keep a dated copy beside latest.json
        stamped = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
        stamped.write_text(text + "\n", encoding="utf-8")
        written.append(str(stamped.relative_to(ROOT)))
    print("\nJSON: " + ", ".join(written))
    broken = [n for n, r in query_types.items() if r.get("status") == "error"]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

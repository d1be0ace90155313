"""SQL query budgets of the pages: a count may not grow beyond its baseline in
tests/query_budgets.json, and a list page costs the same number of queries for 10 and 50 rows
(no per-row queries).

After an intended change (a new panel on a page, a fixed N+1), rewrite the baseline with

    HELIX_UPDATE_QUERY_BUDGETS=1 .venv/bin/python -m pytest tests/test_query_budgets.py

and commit the JSON diff. Pages whose URL does not exist (yet) are skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from helix.actors.models import Organisation, Province, Region
from tests.factories import (
    ChallengeFactory,
    InstrumentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SchemeFactory,
    SolutionFactory,
    TermFactory,
)

BUDGETS = Path(__file__).with_name("query_budgets.json")
UPDATE = os.environ.get("HELIX_UPDATE_QUERY_BUDGETS") == "1"
ROWS = 60  # more than the largest page size measured, so every page is full

# key -> (URL name, slug of the object for detail pages or None, query string)
PAGES: dict[str, tuple[str, str | None, str]] = {
    "home": ("home", None, ""),
    "organisation-list-10": ("actors:organisation-list", None, "size=10"),
    "organisation-list-50": ("actors:organisation-list", None, "size=50"),
    "municipality-list-10": ("actors:municipality-list", None, "size=10"),
    "municipality-list-50": ("actors:municipality-list", None, "size=50"),
    "instrument-list-10": ("instruments:instrument-list", None, "size=10"),
    "instrument-list-50": ("instruments:instrument-list", None, "size=50"),
    "organisation-detail": ("actors:organisation-detail", "budget-org-0", ""),
    "municipality-detail": ("actors:municipality-detail", "budget-city-0", ""),
    "instrument-detail": ("instruments:instrument-detail", "budget-ins-1", ""),
    "challenge-list-10": ("market:challenge-list", None, "size=10"),
    "challenge-list-50": ("market:challenge-list", None, "size=50"),
    "solution-list-10": ("market:solution-list", None, "size=10"),
    "solution-list-50": ("market:solution-list", None, "size=50"),
    "challenge-detail": ("market:challenge-detail", "budget-chl-1", ""),
    "solution-detail": ("market:solution-detail", "budget-sol-1", ""),
    # The matches of a challenge: solutions, organisations, peers, carriers and funding in one page.
    "challenge-matches": ("matching:challenge-matches", "budget-chl-1", ""),
    "organisation-matches": ("matching:organisation-matches", "budget-org-1", ""),
    "funding-finder": ("matching:funding-finder", None, "organisation=budget-org-1&domains=budget-domain-0&phase="),
}


@pytest.fixture
def populated(db):
    """Enough related data that a per-row query would show: terms, provinces, memberships,
    parents and children, instruments offered."""
    region = Region.objects.create(refnis="02000", name_nl="Vlaams Gewest")
    province = Province.objects.create(refnis="40000", name_nl="Provincie Oost-Vlaanderen", region=region)
    domains = [TermFactory(scheme=SchemeFactory(slug="domains"), code=f"budget-domain-{i}") for i in range(3)]
    network = OrganisationFactory(slug="budget-network", name="Budget Network", kind="intermediary")
    orgs = []
    for i in range(ROWS):
        org = OrganisationFactory(slug=f"budget-org-{i}", name=f"Budget Organisation {i:02d}", province=province)
        org.domains.set(domains[: 1 + i % 3])
        MembershipFactory(slug=f"budget-m-{i}", subject=org, object=network)
        orgs.append(org)
        MunicipalityFactory(slug=f"budget-city-{i}", name=f"Budget City {i:02d}", province=province)
    parent = None
    for i in range(ROWS):
        ins = InstrumentFactory(slug=f"budget-ins-{i}", title=f"Budget Instrument {i:02d}", offered_by=orgs[i % 5], parent=parent)
        ins.domains.set(domains[: 1 + i % 3])
        parent = parent or ins
    MembershipFactory(slug="budget-m-city", subject=orgs[0], object=network, predicate="partner_of")
    cities = list(Organisation.objects.filter(slug__startswith="budget-city-").order_by("slug"))
    for i in range(ROWS):
        solution = SolutionFactory(slug=f"budget-sol-{i}", title=f"Budget Solution {i:02d}", organisation=orgs[i % 7])
        solution.domains.set(domains[: 1 + i % 3])
        solution.references.set(cities[: i % 3])
        challenge = ChallengeFactory(
            slug=f"budget-chl-{i}", title=f"Budget Challenge {i:02d}", owners=[cities[i % 9], cities[(i + 1) % 9]]
        )
        challenge.domains.set(domains[: 1 + i % 3])
    return orgs


def url_for(key: str) -> str:
    name, slug, query = PAGES[key]
    try:
        url = reverse(name, kwargs={"slug": slug}) if slug else reverse(name)
    except NoReverseMatch:
        pytest.skip(f"URL {name} does not exist yet")
    return f"{url}?{query}" if query else url


def count_queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(ctx.captured_queries)


def load_budgets() -> dict[str, int]:
    return json.loads(BUDGETS.read_text()) if BUDGETS.exists() else {}


def record(key: str, count: int) -> None:
    budgets = load_budgets()
    budgets[key] = count
    BUDGETS.write_text(json.dumps(dict(sorted(budgets.items())), indent=2) + "\n")


@pytest.mark.parametrize("key", list(PAGES))
def test_page_stays_within_its_query_budget(key, populated, client):
    url = url_for(key)
    count = count_queries(client, url)
    if UPDATE:
        record(key, count)
        return
    budget = load_budgets().get(key)
    assert budget is not None, f"No query budget for {key}; run with HELIX_UPDATE_QUERY_BUDGETS=1 to record it."
    assert count <= budget, f"{url} made {count} SQL queries; its budget is {budget} (tests/query_budgets.json)."


@pytest.mark.parametrize("page", ["organisation-list", "municipality-list", "instrument-list", "challenge-list", "solution-list"])
def test_list_query_count_does_not_grow_with_page_size(page, populated, client):
    small, large = url_for(f"{page}-10"), url_for(f"{page}-50")
    assert count_queries(client, small) == count_queries(client, large)

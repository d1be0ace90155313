"""Scale measures of the lists and search (docs/benchmarks.md): facet counts in one grouped
query, counts cached by data version, short choice lists, and the capped search candidates."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helix.actors.filters import OrganisationFilter
from helix.actors.models import Organisation
from helix.core import listing, search
from helix.core.listing import Facet, cached_by_data_version, data_version, facet_summary
from tests.factories import MembershipFactory, OrganisationFactory

LIST = reverse("actors:organisation-list")
FACETS = (Facet("kind", "kind"), Facet("helix_role", "helix_role"), Facet("status", "status"))


def naive_counts(data: QueryDict, facet: Facet) -> dict[str, int]:
    without = data.copy()
    without.pop(facet.param, None)
    qs = OrganisationFilter(data=without, queryset=Organisation.objects.live()).qs
    counts: dict[str, int] = {}
    for value in qs.values_list(facet.field, flat=True):
        if value is not None:
            counts[str(value)] = counts.get(str(value), 0) + 1
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "kind=company", "kind=company&kind=government&status=active", "q=sensor"])
def test_facet_summary_equals_counting_row_by_row(query):
    OrganisationFactory.create_batch(3, kind="company", helix_role="industry", description_en="Sensor networks")
    OrganisationFactory.create_batch(2, kind="government", helix_role="government", status="inactive")
    OrganisationFactory(kind="knowledge_institution", helix_role="academia", name="Sensor Lab")
    data = QueryDict(query)
    request = RequestFactory().get("/")
    total, counts = facet_summary(OrganisationFilter, data, Organisation.objects.live(), FACETS, request)
    assert total == OrganisationFilter(data=data, queryset=Organisation.objects.live()).qs.count()
    for facet in FACETS:
        assert counts[facet.param] == naive_counts(data, facet), facet.param


@pytest.mark.django_db
def test_facets_and_total_take_one_query_when_no_facet_is_chosen():
    OrganisationFactory.create_batch(3)
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as ctx:
        total, counts = facet_summary(OrganisationFilter, QueryDict(""), Organisation.objects.live(), FACETS, request)
    assert len(ctx.captured_queries) == 1 and "GROUPING SETS" in ctx.captured_queries[0]["sql"]
    assert total == 3 and counts["kind"] == {"company": 3}


@pytest.mark.django_db
def test_nothing_is_cached_inside_a_transaction():
    assert data_version() is None  # pytest-django wraps the test in a transaction
    calls = []
    cached_by_data_version(["k"], lambda: calls.append(1) or 1)
    cached_by_data_version(["k"], lambda: calls.append(1) or 1)
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_cached_counts_are_recomputed_after_a_write(client):
    cache.clear()
    OrganisationFactory(kind="company")
    version = data_version()
    assert version is not None
    assert client.get(LIST).context["total"] == 1
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).context["total"] == 1  # from the cache
    assert not any("GROUPING SETS" in q["sql"] for q in ctx.captured_queries)
    OrganisationFactory(kind="government")  # any write advances the version
    assert data_version() != version
    response = client.get(LIST)
    assert response.context["total"] == 2
    kinds = next(w for w in response.context["filters"] if w.name == "kind")
    assert {o.value: o.count for o in kinds.options}["government"] == 1


@pytest.mark.django_db
def test_network_choices_are_capped_and_a_chosen_network_stays_visible(client, monkeypatch):
    monkeypatch.setattr("helix.actors.views.MAX_SELECT_CHOICES", 1)
    big = OrganisationFactory(name="Big Network", slug="big-network", kind="network_or_programme")
    small = OrganisationFactory(name="Small Network", slug="small-network", kind="network_or_programme")
    for _ in range(2):
        MembershipFactory(object=big)
    MembershipFactory(object=small)
    member_of = next(w for w in client.get(LIST).context["filters"] if w.name == "member_of")
    assert [o.value for o in member_of.options] == ["", "big-network"]  # the largest network only
    member_of = next(w for w in client.get(LIST, {"member_of": "small-network"}).context["filters"] if w.name == "member_of")
    assert [o.value for o in member_of.options if o.selected] == ["small-network"]


@pytest.mark.django_db
def test_search_candidates_are_taken_within_the_other_filters(client, monkeypatch):
    monkeypatch.setattr(search, "TEXT_CANDIDATES", 1)
    monkeypatch.setattr(search, "NAME_CANDIDATES", 1)
    for i in range(3):
        OrganisationFactory(name=f"Bedrijf {i}", kind="company", description_nl="Wij bouwen laadpalen.")
    OrganisationFactory(name="Stad", kind="government", description_nl="De stad plaatst laadpalen.")
    # With a cap of one candidate per branch, the search still finds the government record
    # because the kind filter is applied before the search.
    response = client.get(LIST, {"q": "laadpalen", "kind": "government"})
    assert [row.name for row, _ in response.context["rows"]] == ["Stad"]
    # Without other filters, the cap limits how many records a common word returns.
    assert client.get(LIST, {"q": "laadpalen"}).context["total"] <= 2


def test_select_choice_cap_is_small():
    assert listing.MAX_SELECT_CHOICES <= 500


@pytest.mark.django_db
def test_typo_match_is_a_fallback_while_few_names_match(monkeypatch):
    """The costly typo branch runs only while fewer than TYPO_GATE names have the words."""
    for suffix in ("Gent", "Brugge"):
        OrganisationFactory(name=f"Mobiliteit {suffix}")
    OrganisationFactory(name="Mobiliteitsbedrijf Leuven")  # no lexeme "mobiliteit": found by similarity only

    def found() -> set[str]:
        return set(search.ranked_search(Organisation.objects.live(), "mobiliteit", "name").values_list("name", flat=True))

    monkeypatch.setattr(search, "TYPO_GATE", 3)  # two name matches: fewer than the gate
    assert found() == {"Mobiliteit Gent", "Mobiliteit Brugge", "Mobiliteitsbedrijf Leuven"}
    monkeypatch.setattr(search, "TYPO_GATE", 2)  # a "page" of name matches: no typo search
    assert found() == {"Mobiliteit Gent", "Mobiliteit Brugge"}

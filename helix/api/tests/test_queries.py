"""Query budgets: a list request costs the same number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    InstrumentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SchemeFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def rich_data():
    domain = TermFactory(scheme=SchemeFactory(slug="domains"), code="d1")
    sdg = TermFactory(scheme=SchemeFactory(slug="sdgs"), code="s1")
    orgs = [OrganisationFactory(located_in=MunicipalityFactory()) for _ in range(12)]
    for org in orgs:
        org.domains.add(domain)
        org.sdgs.add(sdg)
        org.identifiers.create(scheme="seed", value=org.slug)
        instrument = InstrumentFactory(offered_by=org, managed_by=org)
        instrument.domains.add(domain)
        instrument.co_offered_by.add(orgs[0])
        MembershipFactory(subject=org, object=orgs[0])
    return orgs


@pytest.mark.parametrize("endpoint", ["organisations", "instruments", "memberships", "municipalities"])
def test_list_query_count_does_not_grow_with_page_size(api, rich_data, endpoint):
    client = api()
    small = count_queries(client, f"/api/v1/{endpoint}/?page_size=2")
    large = count_queries(client, f"/api/v1/{endpoint}/?page_size=20")
    assert large == small


def test_list_query_budget(api, rich_data, django_assert_max_num_queries):
    client = api()
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/organisations/?page_size=200").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/instruments/?page_size=200&q=test").status_code == 200


def test_detail_query_budget(api, rich_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert api().get(f"/api/v1/organisations/{rich_data[0].slug}/").status_code == 200

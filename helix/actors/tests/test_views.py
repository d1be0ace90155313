"""Public pages of the actor registry: lists with filters, sort, pagination, export; details."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from tests.factories import (
    ContactPersonFactory,
    InstrumentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db
LIST = "/organisaties/"


def names(response):
    return [row.name for row, _cells in response.context["rows"]]


@pytest.fixture
def ecosystem():
    OrganisationFactory(name="Sensortech", kind=OrganisationKind.COMPANY, founded_year=2015)
    OrganisationFactory(name="Datahub", kind=OrganisationKind.COMPANY, founded_year=2010)
    OrganisationFactory(name="KU Leuven", kind=OrganisationKind.KNOWLEDGE_INSTITUTION, helix_role="academia", founded_year=1425)
    OrganisationFactory(name="Gearchiveerd", kind=OrganisationKind.COMPANY, archived_at=timezone.now())


def test_list_renders_for_anonymous_visitors(client, ecosystem):
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert names(response) == ["Datahub", "KU Leuven", "Sensortech"]  # archived records are not listed
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert response.context["total"] == 3


def test_filters_change_the_results_and_show_facet_counts(client, ecosystem):
    response = client.get(LIST, {"kind": "company"})
    assert names(response) == ["Datahub", "Sensortech"]
    kinds = next(w for w in response.context["filters"] if w.name == "kind")
    counts = {o.value: o.count for o in kinds.options}
    # Facet counts of "kind" ignore the kind filter itself, so the other kinds stay visible.
    assert counts["company"] == 2 and counts["knowledge_institution"] == 1
    assert next(o for o in kinds.options if o.value == "company").selected


def test_search_inside_the_list_ranks_by_relevance(client, ecosystem):
    response = client.get(LIST, {"q": "Sensortech"})
    assert names(response) == ["Sensortech"]
    assert response.context["sort"] == "relevance"


def test_sorting(client, ecosystem):
    assert names(client.get(LIST, {"sort": "-name"})) == ["Sensortech", "KU Leuven", "Datahub"]
    assert names(client.get(LIST, {"sort": "founded"})) == ["KU Leuven", "Datahub", "Sensortech"]
    assert names(client.get(LIST, {"sort": "bogus"})) == ["Datahub", "KU Leuven", "Sensortech"]


def test_keyset_pagination_returns_the_next_page_without_overlap(client):
    for i in range(25):
        OrganisationFactory(name=f"Bedrijf {i:02d}")
    first = client.get(LIST, {"size": 10})
    assert names(first) == [f"Bedrijf {i:02d}" for i in range(10)]
    page = first.context["page"]
    second = client.get(LIST, {"size": 10, "after": page.next_token})
    assert names(second) == [f"Bedrijf {i:02d}" for i in range(10, 20)]
    back = client.get(LIST, {"size": 10, "before": second.context["page"].prev_token})
    assert names(back) == names(first)
    html = first.content.decode()
    assert f"after={page.next_token}" in html and 'rel="next"' in html


def test_htmx_request_gets_only_the_result_region(client, ecosystem):
    response = client.get(LIST, {"kind": "company"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert '<section id="results"' in html
    assert "<html" not in html and 'id="filters"' not in html
    assert 'hx-swap-oob="innerHTML"' in html  # the live result count outside the region
    assert "HX-Request" in response["Vary"]
    full = client.get(LIST, {"kind": "company"}).content.decode()
    assert "<html" in full and 'hx-get="/organisaties/"' in full


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_contains_exactly_the_filtered_rows(client, ecosystem, fmt):
    response = client.get(LIST, {"kind": "company", "sort": "-name", "format": fmt, "after": "ignored"})
    assert response.status_code == 200
    assert f'filename="helix-organisations.{fmt}"' in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        exported = [r["name"] for r in rows]
    elif fmt == "json":
        exported = [r["name"] for r in json.loads(response.content)]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, *body = list(sheet.iter_rows(values_only=True))
        exported = [row[header.index("name")] for row in body]
    assert exported == ["Sensortech", "Datahub"]


def test_export_links_carry_the_current_filters(client, ecosystem):
    response = client.get(LIST, {"kind": "company", "size": 10})
    urls = [link.url for link in response.context["export_links"]]
    assert urls == [f"{LIST}?kind=company&format={fmt}" for fmt in ("csv", "xlsx", "json")]


def test_list_query_count_does_not_grow_with_page_size(client, django_assert_max_num_queries):
    for i in range(60):
        org = OrganisationFactory(name=f"Org {i:02d}", located_in=MunicipalityFactory())
        MembershipFactory(subject=org)

    def count(size):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST, {"size": size}).status_code == 200
        return len(ctx.captured_queries)

    small = count(10)
    with django_assert_max_num_queries(small):
        client.get(LIST, {"size": 50})
    assert small < 25


def test_municipality_list_shows_only_municipalities_of_the_region(client):
    MunicipalityFactory(name="Gent", refnis="44021")
    MunicipalityFactory(name="Namur", refnis="92094", in_region=False)
    OrganisationFactory(name="Not a municipality")
    response = client.get(reverse("actors:municipality-list"))
    assert names(response) == ["Gent"]
    assert "CC BY 4.0" in response.content.decode()
    everywhere = client.get(reverse("actors:municipality-list"), {"in_region": ""})
    assert names(everywhere) == ["Gent", "Namur"]


# --- Detail pages ------------------------------------------------------------------------------


def test_detail_shows_fields_relations_both_ways_instruments_and_age(client):
    network = OrganisationFactory(name="IoT Netwerk", slug="iot-netwerk")
    org = OrganisationFactory(
        name="Sensortech", slug="sensortech", enterprise_number="0403170701", last_verified=timezone.localdate()
    )
    member = OrganisationFactory(name="Kleine Partner")
    MembershipFactory(subject=org, object=network, predicate="member_of", role="founding member")
    MembershipFactory(subject=member, object=org, predicate="partner_of")
    instrument = InstrumentFactory(title="Sensorbeurs", offered_by=org)

    html = client.get(org.get_absolute_url()).content.decode()

    assert "<h1>Sensortech</h1>" in html
    assert "Ondernemingsnummer" in html and "kbopub.economie.fgov.be" in html
    assert network.get_absolute_url() in html and "founding member" in html  # outgoing
    assert member.get_absolute_url() in html  # incoming
    assert instrument.get_absolute_url() in html
    assert "(0 dagen geleden)" in html


def test_stale_record_is_flagged(client):
    org = OrganisationFactory(last_verified=timezone.localdate() - timezone.timedelta(days=400))
    html = client.get(org.get_absolute_url()).content.decode()
    assert "400 dagen geleden" in html and "Verificatie nodig" in html


def test_contact_persons_hidden_for_anonymous_and_shown_to_members(client_as, cast):
    ContactPersonFactory(organisation=cast.org_a, name="Jana Contact", email="jana@example.org")
    url = cast.org_a.get_absolute_url()

    anonymous = client_as(None).get(url).content.decode()
    assert "Jana Contact" not in anonymous and "jana@example.org" not in anonymous

    member = client_as(cast.editor_b).get(url).content.decode()
    assert "Jana Contact" in member and "jana@example.org" in member


def test_archived_record_is_404_for_the_public_and_visible_to_curators(client_as, cast):
    cast.org_a.archived_at = timezone.now()
    cast.org_a.save()
    url = reverse("actors:organisation-detail", kwargs={"slug": cast.org_a.slug})
    assert client_as(None).get(url).status_code == 404
    assert client_as(cast.editor_a).get(url).status_code == 404
    assert client_as(cast.curator).get(url).status_code == 200


def test_edit_link_only_for_those_who_may_edit(client_as, cast):
    url = cast.org_a.get_absolute_url()
    edit_url = reverse("actors:organisation-edit", kwargs={"slug": cast.org_a.slug})
    assert edit_url not in client_as(None).get(url).content.decode()
    assert edit_url not in client_as(cast.editor_b).get(url).content.decode()
    assert edit_url in client_as(cast.editor_a).get(url).content.decode()


def test_municipality_page_shows_refnis_and_statbel_attribution(client):
    gent = MunicipalityFactory(name="Gent", slug="gent", refnis="44021", population=265000)
    OrganisationFactory(name="Gentse Start-up", located_in=gent)
    response = client.get(reverse("actors:municipality-detail", kwargs={"slug": "gent"}))
    html = response.content.decode()
    assert "44021" in html and "Statbel" in html and "CC BY 4.0" in html
    assert "Gentse Start-up" in html


def test_detail_query_count_is_constant(client, django_assert_max_num_queries):
    org = OrganisationFactory()
    for _ in range(3):
        MembershipFactory(subject=org)
        MembershipFactory(object=org)
        InstrumentFactory(offered_by=org)
    with django_assert_max_num_queries(20):
        assert client.get(org.get_absolute_url()).status_code == 200
    for _ in range(10):
        MembershipFactory(subject=org)
        MembershipFactory(object=org)
        InstrumentFactory(offered_by=org)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(org.get_absolute_url())
    for _ in range(10):
        MembershipFactory(subject=org)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(org.get_absolute_url())


def test_english_detail_page_has_english_labels(client):
    org = OrganisationFactory(enterprise_number="0403170701")
    english = client.get(f"/en{org.get_absolute_url()}").content.decode()
    assert "Enterprise number" in english and "Source and age of this record" in english


def test_organisation_without_slug_match_is_404(client):
    assert client.get(reverse("actors:organisation-detail", kwargs={"slug": "nobody"})).status_code == 404
    assert Organisation.objects.count() == 0

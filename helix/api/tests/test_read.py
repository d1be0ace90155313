"""Reading the API: lookup by identifier, shared filters and search, cursor pagination, brief forms."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    InstrumentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SchemeFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_organisation_detail_by_slug_with_brief_related_objects_and_terms(api):
    municipality = MunicipalityFactory(slug="gent", name="Gent")
    domain = TermFactory(scheme=SchemeFactory(slug="domains"), code="smart-mobility", label_nl="Mobiliteit", label_en="Mobility")
    org = OrganisationFactory(slug="imec", name="imec", located_in=municipality)
    org.domains.add(domain)

    response = api().get("/api/v1/organisations/imec/")

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "imec"
    assert body["url"] == "http://testserver/api/v1/organisations/imec/"
    assert body["located_in"] == {
        "id": municipality.pk,
        "slug": "gent",
        "name": "Gent",
        "url": "http://testserver/api/v1/organisations/gent/",
    }
    assert body["domains"] == [{"code": "smart-mobility", "label_nl": "Mobiliteit", "label_en": "Mobility"}]
    assert response["ETag"] == f'"{body["version"]}"'


def test_unknown_slug_is_404_with_code(api):
    response = api().get("/api/v1/organisations/nope/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_organisation_list_uses_the_shared_filterset(api):
    OrganisationFactory(slug="acme", kind="company")
    OrganisationFactory(slug="ugent", kind="knowledge_institution", helix_role="academia")
    MunicipalityFactory(slug="gent")

    assert slugs(api().get("/api/v1/organisations/", {"kind": "knowledge_institution"})) == ["ugent"]
    both = slugs(api().get("/api/v1/organisations/", {"kind": ["company", "municipality"]}))
    assert sorted(both) == ["acme", "gent"]


def test_invalid_filter_value_is_a_400_with_field_errors(api):
    response = api().get("/api/v1/organisations/", {"kind": "spaceship"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"]["kind"][0]["code"] == "invalid_choice"


def test_member_of_filter(api):
    network = OrganisationFactory(slug="network")
    member = OrganisationFactory(slug="member")
    OrganisationFactory(slug="outsider")
    MembershipFactory(subject=member, object=network)
    assert slugs(api().get("/api/v1/organisations/", {"member_of": "network"})) == ["member"]


def test_full_text_search_is_ranked_and_typo_tolerant(api):
    OrganisationFactory(slug="mobility-lab", name="Mobility Lab", description_en="Smart mobility pilots in Ghent")
    OrganisationFactory(slug="mobiliteitsbedrijf", name="Mobiliteitsbedrijf Gent")
    OrganisationFactory(slug="bakery", name="Bakkerij Janssens", description_en="Bread")

    found = slugs(api().get("/api/v1/organisations/", {"q": "mobility"}))
    assert found[0] == "mobility-lab"
    assert "bakery" not in found
    assert slugs(api().get("/api/v1/organisations/", {"q": "Bakkerij Jansens"})) == ["bakery"]


def test_instrument_filters_and_search(api):
    today = timezone.localdate()
    InstrumentFactory(slug="open-call", title="Open call for mobility", closes_on=today + datetime.timedelta(days=10))
    InstrumentFactory(slug="closed-call", title="Closed call", closes_on=today - datetime.timedelta(days=10))
    InstrumentFactory(slug="coaching", title="Coaching", kind="matchmaking")

    assert slugs(api().get("/api/v1/instruments/", {"status": "closed"})) == ["closed-call"]
    assert slugs(api().get("/api/v1/instruments/", {"closing_within": 30})) == ["open-call"]
    assert slugs(api().get("/api/v1/instruments/", {"kind": "matchmaking"})) == ["coaching"]
    assert slugs(api().get("/api/v1/instruments/", {"q": "mobility"})) == ["open-call"]
    detail = api().get("/api/v1/instruments/closed-call/").json()
    assert detail["status"] == "closed"


def test_municipalities_endpoint_lists_only_municipalities(api):
    MunicipalityFactory(slug="gent", name="Gent")
    OrganisationFactory(slug="acme")
    assert slugs(api().get("/api/v1/municipalities/")) == ["gent"]
    assert api().get("/api/v1/municipalities/acme/").status_code == 404
    assert api().get("/api/v1/municipalities/gent/").json()["refnis"]


def test_cursor_pagination_walks_every_record_once_forward_and_back(api):
    for i in range(7):
        OrganisationFactory(slug=f"org-{i}", name=f"Org {i % 3}")  # duplicate names: ties broken by id

    seen: list[str] = []
    pages = []
    url = "/api/v1/organisations/?page_size=3"
    while url:
        body = api().get(url).json()
        pages.append(body)
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]
    assert len(pages) == 3
    assert sorted(seen) == sorted(f"org-{i}" for i in range(7))
    assert len(seen) == len(set(seen))
    names = [(row["name"], row["id"]) for page in pages for row in page["results"]]
    assert names == sorted(names)
    assert pages[0]["previous"] is None
    assert "page_size=3" in pages[1]["next"]

    back = api().get(pages[2]["previous"]).json()
    assert [r["slug"] for r in back["results"]] == [r["slug"] for r in pages[1]["results"]]


def test_descending_ordering_with_nulls_pages_without_gaps(api):
    for i, year in enumerate([2001, None, 1999, None, 2010, 2001]):
        OrganisationFactory(slug=f"org-{i}", founded_year=year)
    seen = []
    url = "/api/v1/organisations/?ordering=-founded&page_size=2"
    while url:
        body = api().get(url).json()
        seen += [(row["founded_year"], row["slug"]) for row in body["results"]]
        url = body["next"]
    assert [year for year, _ in seen] == [2010, 2001, 2001, 1999, None, None]
    assert len({slug for _, slug in seen}) == 6


def test_search_results_are_paged_by_relevance(api):
    for i in range(5):
        OrganisationFactory(slug=f"lab-{i}", name=f"Mobility lab {i}", description_en="mobility " * i)
    first = api().get("/api/v1/organisations/", {"q": "mobility", "page_size": 2}).json()
    rest = []
    url = first["next"]
    while url:
        body = api().get(url).json()
        rest += [row["slug"] for row in body["results"]]
        url = body["next"]
    everything = [row["slug"] for row in first["results"]] + rest
    assert sorted(everything) == [f"lab-{i}" for i in range(5)]
    assert "ordering" not in first["next"] or "relevance" in first["next"]


def test_bad_cursor_and_ordering_are_400_with_codes(api):
    assert api().get("/api/v1/organisations/", {"cursor": "garbage"}).json()["code"] == "invalid_cursor"
    response = api().get("/api/v1/organisations/", {"ordering": "relevance"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_ordering"


def test_cursor_of_another_ordering_is_refused(api):
    for i in range(3):
        OrganisationFactory(slug=f"org-{i}")
    next_url = api().get("/api/v1/organisations/?page_size=1").json()["next"]
    response = api().get(next_url + "&ordering=-name")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_archived_records_are_invisible_except_to_curators(api, cast):
    cast.org_b.archived_at = timezone.now()
    cast.org_b.save()
    cast.instrument_b.archived_at = timezone.now()
    cast.instrument_b.save()

    assert api().get("/api/v1/organisations/org-b/").status_code == 404
    assert api(cast.editor_b).get("/api/v1/organisations/org-b/").status_code == 404
    assert api().get("/api/v1/instruments/instrument-b/").status_code == 404
    assert "org-b" not in slugs(api().get("/api/v1/organisations/"))
    assert "instrument-b" not in slugs(api(cast.curator).get("/api/v1/instruments/"))

    curator_view = api(cast.curator).get("/api/v1/organisations/org-b/")
    assert curator_view.status_code == 200
    assert curator_view.json()["archived_at"] is not None


def test_memberships_schemes_and_figures(api):
    from helix.core.models import Figure

    network = OrganisationFactory(slug="network", name="Network")
    member = OrganisationFactory(slug="member")
    membership = MembershipFactory(slug="m-member-member_of-network", subject=member, object=network, role="founder")
    scheme = SchemeFactory(slug="sdgs")
    TermFactory(scheme=scheme, code="sdg-11", label_nl="Duurzame steden", label_en="Sustainable cities")
    Figure.objects.create(key="companies-counted", value=258, what="Companies in the inventory", year=2020)

    rows = api().get("/api/v1/memberships/", {"organisation": "network"}).json()["results"]
    assert [r["slug"] for r in rows] == [membership.slug]
    assert rows[0]["object"]["slug"] == "network"
    assert rows[0]["subject"]["url"].endswith("/api/v1/organisations/member/")

    detail = api().get("/api/v1/schemes/sdgs/").json()
    assert detail["terms"][0]["code"] == "sdg-11"
    assert detail["terms"][0]["label_en"] == "Sustainable cities"
    assert [s["slug"] for s in api().get("/api/v1/schemes/").json()["results"]] == ["sdgs"]

    figure = api().get("/api/v1/figures/companies-counted/").json()
    assert figure["what"] == "Companies in the inventory"
    assert float(figure["value"]) == 258


def test_memberships_of_archived_organisations_are_hidden(api):
    network = OrganisationFactory(slug="network", archived_at=timezone.now())
    MembershipFactory(subject=OrganisationFactory(), object=network)
    assert api().get("/api/v1/memberships/").json()["results"] == []


def test_tampered_cursor_values_are_refused(api):
    import base64
    import json

    OrganisationFactory()
    for values in (["\x00", 1], ["x", "not-an-id"], ["x", 2**70], ["x"]):
        raw = json.dumps({"d": "n", "o": "name", "v": values}).encode()
        cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        response = api().get("/api/v1/organisations/", {"cursor": cursor})
        assert response.status_code == 400, values
        assert response.json()["code"] == "invalid_cursor"
    raw = json.dumps({"d": "n", "o": "verified", "v": ["not-a-date", 1]}).encode()
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert api().get("/api/v1/organisations/", {"cursor": cursor, "ordering": "verified"}).json()["code"] == "invalid_cursor"

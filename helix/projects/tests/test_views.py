"""Public pages of the project registry: list filters, search, export; detail with links both ways."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helix.projects.choices import LinkKind
from helix.projects.models import ProjectFunding, ProjectLink, ProjectPartner
from tests.factories import InstrumentFactory, MunicipalityFactory, OrganisationFactory

from .factories import ProjectFactory, domain

pytestmark = pytest.mark.django_db
LIST = "/projecten/"


def titles(response):
    return [row.title for row, _cells in response.context["rows"]]


@pytest.fixture
def projects():
    gent = MunicipalityFactory(slug="gemeente-gent-44021", name="Gent")
    leuven = MunicipalityFactory(slug="gemeente-leuven-24062", name="Leuven")
    city = OrganisationFactory(slug="city-lead", name="City Lead", kind="municipality", helix_role="municipality")
    lab = OrganisationFactory(slug="research-lab", name="Research Lab", kind="knowledge_institution", helix_role="academia")
    mobility, governance = domain("smart-mobility"), domain("smart-governance")
    twin = ProjectFactory(
        slug="digital-twin",
        title="Digital Twin",
        lead=lab,
        status="running",
        summary_en="A virtual model of the city for air quality scenarios.",
    )
    twin.places.set([gent])
    twin.domains.set([governance, mobility])
    bikes = ProjectFactory(slug="bike-counters", title="Bike Counters", lead=city, status="pilot")
    bikes.places.set([leuven])
    bikes.domains.set([mobility])
    portal = ProjectFactory(slug="data-portal", title="Data Portal", lead=city, status="completed")
    portal.places.set([gent, leuven])
    portal.domains.set([governance])
    ProjectPartner.objects.create(project=portal, organisation=lab, role="data platform")
    return {"twin": twin, "bikes": bikes, "portal": portal, "lab": lab, "gent": gent}


def test_list_filters_by_status_domain_place_lead_kind_and_organisation(client, projects):
    assert titles(client.get(LIST)) == ["Bike Counters", "Data Portal", "Digital Twin"]
    assert titles(client.get(LIST, {"status": ["running", "pilot"]})) == ["Bike Counters", "Digital Twin"]
    assert titles(client.get(LIST, {"domain": "smart-mobility"})) == ["Bike Counters", "Digital Twin"]
    assert titles(client.get(LIST, {"place": "gemeente-gent-44021"})) == ["Data Portal", "Digital Twin"]
    assert titles(client.get(LIST, {"lead_kind": "municipality"})) == ["Bike Counters", "Data Portal"]
    # lead or partner
    assert titles(client.get(LIST, {"organisation": "research-lab"})) == ["Data Portal", "Digital Twin"]
    assert titles(client.get(LIST, {"domain": "smart-governance", "place": "gemeente-leuven-24062"})) == ["Data Portal"]


def test_facet_counts_count_projects_not_rows(client, projects):
    response = client.get(LIST, {"domain": "smart-mobility"})
    assert response.context["total"] == 2
    widgets = {w.name: {o.value: o.count for o in w.options} for w in response.context["filters"]}
    assert widgets["status"]["running"] == 1 and widgets["status"]["pilot"] == 1 and widgets["status"]["completed"] == 0
    # A chosen domain still shows what the other domains would give.
    assert widgets["domain"]["smart-mobility"] == 2 and widgets["domain"]["smart-governance"] == 2
    assert widgets["lead_kind"]["municipality"] == 1 and widgets["lead_kind"]["knowledge_institution"] == 1
    place_options = [o.value for o in next(w for w in response.context["filters"] if w.name == "place").options]
    assert "gemeente-gent-44021" in place_options and "gemeente-leuven-24062" in place_options


def test_search_finds_title_and_summary_words(client, projects):
    assert titles(client.get(LIST, {"q": "twin"})) == ["Digital Twin"]
    assert titles(client.get(LIST, {"q": "air quality"})) == ["Digital Twin"]
    assert titles(client.get(LIST, {"q": "Digtal Twin"})) == ["Digital Twin"]  # typo tolerance on the title


def test_json_export_contains_exactly_the_filtered_rows(client, projects):
    response = client.get(LIST, {"place": "gemeente-gent-44021", "format": "json"})
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert [row["slug"] for row in data] == ["data-portal", "digital-twin"]
    portal = data[0]
    assert portal["partners"] == ["research-lab | data platform"] and portal["places"] == [
        "gemeente-gent-44021",
        "gemeente-leuven-24062",
    ]
    assert portal["status"] == "completed" and portal["lead"] == "city-lead"
    csv = client.get(LIST, {"status": "pilot", "format": "csv"}).content.decode("utf-8-sig")
    assert "bike-counters" in csv and "digital-twin" not in csv


def test_list_query_count_does_not_grow_with_page_size(client):
    gent = MunicipalityFactory()
    mobility = domain("smart-mobility")
    for i in range(60):
        p = ProjectFactory(title=f"Project {i:02d}")
        p.places.set([gent])
        p.domains.set([mobility])
        ProjectPartner.objects.create(project=p, organisation=gent)
    client.get(LIST, {"size": 10})  # warm caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST, {"size": 10}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(LIST, {"size": 50}).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_detail_shows_partners_places_funding_and_history_link(client, projects):
    portal = projects["portal"]
    call = InstrumentFactory(slug="city-of-things", title="City of Things")
    ProjectFunding.objects.create(project=portal, instrument=call, amount=250000)
    portal.lessons = "Start small.\nShare the data."
    portal.facts = ["three cities joined"]
    portal.save()

    html = client.get(portal.get_absolute_url()).content.decode()

    assert call.get_absolute_url() in html and "City of Things" in html and "€ 250.000" in html
    assert projects["lab"].get_absolute_url() in html and "(data platform)" in html
    assert projects["gent"].get_absolute_url() in html
    assert "<li>Start small.</li>" in html and "<li>Share the data.</li>" in html
    assert "three cities joined" in html
    assert reverse("history:record", kwargs={"model": "project", "slug": portal.slug}) in html
    assert client.get(reverse("history:record", kwargs={"model": "project", "slug": portal.slug})).status_code == 200


def test_links_are_shown_in_both_directions(client, projects):
    twin, bikes, portal = projects["twin"], projects["bikes"], projects["portal"]
    ProjectLink.objects.create(from_project=bikes, to_project=twin, kind=LinkKind.REPLICATES, note="same sensors")
    # A symmetric link stated both ways appears once on each page.
    ProjectLink.objects.create(from_project=twin, to_project=portal, kind=LinkKind.RELATED, note="feeds it")
    ProjectLink.objects.create(from_project=portal, to_project=twin, kind=LinkKind.RELATED, note="fed by it")

    twin_page = client.get(twin.get_absolute_url())
    linked = [(str(item.label), item.project.slug) for item in twin_page.context["linked"]]
    assert ("wordt gerepliceerd door", "bike-counters") in linked
    assert linked.count(("is verwant aan", "data-portal")) == 1
    assert len(linked) == 2
    assert "same sensors" in twin_page.content.decode()

    bikes_page = client.get("/en" + bikes.get_absolute_url())
    assert [(str(i.label), i.project.slug) for i in bikes_page.context["linked"]] == [("replicates", "digital-twin")]
    assert "This project replicates" in bikes_page.content.decode()


def test_archived_project_is_404_for_the_public_and_hidden_from_lists_and_links(client_as, cast, projects):
    twin = projects["twin"]
    ProjectLink.objects.create(from_project=projects["bikes"], to_project=twin, kind=LinkKind.INSPIRED_BY)
    twin.archived_at = timezone.now()
    twin.save()
    assert client_as(None).get(twin.get_absolute_url()).status_code == 404
    assert client_as(cast.curator).get(twin.get_absolute_url()).status_code == 200
    anonymous = client_as(None)
    assert "Digital Twin" not in titles(anonymous.get(LIST))
    assert anonymous.get(projects["bikes"].get_absolute_url()).context["linked"] == []


def test_organisation_page_lists_its_projects_with_its_part(client, projects):
    html = client.get(projects["lab"].get_absolute_url()).content.decode()
    section = html[html.index('id="projects-heading"') :]
    assert "Digital Twin" in section and "Data Portal" in section and "Bike Counters" not in section
    assert "(leider)" in section and "(partner)" in section
    gent_html = client.get(projects["gent"].get_absolute_url()).content.decode()
    assert "Data Portal" in gent_html[gent_html.index('id="projects-heading"') :]


def test_navigation_links_to_projects(client, projects):
    html = client.get("/").content.decode()
    assert f'href="{LIST}"' in html

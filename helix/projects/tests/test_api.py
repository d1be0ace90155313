"""/api/v1/projects/: read, filters, keyset pages, archived records."""

from __future__ import annotations

import pytest
from django.utils import timezone

from helix.projects.choices import LinkKind
from helix.projects.models import ProjectFunding, ProjectLink, ProjectPartner
from tests.factories import InstrumentFactory, MunicipalityFactory, OrganisationFactory

from .factories import ProjectFactory, domain

pytestmark = pytest.mark.django_db
API = "/api/v1/projects/"


@pytest.fixture
def projects():
    gent = MunicipalityFactory(slug="gemeente-gent-44021", name="Gent")
    partner = OrganisationFactory(slug="partner-org")
    mobility = domain("smart-mobility")
    first = ProjectFactory(slug="alpha", title="Alpha", status="pilot")
    first.places.set([gent])
    first.domains.set([mobility])
    ProjectPartner.objects.create(project=first, organisation=partner, role="co-lead")
    ProjectFunding.objects.create(project=first, instrument=InstrumentFactory(slug="call-x"), amount=1000)
    second = ProjectFactory(slug="beta", title="Beta", status="running")
    ProjectLink.objects.create(from_project=second, to_project=first, kind=LinkKind.SCALES_UP, note="region-wide")
    for i in range(5):
        ProjectFactory(slug=f"extra-{i}", title=f"Extra {i}", status="idea")
    return first, second


def test_list_is_paged_by_cursor_and_filtered_like_the_pages(client, projects):
    data = client.get(API, {"page_size": 3}).json()
    assert [p["slug"] for p in data["results"]] == ["alpha", "beta", "extra-0"]
    following = client.get(data["next"]).json()
    assert [p["slug"] for p in following["results"]] == ["extra-1", "extra-2", "extra-3"]
    assert [p["slug"] for p in client.get(API, {"status": "pilot"}).json()["results"]] == ["alpha"]
    assert [p["slug"] for p in client.get(API, {"place": "gemeente-gent-44021"}).json()["results"]] == ["alpha"]
    assert [p["slug"] for p in client.get(API, {"domain": "smart-mobility"}).json()["results"]] == ["alpha"]
    assert [p["slug"] for p in client.get(API, {"organisation": "partner-org"}).json()["results"]] == ["alpha"]
    assert [p["slug"] for p in client.get(API, {"instrument": "call-x"}).json()["results"]] == ["alpha"]
    assert client.get(API, {"q": "alpha"}).json()["results"][0]["slug"] == "alpha"


def test_detail_carries_partners_funding_and_links_both_ways(client, projects):
    alpha = client.get(f"{API}alpha/").json()
    assert alpha["partners"][0]["organisation"]["slug"] == "partner-org" and alpha["partners"][0]["role"] == "co-lead"
    assert alpha["funding"][0]["instrument"]["slug"] == "call-x" and alpha["funding"][0]["amount"] == "1000.00"
    assert alpha["places"][0]["slug"] == "gemeente-gent-44021"
    assert alpha["domains"] == [{"code": "smart-mobility", "label_nl": "Smart-Mobility", "label_en": "Smart-Mobility"}]
    assert alpha["links_from"] == [
        {"kind": "scales_up", "project": {**alpha["links_from"][0]["project"], "slug": "beta"}, "note": "region-wide"}
    ]
    beta = client.get(f"{API}beta/").json()
    assert beta["links_to"][0]["project"]["slug"] == "alpha" and beta["links_from"] == []


def test_archived_project_is_404_and_not_listed(client_as, cast, projects):
    first, _second = projects
    first.archived_at = timezone.now()
    first.save()
    anonymous = client_as(None)
    assert anonymous.get(f"{API}alpha/").status_code == 404
    assert "alpha" not in [p["slug"] for p in anonymous.get(API, {"page_size": 50}).json()["results"]]
    # The link from beta to the archived project is hidden too.
    assert anonymous.get(f"{API}beta/").json()["links_to"] == []
    assert client_as(cast.curator).get(f"{API}alpha/").status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "garbage"},
        {"ordering": "nonsense"},
        {"status": "no-such-status"},
        {"domain": "no-such-domain"},
        {"q": "\x00"},
        {"page_size": "-1"},
        {"ordering": "-verified"},
    ],
)
def test_odd_parameters_never_answer_500(client, projects, params):
    assert client.get(API, params).status_code < 500


def test_anonymous_writes_are_refused(client_as, cast, projects):
    """Writes need a token (see test_api_writes.py for the rights of each persona)."""
    response = client_as(None).post(API, {"title": "New"}, content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"

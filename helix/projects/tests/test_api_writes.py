"""Token writes to /api/v1/projects/: the pages' rights per persona, relation rows, errors, 409."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pghistory.models import Events
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from helix.projects.models import Project, ProjectPartner
from tests.factories import MunicipalityFactory, SchemeFactory, TermFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/projects/"


@pytest.fixture
def api():
    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def project(cast):
    return ProjectFactory(slug="air-sensors", title="Air Sensors", lead=cast.org_a, status="pilot")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 401), ("editor_a", 200), ("editor_b", 403), ("curator", 200), ("admin", 200)],
)
def test_patch_rights_per_persona(api, cast, project, persona, status):
    user = None if persona == "anonymous" else getattr(cast, persona)
    response = api(user).patch(f"{API}{project.slug}/", {"title": "Changed"}, format="json")
    assert response.status_code == status, response.json()
    project.refresh_from_db()
    assert (project.title == "Changed") == (status == 200)
    if status == 403:
        assert response.json()["code"] == "permission_denied"


def test_partner_editor_cannot_write(api, cast, project):
    ProjectPartner.objects.create(project=project, organisation=cast.org_b, role="partner")
    assert api(cast.editor_b).patch(f"{API}{project.slug}/", {"title": "X"}, format="json").status_code == 403
    assert api(cast.editor_b).delete(f"{API}{project.slug}/").status_code == 403


def test_editor_writes_relation_rows_and_history_says_api(api, cast, project):
    gent = MunicipalityFactory(slug="gemeente-gent-44021", name="Gent")
    TermFactory(scheme=SchemeFactory(slug="domains"), code="smart-mobility")
    other = ProjectFactory(slug="bike-counters", title="Bike Counters", lead=cast.org_b)
    body = {
        "places": ["gemeente-gent-44021"],
        "domains": ["smart-mobility"],
        "partners": [{"organisation": "org-b", "role": "data partner"}],
        "funding": [{"instrument": "instrument-b", "amount": "1500.00"}],
        "links_to": [{"kind": "scales_up", "project": "bike-counters", "note": "same sensors"}],
        "results": [{"indicator": "sensors", "value": "40", "unit": "pcs"}],
        "links": ["https://example.org/report.pdf"],
        "link_titles": {"https://example.org/report.pdf": "Final report"},
    }
    response = api(cast.editor_a).patch(f"{API}{project.slug}/", body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["partners"][0]["organisation"]["slug"] == "org-b" and data["partners"][0]["role"] == "data partner"
    assert data["funding"][0]["instrument"]["slug"] == "instrument-b" and data["funding"][0]["amount"] == "1500.00"
    assert (
        data["links_to"] == [{"kind": "scales_up", "project": data["links_to"][0]["project"], "note": "same sensors"}]
        and data["links_to"][0]["project"]["slug"] == "bike-counters"
    )
    assert data["link_titles"] == {"https://example.org/report.pdf": "Final report"}
    assert response["ETag"] == '"2"'
    project.refresh_from_db()
    assert list(project.places.all()) == [gent] and project.fundings.get().amount == Decimal("1500.00")
    assert api(None).get(f"{API}bike-counters/").json()["links_from"][0]["project"]["slug"] == "air-sensors"
    assert other.links_in.count() == 1
    context = Events.objects.tracks(project).filter(pgh_label="update").last().pgh_context
    assert context["channel"] == "api" and context["username"] == "editor-a"
    # Leaving a list out keeps its rows; an empty list removes them.
    api(cast.editor_a).patch(f"{API}{project.slug}/", {"title": "Air Sensors 2"}, format="json")
    assert project.partnerships.count() == 1
    api(cast.editor_a).patch(f"{API}{project.slug}/", {"partners": []}, format="json")
    assert project.partnerships.count() == 0


def test_stale_version_answers_409_and_writes_nothing(api, cast, project):
    client = api(cast.editor_a)
    first = client.patch(f"{API}{project.slug}/", {"title": "First", "version": 1}, format="json")
    assert first.status_code == 200
    stale = client.patch(f"{API}{project.slug}/", {"title": "Second"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version" and stale.json()["current_version"] == 2
    project.refresh_from_db()
    assert project.title == "First" and project.version == 2


def test_create_within_rights(api, cast):
    created = api(cast.editor_a).post(API, {"title": "New Pilot", "lead": "org-a", "status": "idea"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["slug"] == "new-pilot" and created.json()["lead"]["slug"] == "org-a"
    refused = api(cast.editor_a).post(API, {"title": "Not Mine", "lead": "org-b"}, format="json")
    assert refused.status_code == 403 and not Project.objects.filter(title="Not Mine").exists()
    assert api(cast.curator).post(API, {"title": "Curated", "lead": "org-b"}, format="json").status_code == 201


def test_validation_errors_name_the_field(api, cast, project):
    client = api(cast.editor_a)
    bad = client.patch(f"{API}{project.slug}/", {"results": [{"value": "3"}]}, format="json")
    assert bad.status_code == 400 and "results" in bad.json()["errors"]
    twice = client.patch(
        f"{API}{project.slug}/",
        {"partners": [{"organisation": "org-b"}, {"organisation": "org-b", "role": "x"}]},
        format="json",
    )
    assert twice.status_code == 400 and "partners" in twice.json()["errors"]
    unknown = client.patch(f"{API}{project.slug}/", {"links_to": [{"kind": "replicates", "project": "nope"}]}, format="json")
    assert unknown.status_code == 400
    self_link = client.patch(
        f"{API}{project.slug}/", {"links_to": [{"kind": "replicates", "project": project.slug}]}, format="json"
    )
    assert self_link.status_code == 400
    nul = client.patch(f"{API}{project.slug}/", {"links": ["https://a.example/"], "link_titles": {"x\u0000": "t"}}, format="json")
    assert nul.status_code == 400
    orphan = client.patch(f"{API}{project.slug}/", {"link_titles": {"https://elsewhere.example/": "t"}}, format="json")
    assert orphan.status_code == 400 and "link_titles" in orphan.json()["errors"]
    project.refresh_from_db()
    assert project.version == 1


def test_archive_then_404_for_members_and_restore_by_curator(api, cast, project):
    assert api(cast.editor_a).delete(f"{API}{project.slug}/").status_code == 204
    assert api(cast.editor_a).patch(f"{API}{project.slug}/", {"title": "X"}, format="json").status_code == 404
    assert api(None).get(f"{API}{project.slug}/").status_code == 404
    restored = api(cast.curator).post(f"{API}{project.slug}/restore/")
    assert restored.status_code == 200 and restored.json()["archived_at"] is None

"""Edit pages of the project registry: rights per persona, every kind of field, version conflicts,
archive/restore, history, and the contact person (members only, never public)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import translation
from pghistory.models import Events

from helix.projects.models import Project, ProjectContact, ProjectFunding, ProjectLink, ProjectPartner
from tests.factories import MunicipalityFactory, SchemeFactory, TermFactory, UserFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def project(cast):
    return ProjectFactory(slug="air-sensors", title="Air Sensors", lead=cast.org_a, status="pilot")


def edit_url(slug: str) -> str:
    return f"/projecten/{slug}/bewerken/"


def form_data(project: Project, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(project.version),
        "title": project.title,
        "title_nl": project.title_nl,
        "summary_nl": project.summary_nl,
        "summary_en": project.summary_en,
        "project_type": project.project_type,
        "lead": str(project.lead_id),
        "status": project.status,
        "phase": "",
        "places": "",
        "area": "",
        "start_date": "",
        "end_date": "",
        "period_text": "",
        "budget": "",
        "objectives": "",
        "success_factors": "",
        "lessons": "",
        "risks": "",
        "notes": "",
        "partners": "",
        "funding": "",
        "results": "",
        "web_links": "",
        "project_links": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("editor_a", 200), ("editor_b", 403), ("curator", 200), ("admin", 200)],
)
def test_edit_page_rights_per_persona(client_as, cast, project, persona, status):
    user = None if persona == "anonymous" else getattr(cast, persona)
    response = client_as(user).get(edit_url(project.slug))
    assert response.status_code == status
    if persona == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_partner_editors_do_not_edit_only_the_lead_does(client_as, cast, project):
    """Decision (docs/projects-editing.md): a partner organisation's editors may not edit the project."""
    ProjectPartner.objects.create(project=project, organisation=cast.org_b, role="partner")
    client = client_as(cast.editor_b)
    assert client.get(edit_url(project.slug)).status_code == 403
    assert client.post(edit_url(project.slug), form_data(project, title="Hijacked")).status_code == 403
    assert client.post(f"/projecten/{project.slug}/archiveren/").status_code == 403
    project.refresh_from_db()
    assert project.title == "Air Sensors" and project.archived_at is None


def test_out_of_scope_is_404(client_as, cast, project):
    client = client_as(cast.editor_a)
    assert client.get(edit_url("no-such-project")).status_code == 404
    Project.objects.filter(pk=project.pk).update(archived_at="2025-01-01T00:00:00Z")
    assert client.get(edit_url(project.slug)).status_code == 404
    assert client_as(cast.curator).get(edit_url(project.slug)).status_code == 200


def test_editor_saves_every_kind_of_field(client_as, cast, project):
    gent = MunicipalityFactory(slug="gemeente-gent-44021", name="Gent")
    mobility = TermFactory(scheme=SchemeFactory(slug="domains"), code="smart-mobility")
    goal = TermFactory(scheme=SchemeFactory(slug="sdgs"), code="sdg-11")
    pilot_phase = TermFactory(scheme=SchemeFactory(slug="phases"), code="pilot")
    other = ProjectFactory(slug="bike-counters", title="Bike Counters", lead=cast.org_b)
    data = form_data(
        project,
        title="Air Sensors 2",
        summary_nl="Sensoren meten de luchtkwaliteit.",
        summary_en="Sensors measure air quality.",
        places="Gent",
        domains=str(mobility.pk),
        sdgs=str(goal.pk),
        phase=str(pilot_phase.pk),
        status="running",
        start_date="2024-01-01",
        end_date="2025-06-30",
        budget="250000",
        partners="org-b | data partner",
        funding="instrument-b | 120000",
        objectives="Measure NO2 in every district.",
        results="sensors installed | 40 | sensors\nparticipants | 300 | people",
        success_factors="Citizens involved from the start.",
        lessons="Calibrate every month.\nPlan maintenance.",
        risks="Vandalism.",
        web_links="https://example.org/report.pdf | Final report\nhttps://example.org/",
        project_links="scales up | bike-counters | same sensors",
        contact_name="An Example",
        contact_email="an@example.org",
        contact_phone="+32 9 123 45 67",
    )
    data.setdefault("domains", str(mobility.pk))
    response = client_as(cast.editor_a).post(edit_url(project.slug), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert project.title == "Air Sensors 2" and project.status == "running" and project.version == 2
    assert list(project.places.all()) == [gent]
    assert list(project.domains.all()) == [mobility] and list(project.sdgs.all()) == [goal]
    assert project.phase == pilot_phase and project.budget == Decimal("250000")
    assert [(p.organisation, p.role) for p in project.partnerships.all()] == [(cast.org_b, "data partner")]
    assert [(f.instrument, f.amount) for f in project.fundings.all()] == [(cast.instrument_b, Decimal("120000"))]
    assert project.results == [
        {"indicator": "sensors installed", "value": "40", "unit": "sensors"},
        {"indicator": "participants", "value": "300", "unit": "people"},
    ]
    assert project.links == ["https://example.org/report.pdf", "https://example.org/"]
    assert project.link_titles == {"https://example.org/report.pdf": "Final report"}
    assert [(lk.kind, lk.to_project, lk.note) for lk in project.links_out.all()] == [("scales_up", other, "same sensors")]
    contact = ProjectContact.objects.get(project=project)
    assert (contact.name, contact.email, contact.phone) == ("An Example", "an@example.org", "+32 9 123 45 67")
    # The detail page shows it all; the other project shows the link from its side.
    page = client_as(cast.editor_a).get(project.get_absolute_url()).content.decode()
    assert "Final report" in page and "sensors installed: 40 sensors" in page and "an@example.org" in page
    other_page = client_as(None).get(other.get_absolute_url()).content.decode()
    assert 'class="linked-projects"' in other_page and f'href="{project.get_absolute_url()}"' in other_page
    # The history records the edit with its channel and user.
    events = Events.objects.tracks(project).filter(pgh_label="update")
    assert events.exists() and events.last().pgh_context["username"] == "editor-a"


def test_edit_form_shows_current_rows_again(client_as, cast, project):
    ProjectPartner.objects.create(project=project, organisation=cast.org_b, role="data partner")
    ProjectFunding.objects.create(project=project, instrument=cast.instrument_a, amount=Decimal("5000"))
    project.results = [{"indicator": "sensors", "value": "40", "unit": "pcs"}]
    project.links = ["https://example.org/a"]
    project.link_titles = {"https://example.org/a": "Report A"}
    project.save()
    page = client_as(cast.editor_a).get(edit_url(project.slug)).content.decode()
    for text in ("org-b | data partner", "instrument-a | 5000", "sensors | 40 | pcs", "https://example.org/a | Report A"):
        assert text in page


def test_bad_lines_are_reported_with_their_number_and_nothing_is_saved(client_as, cast, project):
    data = form_data(project, partners="org-b | partner\nno-such-org | x", web_links="not a url", budget="-5")
    response = client_as(cast.editor_a).post(edit_url(project.slug), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Regel 2" in errors["partners"][0] and "no-such-org" in errors["partners"][0]
    assert "web_links" in errors and "budget" in errors
    project.refresh_from_db()
    assert project.version == 1 and not project.partnerships.exists()


def test_member_cannot_hand_the_project_to_another_organisation(client_as, cast, project):
    response = client_as(cast.editor_a).post(edit_url(project.slug), form_data(project, lead=str(cast.org_b.pk)))
    assert response.status_code == 200 and "lead" in response.context["form"].errors
    project.refresh_from_db()
    assert project.lead == cast.org_a


def test_stale_save_shows_the_conflict_and_writes_nothing(client_as, cast, project):
    client = client_as(cast.editor_a)
    stale = form_data(project, title="Mine")
    Project.objects.filter(pk=project.pk).update(title="Theirs", version=2)
    response = client.post(edit_url(project.slug), stale)
    assert response.status_code == 409
    assert response.context["conflict"] is True
    project.refresh_from_db()
    assert project.title == "Theirs" and project.version == 2
    # Saving again from the conflict page (it carries the current version) applies the edit.
    again = client.post(edit_url(project.slug), {**stale, "version": "2"})
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.title == "Mine" and project.version == 3


def test_create_by_member_for_own_organisation_and_not_for_others(client_as, cast):
    client = client_as(cast.editor_a)
    assert client.get("/projecten/nieuw/").status_code == 200
    data = form_data(ProjectFactory.build(title="New Pilot", lead=cast.org_a, version=1), version="")
    assert client.post("/projecten/nieuw/", data).status_code == 302
    created = Project.objects.get(title="New Pilot")
    assert created.lead == cast.org_a and created.slug == "new-pilot"
    refused = client.post("/projecten/nieuw/", {**data, "title": "Other", "lead": str(cast.org_b.pk)})
    assert refused.status_code == 200 and not Project.objects.filter(title="Other").exists()
    # A signed-in user who edits no organisation may not create projects.
    assert client_as(UserFactory(username="nobody")).get("/projecten/nieuw/").status_code == 403


def test_archive_by_lead_editor_and_restore_by_curator(client_as, cast, project):
    assert client_as(cast.editor_a).post(f"/projecten/{project.slug}/archiveren/").status_code == 302
    project.refresh_from_db()
    assert project.archived_at is not None
    assert client_as(None).get(project.get_absolute_url()).status_code == 404
    assert client_as(cast.editor_a).post(f"/projecten/{project.slug}/herstellen/").status_code == 404
    assert client_as(cast.curator).post(f"/projecten/{project.slug}/herstellen/").status_code == 302
    project.refresh_from_db()
    assert project.archived_at is None


def test_detail_offers_edit_only_to_those_who_may(client_as, cast, project):
    url = project.get_absolute_url()
    assert edit_url(project.slug) in client_as(cast.editor_a).get(url).content.decode()
    assert edit_url(project.slug) not in client_as(cast.editor_b).get(url).content.decode()
    assert edit_url(project.slug) not in client_as(None).get(url).content.decode()


# --- Contact person: members only ---------------------------------------------------------------

SECRET = {"name": "Zoë Privé", "email": "zoe.prive@example.org", "phone": "+32 470 11 22 33"}


@pytest.fixture
def with_contact(project):
    ProjectContact.objects.create(project=project, **SECRET)
    return project


def _absent(text: str) -> None:
    for value in SECRET.values():
        assert value not in text
    assert "zoe.prive" not in text


def test_contact_is_shown_to_signed_in_members_only(client_as, cast, with_contact):
    url = with_contact.get_absolute_url()
    _absent(client_as(None).get(url).content.decode())
    members_page = client_as(cast.editor_b).get(url).content.decode()
    assert SECRET["name"] in members_page and SECRET["email"] in members_page


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_contact_is_never_in_exports(client_as, cast, with_contact, fmt):
    response = client_as(cast.curator).get("/projecten/", {"format": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            text = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    else:
        text = body.decode("utf-8-sig")
    assert "air-sensors" in text  # the project itself is exported
    _absent(text)


def test_contact_is_never_in_the_api(client_as, cast, with_contact):
    client = client_as(cast.curator)
    detail = client.get(f"/api/v1/projects/{with_contact.slug}/")
    listing = client.get("/api/v1/projects/")
    assert detail.status_code == 200 and listing.status_code == 200
    _absent(json.dumps(detail.json()))
    _absent(json.dumps(listing.json()))
    assert "contact" not in detail.json()


def test_contact_is_not_in_the_public_history(client_as, cast, with_contact):
    client_as(cast.editor_a).post(
        edit_url(with_contact.slug),
        form_data(with_contact, contact_name="Other Person", contact_email="other@example.org"),
    )
    response = client_as(None).get(f"/history/project/{with_contact.slug}/")
    assert response.status_code == 200
    history = response.content.decode()
    assert ProjectContact.objects.get(project=with_contact).email == "other@example.org"
    assert "other@example.org" not in history and "Other Person" not in history


def test_clearing_the_contact_name_removes_the_contact(client_as, cast, with_contact):
    response = client_as(cast.editor_a).post(edit_url(with_contact.slug), form_data(with_contact))
    assert response.status_code == 302
    assert not ProjectContact.objects.filter(project=with_contact).exists()


def test_link_seen_from_the_other_side_is_kept_when_this_side_saves(client_as, cast, project):
    other = ProjectFactory(slug="other", title="Other", lead=cast.org_b)
    ProjectLink.objects.create(from_project=other, to_project=project, kind="inspired_by")
    client_as(cast.editor_a).post(edit_url(project.slug), form_data(project))
    assert ProjectLink.objects.filter(from_project=other, to_project=project).exists()


def test_a_result_stated_as_text_stays_text(client_as, cast, project):
    data = form_data(project, results="sensors | 40 | pcs\nA public dashboard")
    assert client_as(cast.editor_a).post(edit_url(project.slug), data).status_code == 302
    project.refresh_from_db()
    assert project.results == [{"indicator": "sensors", "value": "40", "unit": "pcs"}, "A public dashboard"]

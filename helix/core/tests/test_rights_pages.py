"""The rights matrix of every write page: anonymous -> sign in, own record -> success,
another organisation's record -> 403, missing or archived (non-curator) -> 404, curator -> everywhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helix.actors.models import Organisation
from helix.core.tests.rights_helpers import form_data
from helix.instruments.models import Instrument

pytestmark = pytest.mark.django_db

EDIT_PAGES = [
    ("actors:organisation-edit", "org_a", "org_b"),
    ("instruments:instrument-edit", "instrument_a", "instrument_b"),
]
ACTIONS = ["archive", "restore"]


def url(name: str, obj) -> str:
    return reverse(name, kwargs={"slug": obj.slug})


@pytest.mark.parametrize(("name", "own", "other"), EDIT_PAGES)
def test_anonymous_is_sent_to_sign_in(cast, client, name, own, other):
    target = url(name, getattr(cast, own))
    for response in (client.get(target), client.post(target, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
        assert "next=" in response.url


@pytest.mark.parametrize(("name", "own", "other"), EDIT_PAGES)
def test_editor_opens_own_record_but_not_another_organisations(cast, client_as, name, own, other):
    client = client_as(cast.editor_a)
    assert client.get(url(name, getattr(cast, own))).status_code == 200
    assert client.get(url(name, getattr(cast, other))).status_code == 403
    assert client.post(url(name, getattr(cast, other)), {"name": "hijack", "title": "hijack"}).status_code == 403


@pytest.mark.parametrize(("name", "own", "other"), EDIT_PAGES)
def test_missing_and_archived_records_are_not_found(cast, client_as, name, own, other):
    client = client_as(cast.editor_a)
    assert client.get(reverse(name, kwargs={"slug": "no-such-record"})).status_code == 404
    record = getattr(cast, own)
    type(record).objects.filter(pk=record.pk).update(archived_at=timezone.now())
    assert client.get(url(name, record)).status_code == 404
    # A curator still reaches it (to restore it).
    assert client_as(cast.curator).get(url(name, record)).status_code == 200


@pytest.mark.parametrize(("name", "own", "other"), EDIT_PAGES)
def test_curator_and_admin_open_every_record(cast, client_as, name, own, other):
    for user in (cast.curator, cast.admin):
        client = client_as(user)
        assert client.get(url(name, getattr(cast, own))).status_code == 200
        assert client.get(url(name, getattr(cast, other))).status_code == 200


def test_editor_saves_own_organisation_and_lands_on_its_page(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(url("actors:organisation-edit", cast.org_a)).context["form"]
    response = client.post(url("actors:organisation-edit", cast.org_a), form_data(form, sector="Smart mobility"))
    assert response.status_code == 302
    assert response.url == reverse("actors:organisation-detail", kwargs={"slug": "org-a"})
    cast.org_a.refresh_from_db()
    assert cast.org_a.sector == "Smart mobility"
    assert cast.org_a.version == 2


def test_member_form_cannot_change_classification_or_status(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(url("actors:organisation-edit", cast.org_a)).context["form"]
    assert "status" not in form.fields and "kind" not in form.fields
    client.post(url("actors:organisation-edit", cast.org_a), form_data(form, status="merged", kind="municipality"))
    cast.org_a.refresh_from_db()
    assert cast.org_a.status == "active"
    assert cast.org_a.kind == "company"


def test_editor_saves_own_instrument(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(url("instruments:instrument-edit", cast.instrument_a)).context["form"]
    response = client.post(url("instruments:instrument-edit", cast.instrument_a), form_data(form, territory="Only Ghent"))
    assert response.status_code == 302
    cast.instrument_a.refresh_from_db()
    assert cast.instrument_a.territory == "Only Ghent"


# Create ----------------------------------------------------------------------------------------


def test_only_curators_create_organisations(cast, client_as):
    target = reverse("actors:organisation-create")
    assert client_as(None).get(target).status_code == 302
    assert client_as(cast.editor_a).get(target).status_code == 403
    assert client_as(cast.editor_a).post(target, {"name": "X", "kind": "company", "helix_role": "business"}).status_code == 403
    client = client_as(cast.curator)
    assert client.get(target).status_code == 200
    response = client.post(
        target, {"name": "Nieuwe Organisatie", "kind": "company", "helix_role": "business", "status": "active"}
    )
    assert response.status_code == 302
    created = Organisation.objects.get(name="Nieuwe Organisatie")
    assert created.slug == "nieuwe-organisatie"
    assert response.url == reverse("actors:organisation-detail", kwargs={"slug": created.slug})


def test_members_create_instruments_only_for_their_own_organisations(cast, client_as):
    target = reverse("instruments:instrument-create")
    assert client_as(None).get(target).status_code == 302
    client = client_as(cast.editor_a)
    form = client.get(target).context["form"]
    assert list(form.fields["offered_by"].queryset) == [cast.org_a]
    response = client.post(target, {"title": "Pilot fund A", "kind": "financial", "offered_by": cast.org_b.pk})
    assert response.status_code == 200
    assert "offered_by" in response.context["form"].errors
    assert not Instrument.objects.filter(title="Pilot fund A").exists()
    response = client.post(target, {"title": "Pilot fund A", "kind": "financial", "offered_by": cast.org_a.pk})
    assert response.status_code == 302
    assert Instrument.objects.get(title="Pilot fund A").offered_by == cast.org_a


def test_a_user_without_organisation_cannot_create_instruments(cast, client_as):
    from tests.factories import UserFactory

    assert client_as(UserFactory(username="nobody")).get(reverse("instruments:instrument-create")).status_code == 403


def test_curator_creates_instrument_for_any_organisation(cast, client_as):
    client = client_as(cast.curator)
    response = client.post(
        reverse("instruments:instrument-create"), {"title": "Regional call", "kind": "financial", "offered_by": "org-b"}
    )
    assert response.status_code == 302
    assert Instrument.objects.get(title="Regional call").offered_by == cast.org_b


# Archive and restore ---------------------------------------------------------------------------

ACTION_RECORDS = [("actors:organisation", "org_a", "org_b"), ("instruments:instrument", "instrument_a", "instrument_b")]


@pytest.mark.parametrize(("prefix", "own", "other"), ACTION_RECORDS)
def test_archive_and_restore_rights(cast, client_as, prefix, own, other):
    record, foreign = getattr(cast, own), getattr(cast, other)
    archive, restore = f"{prefix}-archive", f"{prefix}-restore"
    assert client_as(None).post(url(archive, record)).status_code == 302
    assert type(record).objects.get(pk=record.pk).archived_at is None

    editor = client_as(cast.editor_a)
    assert editor.get(url(archive, record)).status_code == 405  # POST only
    assert editor.post(url(archive, foreign)).status_code == 403
    assert editor.post(url(archive, record)).status_code == 302
    assert type(record).objects.get(pk=record.pk).archived_at is not None
    # Archived: gone for the editor, still there for the curator.
    assert editor.post(url(restore, record)).status_code == 404
    assert editor.post(url(archive, record)).status_code == 404

    curator = client_as(cast.curator)
    assert curator.post(url(restore, record)).status_code == 302
    assert type(record).objects.get(pk=record.pk).archived_at is None
    assert curator.post(url(archive, foreign)).status_code == 302
    assert type(foreign).objects.get(pk=foreign.pk).archived_at is not None


def test_csrf_is_enforced_on_write_pages(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.curator)
    assert client.post(url("actors:organisation-archive", cast.org_a)).status_code == 403
    assert Organisation.objects.get(pk=cast.org_a.pk).archived_at is None


# Contacts --------------------------------------------------------------------------------------


def test_contacts_are_managed_by_members_of_the_organisation_and_curators(cast, client_as):
    from helix.actors.models import ContactPerson

    target = reverse("actors:organisation-contacts", kwargs={"slug": "org-a"})
    assert client_as(None).get(target).status_code == 302
    assert client_as(cast.editor_b).get(target).status_code == 403
    editor = client_as(cast.editor_a)
    response = editor.post(target, {"name": "Jan Peeters", "email": "not-an-email"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert editor.post(target, {"name": "Jan Peeters", "email": "jan@example.org"}).status_code == 302
    contact = ContactPerson.objects.get(organisation=cast.org_a)
    assert "jan@example.org" in editor.get(target).content.decode()

    edit = reverse("actors:contact-edit", kwargs={"slug": "org-a", "pk": contact.pk})
    assert editor.post(edit, {"name": "Jan Peeters", "function": "CTO", "email": "jan@example.org"}).status_code == 302
    contact.refresh_from_db()
    assert contact.function == "CTO"
    # The same contact through another organisation's address is not found.
    other = reverse("actors:contact-edit", kwargs={"slug": "org-b", "pk": contact.pk})
    assert client_as(cast.curator).get(other).status_code == 404

    delete = reverse("actors:contact-delete", kwargs={"slug": "org-a", "pk": contact.pk})
    assert client_as(cast.editor_b).post(delete).status_code == 403
    assert client_as(cast.curator).post(delete).status_code == 302
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()

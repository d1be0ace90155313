"""History: every change shows who, when, channel and what; curators revert; personal data stays
hidden from the public; admin writes are tagged channel "admin" with the user."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from pghistory.models import Context

from helix.actors.models import Organisation
from helix.core.changelog import record_versions
from helix.core.history import Channel, history_context
from helix.core.tests.rights_helpers import form_data
from tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    # English URLs (/en/...) and messages; reverse() follows the active language.
    with translation.override("en"):
        yield


def edit(client, obj, **changes):
    target = reverse("actors:organisation-edit", kwargs={"slug": obj.slug})
    form = client.get(target).context["form"]
    response = client.post(target, form_data(form, **changes))
    assert response.status_code == 302, response.context["form"].errors
    return response


def history(client, slug="org-a", model="organisation"):
    return client.get(reverse("history:record", kwargs={"model": model, "slug": slug}))


def test_history_shows_who_channel_and_what_after_an_edit(cast, client_as):
    edit(client_as(cast.editor_a), cast.org_a, sector="Energy")
    versions = record_versions(Organisation.objects.get(pk=cast.org_a.pk))
    latest = versions[0]
    assert latest.who == "editor-a"
    assert latest.channel == Channel.WEB
    assert latest.batch
    assert [(c.name, c.old, c.new) for c in latest.changes] == [("sector", "—", "Energy")]

    body = history(client_as(cast.editor_b)).content.decode()  # user names: for signed-in members only
    assert "editor-a" in body
    assert "Energy" in body
    assert "web" in body
    assert "system" in body  # the factory's insert ran without a user


def test_history_of_unknown_model_or_archived_record(cast, client_as):
    assert client_as(None).get(reverse("history:record", kwargs={"model": "user", "slug": "org-a"})).status_code == 404
    Organisation.objects.filter(pk=cast.org_a.pk).update(archived_at="2025-01-01T00:00:00Z")
    assert history(client_as(cast.editor_a)).status_code == 404
    assert history(client_as(cast.curator)).status_code == 200


def test_contact_history_is_for_curators_only(cast, client_as):
    with history_context(channel=Channel.COMMAND):
        ContactPersonFactory(organisation=cast.org_a, name="Griet Janssens", email="griet@example.org")
    assert "griet@example.org" not in history(client_as(None)).content.decode()
    assert "griet@example.org" not in history(client_as(cast.editor_a)).content.decode()
    assert "griet@example.org" in history(client_as(cast.curator)).content.decode()


def test_curator_reverts_to_an_earlier_version_and_the_revert_is_in_history(cast, client_as):
    editor = client_as(cast.editor_a)
    edit(editor, cast.org_a, sector="Energy", website="https://a.example.org")
    first = record_versions(Organisation.objects.get(pk=cast.org_a.pk))[0]
    edit(editor, cast.org_a, sector="Mobility", website="")
    org = Organisation.objects.get(pk=cast.org_a.pk)
    assert (org.sector, org.website, org.version) == ("Mobility", "", 3)

    target = reverse("history:revert", kwargs={"model": "organisation", "slug": "org-a", "event_id": first.event_id})
    assert client_as(None).post(target).status_code == 302  # to sign in
    assert client_as(cast.editor_a).post(target).status_code == 403
    assert client_as(cast.curator).get(target).status_code == 405
    response = client_as(cast.curator).post(target)
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.sector, org.website, org.version) == ("Energy", "https://a.example.org", 4)

    latest = record_versions(org)[0]
    assert latest.who == "curator"
    assert latest.context["reverted_to"] == first.event_id
    assert {c.name for c in latest.changes} == {"sector", "website"}
    assert f"reverted to event {first.event_id}" in history(client_as(None)).content.decode()


def test_revert_of_an_event_of_another_record_is_not_found(cast, client_as):
    other = record_versions(cast.org_b)[0]
    target = reverse("history:revert", kwargs={"model": "organisation", "slug": "org-a", "event_id": other.event_id})
    assert client_as(cast.curator).post(target).status_code == 404


def test_instrument_history(cast, client_as):
    target = reverse("instruments:instrument-edit", kwargs={"slug": "instrument-a"})
    client = client_as(cast.curator)
    form = client.get(target).context["form"]
    assert client.post(target, form_data(form, recurrence="yearly")).status_code == 302
    body = history(client_as(cast.editor_b), slug="instrument-a", model="instrument").content.decode()
    assert "yearly" in body and "curator" in body


def test_admin_edit_is_recorded_with_channel_admin_and_the_user(cast, client_as):
    client = client_as(cast.admin)
    url = reverse("admin:actors_organisation_change", args=[cast.org_a.pk])
    form = client.get(url).context["adminform"].form
    data = form_data(form, sector="Admin sector")
    # The inline formsets of the change page, sent back unchanged.
    for formset in client.get(url).context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for i, inline in enumerate(formset.formset.forms):
            for name, value in form_data(inline).items():
                data[f"{formset.formset.prefix}-{i}-{name}"] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    org = Organisation.objects.get(pk=cast.org_a.pk)
    assert org.sector == "Admin sector"
    assert org.version == 2
    latest = record_versions(org)[0]
    assert latest.channel == Channel.ADMIN
    assert latest.who == "admin"
    assert Context.objects.filter(metadata__channel="admin", metadata__user=cast.admin.pk).exists()


def test_admin_cannot_delete_records_but_archives_them(cast, client_as):
    client = client_as(cast.admin)
    changelist = reverse("admin:actors_organisation_changelist")
    assert client.get(changelist, {"q": "Organisation A"}).status_code == 200
    response = client.post(
        changelist, {"action": "archive_selected", "_selected_action": [cast.org_a.pk], "index": 0}, follow=True
    )
    assert response.status_code == 200
    assert Organisation.objects.get(pk=cast.org_a.pk).archived_at is not None
    assert record_versions(Organisation.objects.get(pk=cast.org_a.pk))[0].channel == Channel.ADMIN
    assert client.get(reverse("admin:actors_organisation_delete", args=[cast.org_a.pk])).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "actors_organisation",
        "actors_membership",
        "actors_externalidentifier",
        "actors_contactperson",
        "actors_organisationeditor",
        "instruments_instrument",
        "core_term",
        "core_scheme",
        "core_figure",
    ],
)
def test_admin_lists_open_with_search(cast, client_as, name):
    assert client_as(cast.admin).get(reverse(f"admin:{name}_changelist"), {"q": "a"}).status_code == 200

"""Erasure of a contact person: the live record and every copy in the change history."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from helix.actors import services
from helix.actors.models import ContactPerson
from helix.core.history import history_context
from tests.factories import ContactPersonFactory


def _events():
    from helix.core.erasure import _event_model

    model = _event_model(ContactPerson)
    assert model is not None, "ContactPerson is tracked by pghistory"
    return model.objects


@pytest.fixture
def jana(cast):
    with history_context(channel="test", user=cast.curator):
        contact = ContactPersonFactory(organisation=cast.org_a, name="Jana Peeters", email="Jana@Example.org", phone="0470")
        services.update_contact(contact=contact, data={"function": "coordinator"}, user=cast.curator)
    return contact


def test_erasure_deletes_the_contact_and_blanks_its_history(jana, cast):
    other = ContactPersonFactory(organisation=cast.org_a, name="Piet Janssens", email="piet@example.org")
    assert _events().filter(pgh_obj_id=jana.pk, name="Jana Peeters").count() >= 2

    out = StringIO()
    call_command("erase_personal_data", "--email", "jana@example.org", stdout=out)

    assert not ContactPerson.objects.filter(pk=jana.pk).exists()
    rows = list(_events().filter(pgh_obj_id=jana.pk).order_by("pgh_id"))
    assert rows, "the history still records that changes happened"
    assert {(r.name, r.function, r.email, r.phone) for r in rows} == {("", "", "", "")}
    assert rows[-1].pgh_label == "delete"
    assert rows[-1].pgh_context.metadata["channel"] == "erasure"
    # Someone else is untouched.
    assert ContactPerson.objects.get(pk=other.pk).name == "Piet Janssens"
    assert _events().filter(pgh_obj_id=other.pk, name="Piet Janssens").exists()
    assert "Erased" in out.getvalue()


def test_erasure_reaches_people_already_deleted(jana, cast):
    services.delete_contact(contact=jana, user=cast.curator)
    assert _events().filter(email__iexact="jana@example.org").exists()
    call_command("erase_personal_data", "--email", "JANA@example.org", stdout=StringIO())
    assert not _events().filter(name="Jana Peeters").exists()
    assert not _events().filter(email__iexact="jana@example.org").exists()


def test_dry_run_changes_nothing(jana):
    out = StringIO()
    call_command("erase_personal_data", "--contact", str(jana.pk), "--dry-run", stdout=out)
    assert ContactPerson.objects.filter(pk=jana.pk).exists()
    assert _events().filter(pgh_obj_id=jana.pk, name="Jana Peeters").exists()
    assert "Dry run" in out.getvalue()


def test_the_command_asks_for_a_person(db):
    with pytest.raises(CommandError, match="--email"):
        call_command("erase_personal_data", stdout=StringIO())
    out = StringIO()
    call_command("erase_personal_data", "--email", "nobody@example.org", stdout=out)
    assert "Nothing found" in out.getvalue()


def test_erasure_covers_project_contacts(cast):
    from helix.projects.models import Project, ProjectContact

    project = Project.objects.create(slug="p-erase", title="Project", source="test", lead=cast.org_a)
    ProjectContact.objects.create(project=project, name="Jana Peeters", email="jana@example.org")
    call_command("erase_personal_data", "--email", "jana@example.org", stdout=StringIO())
    assert not ProjectContact.objects.filter(project=project).exists()
    assert Project.objects.filter(pk=project.pk).exists()

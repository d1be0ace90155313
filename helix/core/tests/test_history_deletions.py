"""Deletions of dependent rows (memberships, identifiers, contacts, editor rights) are recorded."""

import pytest
from django.urls import reverse

from helix.actors.models import ContactPerson, Membership, OrganisationEditor
from helix.core.changelog import event_model_for
from helix.core.history import Channel, history_context
from tests.factories import ContactPersonFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_deleted_membership_is_in_the_organisations_history(cast, client_as):
    membership = MembershipFactory(subject=cast.org_a, object=cast.org_b, predicate="member_of")
    membership_pk = membership.pk
    with history_context(channel=Channel.COMMAND):
        membership.delete()
    events = event_model_for(Membership).objects.filter(pgh_obj_id=membership_pk)
    assert list(events.values_list("pgh_label", flat=True).order_by("pgh_id")) == ["insert", "delete"]
    page = client_as(cast.curator).get(reverse("history:record", kwargs={"model": "organisation", "slug": "org-a"}))
    assert page.status_code == 200
    assert any(v.action == "delete" and v.changes for v in page.context["versions"])


def test_deleting_a_contact_or_an_editor_right_leaves_a_trace(cast):
    contact = ContactPersonFactory(organisation=cast.org_a)
    contact_pk = contact.pk
    contact.delete()
    right = OrganisationEditor.objects.get(user=cast.editor_a, organisation=cast.org_a)
    right_pk = right.pk
    right.delete()
    assert event_model_for(ContactPerson).objects.filter(pgh_obj_id=contact_pk, pgh_label="delete").exists()
    assert event_model_for(OrganisationEditor).objects.filter(pgh_obj_id=right_pk, pgh_label="delete").exists()


def test_anonymous_visitors_do_not_see_who_edited(cast, client_as):
    from helix.core.services import save_record

    with history_context(channel=Channel.WEB, user=cast.editor_a):
        save_record(cast.org_a, changes={"description_en": "Sensors"}, user=cast.editor_a)
    url = reverse("history:record", kwargs={"model": "organisation", "slug": "org-a"})
    anonymous = client_as(None).get(url).content.decode()
    member = client_as(cast.editor_b).get(url).content.decode()
    assert "editor-a" not in anonymous
    assert "editor-a" in member

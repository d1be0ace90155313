"""Editing organisations: stale saves, enterprise numbers, error messages, merging duplicates."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from helix.actors.choices import OrganisationStatus
from helix.actors.models import ContactPerson, ExternalIdentifier, Membership, Organisation, OrganisationEditor
from helix.actors.services import merge_organisations, update_organisation
from helix.core.changelog import record_versions
from helix.core.history import Channel, history_context
from helix.core.services import StaleVersion
from helix.core.tests.rights_helpers import form_data
from helix.instruments.models import Instrument
from tests.factories import ContactPersonFactory, InstrumentFactory, MembershipFactory, OrganisationFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    # English URLs (/en/...) and messages; reverse() follows the active language.
    with translation.override("en"):
        yield


def edit_url(org):
    return reverse("actors:organisation-edit", kwargs={"slug": org.slug})


def test_second_of_two_editors_gets_the_conflict_and_the_database_keeps_the_first(cast, client_as):
    from helix.actors.models import OrganisationEditor

    OrganisationEditor.objects.create(user=cast.editor_b, organisation=cast.org_a)
    first = client_as(cast.editor_a)
    form_first = first.get(edit_url(cast.org_a)).context["form"]
    from django.test import Client

    second = Client()
    second.force_login(cast.editor_b)
    form_second = second.get(edit_url(cast.org_a)).context["form"]

    assert first.post(edit_url(cast.org_a), form_data(form_first, sector="Energy")).status_code == 302
    response = second.post(edit_url(cast.org_a), form_data(form_second, sector="Water"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed by someone else since you opened it" in body
    assert "editor-a" in body  # who
    assert "Energy" in body  # their change
    org = Organisation.objects.get(pk=cast.org_a.pk)
    assert org.sector == "Energy"
    assert org.version == 2
    # The form keeps the second editor's input, now against the current version: saving again is deliberate.
    assert response.context["form"]["sector"].value() == "Water"
    assert response.context["form"]["version"].value() == "2"
    assert second.post(edit_url(cast.org_a), form_data(response.context["form"])).status_code == 302
    assert Organisation.objects.get(pk=cast.org_a.pk).sector == "Water"


def test_service_refuses_a_stale_version(cast):
    with history_context(channel=Channel.COMMAND):
        update_organisation(organisation=cast.org_a, data={"sector": "A"}, user=cast.editor_a, expected_version=1)
        stale = Organisation.objects.get(pk=cast.org_a.pk)
        stale.version = 1
        with pytest.raises(StaleVersion):
            update_organisation(organisation=stale, data={"sector": "B"}, user=cast.editor_a, expected_version=1)
    assert Organisation.objects.get(pk=cast.org_a.pk).sector == "A"


def test_service_checks_rights(cast):
    with pytest.raises(PermissionDenied):
        update_organisation(organisation=cast.org_b, data={"sector": "x"}, user=cast.editor_a, expected_version=None)


@pytest.mark.parametrize("raw", ["0123.456.749", "BE 0123 456 749", "123456749"])
def test_enterprise_number_is_validated_and_normalised(cast, client_as, raw):
    client = client_as(cast.editor_a)
    form = client.get(edit_url(cast.org_a)).context["form"]
    assert client.post(edit_url(cast.org_a), form_data(form, enterprise_number=raw)).status_code == 302
    assert Organisation.objects.get(pk=cast.org_a.pk).enterprise_number == "0123456749"


def test_invalid_enterprise_number_says_what_to_fix_and_saves_nothing(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(edit_url(cast.org_a)).context["form"]
    response = client.post(edit_url(cast.org_a), form_data(form, enterprise_number="0123.456.789", sector="changed"))
    assert response.status_code == 200
    error = response.context["form"].errors["enterprise_number"][0]
    assert "not a valid Belgian enterprise number" in error and "10 digits" in error
    assert "not a valid Belgian enterprise number" in response.content.decode()
    org = Organisation.objects.get(pk=cast.org_a.pk)
    assert (org.enterprise_number, org.sector, org.version) == ("", "", 1)


def test_other_field_errors_name_the_field(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(edit_url(cast.org_a)).context["form"]
    response = client.post(edit_url(cast.org_a), form_data(form, name="", website="not a url", founded_year="99"))
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "website", "founded_year"}
    assert "e.g. 2015" in " ".join(errors["founded_year"])


def test_taxonomy_fields_offer_only_their_scheme(cast, client_as):
    domain = TermFactory(scheme__slug="domains", code="mobility")
    TermFactory(scheme__slug="sdgs", code="sdg-11")
    client = client_as(cast.editor_a)
    form = client.get(edit_url(cast.org_a)).context["form"]
    assert list(form.fields["domains"].queryset) == [domain]
    assert client.post(edit_url(cast.org_a), form_data(form, domains=[str(domain.pk)])).status_code == 302
    assert list(Organisation.objects.get(pk=cast.org_a.pk).domains.all()) == [domain]


# Merge -----------------------------------------------------------------------------------------


@pytest.fixture
def duplicate(cast):
    dup = OrganisationFactory(slug="org-a-dup", name="Organisation A nv", enterprise_number="0123456749")
    MembershipFactory(subject=dup, object=cast.org_b, slug="dup-member-of-b")
    MembershipFactory(subject=cast.org_b, object=dup, slug="b-partner-of-dup", predicate="partner_of")
    MembershipFactory(subject=cast.org_a, object=dup, slug="a-part-of-dup", predicate="part_of")
    ExternalIdentifier.objects.create(organisation=dup, scheme="kbo", value="0123456749")
    ContactPersonFactory(organisation=dup, name="Piet Dup")
    InstrumentFactory(slug="dup-fund", offered_by=dup)
    OrganisationEditor.objects.create(user=cast.editor_b, organisation=dup)
    OrganisationEditor.objects.create(user=cast.editor_a, organisation=dup)
    return dup


def test_merge_moves_relations_and_archives_the_duplicate(cast, duplicate):
    with history_context(channel=Channel.WEB, user=cast.curator):
        merge_organisations(keep=cast.org_a, duplicate=duplicate, user=cast.curator)
    keep = Organisation.objects.get(pk=cast.org_a.pk)
    dup = Organisation.objects.get(pk=duplicate.pk)
    assert dup.status == OrganisationStatus.MERGED
    assert dup.merged_into == keep
    assert dup.archived_at is not None
    assert Membership.objects.get(slug="dup-member-of-b").subject == keep
    assert Membership.objects.get(slug="b-partner-of-dup").object == keep
    assert not Membership.objects.filter(slug="a-part-of-dup").exists()  # would be a self-relation
    assert ExternalIdentifier.objects.get(value="0123456749").organisation == keep
    assert ContactPerson.objects.get(name="Piet Dup").organisation == keep
    assert Instrument.objects.get(slug="dup-fund").offered_by == keep
    assert set(OrganisationEditor.objects.filter(organisation=keep).values_list("user__username", flat=True)) == {
        "editor-a",
        "editor-b",
    }
    assert not OrganisationEditor.objects.filter(organisation=dup).exists()
    assert "Organisation A nv" in keep.alternative_names
    assert keep.enterprise_number == "0123456749"
    # One context for the whole merge, with who and why.
    latest = record_versions(dup)[0]
    assert latest.who == "curator"
    assert latest.context["merged_into"] == "org-a"


def test_merge_is_for_curators_and_needs_two_records(cast, duplicate):
    with pytest.raises(PermissionDenied):
        merge_organisations(keep=cast.org_a, duplicate=duplicate, user=cast.editor_a)
    with pytest.raises(ValidationError):
        merge_organisations(keep=cast.org_a, duplicate=cast.org_a, user=cast.curator)


def test_merge_page(cast, client_as, duplicate):
    target = reverse("actors:organisation-merge", kwargs={"slug": "org-a"})
    assert client_as(None).get(target).status_code == 302
    assert client_as(cast.editor_a).get(target).status_code == 403
    curator = client_as(cast.curator)
    assert curator.get(target).status_code == 200
    response = curator.post(target, {"duplicate": "no-such-org"})
    assert "No live organisation" in response.content.decode()
    response = curator.post(target, {"duplicate": "org-a-dup"})
    assert response.status_code == 302
    assert Organisation.objects.get(slug="org-a-dup").merged_into_id == cast.org_a.pk
    assert record_versions(Organisation.objects.get(slug="org-a-dup"))[0].channel == Channel.WEB

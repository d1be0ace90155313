"""Many-to-many fields (domains, SDGs, phases, co-offering organisations, ...) are in the history:
every link added or removed, through any channel, shows before -> after with who and channel,
and a curator's revert gives the record back the links of that version."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from helix.actors.models import Organisation
from helix.core.changelog import record_versions
from helix.core.history import Channel, history_context
from helix.core.m2m_history import link_triggers, m2m_changes, tracked_fields
from helix.core.tests.rights_helpers import form_data
from helix.instruments.models import Instrument
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def domains(db):
    return [TermFactory(code=code, label_en=label) for code, label in (("mob", "Mobility"), ("nrg", "Energy"), ("wat", "Water"))]


def edit(client, obj, **changes):
    target = reverse("actors:organisation-edit", kwargs={"slug": obj.slug})
    form = client.get(target).context["form"]
    response = client.post(target, form_data(form, **changes))
    assert response.status_code == 302, response.context["form"].errors


def change_of(version, name):
    return next(c for c in version.changes if c.name == name)


def test_every_tracked_record_field_is_many_to_many_and_has_its_triggers():
    from helix.market.models import Challenge, Solution
    from helix.projects.models import Project

    for model in (Organisation, Instrument, Project, Challenge, Solution):
        fields = tracked_fields(model)
        assert fields, model
        for name in fields:
            assert model._meta.get_field(name).many_to_many
    assert "actors.OrganisationDomainsLink:delete_delete" in link_triggers(Organisation)


def test_an_edit_of_domains_is_one_version_with_before_and_after(cast, client_as, domains):
    mobility, energy, water = domains
    cast.org_a.domains.set([mobility])
    edit(client_as(cast.editor_a), cast.org_a, sector="Energy", domains=[str(energy.pk), str(water.pk)])

    latest = record_versions(Organisation.objects.get(pk=cast.org_a.pk))[0]
    assert latest.is_record and latest.who == "editor-a" and latest.channel == Channel.WEB
    assert {c.name for c in latest.changes} == {"sector", "domains"}
    domain_change = change_of(latest, "domains")
    assert (domain_change.label, domain_change.old, domain_change.new) == ("domains", "Mobility", "Energy, Water")

    body = client_as(cast.editor_b).get(reverse("history:record", kwargs={"model": "organisation", "slug": "org-a"}))
    assert "Energy, Water" in body.content.decode()


def test_a_link_added_without_saving_the_record_is_its_own_version(cast, domains):
    mobility, energy, _water = domains
    with history_context(channel=Channel.COMMAND):
        cast.org_a.domains.add(mobility)
    with history_context(channel=Channel.IMPORT, batch="b-1"):
        cast.org_a.domains.add(energy)
        cast.org_a.domains.remove(mobility)

    versions = [v for v in record_versions(cast.org_a) if not v.is_record]
    assert [(v.channel, change_of(v, "domains").old, change_of(v, "domains").new) for v in versions] == [
        (Channel.IMPORT, "Mobility", "Energy"),
        (Channel.COMMAND, "—", "Mobility"),
    ]
    assert versions[0].batch == "b-1"
    assert [c.field for c in m2m_changes(cast.org_a)] == ["domains", "domains"]


def test_instrument_links_to_organisations_are_recorded(cast):
    instrument = Instrument.objects.get(slug="instrument-a")
    with history_context(channel=Channel.COMMAND):
        instrument.co_offered_by.add(cast.org_b)
    (links,) = [v for v in record_versions(instrument) if not v.is_record]
    change = change_of(links, "co_offered_by")
    assert (change.old, change.new) == ("—", "Organisation B")


@pytest.mark.django_db(transaction=True)  # each request its own transaction, as in production
def test_curator_revert_restores_the_links_of_that_version(cast, client_as, domains):
    mobility, energy, water = domains
    editor = client_as(cast.editor_a)
    edit(editor, cast.org_a, sector="Mobility", domains=[str(mobility.pk)])
    first = record_versions(Organisation.objects.get(pk=cast.org_a.pk))[0]
    edit(editor, cast.org_a, sector="Energy", domains=[str(energy.pk), str(water.pk)])
    with history_context(channel=Channel.COMMAND):  # a later link-only change is undone too
        cast.org_a.domains.remove(water)

    target = reverse("history:revert", kwargs={"model": "organisation", "slug": "org-a", "event_id": first.event_id})
    assert client_as(cast.curator).post(target).status_code == 302

    org = Organisation.objects.get(pk=cast.org_a.pk)
    assert org.sector == "Mobility"
    assert set(org.domains.all()) == {mobility}
    latest = record_versions(org)[0]
    assert latest.context["reverted_to"] == first.event_id
    assert (change_of(latest, "domains").old, change_of(latest, "domains").new) == ("Energy", "Mobility")

"""Publisher matching: by URI/identifier, by exact (alternative) name, ambiguous, resolved."""

from __future__ import annotations

import pytest

from helix.actors.choices import IdentifierScheme
from helix.actors.models import ExternalIdentifier
from helix.opendata.harvest import run_harvest
from helix.opendata.harvest_publishers import PublisherMatcher, identifiers_in
from helix.opendata.harvest_services import resolve_publisher, start_run
from helix.opendata.models import Dataset, HarvestSource, PublisherMatch
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_identifiers_in_uris():
    assert identifiers_in("https://data.vlaanderen.be/id/organisatie/OVO002949") == {(IdentifierScheme.OVO, "OVO002949")}
    assert (IdentifierScheme.KBO, "0207451227") in identifiers_in("https://kbopub.example/0207.451.227")


def test_matching_by_name_uri_identifier_and_ambiguity():
    gent = OrganisationFactory(slug="stad-gent", name="Stad Gent", alternative_names=["Gent"])
    OrganisationFactory(slug="gent-other", name="Gent vzw", alternative_names=["Stad Gent"])
    leuven = OrganisationFactory(slug="stad-leuven", name="Stad Leuven")
    ExternalIdentifier.objects.create(organisation=leuven, scheme=IdentifierScheme.OVO, value="OVO000123")
    ExternalIdentifier.objects.create(organisation=gent, scheme=IdentifierScheme.URL, value="https://stad.gent/id/org")
    matcher = PublisherMatcher()
    assert matcher.match("", "stad   LEUVEN").organisation_id == leuven.pk
    assert matcher.match("https://example.org/org/OVO000123", "Something else").organisation_id == leuven.pk
    assert matcher.match("https://stad.gent/id/org", "").organisation_id == gent.pk
    ambiguous = matcher.match("", "Stad Gent")
    assert ambiguous.status == PublisherMatch.AMBIGUOUS and ambiguous.organisation_id is None
    assert len(ambiguous.candidates) == 2
    assert matcher.match("", "Nobody").status == PublisherMatch.UNMATCHED


def test_resolution_applies_now_and_on_later_harvests(catalogue):
    madrid = OrganisationFactory(slug="madrid", name="Madrid (city)")
    OrganisationFactory(slug="madrid-a", name="A", alternative_names=["Ayuntamiento de Madrid"])
    OrganisationFactory(slug="madrid-b", name="B", alternative_names=["Ayuntamiento de Madrid"])
    source = HarvestSource.objects.create(title="Madrid", url=catalogue.url("/es.ttl"))
    run_harvest(start_run(source, enqueue=False).pk)
    dataset = Dataset.objects.get()
    assert dataset.publisher_match == PublisherMatch.AMBIGUOUS
    assert resolve_publisher(publisher_uri=dataset.publisher_uri, publisher_name=dataset.publisher_name, organisation=madrid) == 1
    dataset.refresh_from_db()
    assert (dataset.organisation, dataset.publisher_match) == (madrid, PublisherMatch.RESOLVED)
    # a changed record keeps the curator's decision
    Dataset.objects.update(content_hash="stale")
    run_harvest(start_run(source, enqueue=False).pk)
    dataset.refresh_from_db()
    assert (dataset.organisation, dataset.publisher_match) == (madrid, PublisherMatch.RESOLVED)

"""Pages: rights (sign in, 404 out of scope, 403 missing right), registering and running a
source, run progress partial, datasets, publisher resolution."""

from __future__ import annotations

import pytest
from django.urls import reverse

from helix.opendata.models import Dataset, HarvestRun, HarvestSource, PublisherMatch, RunStatus
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client_as, cast):
    response = client_as(None).get(reverse("opendata:source_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_user_without_organisation_gets_403(client_as, cast):
    user = UserFactory(username="nobody")
    assert client_as(user).get(reverse("opendata:source_list")).status_code == 403
    assert client_as(user).get(reverse("opendata:source_create")).status_code == 403


def test_editor_registers_own_portal_only(client_as, cast, catalogue):
    client = client_as(cast.editor_a)
    page = client.get(reverse("opendata:source_create"))
    assert page.status_code == 200
    assert cast.org_b.name not in page.content.decode()
    refused = client.post(
        reverse("opendata:source_create"),
        {"title": "B", "url": "https://b.example/c.ttl", "format": "auto", "organisation": cast.org_b.pk, "enabled": "on"},
    )
    assert refused.status_code == 200 and not HarvestSource.objects.exists()
    response = client.post(
        reverse("opendata:source_create"),
        {"title": "Portaal A", "url": catalogue.url("/es.ttl"), "format": "auto", "organisation": cast.org_a.pk, "enabled": "on"},
    )
    source = HarvestSource.objects.get()
    assert response.status_code == 302 and source.organisation == cast.org_a
    # editor B may not see it (404), not edit it, not run it
    other = client_as(cast.editor_b)
    assert other.get(reverse("opendata:source_detail", args=[source.pk])).status_code == 404
    assert other.get(reverse("opendata:source_edit", args=[source.pk])).status_code == 404
    assert other.post(reverse("opendata:source_harvest", args=[source.pk])).status_code == 404
    assert not HarvestRun.objects.exists()
    assert "Portaal A" not in other.get(reverse("opendata:source_list")).content.decode()


def test_curator_registers_runs_and_sees_datasets(client_as, cast, catalogue):
    client = client_as(cast.curator)
    client.post(
        reverse("opendata:source_create"),
        {"title": "Rostock", "url": catalogue.url("/de.rdf"), "format": "rdfxml", "enabled": "on"},
    )
    source = HarvestSource.objects.get()
    assert source.organisation is None
    response = client.post(reverse("opendata:source_harvest", args=[source.pk]))
    run = HarvestRun.objects.get()
    assert response["Location"] == reverse("opendata:run_detail", args=[run.pk])
    assert run.status == RunStatus.SUCCEEDED  # immediate task backend in tests
    page = client.get(response["Location"]).content.decode()
    assert "Geslaagd" in page or "succeeded" in page
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert 'hx-trigger="every 2s"' not in partial.content.decode()  # finished: no more polling
    datasets = client_as(None).get(reverse("opendata:dataset_list")).content.decode()
    assert "Liefer- und Abholservices (Gastronomie)" in datasets
    detail = client_as(None).get(reverse("opendata:dataset_detail", args=[Dataset.objects.get().pk])).content.decode()
    assert "geodienste@rostock.de" not in detail
    assert "cc-zero" in detail  # the original licence is shown next to the EU one


def test_active_run_page_polls_and_refreshes_without_js(client_as, cast):
    source = HarvestSource.objects.create(title="S", url="https://example.org/c.ttl")
    run = HarvestRun.objects.create(source=source, status=RunStatus.RUNNING, seen=7)
    page = client_as(cast.curator).get(reverse("opendata:run_detail", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'http-equiv="refresh"' in page
    assert ">7<" in page


def test_publisher_page_for_curators_only(client_as, cast):
    source = HarvestSource.objects.create(title="S", url="https://example.org/c.ttl")
    first = OrganisationFactory(slug="x-1", name="X1", alternative_names=["Dubbel"])
    OrganisationFactory(slug="x-2", name="X2", alternative_names=["Dubbel"])
    Dataset.objects.create(
        source=source, uri="https://example.org/d", publisher_name="Dubbel", publisher_match=PublisherMatch.AMBIGUOUS
    )
    assert client_as(cast.editor_a).get(reverse("opendata:publisher_list")).status_code == 403
    client = client_as(cast.curator)
    page = client.get(reverse("opendata:publisher_list")).content.decode()
    assert "X1" in page and "X2" in page
    client.post(reverse("opendata:publisher_list"), {"publisher_uri": "", "publisher_name": "Dubbel", "organisation": "x-1"})
    dataset = Dataset.objects.get()
    assert (dataset.organisation, dataset.publisher_match) == (first, PublisherMatch.RESOLVED)


def test_harvested_urls_never_become_script_links(client_as, cast):
    from helix.opendata.models import Distribution

    source = HarvestSource.objects.create(title="S", url="https://example.org/c.ttl")
    dataset = Dataset.objects.create(source=source, uri="javascript:alert(1)", title="X", landing_page="javascript:alert(2)")
    Distribution.objects.create(dataset=dataset, access_url="javascript:alert(3)", download_urls=["https://ok.example/f.csv"])
    page = client_as(None).get(reverse("opendata:dataset_detail", args=[dataset.pk])).content.decode()
    assert 'href="javascript' not in page
    assert 'href="https://ok.example/f.csv"' in page

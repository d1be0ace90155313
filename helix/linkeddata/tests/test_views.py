"""URIs, content negotiation, documents, the catalogue and its downloads, over HTTP."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF, SKOS

from helix.linkeddata.catalogue import REGISTRIES
from helix.linkeddata.mapping import KINDS
from helix.linkeddata.uris import record_uri

pytestmark = pytest.mark.django_db

TURTLE = "text/turtle"
JSONLD = "application/ld+json"


@pytest.fixture(autouse=True)
def dump_folder(settings: Any, tmp_path: Any) -> Any:
    settings.HELIX_LINKED_DATA_DIR = str(tmp_path / "linked-data")
    return tmp_path / "linked-data"


def parsed(response: Any, fmt: str) -> Graph:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Graph().parse(data=body.decode(), format="json-ld" if fmt == "jsonld" else "turtle")


class Ref:
    """A record and the key of its URI (slug, or pk for harvested datasets)."""

    def __init__(self, kind: str, record: Any) -> None:
        self.kind, self.record, self.slug = kind, record, KINDS[kind].key(record)

    def get_absolute_url(self) -> str:
        return str(self.record.get_absolute_url())


def records(sample: Any) -> list[tuple[str, Any]]:
    return [
        (kind, Ref(kind, record))
        for kind, record in [
            ("organisation", sample.municipality),
            ("organisation", sample.company),
            ("instrument", sample.instrument),
            ("project", sample.project),
            ("challenge", sample.challenge),
            ("solution", sample.solution),
            *[("dataset", dataset) for dataset in sample.datasets],
        ]
    ]


@pytest.mark.parametrize(("accept", "suffix"), [(TURTLE, ".ttl"), (JSONLD, ".jsonld"), ("application/json", ".jsonld")])
def test_a_record_uri_answers_303_to_the_document_asked_for(client: Any, sample: Any, accept: str, suffix: str) -> None:
    for kind, record in records(sample):
        response = client.get(f"/id/{kind}/{record.slug}", HTTP_ACCEPT=accept)
        assert response.status_code == 303
        assert response["Location"] == f"/data/{kind}/{record.slug}{suffix}"
        assert "Accept" in response["Vary"]


def test_a_browser_is_sent_to_the_detail_page(client: Any, sample: Any) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for kind, record in records(sample):
        response = client.get(f"/id/{kind}/{record.slug}", HTTP_ACCEPT=accept)
        assert response.status_code == 303
        assert response["Location"] == record.get_absolute_url()
    # A municipality's page is its municipality page.
    assert client.get(f"/id/organisation/{sample.municipality.slug}")["Location"].startswith("/gemeenten/")


def test_quality_values_decide(client: Any, sample: Any) -> None:
    response = client.get(f"/id/project/{sample.project.slug}", HTTP_ACCEPT="text/html;q=0.5, text/turtle;q=0.9")
    assert response["Location"].endswith(".ttl")


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_documents_describe_the_record_under_its_uri(client: Any, sample: Any, fmt: str, settings: Any) -> None:
    for kind, record in records(sample):
        response = client.get(f"/data/{kind}/{record.slug}.{fmt}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(TURTLE if fmt == "ttl" else JSONLD)
        assert 'rel="alternate"' in response["Link"]
        graph = parsed(response, fmt)
        uri = record_uri(kind, record.slug)
        assert (uri, RDF.type, None) in graph
        assert str(uri) == f"{settings.HELIX_BASE_URL.rstrip('/')}/id/{kind}/{record.slug}"


def test_drafts_archived_and_unknown_records_are_not_served(client: Any, sample: Any) -> None:
    assert client.get(f"/id/challenge/{sample.draft.slug}", HTTP_ACCEPT=TURTLE).status_code == 404
    assert client.get(f"/data/challenge/{sample.draft.slug}.ttl").status_code == 404
    assert client.get("/id/organisation/no-such-organisation").status_code == 404
    assert client.get(f"/id/nosuchkind/{sample.company.slug}").status_code == 404
    assert client.get(f"/data/organisation/{sample.company.slug}.xml").status_code == 404


def test_an_archived_record_disappears(client: Any, sample: Any) -> None:
    from django.utils import timezone

    from helix.market.models import Solution

    Solution.objects.filter(pk=sample.solution.pk).update(archived_at=timezone.now())
    assert client.get(f"/id/solution/{sample.solution.slug}").status_code == 404
    assert client.get(f"/data/solution/{sample.solution.slug}.jsonld").status_code == 404


def test_detail_pages_announce_their_linked_data(client: Any, sample: Any) -> None:
    for kind, record in records(sample):
        response = client.get(record.get_absolute_url())
        assert response.status_code == 200
        link = response["Link"]
        assert f"/data/{kind}/{record.slug}.ttl>" in link and 'type="text/turtle"' in link
        assert f'<{record_uri(kind, record.slug)}>; rel="canonical"' in link


def test_concepts_are_served(client: Any, sample: Any) -> None:
    graph = parsed(client.get("/id/concept/sdgs/11"), "ttl")
    assert (None, SKOS.exactMatch, URIRef("http://metadata.un.org/sdg/11")) in graph
    nace = parsed(client.get("/id/concept/nace", HTTP_ACCEPT=JSONLD), "jsonld")
    assert (None, SKOS.exactMatch, URIRef("http://data.europa.eu/ux2/nace2/J")) in nace
    assert client.get("/id/concept/organisation-kinds/municipality").status_code == 200
    assert client.get("/id/concept/organisation-kinds/nonsense").status_code == 404
    assert client.get("/id/concept/no-scheme").status_code == 404


def test_the_catalogue_by_content_negotiation(client: Any, sample: Any) -> None:
    assert client.get("/data/catalog", HTTP_ACCEPT=TURTLE)["Location"] == "/data/catalog.ttl"
    assert client.get("/data/catalog", HTTP_ACCEPT=JSONLD)["Location"] == "/data/catalog.jsonld"
    assert client.get("/data/catalog", HTTP_ACCEPT="text/html")["Location"] == "/gekoppelde-data/"
    for fmt in ("ttl", "jsonld"):
        graph = parsed(client.get(f"/data/catalog.{fmt}"), fmt)
        datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
        assert {str(d).rsplit("/", 1)[-1] for d in datasets} == set(REGISTRIES)
        for dataset in datasets:
            expected = 2 if str(dataset).endswith("/datasets") else 5  # harvested datasets: no list export
            assert len(set(graph.objects(dataset, DCAT.distribution))) == expected


def test_every_distribution_can_be_downloaded(client: Any, sample: Any) -> None:
    graph = parsed(client.get("/data/catalog.ttl"), "ttl")
    urls = sorted({str(u) for u in graph.objects(None, DCAT.downloadURL)})
    assert len(urls) == sum(5 if r.list_url_name else 2 for r in REGISTRIES.values())
    for url in urls:
        path = url.removeprefix("http://127.0.0.1:8000")
        response = client.get(path)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, path
        if path.endswith(".ttl"):
            assert len(Graph().parse(data=body.decode(), format="turtle")) > 0
        elif path.endswith(".jsonld"):
            assert json.loads(body)["@graph"] is not None


def test_the_dumps_hold_every_public_record_and_no_draft(client: Any, sample: Any) -> None:
    body = b"".join(client.get("/data/dumps/challenges.ttl").streaming_content).decode()
    graph = Graph().parse(data=body, format="turtle")
    subjects = {str(s) for s in graph.subjects(RDF.type, None)}
    assert str(record_uri("challenge", sample.challenge.slug)) in subjects
    assert str(record_uri("challenge", sample.draft.slug)) not in subjects
    body = b"".join(client.get("/data/dumps/municipalities.jsonld").streaming_content).decode()
    graph = Graph().parse(data=body, format="json-ld")
    municipalities = KINDS["organisation"].queryset().filter(kind="municipality").count()
    described = {s for s in graph.subjects(RDF.type, None) if (s, URIRef("http://purl.org/dc/terms/identifier"), None) in graph}
    assert len(described) == municipalities > 500


def test_the_command_writes_every_dump_and_the_catalogue(sample: Any, dump_folder: Any) -> None:
    call_command("export_linked_data")
    names = sorted(p.name for p in dump_folder.iterdir())
    expected = sorted([f"{r}.{fmt}" for r in REGISTRIES for fmt in ("ttl", "jsonld")] + ["catalog.ttl", "catalog.jsonld"])
    assert names == expected
    # A second, chunked write reads the same graph as one serialisation of everything.
    graph = Graph().parse(dump_folder / "instruments.ttl", format="turtle")
    from helix.linkeddata.mapping import describe

    whole = describe("instrument", KINDS["instrument"].queryset())
    from rdflib.compare import graph_diff, to_isomorphic

    _both, only_dump, only_whole = graph_diff(to_isomorphic(graph), to_isomorphic(whole))
    assert not list(only_dump) and not list(only_whole), (sorted(only_dump)[:3], sorted(only_whole)[:3])


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_human_catalogue_page(client: Any, sample: Any, language: str) -> None:
    response = client.get(f"{language}/gekoppelde-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for registry in REGISTRIES.values():
        assert f'id="{registry.slug}"' in html
        assert f"/data/dumps/{registry.slug}.ttl" in html
        assert (registry.title_en if language else registry.title_nl) in html
    assert "?format=csv" in html and 'rel="alternate"' in html

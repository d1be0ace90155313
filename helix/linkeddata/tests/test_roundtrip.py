"""Parse -> serialise -> parse round trips (isomorphic graphs) in Turtle and JSON-LD, for the
catalogue and samples of every kind; JSON-LD with Helix's inline context and with the local
copy of the DCAT-AP context (never fetched from the web)."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF

from helix.linkeddata.catalogue import catalog_graph
from helix.linkeddata.mapping import KINDS, describe
from helix.linkeddata.validation import DCAT_AP_CONTEXT_URLS, dcat_ap_context, localise_context
from helix.linkeddata.vocab import jsonld_context

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_network(monkeypatch: Any) -> None:
    """Any attempt to open a connection fails the test: contexts must be local."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def graphs(sample: Any) -> dict[str, Graph]:
    found = {kind: describe(kind, KINDS[kind].queryset()[:20]) for kind in KINDS}
    found["catalog"] = catalog_graph()
    return found


def turtle_round_trip(graph: Graph) -> Graph:
    return Graph().parse(data=graph.serialize(format="turtle"), format="turtle")


def jsonld_round_trip(graph: Graph, context: Any) -> Graph:
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    return Graph().parse(data=text, format="json-ld")


def test_turtle_round_trips_are_isomorphic(sample: Any) -> None:
    for name, graph in graphs(sample).items():
        assert len(graph) > 10, name
        once = turtle_round_trip(graph)
        assert isomorphic(graph, once), name
        assert isomorphic(once, turtle_round_trip(once)), name


def test_jsonld_round_trips_are_isomorphic(sample: Any) -> None:
    for name, graph in graphs(sample).items():
        once = jsonld_round_trip(graph, jsonld_context())
        assert isomorphic(graph, once), name
        assert isomorphic(once, jsonld_round_trip(once, jsonld_context())), name


def test_turtle_to_jsonld_to_turtle(sample: Any) -> None:
    for name, graph in graphs(sample).items():
        via = turtle_round_trip(jsonld_round_trip(turtle_round_trip(graph), jsonld_context()))
        assert isomorphic(graph, via), name


def test_catalogue_round_trips_through_the_local_dcat_ap_context(sample: Any) -> None:
    graph = catalog_graph()
    once = jsonld_round_trip(graph, dcat_ap_context())
    assert isomorphic(graph, once)


def test_a_document_naming_the_dcat_ap_context_url_is_read_offline() -> None:
    document = {
        "@context": DCAT_AP_CONTEXT_URLS[0],
        "@id": "http://example.org/catalogue",
        "@type": "Catalogue",
        "dataset": ["http://example.org/dataset/1"],
    }
    graph = Graph().parse(data=json.dumps(localise_context(document)), format="json-ld")
    assert (None, RDF.type, DCAT.Catalog) in graph
    assert (None, DCAT.dataset, None) in graph

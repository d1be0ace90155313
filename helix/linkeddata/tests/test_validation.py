"""Helix's catalogue and a sample of its records of every kind validate against the official
DCAT-AP 3.0.1 SHACL shapes, offline (helix.linkeddata.validation): zero violations."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph

from helix.linkeddata.catalogue import catalog_graph
from helix.linkeddata.mapping import KINDS, describe
from helix.linkeddata.validation import LEFT_OUT, SHAPE_FILES, shacl_findings
from helix.linkeddata.vocab import new_graph

pytestmark = pytest.mark.django_db

SAMPLE_SIZE = 15


def sample_graph(kind: str) -> Graph:
    return describe(kind, KINDS[kind].queryset()[:SAMPLE_SIZE])


def report(findings: list[Any]) -> str:
    return "\n".join(str(f) for f in findings[:30])


def test_the_shapes_are_the_official_files_without_the_web_imports() -> None:
    assert "mdr-vocabularies.shape.ttl" in LEFT_OUT and "mdr-vocabularies.shape.ttl" not in SHAPE_FILES
    assert "dcat-ap-SHACL.ttl" in SHAPE_FILES and "shapes.ttl" in SHAPE_FILES


def test_catalogue_has_zero_violations(sample: Any, capsys: Any) -> None:
    findings = shacl_findings(catalog_graph())
    violations = [f for f in findings if f.severity == "Violation"]
    assert not violations, report(violations)
    with capsys.disabled():
        print(f"\ncatalogue: {len(findings)} SHACL warnings/infos\n" + report(findings))


@pytest.mark.parametrize("kind", ["organisation", "instrument", "project", "challenge", "solution", "dataset"])
def test_sample_records_have_zero_violations(sample: Any, kind: str, capsys: Any) -> None:
    graph = sample_graph(kind)
    assert len(graph) > 20  # the sample is not empty
    findings = shacl_findings(graph)
    violations = [f for f in findings if f.severity == "Violation"]
    assert not violations, report(violations)
    with capsys.disabled():
        print(f"\n{kind}: {len(findings)} SHACL warnings/infos\n" + report(findings))


def test_a_broken_record_is_caught(sample: Any) -> None:
    """The validation bites: an agent without a name and an identifier with two notations fail."""
    graph = new_graph()
    graph.parse(
        data="""
        @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix adms: <http://www.w3.org/ns/adms#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <http://x/a> a foaf:Agent . <http://x/i> a adms:Identifier ; skos:notation "1", "2" .
        """,
        format="turtle",
    )
    violations = [f for f in shacl_findings(graph) if f.severity == "Violation"]
    assert {f.focus for f in violations} == {"http://x/a", "http://x/i"}

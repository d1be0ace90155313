"""Offline validation against the official DCAT-AP 3.0.1 SHACL shapes (data/spec/dcat-ap-3.0.1).

`mdr-vocabularies.shape.ttl` is left out: its shapes check values against the EU controlled
vocabularies, which it imports from the web (owl:imports). Validation must not use the
network, so those checks are not run; every other shape file is.

The release files have a defect: a few node shapes list property shapes (`sh:property`) that
no file defines (two in dcat-ap-SHACL.ttl for dcat:DataService, three more in ranges.ttl for
dcat:Dataset, dcat:Distribution and dcat:Relationship). pyshacl stops with an error on such a
reference, so `shapes_graph()` drops the dangling references (and only those) after loading;
`dangling_shapes()` lists them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

SPEC_DIR = Path(settings.BASE_DIR) / "data" / "spec" / "dcat-ap-3.0.1"
SHAPE_FILES = (
    "dcat-ap-SHACL.ttl",
    "ranges.ttl",
    "shapes.ttl",
    "shapes_recommended.ttl",
    "range.ttl",
    "deprecateduris.ttl",
)
LEFT_OUT = ("mdr-vocabularies.shape.ttl",)
CONTEXT_FILE = SPEC_DIR / "dcat-ap.jsonld"


@cache
def _loaded() -> tuple[Graph, tuple[str, ...]]:
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(SPEC_DIR / name, format="turtle")
    dangling = sorted({str(ref) for ref in graph.objects(None, SH.property) if (ref, SH.path, None) not in graph})
    for ref in dangling:
        graph.remove((None, SH.property, URIRef(ref)))
    return graph, tuple(dangling)


def shapes_graph() -> Graph:
    """The DCAT-AP 3.0.1 shapes (every file but LEFT_OUT), dangling references removed."""
    return _loaded()[0]


def dangling_shapes() -> tuple[str, ...]:
    """Property shapes referenced by the release files but defined nowhere (dropped)."""
    return _loaded()[1]


@dataclass(frozen=True)
class Finding:
    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.focus} {self.path}: {self.message}"


def shacl_findings(data: Graph) -> list[Finding]:
    """Every SHACL result for `data` (no inference, no imports, no network)."""
    _conforms, report, _text = validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        do_owl_imports=False,
        allow_warnings=True,
        advanced=True,
    )
    assert isinstance(report, Graph)
    findings = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        findings.append(
            Finding(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=str(report.value(result, SH.focusNode)),
                path=str(report.value(result, SH.resultPath)),
                message=str(report.value(result, SH.resultMessage)),
            )
        )
    return sorted(findings, key=lambda f: (f.severity, f.focus, f.path))


def violations(data: Graph) -> list[Finding]:
    return [f for f in shacl_findings(data) if f.severity == "Violation"]


# The DCAT-AP 3.0.1 JSON-LD context, read from the local copy instead of the web.
DCAT_AP_CONTEXT_URLS = (
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld",
    "http://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld",
)


@cache
def dcat_ap_context() -> dict[str, Any]:
    """The "@context" object of the local copy of the DCAT-AP 3.0.1 context."""
    data = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    context = data["@context"]
    assert isinstance(context, dict)
    return context


def localise_context(document: Any) -> Any:
    """`document` (parsed JSON-LD) with every reference to the DCAT-AP context URL replaced by
    the local copy, so parsing it needs no network."""
    if isinstance(document, str):
        return dcat_ap_context() if document in DCAT_AP_CONTEXT_URLS else document
    if isinstance(document, list):
        return [localise_context(item) for item in document]
    if isinstance(document, dict):
        return {
            key: (localise_context(value) if key == "@context" or isinstance(value, dict | list) else value)
            for key, value in document.items()
        }
    return document

"""DCAT-AP 3.0.1 compliance check with pyshacl, offline.

The shapes graph is parsed once per process and pyshacl's harvested shapes
are reused for every record, so validating a record costs only the
validation itself.

Shapes loaded (data/spec/dcat-ap-3.0.1/): ``shapes.ttl`` (the mandatory and
optional properties with their cardinalities, node kinds and datatypes) and
``range.ttl`` (the class ranges). Left out:

- ``mdr-vocabularies.shape.ttl``: its shapes import the EU controlled
  vocabularies from the web (owl:imports), which an offline check cannot do;
- ``shapes_recommended.ttl`` and ``deprecateduris.ttl``: every shape in them
  has severity sh:Warning, which the compliance indicator ignores (the one
  nested check in deprecateduris.ttl tests membership of the ADMS status
  codelist it imports from the web). Leaving them out changes no outcome and
  roughly halves the validation time;
- ``dcat-ap-SHACL.ttl`` / ``ranges.ttl``: the same constraints again as one
  generated file; loading both would report every violation twice.

Only results of severity sh:Violation count. Results that cannot be decided
from the record alone are set aside as "not checkable offline":

- ``sh:class`` on an IRI or blank node: the class of a vocabulary term (a
  licence, a file type, a language, a theme) is stated by its vocabulary, not
  by the record, and subclass entailment (foaf:Organization is a foaf:Agent)
  needs the external ontologies;
- ``skos:inScheme`` constraints: membership of a controlled vocabulary.

A literal where an IRI or class instance is required, a wrong datatype, a
missing mandatory property or too many values still count.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import rdflib
from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph
from rdflib.namespace import RDF, SH, SKOS

from .vocab import SPEC_DIR

SHAPE_FILES = ("shapes.ttl", "range.ttl")
# Bump when the shapes or the offline rules change: stored outcomes are then recomputed.
SHACL_VERSION = "dcat-ap-3.0.1/offline-1"

_lock = threading.Lock()


@dataclass(frozen=True)
class ShaclOutcome:
    conforms: bool
    violations: tuple[str, ...]
    not_checkable: int


def _offline_class_constraints(g: rdflib.Graph) -> int:
    """Replace each ``sh:class C`` by ``sh:nodeKind sh:BlankNodeOrIRI``; return how many.

    Offline, the only part of a class constraint that can be decided is that
    a literal is never an instance of a class (the class of an IRI is stated
    by its vocabulary). Rewriting the shapes this way implements exactly that
    rule and spares pyshacl hundreds of undecidable results per record.
    """
    rewritten = 0
    for shape, cls in list(g.subject_objects(SH["class"])):
        g.remove((shape, SH["class"], cls))
        if g.value(shape, SH.nodeKind) is None:
            g.add((shape, SH.nodeKind, SH.BlankNodeOrIRI))
        rewritten += 1
    return rewritten


@lru_cache(maxsize=1)
def shapes_graph(spec_dir: Path = SPEC_DIR) -> rdflib.Graph:
    g = rdflib.Graph()
    for name in SHAPE_FILES:
        g.parse(spec_dir / "dcat-ap-3.0.1" / name, format="turtle")
    _offline_class_constraints(g)
    return g


_cached_shapes: Any = None


def _validator(data: rdflib.Graph) -> Validator:
    """A pyshacl Validator for ``data`` that reuses the harvested shapes."""
    global _cached_shapes
    v = Validator(DataGraph.from_rdflib(data), shacl_graph=shapes_graph(), options={"inference": "none", "allow_warnings": True})
    if _cached_shapes is None:
        _cached_shapes = v.shacl_graph
    else:
        v.shacl_graph = _cached_shapes
    return v


def _short(node: rdflib.term.Node | None, g: rdflib.Graph) -> str:
    if node is None:
        return ""
    try:
        return g.namespace_manager.normalizeUri(node) if isinstance(node, rdflib.URIRef) else str(node)
    except Exception:  # pragma: no cover - defensive
        return str(node)


def validate_graph(data: rdflib.Graph) -> ShaclOutcome:
    with _lock:  # pyshacl's shapes objects are not documented as thread-safe
        conforms, report, _text = _validator(data).run()
    if conforms:
        return ShaclOutcome(True, (), 0)
    violations: list[str] = []
    skipped = 0
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        component = report.value(result, SH.sourceConstraintComponent)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        if path == SKOS.inScheme:
            skipped += 1
            continue
        if component == SH.ClassConstraintComponent and value is not None and not isinstance(value, rdflib.Literal):
            skipped += 1
            continue
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        violations.append(
            f"{_short(path, data)}: {message} ({_short(focus, data)}"
            + (f" → {str(value)[:80]}" if value is not None else "")
            + ")"
        )
    unique = sorted(set(violations))
    return ShaclOutcome(not unique, tuple(unique), skipped)


def validate_text(text: str, rdf_format: str = "turtle") -> ShaclOutcome | None:
    """Validate a record given as RDF text; None when there is no text or it does not parse."""
    if not text.strip():
        return None
    try:
        g = rdflib.Graph().parse(data=text, format=rdf_format)
    except Exception:
        return None
    return validate_graph(g)

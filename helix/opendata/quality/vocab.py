"""Scores, bands and format lists loaded from the spec files in data/spec/.

Nothing here is a hand copy: the MQA metric scores come from the piveau DQV
vocabulary (pv:trueScore / pv:falseScore), the bands from the piveau scoring
concept scheme, the machine-readable and non-proprietary lists from the EDP
vocabularies, the star definitions from the EDP 5-star concept scheme and the
format openness table from CKAN's QA extension. Everything is loaded once per
process (:func:`load_spec`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from .types import Band

SPEC_DIR = Path(__file__).resolve().parents[3] / "data" / "spec"

PV = rdflib.Namespace("https://piveau.eu/ns/voc#")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
EDP = rdflib.Namespace("https://europeandataportal.eu/voc#")
DC11 = rdflib.Namespace("http://purl.org/dc/elements/1.1/")

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LICENCE = "http://publications.europa.eu/resource/authority/licence/"
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
IANA_PREFIXES = (
    "https://www.iana.org/assignments/media-types/",
    "http://www.iana.org/assignments/media-types/",
)

# The order in which the portal presents its dimensions.
DIMENSION_ORDER = ("findability", "accessibility", "interoperability", "reusability", "contextuality")

# The piveau vocabulary misspells the dimension of two metrics
# (pv:reusablity); they are listed under reusability by the portal.
_DIMENSION_TYPOS = {"reusablity": "reusability"}

STAR_CONCEPTS = ("zeroStars", "oneStar", "twoStars", "threeStars", "fourStars", "fiveStars")


@dataclass(frozen=True)
class Metric:
    key: str
    dimension: str
    definition: str
    true_score: int
    false_score: int
    level: str  # "dataset" or "distribution", read from the definition text


@dataclass(frozen=True)
class Spec:
    metrics: tuple[Metric, ...]
    dimension_labels: dict[str, str]
    bands: tuple[Band, ...]
    machine_readable: frozenset[str]
    non_proprietary: frozenset[str]
    star_labels: tuple[str, ...]
    star_definitions: tuple[str, ...]
    openness: dict[str, int]

    @property
    def max_total(self) -> int:
        return sum(m.true_score for m in self.metrics)

    def metric(self, key: str) -> Metric:
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(key)

    def band_for(self, score: int) -> Band:
        for band in self.bands:
            if band.low <= score <= band.high:
                return band
        return self.bands[-1] if score > self.bands[-1].high else self.bands[0]


def _local(uri: rdflib.term.Node | None) -> str:
    text = str(uri)
    return re.split(r"[#/]", text)[-1]


def _load_metrics(path: Path) -> tuple[tuple[Metric, ...], dict[str, str]]:
    g = rdflib.Graph().parse(path, format="turtle")
    labels = {_local(d): str(g.value(d, SKOS.prefLabel) or _local(d)) for d in g.subjects(RDF.type, DQV.Dimension)}
    metrics = []
    for m in g.subjects(RDF.type, DQV.Metric):
        true_score = g.value(m, PV.trueScore)
        if true_score is None:
            continue  # pv:score (the total) and metrics without points
        false_score = g.value(m, PV.falseScore)
        dim = _local(g.value(m, DQV.inDimension))
        dim = _DIMENSION_TYPOS.get(dim, dim)
        definition = str(g.value(m, SKOS.definition) or "").replace("&apos;", "'")
        level = "distribution" if "distribution" in definition.lower() else "dataset"
        metrics.append(
            Metric(
                key=_local(m),
                dimension=dim,
                definition=definition,
                true_score=int(str(true_score)),
                false_score=int(str(false_score)) if false_score is not None else 0,
                level=level,
            )
        )
    order = {d: i for i, d in enumerate(DIMENSION_ORDER)}
    # keep the file's order of metrics within a dimension (rdflib sets are
    # unordered, so sort by the position of the metric in the file text)
    text = path.read_text(encoding="utf-8")
    metrics.sort(key=lambda m: (order.get(m.dimension, 99), text.find(f"pv:{m.key}\n")))
    return tuple(metrics), labels


_NUM = re.compile(r"\d+")


def _load_bands(path: Path, max_total: int) -> tuple[Band, ...]:
    """Bands from the scoring concept scheme, lowest first.

    The descriptions read "greater than 350", "between 221 and 350",
    "between 120 and 220" and "less than 120". Each band is given its upper
    bound from the text ("less than N" is read as up to N, as the portal's
    published methodology puts 120 in the lowest band) and starts one above
    the band below; the top band ends at the maximum score.
    """
    g = rdflib.Graph().parse(path, format="xml")
    rows = []
    for c in g.subjects(RDF.type, SKOS.Concept):
        desc = str(g.value(c, DCTERMS.description) or g.value(c, DC11.description) or "")
        label = str(g.value(c, SKOS.prefLabel) or _local(c))
        ident = str(g.value(c, DC11.identifier) or _local(c)).lower()
        nums = [int(n) for n in _NUM.findall(desc)]
        if "greater" in desc:
            high = max_total
        elif nums:
            high = max(nums)
        else:
            continue
        rows.append((high, ident, label))
    rows.sort()
    bands = []
    low = 0
    for high, ident, label in rows:
        bands.append(Band(key=ident, label=label, low=low, high=high))
        low = high + 1
    return tuple(bands)


def _load_list(path: Path, prop: rdflib.URIRef) -> frozenset[str]:
    g = rdflib.Graph().parse(path, format="xml")
    return frozenset(str(s) for s, o in g.subject_objects(prop) if isinstance(o, rdflib.Literal) and o.toPython() is True)


def _load_stars(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    g = rdflib.Graph().parse(path, format="turtle")
    labels, definitions = [], []
    for name in STAR_CONCEPTS:
        c = PV[name]
        labels.append(str(g.value(c, SKOS.prefLabel) or name))
        definitions.append(str(g.value(c, SKOS.definition) or ""))
    return tuple(labels), tuple(definitions)


def _load_openness(path: Path) -> dict[str, int]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {str(row[0]).upper(): int(row[1]) for row in rows if isinstance(row, list) and len(row) == 2 and row[0] != "_comment"}


@lru_cache(maxsize=1)
def load_spec(spec_dir: Path = SPEC_DIR) -> Spec:
    mqa = spec_dir / "mqa"
    metrics, dim_labels = _load_metrics(mqa / "piveau-dqv-vocabulary.ttl")
    max_total = sum(m.true_score for m in metrics)
    star_labels, star_defs = _load_stars(mqa / "edp-dqv-vocabulary.ttl")
    return Spec(
        metrics=metrics,
        dimension_labels=dim_labels,
        bands=_load_bands(mqa / "piveau-scoring-skos.rdf", max_total),
        machine_readable=_load_list(mqa / "edp-machine-readable-format.rdf", EDP.isMachineReadable),
        non_proprietary=_load_list(mqa / "edp-non-proprietary-format.rdf", EDP.isNonProprietary),
        star_labels=star_labels,
        star_definitions=star_defs,
        openness=_load_openness(mqa / "resource_format_openness_scores.json"),
    )


__all__ = ["ACCESS_RIGHT", "FILE_TYPE", "IANA_PREFIXES", "LICENCE", "XSD", "Metric", "Spec", "load_spec"]

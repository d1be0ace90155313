"""Plain input and output types of the quality engine (no Django).

The engine scores *facts* about a dataset: what a harvested DCAT record says,
already normalised to the EU vocabularies where the harvester could do so,
plus the outcome of link checks. Output types are JSON-serialisable through
:func:`dataclasses.asdict` so they can be stored in a JSONB column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DistributionFacts:
    """What one dcat:Distribution says.

    ``format`` and ``media_type`` are URIs from the EU file-type and IANA
    vocabularies when the value could be aligned; ``*_original`` keep what the
    record literally said. ``access_url_is_iri`` is False when the record gave
    the access URL as a literal instead of an IRI (a DCAT-AP violation).
    ``*_status`` are HTTP status codes of the last link check (None: not
    checked yet; 0: no answer).
    """

    access_url: str = ""
    download_urls: tuple[str, ...] = ()
    format: str = ""
    format_original: str = ""
    media_type: str = ""
    media_type_original: str = ""
    licence: str = ""
    licence_original: str = ""
    rights: str = ""
    byte_size: int | None = None
    issued: date | datetime | None = None
    modified: date | datetime | None = None
    access_url_status: int | None = None
    download_url_status: int | None = None
    access_url_is_iri: bool = True


@dataclass(frozen=True)
class DatasetFacts:
    """What one dcat:Dataset says, with its distributions.

    ``rdf`` is the record's own triples (N-Triples or Turtle) used for the
    DCAT-AP compliance check; ``rdf_format`` is the rdflib parser name.
    ``licence`` is a dataset-level dct:license (not DCAT-AP, but some portals
    put it there): it is used as a fallback for distributions without one.
    """

    uri: str = ""
    title: str = ""
    # IRIs the record links to outside its own site (dct:relation,
    # dct:source, owl:sameAs, rdfs:seeAlso, ...): used for the fifth star
    links: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    spatial: tuple[str, ...] = ()
    temporal_start: date | datetime | None = None
    temporal_end: date | datetime | None = None
    access_rights: str = ""
    has_contact_point: bool = False
    publisher_uri: str = ""
    publisher_name: str = ""
    licence: str = ""
    issued: date | datetime | None = None
    modified: date | datetime | None = None
    conforms_to: tuple[str, ...] = ()
    rdf: str = ""
    rdf_format: str = "turtle"
    distributions: tuple[DistributionFacts, ...] = ()


@dataclass(frozen=True)
class StarReason:
    """One star of the 5-star scheme: met or not, and why."""

    star: int
    met: bool
    label: str
    why: str
    definition: str = ""
    why_code: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StarRating:
    stars: int
    reasons: tuple[StarReason, ...]
    distribution_index: int | None = None


@dataclass(frozen=True)
class Indicator:
    """One MQA metric applied to a dataset."""

    key: str
    label: str
    points: int
    max_points: int
    met: bool
    why: str
    # points the dataset would gain by meeting the indicator (includes a
    # negative falseScore that would no longer apply)
    gain: int = 0
    not_checked: bool = False
    why_code: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    indicators: tuple[Indicator, ...]
    points: int
    max_points: int


@dataclass(frozen=True)
class MqaResult:
    dimensions: tuple[Dimension, ...]
    total: int
    max_total: int
    band: str
    band_label: str
    distribution_index: int | None = None
    dcat_ap_violations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Advice:
    """One change that would raise the MQA score."""

    indicator: str
    label: str
    dimension: str
    gain: int
    what: str
    datasets: int = 1


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: int
    high: int


@dataclass
class QualityReport:
    stars: StarRating
    mqa: MqaResult
    extra: dict[str, object] = field(default_factory=dict)


def mqa_from_dict(data: dict) -> MqaResult:
    """Rebuild an :class:`MqaResult` from :func:`dataclasses.asdict` output (stored JSON)."""
    dims = tuple(
        Dimension(
            key=d["key"],
            label=d.get("label", d["key"]),
            indicators=tuple(Indicator(**i) for i in d.get("indicators", ())),
            points=d.get("points", 0),
            max_points=d.get("max_points", 0),
        )
        for d in data.get("dimensions", ())
    )
    return MqaResult(
        dimensions=dims,
        total=data.get("total", 0),
        max_total=data.get("max_total", 0),
        band=data.get("band", ""),
        band_label=data.get("band_label", ""),
        distribution_index=data.get("distribution_index"),
        dcat_ap_violations=tuple(data.get("dcat_ap_violations", ())),
    )

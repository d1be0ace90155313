"""Quality scoring of harvested datasets (5-star openness and the EU MQA).

Converts Dataset/Distribution rows into plain facts, scores them with the
pure engine in :mod:`helix.opendata.quality` and stores the results on the
Dataset rows (stars, stars_reasons, mqa_score, mqa_band, mqa, scored_at).
See docs/opendata-quality.md.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

import pghistory.runtime
import rdflib
from django.db import transaction
from django.utils import timezone
from rdflib.namespace import DCAT

from helix.core.history import Channel, history_context

from .models import Dataset, Distribution
from .quality import load_spec, rate, score_mqa
from .quality.rdf_facts import LINK_PROPERTIES
from .quality.shacl import SHACL_VERSION, ShaclOutcome, validate_graph
from .quality.types import DatasetFacts, DistributionFacts

log = logging.getLogger(__name__)

CHUNK = 200


def _parse(text: str) -> rdflib.Graph | None:
    if not text.strip():
        return None
    for fmt in ("nt", "turtle"):
        try:
            return rdflib.Graph().parse(data=text, format=fmt)
        except Exception:  # any parser error means: try the next syntax
            log.debug("RDF of a dataset does not parse as %s", fmt)
    return None


def _links(graph: rdflib.Graph | None, uri: str) -> tuple[str, ...]:
    if graph is None:
        return ()
    subject = rdflib.URIRef(uri)
    host = urlsplit(uri).hostname or ""
    return tuple(
        sorted(
            str(o)
            for p in LINK_PROPERTIES
            for o in graph.objects(subject, p)
            if isinstance(o, rdflib.URIRef) and (urlsplit(str(o)).hostname or "") != host
        )
    )


def _literal_access_urls(graph: rdflib.Graph | None) -> set[str]:
    if graph is None:
        return set()
    return {str(o) for o in graph.objects(None, DCAT.accessURL) if isinstance(o, rdflib.Literal)}


def distribution_facts(d: Distribution, literal_urls: set[str] | frozenset[str] = frozenset()) -> DistributionFacts:
    return DistributionFacts(
        access_url=d.access_url,
        download_urls=tuple(d.download_urls or ()),
        format=d.format,
        format_original=d.format_original,
        media_type=d.media_type,
        media_type_original=d.media_type_original,
        licence=d.licence,
        licence_original=d.licence_original,
        rights=d.rights,
        byte_size=d.byte_size,
        issued=d.issued,
        modified=d.modified,
        access_url_status=d.access_url_status,
        download_url_status=d.download_url_status,
        access_url_is_iri=d.access_url not in literal_urls,
    )


def dataset_facts(ds: Dataset, graph: rdflib.Graph | None = None) -> DatasetFacts:
    """Facts of a dataset row; ``graph`` is its parsed ``rdf`` (parsed here when omitted)."""
    if graph is None:
        graph = _parse(ds.rdf)
    literal = _literal_access_urls(graph)
    return DatasetFacts(
        uri=ds.uri,
        title=ds.title,
        links=_links(graph, ds.uri),
        keywords=tuple(ds.keywords or ()),
        themes=tuple(ds.themes or ()),
        spatial=tuple(ds.spatial or ()),
        temporal_start=ds.temporal_start,
        temporal_end=ds.temporal_end,
        access_rights=ds.access_rights,
        has_contact_point=ds.has_contact_point,
        publisher_uri=ds.publisher_uri,
        publisher_name=ds.publisher_name,
        issued=ds.issued,
        modified=ds.modified,
        conforms_to=tuple(ds.conforms_to or ()),
        rdf="",  # validated from the parsed graph below
        distributions=tuple(distribution_facts(d, literal) for d in ds.distributions.all()),
    )


def _rdf_key(ds: Dataset) -> str:
    """What the DCAT-AP outcome depends on: the record's triples and the shapes used."""
    digest = hashlib.sha256(ds.rdf.encode("utf-8")).hexdigest()
    return f"{SHACL_VERSION}:{digest}"


def _shacl(ds: Dataset, graph: rdflib.Graph | None, key: str) -> ShaclOutcome | None:
    """The record's DCAT-AP outcome, reused from the last scoring when its RDF is unchanged
    (re-scoring after a link check then costs no validation)."""
    if graph is None:
        return None
    previous = ds.mqa or {}
    if previous.get("rdf_key") == key and "dcat_ap_violations" in previous:
        violations = tuple(previous["dcat_ap_violations"])
        return ShaclOutcome(not violations, violations, 0)
    return validate_graph(graph)


def assess_dataset(ds: Dataset) -> tuple[dict, list, int, str, int]:
    """(mqa json, stars reasons json, mqa score, band, stars) of one dataset row."""
    spec = load_spec()
    graph = _parse(ds.rdf)
    facts = dataset_facts(ds, graph)
    key = _rdf_key(ds)
    outcome = _shacl(ds, graph, key)
    # without RDF the compliance indicator says so (not checked)
    mqa = score_mqa(facts, spec, shacl_outcome=outcome)
    rating = rate(facts, spec)
    mqa_json = dataclasses.asdict(mqa)
    mqa_json["rdf_key"] = key if outcome is not None else ""
    reasons = [dataclasses.asdict(r) for r in rating.reasons]
    # as stored in JSONB (tuples become lists), so an unchanged result compares equal
    mqa_json, reasons = json.loads(json.dumps([mqa_json, reasons]))
    return mqa_json, reasons, mqa.total, mqa.band, rating.stars


@contextlib.contextmanager
def _history() -> Iterator[None]:
    """Join the caller's history context (a harvest run) or open one for scoring."""
    if hasattr(pghistory.runtime._tracker, "value"):
        yield
    else:
        with history_context(channel=Channel.COMMAND, purpose="quality scoring"):
            yield


def score_datasets(dataset_ids: Iterable[int]) -> int:
    """Score the given datasets and store the results; return how many were scored."""
    ids = list(dict.fromkeys(int(i) for i in dataset_ids))
    done = 0
    with _history():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = list(Dataset.objects.filter(pk__in=chunk).prefetch_related("distributions"))
            now = timezone.now()
            scored = []
            for ds in rows:
                try:
                    mqa_json, reasons, total, band, stars = assess_dataset(ds)
                except Exception:  # one odd record must not stop the others; it stays unscored
                    log.exception("Scoring dataset %s failed", ds.pk)
                    continue
                done += 1
                new = (mqa_json, reasons, total, band, stars)
                if ds.scored_at is not None and new == (ds.mqa, ds.stars_reasons, ds.mqa_score, ds.mqa_band, ds.stars):
                    continue  # same result: no write, no history entry
                ds.mqa, ds.stars_reasons, ds.mqa_score, ds.mqa_band, ds.stars = new
                ds.scored_at = now
                scored.append(ds)
            with transaction.atomic():
                Dataset.objects.bulk_update(
                    scored, ["mqa", "stars_reasons", "mqa_score", "mqa_band", "stars", "scored_at"], batch_size=CHUNK
                )
    return done

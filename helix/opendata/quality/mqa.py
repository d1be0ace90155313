"""The EU data portal's Metadata Quality Assessment (MQA), computed offline.

Each metric of the piveau DQV vocabulary that carries a pv:trueScore is an
indicator; met indicators earn the trueScore, unmet ones the pv:falseScore
(0 unless given). Dataset-level metrics are evaluated once; distribution-level
metrics (their definition speaks of "a distribution") are evaluated for every
distribution and the dataset is scored on its best distribution: the one
whose distribution-level indicators earn the most points (ties: the first).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from . import formats
from .shacl import ShaclOutcome, validate_text
from .types import DatasetFacts, Dimension, DistributionFacts, Indicator, MqaResult
from .vocab import ACCESS_RIGHT, FILE_TYPE, IANA_PREFIXES, LICENCE, Metric, Spec, load_spec

# English explanations per outcome code; the web layer translates the code.
WHY = {
    "present": "{what} is given ({value}).",
    "missing": "No {what} is given.",
    "link_ok": "{what} answered HTTP {status}.",
    "link_failed": "{what} answered HTTP {status}.",
    "link_no_answer": "{what} did not answer.",
    "link_not_checked": "{what} has not been checked yet.",
    "link_missing": "No {what} to check.",
    "link_literal": "The access URL is given as text, not as a link (IRI).",
    "aligned": "Format and media type are from the EU file-type and IANA vocabularies.",
    "not_aligned": "Not aligned to the controlled vocabularies: {which}.",
    "in_list": "{code} is {what} according to the EU data portal's list.",
    "not_in_list": "Neither format nor media type is {what} according to the EU data portal's list ({value}).",
    "licence_known": "The licence is from the EU licence vocabulary ({value}).",
    "licence_unknown": "The licence ({value}) is not from the EU licence vocabulary.",
    "access_rights_known": "Access rights are from the EU access-right vocabulary ({value}).",
    "access_rights_unknown": "Access rights ({value}) are not from the EU access-right vocabulary.",
    "dcat_ap_ok": "The record conforms to the DCAT-AP 3.0.1 shapes.",
    "dcat_ap_violations": "{count} DCAT-AP 3.0.1 violation(s), e.g. {first}",
    "dcat_ap_no_rdf": "The record's RDF is not available or does not parse.",
}

WHAT = {
    "keywordAvailability": "keyword (dcat:keyword)",
    "categoryAvailability": "theme (dcat:theme)",
    "spatialAvailability": "spatial coverage (dct:spatial)",
    "temporalAvailability": "temporal coverage (dct:temporal)",
    "accessUrlStatusCode": "The access URL",
    "downloadUrlAvailability": "download URL (dcat:downloadURL)",
    "downloadUrlStatusCode": "The download URL",
    "formatAvailability": "format (dct:format)",
    "mediaTypeAvailability": "media type (dcat:mediaType)",
    "formatMediaTypeNonProprietary": "non-proprietary",
    "formatMediaTypeMachineInterpretable": "machine-readable",
    "licenceAvailability": "licence (dct:license)",
    "accessRightsAvailability": "access rights (dct:accessRights)",
    "contactPointAvailability": "contact point (dcat:contactPoint)",
    "publisherAvailability": "publisher (dct:publisher)",
    "rightsAvailability": "rights statement (dct:rights)",
    "byteSizeAvailability": "byte size (dcat:byteSize)",
    "dateIssuedAvailability": "date of issue (dct:issued)",
    "dateModifiedAvailability": "modification date (dct:modified)",
}

Outcome = tuple[bool, str, dict[str, str], bool]  # met, why code, params, not checked


def _present(key: str, value: object) -> Outcome:
    what = WHAT.get(key, key)
    if value in (None, "", ()) or value == []:
        return False, "missing", {"what": what}, False
    if isinstance(value, (tuple, list)):
        shown = ", ".join(str(v) for v in value[:3]) + (" …" if len(value) > 3 else "")
    elif isinstance(value, (date, datetime)):
        shown = value.isoformat()
    else:
        shown = str(value)
    return True, "present", {"what": what, "value": shown[:120]}, False


def _link(key: str, url: str, status: int | None) -> Outcome:
    what = WHAT[key]
    if not url:
        return False, "link_missing", {"what": what.lower().removeprefix("the ")}, False
    if status is None:
        return False, "link_not_checked", {"what": what}, True
    if status == 0:
        return False, "link_no_answer", {"what": what}, False
    if 200 <= status < 400:
        return True, "link_ok", {"what": what, "status": str(status)}, False
    return False, "link_failed", {"what": what, "status": str(status)}, False


def _is_iana(uri: str) -> bool:
    return uri.startswith(IANA_PREFIXES)


def _distribution_outcome(spec: Spec, key: str, d: DistributionFacts) -> Outcome:
    if key == "accessUrlStatusCode":
        if d.access_url and not d.access_url_is_iri:
            return False, "link_literal", {}, False
        return _link(key, d.access_url, d.access_url_status)
    if key == "downloadUrlAvailability":
        return _present(key, d.download_urls)
    if key == "downloadUrlStatusCode":
        return _link(key, d.download_urls[0] if d.download_urls else "", d.download_url_status)
    if key == "formatAvailability":
        return _present(key, d.format or d.format_original)
    if key == "mediaTypeAvailability":
        return _present(key, d.media_type or d.media_type_original)
    if key == "formatMediaTypeVocabularyAlignment":
        wrong = []
        if not d.format.startswith(FILE_TYPE):
            wrong.append("format " + (d.format_original or d.format or "(none)"))
        if not _is_iana(d.media_type):
            wrong.append("media type " + (d.media_type_original or d.media_type or "(none)"))
        if wrong:
            return False, "not_aligned", {"which": "; ".join(wrong)}, False
        return True, "aligned", {}, False
    if key in ("formatMediaTypeNonProprietary", "formatMediaTypeMachineInterpretable"):
        spec_list = spec.non_proprietary if key == "formatMediaTypeNonProprietary" else spec.machine_readable
        code = formats.in_list(spec_list, d.format, d.media_type)
        if code:
            return True, "in_list", {"code": code, "what": WHAT[key]}, False
        value = formats.short_name(d.format, d.format_original, d.media_type, d.media_type_original)
        return False, "not_in_list", {"what": WHAT[key], "value": value}, False
    if key == "licenceAvailability":
        return _present(key, d.licence or d.licence_original)
    if key == "knownLicence":
        if d.licence.startswith(LICENCE):
            return True, "licence_known", {"value": d.licence[len(LICENCE) :]}, False
        if not (d.licence or d.licence_original):
            return False, "missing", {"what": WHAT["licenceAvailability"]}, False
        return False, "licence_unknown", {"value": d.licence_original or d.licence}, False
    if key == "rightsAvailability":
        return _present(key, d.rights)
    if key == "byteSizeAvailability":
        return _present(key, d.byte_size)
    if key == "dateIssuedAvailability":
        return _present(key, d.issued)
    if key == "dateModifiedAvailability":
        return _present(key, d.modified)
    raise KeyError(key)


def _dataset_outcome(key: str, f: DatasetFacts, shacl: Callable[[], ShaclOutcome | None]) -> Outcome:
    if key == "keywordAvailability":
        return _present(key, f.keywords)
    if key == "categoryAvailability":
        return _present(key, f.themes)
    if key == "spatialAvailability":
        return _present(key, f.spatial)
    if key == "temporalAvailability":
        period = " - ".join(v.isoformat() if v else "…" for v in (f.temporal_start, f.temporal_end))
        return _present(key, period if (f.temporal_start or f.temporal_end) else None)
    if key == "accessRightsAvailability":
        return _present(key, f.access_rights)
    if key == "accessRightsVocabularyAlignment":
        if f.access_rights.startswith(ACCESS_RIGHT):
            return True, "access_rights_known", {"value": f.access_rights[len(ACCESS_RIGHT) :]}, False
        if not f.access_rights:
            return False, "missing", {"what": WHAT["accessRightsAvailability"]}, False
        return False, "access_rights_unknown", {"value": f.access_rights}, False
    if key == "contactPointAvailability":
        return _present(key, "yes" if f.has_contact_point else None)
    if key == "publisherAvailability":
        return _present(key, f.publisher_name or f.publisher_uri)
    if key == "dcatApCompliance":
        outcome = shacl()
        if outcome is None:
            return False, "dcat_ap_no_rdf", {}, True
        if outcome.conforms:
            return True, "dcat_ap_ok", {}, False
        return (
            False,
            "dcat_ap_violations",
            {"count": str(len(outcome.violations)), "first": outcome.violations[0]},
            False,
        )
    raise KeyError(key)


def _indicator(m: Metric, outcome: Outcome) -> Indicator:
    met, code, params, not_checked = outcome
    points = m.true_score if met else m.false_score
    return Indicator(
        key=m.key,
        label=m.definition,
        points=points,
        max_points=m.true_score,
        met=met,
        why=WHY[code].format(**params),
        gain=m.true_score - points,
        not_checked=not_checked,
        why_code=code,
        params=params,
    )


def best_distribution(spec: Spec, facts: DatasetFacts) -> tuple[int | None, dict[str, Indicator]]:
    """Index of the distribution scored, with its distribution-level indicators."""
    metrics = [m for m in spec.metrics if m.level == "distribution"]
    dists = facts.distributions or (DistributionFacts(),)
    best: tuple[int, int] | None = None
    best_inds: dict[str, Indicator] = {}
    for i, d in enumerate(dists):
        inds = {m.key: _indicator(m, _distribution_outcome(spec, m.key, d)) for m in metrics}
        total = sum(ind.points for ind in inds.values())
        if best is None or total > best[0]:
            best = (total, i)
            best_inds = inds
    index = best[1] if best is not None and facts.distributions else None
    return index, best_inds


def score_mqa(facts: DatasetFacts, spec: Spec | None = None, shacl_outcome: ShaclOutcome | None = None) -> MqaResult:
    spec = spec or load_spec()
    cache: dict[str, ShaclOutcome | None] = {}

    def shacl() -> ShaclOutcome | None:
        if shacl_outcome is not None:
            return shacl_outcome
        if "v" not in cache:
            cache["v"] = validate_text(facts.rdf, facts.rdf_format)
        return cache["v"]

    index, dist_inds = best_distribution(spec, facts)
    dims = []
    for dim in dict.fromkeys(m.dimension for m in spec.metrics):
        inds = []
        for m in spec.metrics:
            if m.dimension != dim:
                continue
            if m.level == "distribution":
                inds.append(dist_inds[m.key])
            else:
                inds.append(_indicator(m, _dataset_outcome(m.key, facts, shacl)))
        dims.append(
            Dimension(
                key=dim,
                label=spec.dimension_labels.get(dim, dim),
                indicators=tuple(inds),
                points=sum(i.points for i in inds),
                max_points=sum(i.max_points for i in inds),
            )
        )
    total = max(0, sum(d.points for d in dims))
    band = spec.band_for(total)
    outcome = cache.get("v") if shacl_outcome is None else shacl_outcome
    return MqaResult(
        dimensions=tuple(dims),
        total=total,
        max_total=spec.max_total,
        band=band.key,
        band_label=band.label,
        distribution_index=index,
        dcat_ap_violations=outcome.violations if outcome else (),
    )

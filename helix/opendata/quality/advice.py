"""Improvement advice: the changes that would raise an MQA score most.

Pure functions over :class:`MqaResult`. A *change* is one thing a publisher can do; it may meet
several indicators at once (giving a download URL that answers meets "download URL given" and
"download URL answers"; a licence from the EU vocabulary meets "licence given" and "known
licence"). The gain of an unmet indicator is its pv:trueScore minus the points it earns now (a
pv:falseScore of -5 makes the gain 25 for a 20-point indicator); a change gains the sum over
its indicators. Indicators not checked yet (links waiting for the link checker, a record
without RDF) are not advice: the publisher cannot change them. Ties keep the portal's order.
"""

from __future__ import annotations

from collections.abc import Iterable

from .types import Advice, Indicator, MqaResult

# English text per change; the web layer translates the change key.
CHANGES = {
    "keywordAvailability": "Add keywords (dcat:keyword).",
    "categoryAvailability": "Add a theme from the EU data-theme vocabulary (dcat:theme).",
    "spatialAvailability": "Describe the area the data cover (dct:spatial).",
    "temporalAvailability": "Describe the period the data cover (dct:temporal).",
    "accessUrlAsLink": "Give the access URL as a link (IRI), not as text.",
    "giveAccessUrl": "Give an access URL (dcat:accessURL).",
    "repairAccessUrl": "Repair the access URL so that it answers.",
    "giveDownloadUrl": "Give a direct download URL that answers (dcat:downloadURL).",
    "repairDownloadUrl": "Repair the download URL so that it answers.",
    "formatAvailability": "State the file format (dct:format).",
    "mediaTypeAvailability": "State the media type (dcat:mediaType).",
    "formatMediaTypeVocabularyAlignment": "Use the EU file-type and IANA media-type IRIs for format and media type.",
    "formatMediaTypeNonProprietary": "Offer the data in a non-proprietary format (e.g. CSV instead of XLS).",
    "formatMediaTypeMachineInterpretable": "Offer the data in a machine-readable format (CSV, JSON, XML, RDF).",
    "dcatApCompliance": "Fix the DCAT-AP 3.0.1 violations of the record.",
    "useEuLicence": "State a licence from the EU licence vocabulary on each distribution (dct:license).",
    "useEuAccessRights": "State the access rights with the EU access-right vocabulary (dct:accessRights).",
    "contactPointAvailability": "Add a contact point (dcat:contactPoint).",
    "publisherAvailability": "Name the publisher (dct:publisher).",
    "rightsAvailability": "Add a rights statement (dct:rights).",
    "byteSizeAvailability": "State the file size (dcat:byteSize).",
    "dateIssuedAvailability": "State when each distribution was issued (dct:issued).",
    "dateModifiedAvailability": "State when each distribution was last modified (dct:modified).",
}

_SAME_CHANGE = {
    "downloadUrlAvailability": "giveDownloadUrl",
    "licenceAvailability": "useEuLicence",
    "knownLicence": "useEuLicence",
    "accessRightsAvailability": "useEuAccessRights",
    "accessRightsVocabularyAlignment": "useEuAccessRights",
}


def change_for(ind: Indicator) -> str | None:
    """The change that would meet this indicator, or None (met, not checked, nothing to gain)."""
    if ind.met or ind.not_checked or ind.gain <= 0:
        return None
    if ind.key == "accessUrlStatusCode":
        return {"link_literal": "accessUrlAsLink", "link_missing": "giveAccessUrl"}.get(ind.why_code, "repairAccessUrl")
    if ind.key == "downloadUrlStatusCode":
        return "giveDownloadUrl" if ind.why_code == "link_missing" else "repairDownloadUrl"
    return _SAME_CHANGE.get(ind.key, ind.key)


def _changes(result: MqaResult) -> dict[str, tuple[int, int, str]]:
    """change -> (gain, order, dimension) of one result."""
    out: dict[str, tuple[int, int, str]] = {}
    order = 0
    for dim in result.dimensions:
        for ind in dim.indicators:
            order += 1
            change = change_for(ind)
            if change is None:
                continue
            gain, first, dimension = out.get(change, (0, order, dim.key))
            out[change] = (gain + ind.gain, first, dimension)
    return out


def top_changes(result: MqaResult, n: int = 3) -> list[Advice]:
    """The ``n`` changes that would raise this dataset's score most."""
    changes = _changes(result)
    keys = sorted(changes, key=lambda k: (-changes[k][0], changes[k][1]))[:n]
    return [
        Advice(indicator=k, label=CHANGES.get(k, k), dimension=changes[k][2], gain=changes[k][0], what=CHANGES.get(k, k))
        for k in keys
    ]


def portfolio_changes(results: Iterable[MqaResult], n: int = 3) -> list[Advice]:
    """The ``n`` changes that would raise a portfolio's total score most.

    The gain is summed over the datasets the change applies to; ``datasets`` says how many
    they are. Divided by the number of datasets it is the rise of the average score.
    """
    total: dict[str, int] = {}
    count: dict[str, int] = {}
    meta: dict[str, tuple[int, str]] = {}
    for result in results:
        for key, (gain, order, dim) in _changes(result).items():
            total[key] = total.get(key, 0) + gain
            count[key] = count.get(key, 0) + 1
            meta.setdefault(key, (order, dim))
    keys = sorted(total, key=lambda k: (-total[k], meta[k][0]))[:n]
    return [
        Advice(
            indicator=k,
            label=CHANGES.get(k, k),
            dimension=meta[k][1],
            gain=total[k],
            what=CHANGES.get(k, k),
            datasets=count[k],
        )
        for k in keys
    ]

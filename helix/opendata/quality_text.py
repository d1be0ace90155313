"""Translated texts of the quality engine's codes (the engine itself has no Django).

The engine stores indicator keys, outcome codes and their parameters; pages
render them in the visitor's language with these strings.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

DIMENSIONS = {
    "findability": _("Findability"),
    "accessibility": _("Accessibility"),
    "interoperability": _("Interoperability"),
    "reusability": _("Reusability"),
    "contextuality": _("Contextuality"),
}

BANDS = {
    "excellent": _("Excellent"),
    "good": _("Good"),
    "enough": _("Sufficient"),
    "bad": _("Bad"),
}

INDICATORS = {
    "keywordAvailability": _("Keywords"),
    "categoryAvailability": _("Themes"),
    "spatialAvailability": _("Spatial coverage"),
    "temporalAvailability": _("Temporal coverage"),
    "accessUrlStatusCode": _("Access URL answers"),
    "downloadUrlAvailability": _("Download URL given"),
    "downloadUrlStatusCode": _("Download URL answers"),
    "formatAvailability": _("Format given"),
    "mediaTypeAvailability": _("Media type given"),
    "formatMediaTypeVocabularyAlignment": _("Format and media type from controlled vocabularies"),
    "formatMediaTypeNonProprietary": _("Non-proprietary format"),
    "formatMediaTypeMachineInterpretable": _("Machine-readable format"),
    "dcatApCompliance": _("DCAT-AP compliance"),
    "licenceAvailability": _("Licence given"),
    "knownLicence": _("Licence from the EU vocabulary"),
    "accessRightsAvailability": _("Access rights given"),
    "accessRightsVocabularyAlignment": _("Access rights from the EU vocabulary"),
    "contactPointAvailability": _("Contact point given"),
    "publisherAvailability": _("Publisher given"),
    "rightsAvailability": _("Rights statement given"),
    "byteSizeAvailability": _("File size given"),
    "dateIssuedAvailability": _("Date of issue given"),
    "dateModifiedAvailability": _("Modification date given"),
}

ADVICE = {
    "keywordAvailability": _("Add keywords (dcat:keyword)."),
    "categoryAvailability": _("Add a theme from the EU data-theme vocabulary (dcat:theme)."),
    "spatialAvailability": _("Describe the area the data cover (dct:spatial)."),
    "temporalAvailability": _("Describe the period the data cover (dct:temporal)."),
    "accessUrlAsLink": _("Give the access URL as a link (IRI), not as text."),
    "giveAccessUrl": _("Give an access URL (dcat:accessURL)."),
    "repairAccessUrl": _("Repair the access URL so that it answers."),
    "giveDownloadUrl": _("Give a direct download URL that answers (dcat:downloadURL)."),
    "repairDownloadUrl": _("Repair the download URL so that it answers."),
    "formatAvailability": _("State the file format (dct:format)."),
    "mediaTypeAvailability": _("State the media type (dcat:mediaType)."),
    "formatMediaTypeVocabularyAlignment": _("Use the EU file-type and IANA media-type IRIs for format and media type."),
    "formatMediaTypeNonProprietary": _("Offer the data in a non-proprietary format (e.g. CSV instead of XLS)."),
    "formatMediaTypeMachineInterpretable": _("Offer the data in a machine-readable format (CSV, JSON, XML, RDF)."),
    "dcatApCompliance": _("Fix the DCAT-AP 3.0.1 violations of the record."),
    "useEuLicence": _("State a licence from the EU licence vocabulary on each distribution (dct:license)."),
    "useEuAccessRights": _("State the access rights with the EU access-right vocabulary (dct:accessRights)."),
    "contactPointAvailability": _("Add a contact point (dcat:contactPoint)."),
    "publisherAvailability": _("Name the publisher (dct:publisher)."),
    "rightsAvailability": _("Add a rights statement (dct:rights)."),
    "byteSizeAvailability": _("State the file size (dcat:byteSize)."),
    "dateIssuedAvailability": _("State when each distribution was issued (dct:issued)."),
    "dateModifiedAvailability": _("State when each distribution was last modified (dct:modified)."),
}

WHY = {
    # MQA
    "present": _("Given: %(value)s."),
    "missing": _("Not given."),
    "link_ok": _("Answered HTTP %(status)s."),
    "link_failed": _("Answered HTTP %(status)s."),
    "link_no_answer": _("Did not answer."),
    "link_not_checked": _("Not checked yet."),
    "link_missing": _("No URL to check."),
    "link_literal": _("The access URL is given as text, not as a link (IRI)."),
    "aligned": _("Format and media type are from the EU file-type and IANA vocabularies."),
    "not_aligned": _("Not from the controlled vocabularies: %(which)s."),
    "in_list": _("%(code)s is on the EU data portal's list."),
    "not_in_list": _("Not on the EU data portal's list (%(value)s)."),
    "licence_known": _("From the EU licence vocabulary (%(value)s)."),
    "licence_unknown": _("%(value)s is not from the EU licence vocabulary."),
    "access_rights_known": _("From the EU access-right vocabulary (%(value)s)."),
    "access_rights_unknown": _("%(value)s is not from the EU access-right vocabulary."),
    "dcat_ap_ok": _("The record conforms to the DCAT-AP 3.0.1 shapes."),
    "dcat_ap_violations": _("%(count)s violation(s) of the DCAT-AP 3.0.1 shapes, e.g. %(first)s"),
    "dcat_ap_no_rdf": _("The record's RDF is not available."),
    # stars
    "web_ok": _("Available at %(url)s under the licence %(licence)s."),
    "no_url": _("No access or download URL is given as a link."),
    "broken": _("The link answered HTTP %(status)s."),
    "no_licence": _("No licence is given."),
    "unknown_licence": _("The licence (%(value)s) is not from the EU licence vocabulary."),
    "machine_readable": _("%(code)s is machine-readable."),
    "not_machine_readable": _("The format (%(value)s) is not machine-readable."),
    "non_proprietary": _("%(code)s is an open, non-proprietary format."),
    "proprietary": _("The format (%(value)s) is proprietary or unknown."),
    "rdf": _("%(code)s is an RDF format: things are named by URIs."),
    "not_rdf": _("The format (%(value)s) is not RDF."),
    "linked": _("The record links to %(count)s other resource(s), e.g. %(first)s."),
    "not_linked": _("The record does not link to other resources."),
}

STARS = {
    1: _("On the web with an open licence"),
    2: _("Structured, machine-readable format"),
    3: _("Non-proprietary format"),
    4: _("URIs to denote things (RDF)"),
    5: _("Linked to other data"),
}

NEEDS_LOWER = _("Requires the stars below.")


def why(code: str, params: dict[str, Any] | None, fallback: str = "") -> str:
    """The translated explanation of an outcome code."""
    base, _sep, suffix = code.partition("+")
    template = WHY.get(base)
    if template is None:
        return fallback
    try:
        text = str(template) % (params or {})
    except (KeyError, ValueError, TypeError):
        return fallback
    if suffix == "needs_lower":
        text = f"{text} {NEEDS_LOWER}"
    return text

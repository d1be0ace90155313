"""Format facts: machine-readable, non-proprietary, openness stars.

A distribution's format is an EU file-type URI; its media type an IANA URI.
The EDP lists and CKAN's openness table are keyed on file types, so a media
type is looked up through the file type its subtype names (``text/csv`` →
CSV, ``application/geo+json`` → GEOJSON, else the suffix: ``+json`` → JSON).
"""

from __future__ import annotations

from .vocab import FILE_TYPE, IANA_PREFIXES, Spec

# EU file-type codes whose CKAN short name differs (CKAN's table uses the
# names of ckan/resource_formats.json). Only names that differ are listed;
# every other code is looked up as it is.
CKAN_NAME = {
    "RDF_TURTLE": "TTL",
    "RDF_XML": "RDF",
    "RDF_N_TRIPLES": "RDF",
    "RDF_N_QUADS": "RDF",
    "RDF_TRIG": "RDF",
    "JSON_LD": "RDF",
    "RDFA": "RDFA",
    "SPARQLQ": "SPARQL",
    "GZIP": "GZ",
    "TAR_GZ": "GZ",
    "SHP": "SHP",
    "TIFF": "TIFF",
    "ATOM": "ATOM FEED",
    "WMS_SRVC": "WMS",
    "WFS_SRVC": "WFS",
    "WCS_SRVC": "WCS",
    "WMTS_SRVC": "WMTS",
    "MS_ACCESS_MDB": "MDB",
    "DBF": "DBASE",
    "ESRI_REST": "ESRI REST",
}


def file_type_code(uri: str) -> str:
    return uri[len(FILE_TYPE) :].upper() if uri.startswith(FILE_TYPE) else ""


def media_type_codes(uri: str) -> list[str]:
    """Candidate file-type codes for an IANA media type URI (or a bare media type)."""
    value = uri
    for prefix in IANA_PREFIXES:
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    if "/" not in value:
        return []
    subtype = value.split("/", 1)[1].lower().split(";")[0].strip()
    for noise in ("vnd.", "x-"):
        if subtype.startswith(noise):
            subtype = subtype[len(noise) :]
    candidates = [subtype.replace("+", "").replace("-", "_").replace(".", "_").upper()]
    if "+" in subtype:
        candidates.append(subtype.rsplit("+", 1)[1].upper())
    return candidates


def codes(format_uri: str, media_type_uri: str) -> list[str]:
    out = []
    code = file_type_code(format_uri)
    if code:
        out.append(code)
    out.extend(media_type_codes(media_type_uri))
    return out


def in_list(spec_list: frozenset[str], format_uri: str, media_type_uri: str) -> str:
    """The first code (of format, then media type) in an EDP list, or ''."""
    for code in codes(format_uri, media_type_uri):
        if FILE_TYPE + code in spec_list:
            return code
    return ""


def openness(spec: Spec, format_uri: str, media_type_uri: str) -> tuple[int, str]:
    """CKAN openness score (0-5) of the best known code, with that code."""
    best = (-1, "")
    for code in codes(format_uri, media_type_uri):
        name = CKAN_NAME.get(code, code).upper()
        score = spec.openness.get(name)
        if score is not None and score > best[0]:
            best = (score, code)
    return best


def short_name(format_uri: str, format_original: str = "", media_type_uri: str = "", media_type_original: str = "") -> str:
    """The format as a reader knows it: the EU file-type code, else the media type, else what was given."""
    code = file_type_code(format_uri)
    if code:
        return code
    for value in (media_type_uri, media_type_original):
        if value:
            for prefix in IANA_PREFIXES:
                value = value.removeprefix(prefix)
            return value
    original = format_original.split(" | ")[0].strip()
    return (original[:60] + "…") if len(original) > 60 else (original or "none given")

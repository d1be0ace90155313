"""Normalise formats, media types and licences given as plain text to the EU vocabularies.

The tables below are the documented mapping (docs/opendata-harvesting.md). A value that is
already a URI of the target vocabulary is kept; a value we cannot map yields '' and the
caller keeps the original next to it, so nothing the publisher said is lost.

- file types: the EU file-type authority table, http://publications.europa.eu/resource/authority/file-type/
- media types: IANA, https://www.iana.org/assignments/media-types/<type>/<subtype>
- licences: the EU licence authority table, http://publications.europa.eu/resource/authority/licence/
"""

from __future__ import annotations

import re

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LICENCE = "http://publications.europa.eu/resource/authority/licence/"
IANA = "https://www.iana.org/assignments/media-types/"
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"

NORMALISER_VERSION = "1"
"""Part of every record's content hash: a changed table re-normalises records on the next run."""

# file-type code -> (IANA media type, spellings publishers use besides the code itself)
FILE_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "CSV": ("text/csv", ("comma separated values", "comma-separated values")),
    "TSV": ("text/tab-separated-values", ("tab separated values",)),
    "JSON": ("application/json", ()),
    "JSON_LD": ("application/ld+json", ("json-ld", "jsonld", "json ld")),
    "GEOJSON": ("application/geo+json", ("geo+json", "geo json", "vnd.geo+json")),
    "XML": ("application/xml", ()),
    "HTML": ("text/html", ("htm", "webpage", "web page")),
    "TXT": ("text/plain", ("text", "plain text")),
    "PDF": ("application/pdf", ()),
    "XLS": ("application/vnd.ms-excel", ("excel", "ms excel")),
    "XLSX": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("ooxml spreadsheet",)),
    "ODS": ("application/vnd.oasis.opendocument.spreadsheet", ("opendocument spreadsheet",)),
    "DOC": ("application/msword", ("word",)),
    "DOCX": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ()),
    "ODT": ("application/vnd.oasis.opendocument.text", ()),
    "RDF_XML": ("application/rdf+xml", ("rdf/xml", "rdf", "rdf xml", "rdf+xml")),
    "RDF_TURTLE": ("text/turtle", ("turtle", "ttl")),
    "RDF_N_TRIPLES": ("application/n-triples", ("n-triples", "ntriples", "nt")),
    "RDF_N_QUADS": ("application/n-quads", ("n-quads", "nquads", "nq")),
    "RDF_TRIG": ("application/trig", ("trig",)),
    "ZIP": ("application/zip", ()),
    "GZIP": ("application/gzip", ("gz",)),
    "TAR": ("application/x-tar", ()),
    "SHP": ("application/x-shapefile", ("shapefile", "esri shapefile", "shape")),
    "KML": ("application/vnd.google-earth.kml+xml", ()),
    "KMZ": ("application/vnd.google-earth.kmz", ()),
    "GML": ("application/gml+xml", ()),
    "GPKG": ("application/geopackage+sqlite3", ("geopackage",)),
    "WMS_SRVC": ("", ("wms",)),
    "WFS_SRVC": ("", ("wfs",)),
    "WMTS_SRVC": ("", ("wmts",)),
    "PNG": ("image/png", ()),
    "JPEG": ("image/jpeg", ("jpg",)),
    "TIFF": ("image/tiff", ("tif", "geotiff")),
    "RSS": ("application/rss+xml", ()),
    "ATOM": ("application/atom+xml", ()),
    "ICS": ("text/calendar", ("ical", "icalendar")),
    "NETCDF": ("application/netcdf", ("nc",)),
    "PARQUET": ("application/vnd.apache.parquet", ()),
    "SPARQLQ": ("application/sparql-query", ("sparql",)),
}

_FORMAT_INDEX: dict[str, str] = {}
_MEDIA_TO_FILE_TYPE: dict[str, str] = {}
for _code, (_media, _aliases) in FILE_TYPES.items():
    for _alias in (_code, _code.replace("_", " "), _code.replace("_", "-"), *_aliases):
        _FORMAT_INDEX[_alias.lower()] = _code
    if _media:
        _MEDIA_TO_FILE_TYPE[_media] = _code
_MEDIA_TO_FILE_TYPE.update(
    {
        "application/vnd.geo+json": "GEOJSON",
        "text/xml": "XML",
        "application/x-zip-compressed": "ZIP",
        "application/csv": "CSV",
        "text/comma-separated-values": "CSV",
        "application/x-turtle": "RDF_TURTLE",
        "application/excel": "XLS",
    }
)

# EU licence code -> spellings (lower-case, compared after folding spaces, dashes and dots).
LICENCES: dict[str, tuple[str, ...]] = {
    "CC_BY_4_0": (
        "cc-by-4.0",
        "cc by 4.0",
        "cc-by 4.0",
        "creative commons attribution 4.0",
        "creative commons attribution 4.0 international",
        "creative commons naamsvermelding 4.0",
        "http://creativecommons.org/licenses/by/4.0/",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC_BYSA_4_0": (
        "cc-by-sa-4.0",
        "cc by-sa 4.0",
        "creative commons attribution share-alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC_BYND_4_0": ("cc-by-nd-4.0", "cc by-nd 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    "CC_BYNC_4_0": ("cc-by-nc-4.0", "cc by-nc 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "CC_BY_3_0": ("cc-by-3.0", "cc by 3.0", "https://creativecommons.org/licenses/by/3.0/"),
    "CC0": (
        "cc0",
        "cc0-1.0",
        "cc0 1.0",
        "cc-zero",
        "creative commons zero",
        "public domain dedication",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODC_BY": ("odc-by", "odc-by-1.0", "open data commons attribution license", "https://opendatacommons.org/licenses/by/"),
    "ODC_BL": ("odbl", "odc-odbl", "odbl-1.0", "open database license", "https://opendatacommons.org/licenses/odbl/"),
    "ODC_PDDL": ("pddl", "odc-pddl", "https://opendatacommons.org/licenses/pddl/"),
    "DL_DE_BY_2_0": ("dl-de-by-2.0", "dl-de/by-2-0", "datenlizenz deutschland namensnennung 2.0"),
    "DL_DE_ZERO_2_0": ("dl-de-zero-2.0", "dl-de/zero-2-0", "datenlizenz deutschland zero 2.0"),
    "OGL_3_0": ("ogl-uk-3.0", "open government licence v3.0"),
}


def _fold(text: str) -> str:
    text = text.strip().lower().rstrip("/")
    return re.sub(r"[\s_.\-/]+", "-", text)


_LICENCE_INDEX: dict[str, str] = {}
for _code, _spellings in LICENCES.items():
    for _spelling in (_code, *_spellings):
        _LICENCE_INDEX[_fold(_spelling)] = _code
# Common URIs of the licence texts in other vocabularies (dl-de, spdx).
_LICENCE_URI_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"dcat-ap\.de/def/licenses/dl-by-de/2\.0"), "DL_DE_BY_2_0"),
    (re.compile(r"dcat-ap\.de/def/licenses/dl-zero-de/2\.0"), "DL_DE_ZERO_2_0"),
    (re.compile(r"dcat-ap\.de/def/licenses/cc-by-4\.0|dcat-ap\.de/def/licenses/cc-by/4\.0"), "CC_BY_4_0"),
    (re.compile(r"dcat-ap\.de/def/licenses/cc-zero"), "CC0"),
    (re.compile(r"spdx\.org/licenses/CC-BY-4\.0", re.I), "CC_BY_4_0"),
    (re.compile(r"spdx\.org/licenses/CC0-1\.0", re.I), "CC0"),
]


def media_type_uri(value: str) -> str:
    """The IANA URI of a media type given as text ('text/csv; charset=utf-8') or URI; '' if it is none."""
    value = (value or "").strip()
    if not value:
        return ""
    for prefix in (IANA, "http://www.iana.org/assignments/media-types/"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    value = value.split(";", 1)[0].strip().lower()
    if re.fullmatch(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*", value):
        return IANA + value
    return ""


def file_type_uri(value: str) -> str:
    """The EU file-type URI for a format given as a URI, a media type or plain text; '' if unknown."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.startswith(FILE_TYPE):
        return value
    for prefix in (
        "https://publications.europa.eu/resource/authority/file-type/",
        "http://publications.europa.eu/resource/authority/file-type/",
    ):
        if value.startswith(prefix):
            return FILE_TYPE + value[len(prefix) :]
    media = media_type_uri(value)
    if media:
        code = _MEDIA_TO_FILE_TYPE.get(media[len(IANA) :])
        return FILE_TYPE + code if code else ""
    token = value.rsplit("/", 1)[-1] if "://" in value else value
    token = token.strip().lstrip(".").lower()
    code = _FORMAT_INDEX.get(token)
    return FILE_TYPE + code if code else ""


def media_type_for_file_type(file_type: str) -> str:
    """The IANA URI of the typical media type of an EU file type, or ''."""
    if not file_type.startswith(FILE_TYPE):
        return ""
    media = FILE_TYPES.get(file_type[len(FILE_TYPE) :], ("", ()))[0]
    return IANA + media if media else ""


def licence_uri(value: str) -> str:
    """The EU licence URI for a licence given as URI, SPDX id or name; '' if unknown."""
    value = (value or "").strip()
    if not value:
        return ""
    for prefix in (LICENCE, "https://publications.europa.eu/resource/authority/licence/"):
        if value.startswith(prefix):
            return LICENCE + value[len(prefix) :]
    for pattern, code in _LICENCE_URI_PATTERNS:
        if pattern.search(value):
            return LICENCE + code
    found = _LICENCE_INDEX.get(_fold(value))
    if found is None and "://" in value:
        found = _LICENCE_INDEX.get(_fold(value.replace("http://", "https://")))
    return LICENCE + found if found else ""


ACCESS_RIGHTS = {
    "public": "PUBLIC",
    "openbaar": "PUBLIC",
    "open": "PUBLIC",
    "restricted": "RESTRICTED",
    "beperkt": "RESTRICTED",
    "non-public": "NON_PUBLIC",
    "non_public": "NON_PUBLIC",
    "niet-openbaar": "NON_PUBLIC",
    "niet openbaar": "NON_PUBLIC",
}


def access_rights_uri(value: str) -> str:
    """The EU access-right URI for 'public', 'restricted', 'non-public' (English or Dutch); else ''."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.startswith(ACCESS_RIGHT):
        return value
    code = ACCESS_RIGHTS.get(value.lower())
    return ACCESS_RIGHT + code if code else ""

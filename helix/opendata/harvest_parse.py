"""Parse DCAT-AP documents (Turtle, RDF/XML, JSON-LD) and turn each dcat:Dataset into a record:
normalised fields, distributions, the record's own triples (canonical N-Triples) and their hash.

Pure functions without database access, so the benchmark can time parsing alone.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS
from rdflib.term import Node

from . import normalise

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SCHEMA = Namespace("http://schema.org/")
LOCN = Namespace("http://www.w3.org/ns/locn#")
HYDRA_NAMESPACES = ("http://www.w3.org/ns/hydra/core#", "http://purl.org/hydra/core#")
NEXT_PAGE_PREDICATES = [URIRef(ns + name) for ns in HYDRA_NAMESPACES for name in ("next", "nextPage")]

FORMATS = {"turtle": "turtle", "rdfxml": "xml", "jsonld": "json-ld"}
PRIVATE_PREDICATES = {
    VCARD.hasEmail,
    VCARD.email,
    VCARD.hasTelephone,
    VCARD.tel,
    FOAF.mbox,
    FOAF.phone,
}
"""Never copied into the stored triples. Of a contact point and of a person (foaf:Person,
vcard:Individual) only the type is kept: no personal data of persons."""
PERSON_TYPES = {FOAF.Person, VCARD.Individual}

DCAT_AP_CONTEXT_FILE = Path(settings.BASE_DIR) / "data" / "spec" / "dcat-ap-3.0.1" / "dcat-ap.jsonld"
LOCAL_CONTEXTS = {
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld": DCAT_AP_CONTEXT_FILE,
}


class ParseError(Exception):
    """A document that cannot be read as RDF; the message is readable for the run report."""


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- Documents --------------------------------------------------------------------------------


def detect_format(declared: str, content_type: str, url: str, body: bytes) -> str:
    """rdflib's format name: the source's declared format, else the Content-Type, else the
    file extension, else a look at the first bytes."""
    if declared in FORMATS:
        return FORMATS[declared]
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("text/turtle", "application/x-turtle", "text/n3"):
        return "turtle"
    if media in ("application/rdf+xml",):
        return "xml"
    if media in ("application/ld+json", "application/json"):
        return "json-ld"
    if media in ("application/n-triples",):
        return "nt"
    path = urlsplit(url).path.lower()
    for suffix, fmt in (
        (".ttl", "turtle"),
        (".rdf", "xml"),
        (".xml", "xml"),
        (".jsonld", "json-ld"),
        (".json", "json-ld"),
        (".nt", "nt"),
    ):
        if path.endswith(suffix):
            return fmt
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "xml"
    if head[:1] in (b"{", b"["):
        return "json-ld"
    return "turtle"


def _inline_contexts(value: Any, fetch_context: Any, depth: int = 0) -> Any:
    """Replace remote JSON-LD contexts by their content, fetched through the address guard
    (rdflib would fetch them itself, unguarded)."""
    if depth > 4:
        raise ParseError(_("JSON-LD contexts are nested too deeply."))
    if isinstance(value, list):
        return [_inline_contexts(item, fetch_context, depth) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        if key == "@context":
            result[key] = _resolve_context(item, fetch_context, depth)
        else:
            result[key] = _inline_contexts(item, fetch_context, depth)
    return result


def _resolve_context(context: Any, fetch_context: Any, depth: int) -> Any:
    if isinstance(context, list):
        return [_resolve_context(item, fetch_context, depth) for item in context]
    if isinstance(context, str):
        if context in LOCAL_CONTEXTS:
            document = json.loads(LOCAL_CONTEXTS[context].read_text(encoding="utf-8"))
        elif fetch_context is None:
            raise ParseError(_("Remote JSON-LD context %(url)s is not allowed here.") % {"url": context})
        else:
            document = json.loads(fetch_context(context))
        inner = document.get("@context", {}) if isinstance(document, dict) else {}
        return _resolve_context(inner, fetch_context, depth + 1)
    if isinstance(context, dict):
        return {k: (_resolve_context(v, fetch_context, depth + 1) if k == "@import" else v) for k, v in context.items()}
    return context


def parse_document(body: bytes, fmt: str, base: str, *, fetch_context: Any = None) -> Graph:
    graph = Graph()
    try:
        if fmt == "xml" and re.search(rb"<!ENTITY", body[:65536], re.I):
            raise ParseError(_("Refused: the XML document declares entities."))
        if fmt == "json-ld":
            document = _inline_contexts(json.loads(body.decode("utf-8")), fetch_context)
            graph.parse(data=json.dumps(document), format="json-ld", publicID=base)
        else:
            graph.parse(data=body, format=fmt, publicID=base)
    except ParseError:
        raise
    except Exception as exc:  # rdflib raises many kinds of errors for broken input
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise ParseError(_("The document is not valid %(format)s: %(error)s") % {"format": fmt, "error": message[:300]}) from exc
    return graph


def next_page(graph: Graph, url: str) -> str | None:
    """The next page of a paged catalogue (hydra:next / hydra:nextPage, old and new vocabularies)."""
    for predicate in NEXT_PAGE_PREDICATES:
        for value in graph.objects(None, predicate):
            if isinstance(value, URIRef | Literal) and str(value).strip():
                return urljoin(url, str(value).strip())
    return None


# --- Records ----------------------------------------------------------------------------------


@dataclass
class DistributionRecord:
    uri: str = ""
    title: str = ""
    access_url: str = ""
    download_urls: list[str] = field(default_factory=list)
    format: str = ""
    format_original: str = ""
    media_type: str = ""
    media_type_original: str = ""
    licence: str = ""
    licence_original: str = ""
    byte_size: int | None = None
    rights: str = ""
    issued: datetime.datetime | None = None
    modified: datetime.datetime | None = None

    def key(self) -> str:
        return self.uri or self.access_url or (self.download_urls[0] if self.download_urls else "") or self.title

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class DatasetRecord:
    uri: str
    fields: dict[str, Any]
    distributions: list[DistributionRecord]
    rdf: str
    content_hash: str
    publisher_identifiers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _text(graph: Graph, node: Node) -> str:
    """A value as text: a literal's lexical form, a URI, or a blank node's label/value."""
    if isinstance(node, Literal | URIRef):
        return str(node).strip()
    for predicate in (RDFS.label, SKOS.prefLabel, FOAF.name, RDF.value, DCTERMS.title, SKOS.notation):
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal | URIRef):
                return str(value).strip()
    return ""


def _texts(graph: Graph, node: Node) -> list[str]:
    """Every textual alternative of a value (a blank node's label and value both)."""
    if isinstance(node, Literal):
        return [str(node).strip()]
    found: list[str] = []
    for predicate in (RDF.value, RDFS.label, SKOS.prefLabel, SKOS.notation, DCTERMS.identifier):
        found.extend(sorted(str(v).strip() for v in graph.objects(node, predicate) if isinstance(v, Literal | URIRef)))
    found = [f for f in found if f]
    if isinstance(node, URIRef):
        # A URI of its own (e.g. datos.gob.es: a dct:IMT node with label and value) is tried
        # last: its label and value say more than a record-specific URI.
        found.append(str(node).strip())
    return found


def _languages(graph: Graph, node: Node, predicate: URIRef) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal):
            result.setdefault(value.language or "", str(value).strip())
    return result


def _pick(by_lang: dict[str, str]) -> str:
    for lang in ("nl", "nl-be", "en", ""):
        if by_lang.get(lang):
            return by_lang[lang]
    return next(iter(by_lang.values()), "")


def _datetime(graph: Graph, node: Node, predicate: URIRef) -> datetime.datetime | None:
    for value in graph.objects(node, predicate):
        parsed = parse_datetime_value(str(value))
        if parsed is not None:
            return parsed
    return None


def parse_datetime_value(text: str) -> datetime.datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}", text):
            result = datetime.datetime(int(text), 1, 1)
        elif re.fullmatch(r"\d{4}-\d{2}", text):
            result = datetime.datetime(int(text[:4]), int(text[5:7]), 1)
        else:
            result = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_naive(result):
        result = result.replace(tzinfo=datetime.UTC)
    return result


def _date(graph: Graph, node: Node, predicates: tuple[URIRef, ...]) -> datetime.date | None:
    for predicate in predicates:
        parsed = _datetime(graph, node, predicate)
        if parsed is not None:
            return parsed.date()
    return None


def _capped(values: list[str], cap: int, what: str, warnings: list[str]) -> list[str]:
    unique = list(dict.fromkeys(v for v in values if v))
    if len(unique) > cap:
        warnings.append(
            _("%(what)s: only the first %(cap)s of %(n)s values kept.") % {"what": what, "cap": cap, "n": len(unique)}
        )
        return unique[:cap]
    return unique


def _distribution(graph: Graph, node: Node, cap: int, warnings: list[str]) -> DistributionRecord:
    dist = DistributionRecord(uri=str(node) if isinstance(node, URIRef) else "")
    dist.title = _pick(_languages(graph, node, DCTERMS.title))
    access = [_text(graph, v) for v in graph.objects(node, DCAT.accessURL)]
    dist.access_url = next((a for a in sorted(access) if a), "")
    dist.download_urls = _capped(
        sorted(_text(graph, v) for v in graph.objects(node, DCAT.downloadURL)), cap, "downloadURL", warnings
    )
    for value in graph.objects(node, DCTERMS.format):
        texts = _texts(graph, value)
        dist.format_original = " | ".join(texts)
        dist.format = next((uri for uri in map(normalise.file_type_uri, texts) if uri), "")
        break
    for value in graph.objects(node, DCAT.mediaType):
        texts = _texts(graph, value)
        dist.media_type_original = " | ".join(texts)
        dist.media_type = next((uri for uri in map(normalise.media_type_uri, texts) if uri), "")
        break
    for value in graph.objects(node, DCTERMS.license):
        texts = _texts(graph, value)
        dist.licence_original = " | ".join(texts)
        dist.licence = next((uri for uri in map(normalise.licence_uri, texts) if uri), "")
        break
    for value in graph.objects(node, DCAT.byteSize):
        try:
            dist.byte_size = int(float(str(value)))
        except ValueError:
            warnings.append(_("byteSize %(value)s is not a number.") % {"value": str(value)[:50]})
        break
    rights = [_text(graph, v) for v in graph.objects(node, DCTERMS.rights)]
    dist.rights = next((r for r in rights if r), "")
    dist.issued = _datetime(graph, node, DCTERMS.issued)
    dist.modified = _datetime(graph, node, DCTERMS.modified)
    return dist


def _graph_index(graph: Graph) -> tuple[set[Node], set[Node], set[Node]]:
    """Per graph, once: the described subjects, the nodes not to descend into (other datasets,
    catalogues), and persons."""
    index = getattr(graph, "_helix_index", None)
    if index is None:
        described = set(graph.subjects(unique=True))
        skip = {n for t in (DCAT.Dataset, DCAT.Catalog, DCAT.CatalogRecord) for n in graph.subjects(RDF.type, t)}
        persons = {n for t in PERSON_TYPES for n in graph.subjects(RDF.type, t)}
        index = (described, skip, persons)
        setattr(graph, "_helix_index", index)  # noqa: B010
    return index


def record_triples(graph: Graph, root: Node, cap: int, max_triples: int) -> list[tuple[Node, Node, Node]]:
    """The record's own triples: the dataset, and what it points to that the document
    describes (blank nodes, distributions, publisher, ...), without other datasets or
    catalogues; of a contact point and of a person only the type (no personal data)."""
    described, skip, persons = _graph_index(graph)
    triples: list[tuple[Node, Node, Node]] = []
    visited = {root}
    contacts: set[Node] = set()
    queue: list[tuple[Node, int]] = [(root, 0)]
    while queue and len(triples) < max_triples:
        node, depth = queue.pop(0)
        private_node = node in contacts or node in persons
        items = list(graph.predicate_objects(node))
        if len(items) > cap:
            items.sort()  # the values kept under the cap are the same on every run
        per_predicate: dict[Node, int] = defaultdict(int)
        for predicate, value in items:
            if private_node and predicate != RDF.type:
                continue
            if predicate in PRIVATE_PREDICATES:
                continue
            if isinstance(value, URIRef) and str(value).startswith(("mailto:", "tel:")):
                continue
            per_predicate[predicate] += 1
            if per_predicate[predicate] > cap:
                continue
            triples.append((node, predicate, value))
            if predicate == DCAT.contactPoint:
                contacts.add(value)
            if isinstance(value, Literal) or value in visited or depth >= 3:
                continue
            if isinstance(value, BNode) or (value in described and value not in skip):
                visited.add(value)
                queue.append((value, depth + 1))
    return triples[:max_triples]


def canonical_ntriples(triples: list[tuple[Node, Node, Node]]) -> str:
    """N-Triples with blank nodes labelled by a hash of their content, sorted: the same
    record gives the same text on every parse."""
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        by_subject[s].append((p, o))
    labels: dict[Node, str] = {}

    def label(node: Node, stack: frozenset[Node]) -> str:
        if node in labels:
            return labels[node]
        if node in stack:
            return "cycle"
        lines = sorted(f"{p.n3()} {sig(o, stack | {node})}" for p, o in by_subject.get(node, []))
        labels[node] = "b" + hashlib.sha256("\n".join(lines).encode()).hexdigest()[:20]
        return labels[node]

    def sig(node: Node, stack: frozenset[Node] = frozenset()) -> str:
        if isinstance(node, BNode):
            return "_:" + label(node, stack)
        if isinstance(node, Literal):
            return _nt_literal(node)
        return f"<{_escape_iri(str(node))}>"

    return "".join(sorted({f"{sig(s)} {sig(p)} {sig(o)} .\n" for s, p, o in triples}))


def _escape_iri(iri: str) -> str:
    return re.sub(r'[\x00-\x20<>"{}|^`\\]', lambda m: f"\\u{ord(m.group()):04X}", iri)


def _nt_literal(value: Literal) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if value.language:
        return f'"{text}"@{value.language}'
    if value.datatype is not None:
        return f'"{text}"^^<{_escape_iri(str(value.datatype))}>'
    return f'"{text}"'


def dataset_nodes(graph: Graph) -> Iterator[Node]:
    return iter(sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str))


def extract_dataset(graph: Graph, node: Node) -> DatasetRecord:
    """One dcat:Dataset as a record (raises ValueError when it cannot be one)."""
    if not isinstance(node, URIRef):
        raise ValueError(_("A dataset without URI (blank node) cannot be harvested repeatably; skipped."))
    cap = limit("HELIX_HARVEST_MAX_VALUES", 100)
    warnings: list[str] = []
    titles = _languages(graph, node, DCTERMS.title)
    descriptions = _languages(graph, node, DCTERMS.description)
    keywords = [str(v).strip() for v in graph.objects(node, DCAT.keyword) if isinstance(v, Literal)]
    themes = [str(v) for v in graph.objects(node, DCAT.theme) if isinstance(v, URIRef)]
    spatial = []
    for value in graph.objects(node, DCTERMS.spatial):
        text = _text(graph, value)
        if not text:
            geometry = next(iter(graph.objects(value, LOCN.geometry)), None) or next(iter(graph.objects(value, DCAT.bbox)), None)
            text = str(geometry)[:500] if geometry is not None else ""
        spatial.append(text)
    start = end = None
    for value in graph.objects(node, DCTERMS.temporal):
        start = start or _date(graph, value, (DCAT.startDate, SCHEMA.startDate))
        end = end or _date(graph, value, (DCAT.endDate, SCHEMA.endDate))
    access_original = ""
    for value in graph.objects(node, DCTERMS.accessRights):
        access_original = _text(graph, value)
        break
    publisher_uri = publisher_name = ""
    identifiers: list[str] = []
    for value in graph.objects(node, DCTERMS.publisher):
        if isinstance(value, URIRef):
            publisher_uri = str(value)
        if isinstance(value, Literal):
            publisher_name = str(value).strip()
        else:
            names = {}
            for predicate in (FOAF.name, SKOS.prefLabel, RDFS.label, VCARD["organization-name"]):
                names.update({k: v for k, v in _languages(graph, value, predicate).items() if k not in names})
            publisher_name = _pick(names)
            for predicate in (DCTERMS.identifier, SKOS.notation):
                identifiers += [str(v) for v in graph.objects(value, predicate) if isinstance(v, Literal)]
            for adms_id in graph.objects(value, ADMS.identifier):
                identifiers += [str(v) for v in graph.objects(adms_id, SKOS.notation)]
        break
    conforms = [_text(graph, v) for v in graph.objects(node, DCTERMS.conformsTo)]
    distributions = [_distribution(graph, d, cap, warnings) for d in sorted(graph.objects(node, DCAT.distribution), key=str)]
    if len(distributions) > cap:
        warnings.append(_("Only the first %(cap)s of %(n)s distributions kept.") % {"cap": cap, "n": len(distributions)})
        distributions = distributions[:cap]
    fields = {
        "identifier": next((str(v).strip()[:500] for v in graph.objects(node, DCTERMS.identifier)), ""),
        "title": _pick(titles)[:1000],
        "title_lang": {k: v[:1000] for k, v in list(titles.items())[:cap]},
        "description": _pick(descriptions),
        "keywords": _capped(sorted(keywords), cap, "keyword", warnings),
        "themes": _capped(sorted(themes), cap, "theme", warnings),
        "spatial": _capped(sorted(spatial), cap, "spatial", warnings),
        "temporal_start": start,
        "temporal_end": end,
        "issued": _datetime(graph, node, DCTERMS.issued),
        "modified": _datetime(graph, node, DCTERMS.modified),
        "landing_page": next((_text(graph, v) for v in graph.objects(node, DCAT.landingPage)), ""),
        "access_rights": normalise.access_rights_uri(access_original) or access_original,
        "access_rights_original": access_original,
        "has_contact_point": (node, DCAT.contactPoint, None) in graph,
        "publisher_uri": publisher_uri,
        "publisher_name": publisher_name[:500],
        "conforms_to": _capped(sorted(conforms), cap, "conformsTo", warnings),
    }
    triples = record_triples(graph, node, cap, limit("HELIX_HARVEST_MAX_TRIPLES", 5000))
    text = canonical_ntriples(triples)
    content_hash = hashlib.sha256((normalise.NORMALISER_VERSION + "\n" + text).encode()).hexdigest()
    max_chars = limit("HELIX_HARVEST_MAX_RDF_CHARS", 500_000)
    if len(text) > max_chars:
        text = text[: text.rfind("\n", 0, max_chars) + 1]
        warnings.append(_("The stored triples were cut at %(n)s characters.") % {"n": max_chars})
    return DatasetRecord(
        uri=str(node)[:2000],
        fields=fields,
        distributions=distributions,
        rdf=text,
        content_hash=content_hash,
        publisher_identifiers=sorted(set(identifiers))[:cap],
        warnings=warnings,
    )

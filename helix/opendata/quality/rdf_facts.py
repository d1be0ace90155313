"""Facts straight from a DCAT record parsed with rdflib (no normalisation).

Used by tests and tools that have an rdflib graph rather than harvested rows.
Values that are not IRIs of the EU vocabularies are kept only as
``*_original``: aligning "XLS" or a national licence IRI to the EU
vocabularies is the harvester's job, so a raw record scores as the portal
would score it before normalisation.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS

from .types import DatasetFacts, DistributionFacts
from .vocab import FILE_TYPE, IANA_PREFIXES, LICENCE

LINK_PROPERTIES = (
    DCTERMS.relation,
    DCTERMS.source,
    DCTERMS.references,
    DCTERMS.isReferencedBy,
    OWL.sameAs,
    RDFS.seeAlso,
    DCAT.qualifiedRelation,
)


def _str(node: rdflib.term.Node | None) -> str:
    return "" if node is None else str(node)


def _date(node: rdflib.term.Node | None) -> date | datetime | None:
    if isinstance(node, rdflib.Literal):
        value = node.toPython()
        if isinstance(value, (date, datetime)):
            return value
    return None


def _int(node: rdflib.term.Node | None) -> int | None:
    if isinstance(node, rdflib.Literal):
        try:
            return int(float(str(node)))
        except ValueError:
            return None
    return None


def _label(g: rdflib.Graph, node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.Literal):
        return str(node)
    for p in (RDFS.label, SKOS.prefLabel, RDF.value, FOAF.name):
        v = g.value(node, p)
        if v is not None:
            return str(v)
    return "" if isinstance(node, rdflib.BNode) else str(node)


def _distribution(g: rdflib.Graph, d: rdflib.term.Node) -> DistributionFacts:
    fmt = g.value(d, DCTERMS.format)
    media = g.value(d, DCAT.mediaType)
    lic = g.value(d, DCTERMS.license)
    access = g.value(d, DCAT.accessURL)
    fmt_uri = _str(fmt) if isinstance(fmt, rdflib.URIRef) and str(fmt).startswith(FILE_TYPE) else ""
    media_uri = _str(media) if isinstance(media, rdflib.URIRef) and str(media).startswith(IANA_PREFIXES) else ""
    lic_uri = _str(lic) if isinstance(lic, rdflib.URIRef) and str(lic).startswith(LICENCE) else ""
    return DistributionFacts(
        access_url=_str(access),
        access_url_is_iri=not isinstance(access, rdflib.Literal),
        download_urls=tuple(sorted(str(u) for u in g.objects(d, DCAT.downloadURL))),
        format=fmt_uri,
        format_original="" if fmt_uri else _label(g, fmt),
        media_type=media_uri,
        media_type_original="" if media_uri else _label(g, media),
        licence=lic_uri,
        licence_original="" if lic_uri else _label(g, lic),
        rights=_label(g, g.value(d, DCTERMS.rights)),
        byte_size=_int(g.value(d, DCAT.byteSize)),
        issued=_date(g.value(d, DCTERMS.issued)),
        modified=_date(g.value(d, DCTERMS.modified)),
    )


def facts_from_graph(g: rdflib.Graph, dataset: rdflib.term.Node | None = None) -> DatasetFacts:
    if dataset is None:
        dataset = next(g.subjects(RDF.type, DCAT.Dataset))
    start = end = None
    for t in g.objects(dataset, DCTERMS.temporal):
        start = start or _date(g.value(t, DCAT.startDate))
        end = end or _date(g.value(t, DCAT.endDate))
    publisher = g.value(dataset, DCTERMS.publisher)
    host = urlsplit(str(dataset)).hostname or ""
    links = sorted(
        str(o)
        for p in LINK_PROPERTIES
        for o in g.objects(dataset, p)
        if isinstance(o, rdflib.URIRef) and (urlsplit(str(o)).hostname or "") != host
    )
    own = rdflib.Graph()
    for prefix, ns in g.namespaces():
        own.bind(prefix, ns)
    for triple in g:
        own.add(triple)
    return DatasetFacts(
        uri=str(dataset),
        title=_label(g, g.value(dataset, DCTERMS.title)),
        links=tuple(links),
        keywords=tuple(sorted(str(k) for k in g.objects(dataset, DCAT.keyword))),
        themes=tuple(sorted(str(t) for t in g.objects(dataset, DCAT.theme))),
        spatial=tuple(sorted(_label(g, s) or "location" for s in g.objects(dataset, DCTERMS.spatial))),
        temporal_start=start,
        temporal_end=end,
        access_rights=_str(g.value(dataset, DCTERMS.accessRights)),
        has_contact_point=g.value(dataset, DCAT.contactPoint) is not None,
        publisher_uri=_str(publisher) if isinstance(publisher, rdflib.URIRef) else "",
        publisher_name=_label(g, publisher),
        issued=_date(g.value(dataset, DCTERMS.issued)),
        modified=_date(g.value(dataset, DCTERMS.modified)),
        conforms_to=tuple(str(c) for c in g.objects(dataset, DCTERMS.conformsTo)),
        rdf=own.serialize(format="nt"),
        rdf_format="nt",
        distributions=tuple(_distribution(g, d) for d in g.objects(dataset, DCAT.distribution)),
    )

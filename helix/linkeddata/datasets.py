"""Harvested datasets (helix.opendata) as DCAT-AP: the "dataset" kind and the "datasets" registry.

A harvested dataset gets a Helix URI (/id/dataset/<pk>: the row's key, stable for the life of
the record) and is linked to its URI at the source with owl:sameAs. The values are Helix's
normalised ones (EU file types, IANA media types, EU licences). Never published: the harvested
RDF as received (it may name contact persons) and the contact point (Helix keeps only whether
there is one).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from helix.opendata.models import Dataset, Distribution

from .catalogue import Registry, register_registry
from .mapping import Kind, _date, _datetime, _url, add_agent, add_page, is_public, register_kind
from .uris import absolute, record_uri
from .vocab import EU_AUTHORITY

# The EU data themes with their labels (EU authority table "data-theme").
EU_THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "OP_DATPRO": "Provisional data",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
NO_DESCRIPTION = "No description given by the publisher."


def dataset_queryset() -> QuerySet[Dataset]:
    return (
        Dataset.objects.select_related("organisation")
        .prefetch_related(Prefetch("distributions", queryset=Distribution.objects.order_by("id")))
        .defer("rdf")
        .order_by("id")
    )


def _concept(graph: Graph, value: str) -> URIRef | None:
    """A theme as skos:Concept with a label (the EU label, else the IRI's last segment)."""
    uri = _url(value)
    if uri is None:
        return None
    graph.add((uri, RDF.type, SKOS.Concept))
    code = value.rstrip("/").rsplit("/", 1)[-1]
    label = EU_THEME_LABELS.get(code) if value.startswith(EU_AUTHORITY + "data-theme/") else None
    graph.add((uri, SKOS.prefLabel, Literal(label or code, lang="en" if label else None)))
    return uri


def _typed(graph: Graph, value: str, rdf_type: URIRef) -> URIRef | None:
    uri = _url(value)
    if uri is not None:
        graph.add((uri, RDF.type, rdf_type))
    return uri


def describe_dataset(graph: Graph, dataset: Dataset) -> URIRef:
    uri = record_uri("dataset", str(dataset.pk))
    graph.add((uri, RDF.type, DCAT.Dataset))
    graph.add((uri, DCTERMS.identifier, Literal(dataset.identifier or dataset.uri)))
    if original := _url(dataset.uri):
        graph.add((uri, OWL.sameAs, original))
    add_page(graph, uri, FOAF.page, absolute(dataset.get_absolute_url()))
    titles = {lang: text for lang, text in (dataset.title_lang or {}).items() if isinstance(text, str) and text}
    for lang, text in titles.items():
        graph.add((uri, DCTERMS.title, Literal(text, lang=lang or None)))
    if not titles:
        graph.add((uri, DCTERMS.title, Literal(dataset.title or dataset.uri)))
    graph.add(
        (uri, DCTERMS.description, Literal(dataset.description or NO_DESCRIPTION, lang=None if dataset.description else "en"))
    )
    for keyword in dataset.keywords:
        graph.add((uri, DCAT.keyword, Literal(keyword)))
    for theme in dataset.themes:
        if (concept := _concept(graph, theme)) is not None:
            graph.add((uri, DCAT.theme, concept))
    for place in dataset.spatial:
        if (location := _typed(graph, place, DCTERMS.Location)) is not None:
            graph.add((uri, DCTERMS.spatial, location))
    if dataset.temporal_start or dataset.temporal_end:
        period = URIRef(f"{uri}#period")
        graph.add((uri, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, _date(dataset.temporal_start)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, _date(dataset.temporal_end)))
    if dataset.issued:
        graph.add((uri, DCTERMS.issued, _datetime(dataset.issued)))
    if dataset.modified:
        graph.add((uri, DCTERMS.modified, _datetime(dataset.modified)))
    if dataset.landing_page:
        add_page(graph, uri, DCAT.landingPage, dataset.landing_page)
    if (rights := _typed(graph, dataset.access_rights, DCTERMS.RightsStatement)) is not None:
        graph.add((uri, DCTERMS.accessRights, rights))
    for standard in dataset.conforms_to:
        if (conforms := _typed(graph, standard, DCTERMS.Standard)) is not None:
            graph.add((uri, DCTERMS.conformsTo, conforms))
    if dataset.organisation_id and is_public(dataset.organisation):
        graph.add((uri, DCTERMS.publisher, add_agent(graph, dataset.organisation)))  # type: ignore[arg-type]
    elif (publisher := _url(dataset.publisher_uri)) is not None:
        graph.add((uri, DCTERMS.publisher, publisher))
        graph.add((publisher, RDF.type, FOAF.Agent))
        graph.add((publisher, FOAF.name, Literal(dataset.publisher_name or dataset.publisher_uri)))
    for distribution in dataset.distributions.all():
        _distribution(graph, uri, distribution)
    return uri


def _distribution(graph: Graph, dataset_uri: URIRef, distribution: Distribution) -> None:
    access = _url(distribution.access_url) or next((u for u in map(_url, distribution.download_urls) if u), None)
    if access is None:  # DCAT-AP requires an access URL: a distribution without any is left out
        return
    node = URIRef(f"{dataset_uri}/distribution/{distribution.pk}")
    graph.add((dataset_uri, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, access))
    if original := _url(distribution.uri):
        graph.add((node, OWL.sameAs, original))
    for url in distribution.download_urls:
        if download := _url(url):
            graph.add((node, DCAT.downloadURL, download))
    if distribution.title:
        graph.add((node, DCTERMS.title, Literal(distribution.title)))
    if (file_type := _typed(graph, distribution.format, DCTERMS.MediaTypeOrExtent)) is not None:
        graph.add((node, DCTERMS.format, file_type))
    if (media_type := _typed(graph, distribution.media_type, DCTERMS.MediaType)) is not None:
        graph.add((node, DCAT.mediaType, media_type))
    if (licence := _typed(graph, distribution.licence, DCTERMS.LicenseDocument)) is not None:
        graph.add((node, DCTERMS.license, licence))
    if distribution.byte_size is not None and distribution.byte_size >= 0:
        graph.add((node, DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger)))
    if distribution.rights:
        rights = _url(distribution.rights) or URIRef(f"{node}#rights")
        graph.add((node, DCTERMS.rights, rights))
        graph.add((rights, RDF.type, DCTERMS.RightsStatement))
        if not _url(distribution.rights):
            graph.add((rights, RDFS.label, Literal(distribution.rights)))
    if distribution.issued:
        graph.add((node, DCTERMS.issued, _datetime(distribution.issued)))
    if distribution.modified:
        graph.add((node, DCTERMS.modified, _datetime(distribution.modified)))


def register() -> None:
    register_kind(Kind("dataset", _("dataset"), dataset_queryset, describe_dataset, lookup="pk"))
    register_registry(
        Registry(
            "datasets",
            "dataset",
            "Datasets van de regio",
            "Datasets of the region",
            "De datasets die Helix oogst uit de open-dataportalen van de regio (DCAT-AP), met genormaliseerde "
            "formaten, mediatypes en licenties; zonder contactpersonen.",
            "The datasets Helix harvests from the region's open-data portals (DCAT-AP), with normalised formats, "
            "media types and licences; without contact persons.",
            None,
            ("GOVE", "REGI"),
            ("open data", "DCAT-AP", "dataset"),
            landing_url_name="opendata:dataset_list",
            issued_field="harvested_at",
            modified_field="harvested_at",
        )
    )


__all__: list[Any] = ["describe_dataset", "register"]

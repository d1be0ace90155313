"""Helix's own DCAT-AP catalogue: its registries as dcat:Dataset, each with five distributions.

csv, xlsx and json are the list pages' exports (`?format=`, helix.core.listing); json-ld and
turtle are full dumps of the registry's linked data (helix.linkeddata.dumps). The publisher
and contact point are functional (settings), never a person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from helix.core.models import localized

from .mapping import KINDS
from .uris import absolute, base_url, catalog_uri, dump_path, publisher_uri, registry_uri
from .vocab import (
    DCATAP,
    EU_ACCESS_RIGHT,
    EU_DATA_THEME,
    EU_FILE_TYPE,
    EU_FREQUENCY,
    EU_LANGUAGE,
    EU_LICENCE,
    IANA_MEDIA_TYPE,
    REFNIS,
    VCARD,
    new_graph,
)

DCAT_AP = URIRef("http://data.europa.eu/r5r/")
STABLE = URIRef("http://publications.europa.eu/resource/authority/planned-availability/STABLE")
# Labels of the EU data themes Helix uses (the EU authority table's own labels).
THEME_LABELS = {
    "ECON": ("Economie en financiën", "Economy and finance"),
    "GOVE": ("Overheid en publieke sector", "Government and public sector"),
    "REGI": ("Regio's en steden", "Regions and cities"),
    "TECH": ("Wetenschap en technologie", "Science and technology"),
}
EU_DATA_THEME_SCHEME = URIRef("http://publications.europa.eu/resource/authority/data-theme")


@dataclass(frozen=True)
class DistributionFormat:
    key: str  # the file extension / export format
    file_type: str  # EU file-type authority code
    media_type: str  # IANA media type
    title_nl: str
    title_en: str

    @property
    def title(self) -> str:
        return localized(nl=self.title_nl, en=self.title_en)


FORMATS: tuple[DistributionFormat, ...] = (
    DistributionFormat("csv", "CSV", "text/csv", "CSV (export van de lijst)", "CSV (list export)"),
    DistributionFormat(
        "xlsx",
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (export van de lijst)",
        "Excel (list export)",
    ),
    DistributionFormat("json", "JSON", "application/json", "JSON (export van de lijst)", "JSON (list export)"),
    DistributionFormat("jsonld", "JSON_LD", "application/ld+json", "JSON-LD (volledige dump)", "JSON-LD (full dump)"),
    DistributionFormat("ttl", "RDF_TURTLE", "text/turtle", "Turtle (volledige dump)", "Turtle (full dump)"),
)
DUMP_FORMATS = ("ttl", "jsonld")


@dataclass(frozen=True)
class Registry:
    """One of Helix's registries, published as a dcat:Dataset."""

    slug: str
    kind: str  # a key of helix.linkeddata.mapping.KINDS
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    list_url_name: str | None
    themes: tuple[str, ...]
    keywords: tuple[str, ...]
    filters: dict[str, Any] = field(default_factory=dict)
    landing_url_name: str | None = None  # a page for people when there is no list with exports
    issued_field: str = "created_at"  # dcterms:issued = the earliest, dcterms:modified = the latest
    modified_field: str = "updated_at"

    @property
    def title(self) -> str:
        return localized(nl=self.title_nl, en=self.title_en)

    @property
    def description(self) -> str:
        return localized(nl=self.description_nl, en=self.description_en)

    def rows(self) -> QuerySet[Any]:
        """The public records of this registry, prefetched for describing."""
        return KINDS[self.kind].queryset().filter(**self.filters)

    def list_path(self) -> str | None:
        """The list page whose ?format= exports are distributions (None: no such list)."""
        if self.list_url_name is None:
            return None
        with translation.override(settings.LANGUAGE_CODE):
            return reverse(self.list_url_name)

    def landing_path(self) -> str | None:
        if self.landing_url_name is None:
            return self.list_path()
        with translation.override(settings.LANGUAGE_CODE):
            return reverse(self.landing_url_name)


REGISTRIES: dict[str, Registry] = {
    r.slug: r
    for r in (
        Registry(
            "organisations",
            "organisation",
            "Organisaties",
            "Organisations",
            "Alle publieke organisaties van het smart-city-ecosysteem: bedrijven, kennisinstellingen, clusters, "
            "netwerken, overheidsdiensten en gemeenten, met ondernemingsnummer en REFNIS-code waar gekend.",
            "Every public organisation of the smart-city ecosystem: companies, knowledge institutions, clusters, "
            "networks, government services and municipalities, with enterprise number and REFNIS code where known.",
            "actors:organisation-list",
            ("GOVE", "ECON"),
            ("organisatie", "smart city", "ecosysteem"),
        ),
        Registry(
            "municipalities",
            "organisation",
            "Gemeenten",
            "Municipalities",
            "Alle Belgische gemeenten (Statbel REFNIS) met hun smart-city-profiel. De CSV-, Excel- en "
            "JSON-export van de lijst bevat standaard de gemeenten van de regio; de dumps bevatten ze allemaal.",
            "Every Belgian municipality (Statbel REFNIS) with its smart-city profile. The list's CSV, Excel and "
            "JSON export holds the region's municipalities by default; the dumps hold all of them.",
            "actors:municipality-list",
            ("GOVE", "REGI"),
            ("gemeente", "REFNIS", "smart city"),
            {"kind": "municipality"},
        ),
        Registry(
            "instruments",
            "instrument",
            "Instrumenten",
            "Instruments",
            "Financierings- en ondersteuningsinstrumenten voor smart-city-projecten (CPSV-AP publieke diensten).",
            "Funding and support instruments for smart-city projects (CPSV-AP public services).",
            "instruments:instrument-list",
            ("ECON", "GOVE"),
            ("subsidie", "financiering", "instrument"),
        ),
        Registry(
            "projects",
            "project",
            "Projecten",
            "Projects",
            "Smart-city-projecten, pilootprojecten en initiatieven met partners, plaatsen en financiering.",
            "Smart-city projects, pilots and initiatives with partners, places and funding.",
            "projects:project-list",
            ("TECH", "REGI"),
            ("project", "pilootproject", "smart city"),
        ),
        Registry(
            "challenges",
            "challenge",
            "Uitdagingen",
            "Challenges",
            "Gepubliceerde uitdagingen van gemeenten voor de markt (geen concepten).",
            "Published challenges of municipalities to the market (no drafts).",
            "market:challenge-list",
            ("GOVE", "TECH"),
            ("uitdaging", "innovatie", "aankoop"),
        ),
        Registry(
            "solutions",
            "solution",
            "Oplossingen",
            "Solutions",
            "Producten en diensten die organisaties aan gemeenten aanbieden.",
            "Products and services organisations offer to municipalities.",
            "market:solution-list",
            ("TECH", "ECON"),
            ("oplossing", "product", "dienst"),
        ),
    )
}


def register_registry(registry: Registry) -> None:
    """Add a registry (harvested datasets add theirs when helix.opendata is installed)."""
    REGISTRIES[registry.slug] = registry


def publisher_name() -> str:
    return str(getattr(settings, "HELIX_PUBLISHER_NAME", "Helix"))


def contact_email() -> str:
    """A functional address (HELIX_DATA_CONTACT_EMAIL, else the DEFAULT_FROM_EMAIL address)."""
    configured = getattr(settings, "HELIX_DATA_CONTACT_EMAIL", "")
    return configured or parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "helix@localhost"


def licence_uri() -> URIRef:
    return URIRef(getattr(settings, "HELIX_DATA_LICENCE", "") or EU_LICENCE["CC_BY_4_0"])


def _date_literal(value: datetime.datetime | None) -> Literal | None:
    if value is None:
        return None
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def add_publisher(graph: Graph) -> tuple[URIRef, URIRef]:
    """The publisher (an agent named in settings) and its functional contact point."""
    publisher = publisher_uri()
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(publisher_name())))
    graph.add((publisher, FOAF.homepage, URIRef(base_url() + "/")))
    graph.add((URIRef(base_url() + "/"), RDF.type, FOAF.Document))
    contact = URIRef(f"{publisher}#contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publisher_name())))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{contact_email()}")))
    graph.add((contact, VCARD.hasURL, URIRef(base_url() + "/")))
    return publisher, contact


def _add_common_terms(graph: Graph) -> tuple[URIRef, list[URIRef], URIRef]:
    licence = licence_uri()
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    languages = [EU_LANGUAGE["NLD"], EU_LANGUAGE["ENG"]]
    for language in languages:
        graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
    region = URIRef(REFNIS.format(code=getattr(settings, "HELIX_REGION_REFNIS", "02000")))
    graph.add((region, RDF.type, DCTERMS.Location))
    return licence, languages, region


def registry_dates(registry: Registry) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    dates = registry.rows().order_by().aggregate(issued=Min(registry.issued_field), modified=Max(registry.modified_field))
    return dates["issued"], dates["modified"]


def add_registry(
    graph: Graph,
    registry: Registry,
    *,
    publisher: URIRef,
    contact: URIRef,
    dates: tuple[datetime.datetime | None, datetime.datetime | None] | None = None,
) -> URIRef:
    licence, languages, region = _add_common_terms(graph)
    dataset = registry_uri(registry.slug)
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    graph.add((dataset, DCTERMS.title, Literal(registry.title_nl, lang="nl")))
    graph.add((dataset, DCTERMS.title, Literal(registry.title_en, lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(registry.description_nl, lang="nl")))
    graph.add((dataset, DCTERMS.description, Literal(registry.description_en, lang="en")))
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((dataset, DCTERMS.accessRights, EU_ACCESS_RIGHT["PUBLIC"]))
    graph.add((EU_ACCESS_RIGHT["PUBLIC"], RDF.type, DCTERMS.RightsStatement))
    graph.add((dataset, DCTERMS.accrualPeriodicity, EU_FREQUENCY["UPDATE_CONT"]))
    graph.add((EU_FREQUENCY["UPDATE_CONT"], RDF.type, DCTERMS.Frequency))
    graph.add((dataset, DCTERMS.spatial, region))
    for language in languages:
        graph.add((dataset, DCTERMS.language, language))
    for theme in registry.themes:
        graph.add((dataset, DCAT.theme, EU_DATA_THEME[theme]))
        graph.add((EU_DATA_THEME[theme], RDF.type, SKOS.Concept))
        graph.add((EU_DATA_THEME[theme], SKOS.inScheme, EU_DATA_THEME_SCHEME))
        nl, en = THEME_LABELS[theme]
        graph.add((EU_DATA_THEME[theme], SKOS.prefLabel, Literal(nl, lang="nl")))
        graph.add((EU_DATA_THEME[theme], SKOS.prefLabel, Literal(en, lang="en")))
    for keyword in registry.keywords:
        graph.add((dataset, DCAT.keyword, Literal(keyword, lang="nl")))
    issued, modified = dates if dates is not None else registry_dates(registry)
    if (value := _date_literal(issued)) is not None:
        graph.add((dataset, DCTERMS.issued, value))
    if (value := _date_literal(modified)) is not None:
        graph.add((dataset, DCTERMS.modified, value))
    list_path = registry.list_path()
    if landing := registry.landing_path():
        page = URIRef(absolute(landing))
        graph.add((dataset, DCAT.landingPage, page))
        graph.add((page, RDF.type, FOAF.Document))
    from .dumps import dump_file  # dumps imports this module

    for fmt in FORMATS:
        if fmt.key in DUMP_FORMATS:
            url = URIRef(absolute(dump_path(registry.slug, fmt.key)))
        elif list_path:
            url = URIRef(absolute(f"{list_path}?format={fmt.key}"))
        else:
            continue
        distribution = URIRef(f"{dataset}/{fmt.key}")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.title, Literal(fmt.title_nl, lang="nl")))
        graph.add((distribution, DCTERMS.title, Literal(fmt.title_en, lang="en")))
        if fmt.key in DUMP_FORMATS:
            nl = f"Alle publieke records van het register als gekoppelde data ({fmt.title_nl.split(' ')[0]})."
            en = f"Every public record of the registry as linked data ({fmt.title_en.split(' ')[0]})."
        else:
            nl = "De lijst van het register zoals op de lijstpagina, met dezelfde kolommen."
            en = "The registry's list as on its list page, with the same columns."
        graph.add((distribution, DCTERMS.description, Literal(nl, lang="nl")))
        graph.add((distribution, DCTERMS.description, Literal(en, lang="en")))
        graph.add((distribution, DCATAP.availability, STABLE))
        graph.add((STABLE, RDF.type, SKOS.Concept))
        graph.add((STABLE, SKOS.prefLabel, Literal("stable", lang="en")))
        graph.add((distribution, DCAT.accessURL, url))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCTERMS.format, EU_FILE_TYPE[fmt.file_type]))
        graph.add((EU_FILE_TYPE[fmt.file_type], RDF.type, DCTERMS.MediaTypeOrExtent))
        media_type = URIRef(str(IANA_MEDIA_TYPE) + fmt.media_type)
        graph.add((distribution, DCAT.mediaType, media_type))
        graph.add((media_type, RDF.type, DCTERMS.MediaType))
        graph.add((distribution, DCTERMS.license, licence))
        graph.add((distribution, DCTERMS.rights, EU_ACCESS_RIGHT["PUBLIC"]))
        if fmt.key in DUMP_FORMATS:
            if registry.kind == "dataset":
                graph.add((distribution, DCTERMS.conformsTo, DCAT_AP))
                graph.add((DCAT_AP, RDF.type, DCTERMS.Standard))
            existing = dump_file(registry.slug, fmt.key)
            if existing.exists():
                graph.add((distribution, DCAT.byteSize, Literal(existing.stat().st_size, datatype=XSD.nonNegativeInteger)))
                stamp = datetime.datetime.fromtimestamp(existing.stat().st_mtime, tz=datetime.UTC)
                graph.add((distribution, DCTERMS.modified, Literal(stamp.isoformat(), datatype=XSD.dateTime)))
    return dataset


def catalog_graph() -> Graph:
    """The DCAT-AP description of Helix's catalogue and every registry in it."""
    graph = new_graph()
    publisher, contact = add_publisher(graph)
    licence, languages, region = _add_common_terms(graph)
    catalog = catalog_uri()
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("Helix: registers van het smart-city-ecosysteem", lang="nl")))
    graph.add((catalog, DCTERMS.title, Literal("Helix: registries of the smart-city ecosystem", lang="en")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal("De registers van Helix als gekoppelde open data (DCAT-AP 3.0.1), met downloads.", lang="nl"),
        )
    )
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal("Helix's registries as linked open data (DCAT-AP 3.0.1), with downloads.", lang="en"),
        )
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, DCAT.contactPoint, contact))
    graph.add((catalog, FOAF.homepage, URIRef(base_url() + "/")))
    graph.add((catalog, DCTERMS.license, licence))
    graph.add((catalog, DCTERMS.spatial, region))
    graph.add((catalog, DCAT.themeTaxonomy, EU_DATA_THEME_SCHEME))
    graph.add((EU_DATA_THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((EU_DATA_THEME_SCHEME, DCTERMS.title, Literal("Data theme", lang="en")))
    for language in languages:
        graph.add((catalog, DCTERMS.language, language))
    modified: list[datetime.datetime] = []
    issued: list[datetime.datetime] = []
    for registry in REGISTRIES.values():
        first, last = registry_dates(registry)
        dataset = add_registry(graph, registry, publisher=publisher, contact=contact, dates=(first, last))
        graph.add((catalog, DCAT.dataset, dataset))
        issued += [first] if first else []
        modified += [last] if last else []
    graph.add((catalog, DCTERMS.issued, Literal((min(issued) if issued else timezone.now()).isoformat(), datatype=XSD.dateTime)))
    graph.add(
        (catalog, DCTERMS.modified, Literal((max(modified) if modified else timezone.now()).isoformat(), datatype=XSD.dateTime))
    )
    return graph


__all__ = ["FORMATS", "REGISTRIES", "Registry", "catalog_graph", "register_registry"]

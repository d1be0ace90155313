"""RDF namespaces and the external vocabularies Helix links to (EU, UN, Statbel/Belgif, IANA)."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

ADMS = Namespace("http://www.w3.org/ns/adms#")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
LOCN = Namespace("http://www.w3.org/ns/locn#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ROV = Namespace("http://www.w3.org/ns/regorg#")
SCHEMA = Namespace("http://schema.org/")
BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")

PREFIXES: dict[str, Any] = {
    "adms": ADMS,
    "besluit": BESLUIT,
    "cpsv": CPSV,
    "cv": CV,
    "dcat": DCAT,
    "dcatap": DCATAP,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "locn": LOCN,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "rov": ROV,
    "schema": SCHEMA,
    "skos": SKOS,
    "vcard": VCARD,
    "xsd": XSD,
}

# EU Publications Office authority tables (the vocabularies DCAT-AP asks for).
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_DATA_THEME = Namespace(EU_AUTHORITY + "data-theme/")
EU_FILE_TYPE = Namespace(EU_AUTHORITY + "file-type/")
EU_LICENCE = Namespace(EU_AUTHORITY + "licence/")
EU_LANGUAGE = Namespace(EU_AUTHORITY + "language/")
EU_COUNTRY = Namespace(EU_AUTHORITY + "country/")
EU_ACCESS_RIGHT = Namespace(EU_AUTHORITY + "access-right/")
EU_FREQUENCY = Namespace(EU_AUTHORITY + "frequency/")
EU_CORPORATE_BODY = Namespace(EU_AUTHORITY + "corporate-body/")
IANA_MEDIA_TYPE = Namespace("http://www.iana.org/assignments/media-types/")
# NACE Rev. 2 in the EU vocabularies (sections A-U).
NACE = Namespace("http://data.europa.eu/ux2/nace2/")
# The UN's Sustainable Development Goals knowledge organisation system.
UN_SDG = Namespace("http://metadata.un.org/sdg/")
# Statbel's REFNIS codes as published by Belgif (the federal URI service).
REFNIS = "https://vocab.belgif.be/auth/refnis2019/{code}#id"
# The OSLO code list of administrative-unit classifications: "Gemeente" (municipality).
MUNICIPALITY_CLASSIFICATION = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001"

# ISO 3166 alpha-2 -> EU country authority code (only where they differ from the upper-cased alpha-3).
ISO2_TO_EU_COUNTRY = {
    "BE": "BEL",
    "NL": "NLD",
    "FR": "FRA",
    "DE": "DEU",
    "LU": "LUX",
    "GB": "GBR",
    "UK": "GBR",
    "ES": "ESP",
    "IT": "ITA",
    "PT": "PRT",
    "AT": "AUT",
    "DK": "DNK",
    "SE": "SWE",
    "FI": "FIN",
    "NO": "NOR",
    "IE": "IRL",
    "PL": "POL",
    "CZ": "CZE",
    "EE": "EST",
    "LV": "LVA",
    "LT": "LTU",
    "GR": "GRC",
    "CH": "CHE",
    "US": "USA",
}


def new_graph() -> Graph:
    """An empty graph with Helix's prefixes bound (so Turtle and JSON-LD read well)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def jsonld_context() -> dict[str, str]:
    """The JSON-LD @context Helix writes inline (prefixes only: no remote context to fetch)."""
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}

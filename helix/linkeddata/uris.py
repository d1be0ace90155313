"""Stable URIs of Helix's public records and of the documents that describe them.

A record's URI names the thing (an organisation, an instrument, ...), not a page:
    {HELIX_BASE_URL}/id/<kind>/<slug>
Its descriptions are documents:
    {HELIX_BASE_URL}/data/<kind>/<slug>.ttl      Turtle
    {HELIX_BASE_URL}/data/<kind>/<slug>.jsonld   JSON-LD
and the existing detail page (HTML). The slug is the record's `Record.slug`, which never
changes once given, so neither does the URI.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from rdflib import URIRef

FORMATS = {"ttl": "text/turtle", "jsonld": "application/ld+json"}
RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld"}


def base_url() -> str:
    return str(getattr(settings, "HELIX_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def absolute(path: str) -> str:
    """An absolute URL for a site path ("/organisaties/x/")."""
    return base_url() + path


def record_uri(kind: str, slug: str) -> URIRef:
    return URIRef(f"{base_url()}/id/{kind}/{quote(slug, safe='')}")


def document_path(kind: str, slug: str, fmt: str) -> str:
    return f"/data/{kind}/{quote(slug, safe='')}.{fmt}"


def concept_scheme_uri(scheme: str) -> URIRef:
    return URIRef(f"{base_url()}/id/concept/{quote(scheme, safe='')}")


def concept_uri(scheme: str, code: str) -> URIRef:
    return URIRef(f"{base_url()}/id/concept/{quote(scheme, safe='')}/{quote(code, safe='')}")


def catalog_uri() -> URIRef:
    return URIRef(f"{base_url()}/data/catalog")


def registry_uri(registry: str) -> URIRef:
    return URIRef(f"{base_url()}/data/catalog/{registry}")


def dump_path(registry: str, fmt: str) -> str:
    return f"/data/dumps/{registry}.{fmt}"


def publisher_uri() -> URIRef:
    return URIRef(f"{base_url()}/id/publisher")

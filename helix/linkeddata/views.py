"""Linked-data endpoints: record URIs (303 by content negotiation), RDF documents, concepts,
the DCAT-AP catalogue, full dumps, and the human catalogue page."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe
from rdflib import Graph

from .catalogue import DUMP_FORMATS, FORMATS, REGISTRIES, catalog_graph, contact_email, licence_uri, publisher_name
from .dumps import dump_file, write_dump
from .mapping import KINDS, describe_concept, record_graph
from .uris import FORMATS as RDF_FORMATS
from .uris import RDFLIB_FORMATS, absolute, document_path, dump_path, record_uri
from .vocab import jsonld_context

HTML = "text/html"
# Media types a client may ask for, mapped to a document format (None: the HTML page).
OFFERS: dict[str, str | None] = {
    HTML: None,
    "application/xhtml+xml": None,
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/x-turtle": "ttl",
    "application/json": "jsonld",
}


class SeeOther(HttpResponseRedirect):
    status_code = 303


def negotiate(request: HttpRequest, *, default: str | None = None) -> str | None:
    """The format the client prefers: "ttl", "jsonld" or None (HTML). A missing or "*/*"
    Accept header gets `default`."""
    accept = request.headers.get("Accept", "").strip()
    if not accept or accept in ("*/*", "*"):
        return default
    preferred = request.get_preferred_type(list(OFFERS))
    if preferred is None:
        return default
    return OFFERS[preferred]


def alternate_links(kind: str, slug: str) -> str:
    """A Link header value naming a record's URI and its RDF documents."""
    links = [f'<{record_uri(kind, slug)}>; rel="canonical"']
    for fmt, media_type in RDF_FORMATS.items():
        links.append(f'<{absolute(document_path(kind, slug, fmt))}>; rel="alternate"; type="{media_type}"')
    return ", ".join(links)


def rdf_response(graph: Graph, fmt: str, *, filename: str | None = None) -> HttpResponse:
    if fmt == "jsonld":
        body = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True)
    else:
        body = graph.serialize(format=RDFLIB_FORMATS[fmt])
    response = HttpResponse(body, content_type=f"{RDF_FORMATS[fmt]}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def resource(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """/id/<kind>/<slug>: the thing itself; 303 See Other to a document describing it."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    record = spec.find(slug).select_related(None).prefetch_related(None).first()
    if record is None:
        raise Http404
    fmt = negotiate(request)
    target = record.get_absolute_url() if fmt is None else document_path(kind, slug, fmt)
    response = SeeOther(target)
    patch_vary_headers(response, ("Accept",))
    response["Link"] = alternate_links(kind, slug)
    return response


@require_safe
def document(request: HttpRequest, kind: str, slug: str, fmt: str) -> HttpResponse:
    """/data/<kind>/<slug>.ttl|.jsonld: the RDF description of one public record."""
    if fmt not in RDF_FORMATS:
        raise Http404
    graph = record_graph(kind, slug)
    if graph is None:
        raise Http404
    response = rdf_response(graph, fmt)
    response["Link"] = alternate_links(kind, slug)
    return response


@require_safe
def concept(request: HttpRequest, scheme: str, code: str | None = None) -> HttpResponse:
    """/id/concept/<scheme>[/<code>]: a term of Helix's taxonomies (Turtle unless JSON-LD is asked)."""
    graph = describe_concept(scheme, code)
    if graph is None:
        raise Http404
    response = rdf_response(graph, negotiate(request, default="ttl") or "ttl")
    patch_vary_headers(response, ("Accept",))
    return response


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    """/data/catalog: 303 to the Turtle or JSON-LD document, or to the human page."""
    fmt = negotiate(request)
    target = reverse("linkeddata:catalog-page") if fmt is None else f"/data/catalog.{fmt}"
    response = SeeOther(target)
    patch_vary_headers(response, ("Accept",))
    return response


@require_safe
def catalog_document(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in RDF_FORMATS:
        raise Http404
    return rdf_response(catalog_graph(), fmt, filename=f"helix-catalog.{fmt}")


@require_safe
def registry(request: HttpRequest, registry: str) -> HttpResponse:
    """/data/catalog/<registry>: a dataset of the catalogue, described in the catalogue document."""
    if registry not in REGISTRIES:
        raise Http404
    fmt = negotiate(request)
    target = f"{reverse('linkeddata:catalog-page')}#{registry}" if fmt is None else f"/data/catalog.{fmt}"
    response = SeeOther(target)
    patch_vary_headers(response, ("Accept",))
    return response


@require_safe
def dump(request: HttpRequest, registry: str, fmt: str) -> FileResponse:
    """/data/dumps/<registry>.ttl|.jsonld: the full dump, from the cache folder (written on demand)."""
    if registry not in REGISTRIES or fmt not in DUMP_FORMATS:
        raise Http404
    path = dump_file(registry, fmt)
    if not path.exists():
        path = write_dump(registry, fmt)
    response = FileResponse(
        path.open("rb"), content_type=f"{RDF_FORMATS[fmt]}; charset=utf-8", as_attachment=True, filename=f"helix-{registry}.{fmt}"
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def catalog_page(request: HttpRequest) -> HttpResponse:
    """The catalogue for people: each registry with its downloads (Dutch and English)."""
    registries = []
    for entry in REGISTRIES.values():
        list_path = entry.list_path()
        downloads = []
        for fmt in FORMATS:
            if fmt.key in DUMP_FORMATS:
                url = dump_path(entry.slug, fmt.key)
            elif list_path:
                url = f"{list_path}?format={fmt.key}"
            else:
                continue
            downloads.append({"format": fmt, "url": url})
        registries.append({"registry": entry, "list_path": entry.landing_path(), "downloads": downloads})
    context = {
        "registries": registries,
        "publisher": publisher_name(),
        "contact_email": contact_email(),
        "licence": str(licence_uri()),
        "kinds": sorted(KINDS),
    }
    response = render(request, "linkeddata/catalog.html", context)
    response["Link"] = ", ".join(
        f'</data/catalog.{fmt}>; rel="alternate"; type="{media_type}"' for fmt, media_type in RDF_FORMATS.items()
    )
    return response

"""Adds `Link: rel="alternate"` headers (Turtle, JSON-LD) and the record's URI to detail pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .views import alternate_links

# Detail pages (namespace:name) of public records and the kind of their URI.
DETAIL_PAGES = {
    "actors:organisation-detail": "organisation",
    "actors:municipality-detail": "organisation",
    "instruments:instrument-detail": "instrument",
    "projects:project-detail": "project",
    "market:challenge-detail": "challenge",
    "market:solution-detail": "solution",
    "opendata:dataset_detail": "dataset",
}


class AlternateLinksMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if response.status_code != 200 or match is None or request.method not in ("GET", "HEAD"):
            return response
        kind = DETAIL_PAGES.get(match.view_name)
        slug = match.kwargs.get("slug", match.kwargs.get("pk"))
        if kind and slug and "Link" not in response:
            response["Link"] = alternate_links(kind, str(slug))
        return response

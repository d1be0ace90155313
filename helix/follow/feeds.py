"""Atom feed of a saved search: its current results, public objects only, no login.

The feed address carries the search's random `feed_token`; whoever has it reads the feed. It
shows only what the search's source returns, and sources return only public objects (live
records, published challenges), never personal data: not the owner, not the search's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import SavedSearch
from .sources import Item, Source, describe_query, get_source, public_query

TAG_DATE = "2026"  # the date part of every tag: URI Helix mints (RFC 4151); never change it


def tag_authority() -> str:
    configured = getattr(settings, "HELIX_FEED_TAG_AUTHORITY", "")
    if configured:
        return str(configured)
    return urlparse(str(getattr(settings, "HELIX_BASE_URL", ""))).hostname or "helix.invalid"


def tag_uri(key: str) -> str:
    """A stable entry id: tag:<authority>,2026:<kind>/<id> (e.g. tag:helix.example.org,2026:instrument/12)."""
    return f"tag:{tag_authority()},{TAG_DATE}:{key.replace(':', '/')}"


@dataclass(frozen=True)
class FeedData:
    search: SavedSearch
    source: Source
    items: list[Item]


class SavedSearchFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Helix"
    item_guid_is_permalink = False

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_object(self, request: HttpRequest, token: str) -> FeedData:
        search = SavedSearch.objects.filter(feed_token=token).first()
        if search is None or not search.is_public:
            raise Http404
        source = get_source(search.target)
        if source is None:
            raise Http404
        limit = int(getattr(settings, "HELIX_FEED_MAX_ENTRIES", 50))
        return FeedData(search, source, source.results(search.query, limit=limit))

    def title(self, obj: FeedData) -> str:
        return _("Helix: %(list)s") % {"list": obj.source.label}

    def subtitle(self, obj: FeedData) -> str:
        filters = describe_query(obj.search.target, obj.search.query, public=True)
        if not filters:
            return _("All results, most recently changed first.")
        described = "; ".join(f"{label}: {value}" for label, value in filters)
        return _("Results for %(filters)s, most recently changed first.") % {"filters": described}

    def link(self, obj: FeedData) -> str:
        # The list or finder page with the same filters, less any free text the owner typed.
        try:
            path = reverse(obj.search.target)
        except NoReverseMatch:
            return "/"
        query = public_query(obj.search.target, obj.search.query)
        return f"{path}?{query}" if query else path

    def feed_guid(self, obj: FeedData) -> str:
        return tag_uri(f"saved-search:{obj.search.pk}")

    def items(self, obj: FeedData) -> list[Item]:
        return obj.items

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        return item.summary

    def item_link(self, item: Item) -> str:
        return item.url

    def item_guid(self, item: Item) -> str:
        return tag_uri(item.key)

    def item_updateddate(self, item: Item) -> Any:
        return item.updated

    def item_pubdate(self, item: Item) -> Any:
        return item.created or item.updated

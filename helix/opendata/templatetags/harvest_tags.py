"""Template filters of the harvesting pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def http_url(value: str) -> str:
    """The value when it is an http(s) URL, else '': harvested URLs never become javascript: links."""
    text = str(value or "").strip()
    try:
        return text if urlsplit(text).scheme in ("http", "https") else ""
    except ValueError:
        return ""

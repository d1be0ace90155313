"""Template helpers shared by every page: cell formatting, facets, record age, safe highlights."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django import template
from django.db.models import Manager, Model
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

STALE_AFTER_DAYS = 365
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"


@register.filter
def cell(value: Any) -> str:
    """A list or detail value as text: lists joined, booleans as yes/no, dates localised."""
    if isinstance(value, Manager):
        value = list(value.all())
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and hasattr(value, "label"):  # TextChoices member
        return str(value.label)
    if isinstance(value, datetime.datetime):
        return str(formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT"))
    if isinstance(value, datetime.date):
        return str(formats.date_format(value, "DATE_FORMAT"))
    if isinstance(value, decimal.Decimal | float):
        return str(formats.number_format(value, decimal_pos=None, use_l10n=True, force_grouping=True))
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | dict):
        return ", ".join(cell(v) for v in value if v not in (None, ""))
    return str(value)


@register.filter
def is_empty(value: Any) -> bool:
    return cell(value) == "—"


@register.inclusion_tag("core/partials/record_age.html")
def record_age(record: Model) -> dict[str, Any]:
    """Source and age of a record: "last verified on … (N days ago)", stale after a year."""
    verified = getattr(record, "last_verified", None)
    days = (timezone.localdate() - verified).days if verified else None
    return {
        "record": record,
        "verified": verified,
        "days": days,
        "stale": days is None or days > STALE_AFTER_DAYS,
        "stale_after": STALE_AFTER_DAYS,
    }


def safe_highlight(text: str | None) -> SafeString:
    """Escape a headline from PostgreSQL and turn only its sentinel markers into <mark>.

    The database marks matches with private-use characters instead of tags, so whatever HTML
    the source text holds is escaped; unbalanced markers are closed.
    """
    out: list[str] = []
    open_mark = False
    buffer = ""
    for char in text or "":
        if char in (HIGHLIGHT_START, HIGHLIGHT_STOP):
            out.append(escape(buffer))
            buffer = ""
            if char == HIGHLIGHT_START and not open_mark:
                out.append("<mark>")
                open_mark = True
            elif char == HIGHLIGHT_STOP and open_mark:
                out.append("</mark>")
                open_mark = False
            continue
        buffer += char
    out.append(escape(buffer))
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every text part is escaped above


@register.filter
def highlight(text: str | None) -> SafeString:
    return safe_highlight(text)


@register.simple_tag
def external_link(url: str, label: str | None = None) -> SafeString:
    """A link that leaves Helix, saying so to screen readers."""
    return format_html(
        '<a href="{}" rel="noopener noreferrer">{}<span class="visually-hidden"> {}</span></a>',
        url,
        label or url,
        _("(external site)"),
    )


@register.filter
def unknown_labels(rows: Iterable[Any]) -> list[str]:
    """Labels of the detail rows without a value, so every field is named even when empty."""
    return [str(row.label) for row in rows if getattr(row, "empty", False)]


@register.filter
def without_language_prefix(path: str) -> str:
    """The path as the default language serves it ("/en/x/?q=1" -> "/x/?q=1"). The language switch
    posts it as `next`: Django's set_language runs in the default language (its URL is outside
    i18n_patterns) and can translate only a path that resolves in that language."""
    from django.conf import settings

    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path

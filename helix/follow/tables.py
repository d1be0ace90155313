"""Column spec of the overview export (helix.core.tabular: formula-safe xlsx)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from helix.core.tabular import Column, attr

from .overviews import Row


def overview_columns(absolute: Callable[[str], str]) -> list[Column]:
    """The export's columns; `absolute` turns an instrument's path into a full URL."""
    return [
        Column("section", _("section"), attr("section_label")),
        Column("slug", _("identifier"), attr("slug")),
        Column("title", _("title"), attr("title")),
        Column("offered_by", _("offered by"), attr("offered_by")),
        Column("kind", _("kind"), attr("kind")),
        Column("status", _("status"), attr("status")),
        Column("opens_on", _("opens"), attr("opens_on")),
        Column("closes_on", _("closes"), attr("closes_on")),
        Column("change", _("what changed"), attr("change")),
        Column("url", _("link"), lambda row: absolute(row.entry.get_absolute_url()) if isinstance(row, Row) else ""),
    ]

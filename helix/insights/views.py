"""Insights pages: an overview and one page per analysis, each with its csv exports."""

from __future__ import annotations

import json
import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .analyses import ANALYSES, Analysis, preview, result

# The overview's small multiples: the first chart of the analyses whose first table is cheap
# (a grouped count each), so the overview stays well under a second even when computed cold.
OVERVIEW_CHARTS = ("actoren", "groei", "instrumenten")


def _analysis(slug: str) -> Analysis:
    analysis = ANALYSES.get(slug)
    if analysis is None:
        raise Http404(_("No such analysis."))
    return analysis


def chart_labels() -> dict[str, str]:
    """vega-embed's action menu in the page language."""
    return {
        "SVG_ACTION": _("Save as SVG"),
        "PNG_ACTION": _("Save as PNG"),
        "CLICK_TO_VIEW_ACTIONS": _("Click to view actions"),
        "COMPILED_ACTION": _("View compiled Vega"),
        "EDITOR_ACTION": _("Open in Vega Editor"),
        "SOURCE_ACTION": _("View source"),
    }


def index(request: HttpRequest) -> HttpResponse:
    previews = []
    for slug in OVERVIEW_CHARTS:
        previews.append((ANALYSES[slug], preview(slug)))
    context = {
        "analyses": list(ANALYSES.values()),
        "previews": previews,
        "chart_labels": json.dumps(chart_labels()),
    }
    return render(request, "insights/index.html", context)


def analysis_page(request: HttpRequest, slug: str) -> HttpResponse:
    analysis = _analysis(slug)
    data = result(analysis)
    context = {
        "analysis": analysis,
        "analyses": list(ANALYSES.values()),
        "result": data,
        "sections": data.sections,
        "chart_labels": json.dumps(chart_labels()),
        **data.extra,
    }
    return render(request, f"insights/{'map' if slug == 'kaart' else 'analysis'}.html", context)


def export_csv(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    data = result(_analysis(slug))
    try:
        found = data.table(table)
    except StopIteration:
        raise Http404(_("No such table.")) from None
    name = re.sub(r"[^a-z0-9-]+", "-", f"helix-{slug}-{table}")
    response = HttpResponse(found.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

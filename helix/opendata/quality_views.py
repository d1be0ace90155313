"""Quality pages: a publisher's portfolio and the region-wide overview.

The scores are computed by :mod:`helix.opendata.scoring` and stored on the
dataset rows; these pages only read them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from helix.actors.models import Organisation
from helix.core.views import get_visible_or_404

from . import quality_text as texts
from .models import Dataset, Distribution
from .quality import load_spec, portfolio_changes, top_changes
from .quality.formats import file_type_code
from .quality.types import mqa_from_dict

STAR_LEVELS = range(0, 6)


def band_label(key: str) -> str:
    return str(texts.BANDS.get(key, key))


def band_for_score(score: float | None) -> str:
    if score is None:
        return ""
    return load_spec().band_for(round(score)).key


def dimension_rows(mqa: dict[str, Any]) -> list[dict[str, Any]]:
    """Display rows of a stored MQA result: per dimension, its indicators with translated texts."""
    rows = []
    for dim in mqa.get("dimensions", ()):
        indicators = []
        for ind in dim.get("indicators", ()):
            indicators.append(
                {
                    "key": ind["key"],
                    "label": texts.INDICATORS.get(ind["key"], ind.get("label", ind["key"])),
                    "points": ind.get("points", 0),
                    "max_points": ind.get("max_points", 0),
                    "met": ind.get("met", False),
                    "not_checked": ind.get("not_checked", False),
                    "why": texts.why(ind.get("why_code", ""), ind.get("params"), ind.get("why", "")),
                }
            )
        rows.append(
            {
                "key": dim["key"],
                "label": texts.DIMENSIONS.get(dim["key"], dim.get("label", dim["key"])),
                "points": dim.get("points", 0),
                "max_points": dim.get("max_points", 0),
                "indicators": indicators,
            }
        )
    return rows


def star_rows(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "star": r["star"],
            "met": r.get("met", False),
            "label": texts.STARS.get(r["star"], r.get("label", "")),
            "why": texts.why(r.get("why_code", ""), r.get("params"), r.get("why", "")),
        }
        for r in reasons
    ]


def advice_rows(advice: list[Any], datasets: int = 1) -> list[dict[str, Any]]:
    return [
        {
            "indicator": a.indicator,
            "label": texts.ADVICE.get(a.indicator, a.label),
            "dimension": texts.DIMENSIONS.get(a.dimension, a.dimension),
            "what": texts.ADVICE.get(a.indicator, a.what),
            "gain": a.gain,
            "average_gain": round(a.gain / datasets, 1) if datasets else 0,
            "datasets": a.datasets,
        }
        for a in advice
    ]


def dataset_quality_context(dataset: Dataset) -> dict[str, Any]:
    """Context of the quality panel on a dataset page."""
    mqa = dataset.mqa or {}
    return {
        "dataset": dataset,
        "scored": dataset.scored_at is not None,
        "stars": dataset.stars or 0,
        "star_rows": star_rows(dataset.stars_reasons or []),
        "mqa_score": dataset.mqa_score,
        "mqa_max": mqa.get("max_total") or load_spec().max_total,
        "band": dataset.mqa_band,
        "band_label": band_label(dataset.mqa_band),
        "dimensions": dimension_rows(mqa),
        "violations": list(mqa.get("dcat_ap_violations", ()))[:20],
        "violation_count": len(mqa.get("dcat_ap_violations", ())),
        "advice": advice_rows(top_changes(mqa_from_dict(mqa))) if mqa else [],
    }


def _distributions(qs: QuerySet[Dataset]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    spec = load_spec()
    star_counts = {row["stars"]: row["n"] for row in qs.values("stars").annotate(n=Count("id")).order_by()}
    band_counts = {row["mqa_band"]: row["n"] for row in qs.values("mqa_band").annotate(n=Count("id")).order_by()}
    stars = [{"stars": n, "count": star_counts.get(n, 0)} for n in STAR_LEVELS]
    bands = [
        {"key": b.key, "label": band_label(b.key), "low": b.low, "high": b.high, "count": band_counts.get(b.key, 0)}
        for b in reversed(spec.bands)
    ]
    return stars, bands


def portfolio(request: HttpRequest, slug: str) -> HttpResponse:
    """A publisher's datasets with their stars and MQA, and how to raise the score."""
    org = get_visible_or_404(Organisation.objects.all(), request.user, slug=slug)
    qs = Dataset.objects.filter(organisation=org)
    datasets = list(qs.only("id", "title", "uri", "stars", "mqa_score", "mqa_band", "mqa", "scored_at").order_by("title", "id"))
    scored = [d for d in datasets if d.scored_at is not None and d.mqa]
    stars, bands = _distributions(qs.filter(scored_at__isnull=False))
    average = round(sum(d.mqa_score or 0 for d in scored) / len(scored), 1) if scored else None
    changes = portfolio_changes(mqa_from_dict(d.mqa) for d in scored)
    rows = [
        {
            "dataset": d,
            "stars": d.stars,
            "score": d.mqa_score,
            "band": d.mqa_band,
            "band_label": band_label(d.mqa_band),
        }
        for d in datasets
    ]
    return render(
        request,
        "opendata/quality/portfolio.html",
        {
            "org": org,
            "rows": rows,
            "count": len(datasets),
            "scored_count": len(scored),
            "average": average,
            "average_band": band_label(band_for_score(average)),
            "max_total": load_spec().max_total,
            "stars": stars,
            "bands": bands,
            "changes": advice_rows(changes, len(scored)),
        },
    )


FORMATS_SHOWN = 4


def _top_formats(qs: QuerySet[Dataset]) -> dict[tuple[str, str], list[str]]:
    """Per publisher (registry slug, or harvested name when unlinked): the file types of most datasets."""
    rows = (
        Distribution.objects.filter(dataset__in=qs)
        .exclude(format="")
        .values("dataset__organisation__slug", "dataset__publisher_name", "format")
        .annotate(n=Count("dataset", distinct=True))
        .order_by()
    )
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows:
        slug = r["dataset__organisation__slug"]
        key = ("org", slug) if slug else ("name", r["dataset__publisher_name"])
        code = file_type_code(r["format"]) or r["format"]
        bucket = counts.setdefault(key, {})
        bucket[code] = bucket.get(code, 0) + r["n"]
    return {
        key: [code for code, _n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:FORMATS_SHOWN]] for key, c in counts.items()
    }


def overview(request: HttpRequest) -> HttpResponse:
    """Region-wide: who publishes what, at which level."""
    qs = Dataset.objects.filter(Q(organisation__isnull=True) | Q(organisation__archived_at__isnull=True))
    star_aggs = {f"s{n}": Count("id", filter=Q(stars=n)) for n in STAR_LEVELS}
    per_org = (
        qs.filter(organisation__isnull=False)
        .values("organisation__slug", "organisation__name")
        .annotate(n=Count("id"), scored=Count("id", filter=Q(scored_at__isnull=False)), avg=Avg("mqa_score"), **star_aggs)
        .order_by(F("avg").desc(nulls_last=True), "organisation__name")
    )
    unmatched = (
        qs.filter(organisation__isnull=True)
        .values("publisher_name")
        .annotate(n=Count("id"), scored=Count("id", filter=Q(scored_at__isnull=False)), avg=Avg("mqa_score"), **star_aggs)
        .order_by("-n", "publisher_name")
    )

    formats = _top_formats(qs)

    def row(r: Any, name: str, slug: str | None) -> dict[str, Any]:
        avg = round(r["avg"], 1) if r["avg"] is not None else None
        return {
            "name": name,
            "slug": slug,
            "formats": formats.get(("org", slug) if slug else ("name", name), []),
            "count": r["n"],
            "scored": r["scored"],
            "average": avg,
            "band": band_for_score(avg),
            "band_label": band_label(band_for_score(avg)),
            "stars": [r[f"s{n}"] for n in STAR_LEVELS],
        }

    publishers = [row(r, r["organisation__name"], r["organisation__slug"]) for r in per_org]
    others = [row(r, r["publisher_name"], None) for r in unmatched]
    stars, bands = _distributions(qs.filter(scored_at__isnull=False))
    average = qs.aggregate(avg=Avg("mqa_score"))["avg"]
    return render(
        request,
        "opendata/quality/overview.html",
        {
            "publishers": publishers,
            "others": others,
            "total": qs.count(),
            "average": round(average, 1) if average is not None else None,
            "average_band": band_label(band_for_score(average)),
            "max_total": load_spec().max_total,
            "stars": stars,
            "bands": bands,
            "star_levels": list(STAR_LEVELS),
        },
    )

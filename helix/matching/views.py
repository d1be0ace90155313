"""The funding finder page: the step form and, when the URL holds a profile, the results.

GET only: the URL is the query, so a result can be bookmarked and shared. `?format=csv|xlsx`
downloads the same results (helix.core.tabular).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from helix.core.tabular import Column, export_response

from .engine.types import FundingCriterion
from .forms import FundingFinderForm, is_query
from .messages import CRITERION_LABELS
from .services import FundingAnswer, ShownResult, find_funding

PAGE_LIMIT = 100
EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportRow:
    rank: int
    result: ShownResult
    supports: list[str]
    url: str


def _reason_getter(criterion: str) -> Any:
    def get(row: ExportRow) -> str:
        for reason in row.result.reasons:
            if reason.criterion == criterion:
                return f"{reason.outcome}: {reason.detail}"
        return ""

    return get


EXPORT_COLUMNS: list[Column] = [
    Column("rank", _("rank"), lambda r: r.rank),
    Column("slug", _("identifier"), lambda r: r.result.slug),
    Column("title", _("title"), lambda r: r.result.title),
    Column("kind", _("kind"), lambda r: r.result.kind),
    Column("verdict", _("verdict"), lambda r: r.result.verdict),
    Column("score", _("score"), lambda r: r.result.score),
    *(Column(c.value, CRITERION_LABELS[c.value], _reason_getter(c.value)) for c in FundingCriterion),
    Column("supports", _("supports"), lambda r: r.supports),
    Column("url", _("link"), lambda r: r.url),
]


def _export(request: HttpRequest, answer: FundingAnswer, fmt: str) -> HttpResponse:
    by_id = {r.id: r for r in answer.results}
    rows = [
        ExportRow(
            rank=rank,
            result=result,
            supports=[by_id[i].slug for i in result.support_for if i in by_id],
            url=request.build_absolute_uri(result.url),
        )
        for rank, result in enumerate(answer.results, start=1)
    ]
    return export_response(fmt, EXPORT_COLUMNS, rows, filename="helix-funding-finder")


@require_GET
def funding_finder(request: HttpRequest) -> HttpResponse:
    asked = is_query(request.GET)
    form = FundingFinderForm(request.GET if asked else None)
    answer: FundingAnswer | None = None
    if asked and form.is_valid():
        data = form.cleaned_data
        answer = find_funding(
            applicants=form.choices,
            domains=data["domain"],
            phase=data["phase"] or None,
            budget=data["budget"],
            text=data["text"],
            include_ineligible=bool(data["all"]),
            limit=PAGE_LIMIT,
            ineligible_limit=PAGE_LIMIT,
        )
        fmt = request.GET.get("format", "")
        if fmt in EXPORT_FORMATS:
            return _export(request, answer, fmt)
    rows = form.rows()
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        "form": form,
        "rows": rows,
        "partners_open": any(not row.is_lead and (row.filled or row.errors) for row in rows),
        "domain_groups": form.domain_groups(),
        "selected_domains": form.selected_domains(),
        "answer": answer,
        "asked": asked,
        "query": query.urlencode(),
        "page_limit": PAGE_LIMIT,
    }
    if answer is not None:
        money = [r for r in answer.results if not r.is_support]
        support = [r for r in answer.results if r.is_support]
        context["groups"] = [
            ("eligible", _("Eligible"), [r for r in money if r.verdict == "eligible"]),
            (
                "possibly_eligible",
                _("Possibly eligible: some data is missing"),
                [r for r in money if r.verdict == "possibly_eligible"],
            ),
            ("not_eligible", _("Not eligible"), [r for r in money if r.verdict == "not_eligible"]),
        ]
        context["support"] = [r for r in support if r.verdict != "not_eligible"]
        context["support_ruled_out"] = [r for r in support if r.verdict == "not_eligible"]
        context["fitting_count"] = sum(1 for r in answer.results if r.verdict != "not_eligible")
    status = 400 if asked and form.errors else 200
    return render(request, "matching/funding_finder.html", context, status=status)

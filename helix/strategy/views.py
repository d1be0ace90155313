"""Public pages of the strategy monitor: the roadmap overview and a page per recommendation."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from helix.actors.models import Organisation
from helix.core.permissions import is_curator
from helix.core.views import current_lang, get_visible_or_404

from .choices import ProgressStatus
from .indicators import COMPUTATIONS, states, suggest
from .models import GovernmentRole, Indicator, OrganisationalOption, Recommendation, RoleOption
from .report import build_report, report_xlsx
from .roadmap import roadmap, roadmap_item
from .services import can_manage_action, can_measure, can_record_progress, owned_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _as_of(request: HttpRequest) -> tuple[datetime.date | None, bool]:
    """The `date` parameter (the picture as known on that day); (None, invalid?) when absent or invalid."""
    raw = request.GET.get("date", "").strip()
    if not raw:
        return None, False
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return None, True
    return (None, False) if day >= timezone.localdate() else (day, False)


def overview(request: HttpRequest) -> HttpResponse:
    on, invalid_date = _as_of(request)
    clusters = roadmap(on=on)
    counts = dict.fromkeys(ProgressStatus, 0)
    unreported = 0
    for cluster in clusters:
        for item in cluster.items:
            if item.status is None:
                unreported += 1
            else:
                counts[item.status] += 1
    context = {
        "clusters": clusters,
        "on": on,
        "invalid_date": invalid_date,
        "status_counts": [(s, counts[s]) for s in ProgressStatus],
        "unreported": unreported,
        "total": sum(len(c.items) for c in clusters),
        "english_content": current_lang() != "en",
    }
    return render(request, "strategy/overview.html", context)


def recommendation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    live_orgs = Organisation.objects.live().order_by("name")
    qs = Recommendation.objects.select_related("cluster", "cluster__starts_after", "theme", "advised_role", "advised_role_later")
    qs = qs.prefetch_related(
        Prefetch("suggested_lead", queryset=live_orgs),
        Prefetch("involved", queryset=live_orgs),
        Prefetch("benchmark_cities", queryset=live_orgs),
        Prefetch("owners", queryset=live_orgs),
        Prefetch("options", queryset=OrganisationalOption.objects.prefetch_related("roles")),
        Prefetch("role_options", queryset=RoleOption.objects.select_related("role")),
        "actions__organisation",
        "progress_updates__organisation",
    )
    rec = get_visible_or_404(qs, request.user, slug=slug)
    role_text = {ro.role_id: ro.description_en for ro in rec.role_options.all()}
    roles = [
        {
            "role": role,
            "text": role_text.get(role.pk, ""),
            "advised": role.pk == rec.advised_role_id,
            "advised_later": role.pk == rec.advised_role_later_id,
        }
        for role in GovernmentRole.objects.all()
    ]
    indicator_states = states(rec.indicators.order_by("slug"))
    actions = list(rec.actions.all())
    curator = is_curator(request.user)
    context = {
        "rec": rec,
        "item": roadmap_item(rec),
        "roles": roles,
        "updates": list(rec.progress_updates.all()),
        "actions": actions,
        "manageable_actions": {a.pk for a in actions if can_manage_action(request.user, a)},
        "can_record_progress": can_record_progress(request.user, rec),
        "can_add_action": curator or bool(owned_for(request.user, rec)),
        "can_manage_owners": curator,
        "indicator_states": indicator_states,
        "suggested": suggest(indicator_states),
        "english_content": current_lang() != "en",
    }
    return render(request, "strategy/recommendation_detail.html", context)


# -- indicators and the steering group's report ---------------------------------------------


def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = list(Indicator.objects.prefetch_related("recommendations").order_by("kind", "slug"))
    context = {
        "indicator_states": states(indicators),
        "can_define": is_curator(request.user),
        "computations": COMPUTATIONS,
    }
    return render(request, "strategy/indicator_list.html", context)


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.prefetch_related("recommendations"), slug=slug)
    measurements = list(indicator.measurements.order_by("-measured_on", "-created_at", "-id"))
    context = {
        "indicator": indicator,
        "state": states([indicator])[0],
        "measurements": measurements,
        "recommendations": [r for r in indicator.recommendations.all() if r.archived_at is None],
        "can_define": is_curator(request.user),
        "can_measure": not indicator.is_computed and can_measure(request.user, indicator),
    }
    return render(request, "strategy/indicator_detail.html", context)


def _report_context(request: HttpRequest) -> dict[str, Any]:
    on, invalid_date = _as_of(request)
    report = build_report(on)
    query = f"?date={on.isoformat()}" if on else ""
    return {"report": report, "on": on, "invalid_date": invalid_date, "query": query}


def steering_report(request: HttpRequest) -> HttpResponse:
    """The steering group's progress report of a date (`?date=`); `?format=xlsx` downloads it."""
    context = _report_context(request)
    if request.GET.get("format") == "xlsx":
        report = context["report"]
        response = HttpResponse(report_xlsx(report), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="helix-strategy-report-{report.on.isoformat()}.xlsx"'
        return response
    return render(request, "strategy/report.html", context)


def steering_report_print(request: HttpRequest) -> HttpResponse:
    return render(request, "strategy/report_print.html", _report_context(request))

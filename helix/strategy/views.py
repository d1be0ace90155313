"""Public pages of the strategy monitor: the roadmap overview and a page per recommendation."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from helix.actors.models import Organisation
from helix.core.views import current_lang, get_visible_or_404

from .choices import ProgressStatus
from .models import GovernmentRole, OrganisationalOption, Recommendation, RoleOption
from .roadmap import roadmap, roadmap_item
from .services import can_record_progress


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
    context = {
        "rec": rec,
        "item": roadmap_item(rec),
        "roles": roles,
        "updates": list(rec.progress_updates.all()),
        "actions": list(rec.actions.all()),
        "can_record_progress": can_record_progress(request.user, rec),
        "english_content": current_lang() != "en",
    }
    return render(request, "strategy/recommendation_detail.html", context)

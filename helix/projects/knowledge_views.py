"""Knowledge-hub pages: similar projects elsewhere ("Who did this before?"), lighthouses and the
overviews (running and planned work, obstacles and lessons per domain, pilots never scaled)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from helix.core.history import Channel
from helix.core.permissions import is_curator
from helix.core.views import get_visible_or_404
from helix.market.models import Challenge
from helix.matching import project_similarity
from helix.matching.engine.projects import LinkRef
from helix.matching.panels import ShownContribution, shown_explanation
from helix.matching.project_similarity import RankedProject

from . import lighthouses, overviews
from .choices import INVERSE_LABELS, LinkKind, ProjectStatus
from .knowledge_forms import LighthouseForm
from .models import Lighthouse, LighthouseFollower, Project

CRITERION_LABELS = {
    "text": _("Text relevance"),
    "domains": _("Shared domains"),
    "sdgs": _("Shared SDGs"),
    "phase": _("Similar phase"),
    "status": _("Proven (scaled or completed)"),
    "size_class": _("Places of a similar size"),
    "funding": _("Same funding instruments"),
}
PANEL_LIMIT = 5


@dataclass(frozen=True)
class ShownSimilar:
    object: Project
    kind: str
    score: float
    explanation: list[ShownContribution]
    link_label: str


def link_label(link: LinkRef | None) -> str:
    """How the query project is linked with a result ("this project replicates it"), or ""."""
    if link is None:
        return ""
    kind = LinkKind(link.kind)
    return str(kind.label if link.outgoing else INVERSE_LABELS[kind])


def shown(ranked: list[RankedProject]) -> list[ShownSimilar]:
    return [
        ShownSimilar(
            object=r.object,
            kind="project",
            score=r.score,
            explanation=shown_explanation(r.explanation, CRITERION_LABELS),
            link_label=link_label(r.link),
        )
        for r in ranked
    ]


def _render_similar(request: HttpRequest, obj: Any, similar: list[ShownSimilar], is_challenge: bool) -> HttpResponse:
    context = {"object": obj, "similar": similar, "is_challenge": is_challenge}
    if getattr(request, "htmx", False):
        return render(request, "projects/_similar_panel.html", context)
    return render(request, "projects/similar_page.html", context)


def project_similar(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_visible_or_404(Project.objects.all(), request.user, slug=slug)
    found = project_similarity.similar_to_project(project, limit=PANEL_LIMIT, user=request.user)
    return _render_similar(request, project, shown(found), False)


def challenge_similar(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = get_visible_or_404(Challenge.objects.visible_to(request.user), request.user, slug=slug)
    found = project_similarity.similar_to_challenge(challenge, limit=PANEL_LIMIT, user=request.user)
    return _render_similar(request, challenge, shown(found), True)


# --- Lighthouses ---------------------------------------------------------------------------------


def _lighthouses() -> Any:
    return Lighthouse.objects.select_related("domain", "municipality").prefetch_related(
        Prefetch("follower_links", queryset=LighthouseFollower.objects.select_related("organisation"))
    )


def lighthouse_list(request: HttpRequest) -> HttpResponse:
    groups: dict[Any, list[Lighthouse]] = {}
    for lighthouse in _lighthouses().order_by("domain__code", "-start_date", "id"):
        groups.setdefault(lighthouse.domain, []).append(lighthouse)
    context = {"groups": sorted(groups.items(), key=lambda item: str(item[0])), "can_curate": is_curator(request.user)}
    return render(request, "projects/lighthouse_list.html", context)


def lighthouse_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lighthouse = get_object_or_404(_lighthouses(), pk=pk)
    context = {
        "lighthouse": lighthouse,
        "followers": [link.organisation for link in lighthouse.follower_links.all()],
        "ledger": lighthouses.ledger(lighthouse),
        "can_curate": is_curator(request.user),
    }
    return render(request, "projects/lighthouse_detail.html", context)


@login_required
def lighthouse_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not is_curator(request.user):
        raise PermissionDenied
    lighthouse = get_object_or_404(Lighthouse, pk=pk) if pk is not None else Lighthouse()
    form = LighthouseForm(request.POST or None, instance=lighthouse)
    if request.method == "POST" and form.is_valid():
        saved = lighthouses.save_lighthouse(
            form.save(commit=False), form.cleaned_data["followers"], user=request.user, channel=Channel.WEB
        )
        return HttpResponseRedirect(saved.get_absolute_url())
    return render(request, "projects/lighthouse_form.html", {"form": form, "lighthouse": lighthouse if pk else None})


# --- Overviews -----------------------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    """The overview from its pre-aggregated payload (helix/insights/snapshots.py: computed in the
    request while the projects are few; a snapshot, with its date, at scale)."""
    from helix.insights import snapshots

    served = snapshots.serve(snapshots.get(snapshots.KNOWLEDGE_OVERVIEW))
    payload = {**overviews.EMPTY_OVERVIEW, **served.payload}
    statuses = [(code, ProjectStatus(code).label) for code in overviews.ACTIVE_STATUSES]
    context = {
        "by_status": payload["by_status"],
        "by_domain": overviews.count_rows(payload["by_domain"]),
        "by_municipality": overviews.count_rows(payload["by_municipality"]),
        "statuses": statuses,
        "knowledge": overviews.shown_knowledge(payload),
        "pilots": overviews.shown_pilots(payload),
        "pilots_total": payload["pilots"]["total"],
        "snapshot": served.note(),
    }
    return render(request, "projects/overview.html", context)

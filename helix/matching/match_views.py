"""Match pages: what fits a challenge, a solution or an organisation, each with its explanation.

One view per object returns the full page, or, for htmx (the detail pages load it into their
"Matches" section after the page itself), only the fragment. Access first: a draft challenge is
404 for those who may not see it, exactly as its detail page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from helix.actors.models import Organisation
from helix.core.views import get_visible_or_404
from helix.market.models import Challenge, Solution

from . import panels
from .forms import row_suffix


def _render(request: HttpRequest, obj: Any, fragment: str, context: dict[str, Any]) -> HttpResponse:
    context = {**context, "object": obj, "fragment": fragment}
    if getattr(request, "htmx", False):
        return render(request, fragment, context)
    return render(request, "matching/matches_page.html", context)


def funding_url(challenge: Challenge) -> str:
    """A permalink to the funding finder, filled in from the challenge: its owners as applicants
    (a joint challenge: a consortium), its domains, phase, largest budget and title."""
    need = panels.challenge_need(challenge)
    params = [(f"organisation{row_suffix(i)}", org.slug) for i, org in enumerate(need.owners, start=1)]
    params += [("domain", code) for code in need.domains]
    if need.phase:
        params.append(("phase", need.phase))
    if need.budget is not None:
        params.append(("budget", str(need.budget)))
    params.append(("text", need.title))
    return f"{reverse('matching:funding-finder')}?{urlencode(params)}"


def challenge_matches(request: HttpRequest, slug: str) -> HttpResponse:
    qs = Challenge.objects.visible_to(request.user).prefetch_related("ownerships__organisation", "domains")
    challenge = get_visible_or_404(qs, request.user, slug=slug)
    context = {"panel": panels.challenge_panel(challenge, request.user), "funding_url": funding_url(challenge)}
    return _render(request, challenge, "matching/_challenge_panel.html", context)


def solution_matches(request: HttpRequest, slug: str) -> HttpResponse:
    solution = get_visible_or_404(Solution.objects.all(), request.user, slug=slug)
    return _render(request, solution, "matching/_solution_panel.html", {"panel": panels.solution_panel(solution, request.user)})


def organisation_matches(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_visible_or_404(Organisation.objects.select_related("province"), request.user, slug=slug)
    context = {"panel": panels.organisation_panel(organisation, request.user)}
    return _render(request, organisation, "matching/_organisation_panel.html", context)

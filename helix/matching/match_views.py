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
from .services import MAX_APPLICANTS


def _render(request: HttpRequest, obj: Any, fragment: str, context: dict[str, Any]) -> HttpResponse:
    context = {**context, "object": obj, "fragment": fragment}
    if getattr(request, "htmx", False):
        return render(request, fragment, context)
    return render(request, "matching/matches_page.html", context)


def funding_url(challenge: Challenge) -> str:
    """A permalink to the funding finder, filled in from the challenge: its owners as applicants
    (a joint challenge: a consortium), its domains, phase, largest budget and title."""
    params: list[tuple[str, str]] = []
    for index, link in enumerate(challenge.owner_links[:MAX_APPLICANTS], start=1):
        params.append((f"organisation{row_suffix(index)}", link.organisation.slug))
    params += [("domain", t.code) for t in challenge.domains.all()]
    if challenge.phase_sought_id:
        params.append(("phase", challenge.phase_sought.code))  # type: ignore[union-attr]
    if challenge.budget_max is not None:
        params.append(("budget", str(int(challenge.budget_max))))
    params.append(("text", challenge.display_title))
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

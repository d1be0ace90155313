"""Public pages of the marketplace: overview, challenge and solution lists, detail pages (thin views).

Draft challenges exist only for their owners' editors and curators: lists, counts, filter
panels and detail pages of everybody else never see them (404).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from helix.actors.models import Organisation
from helix.core.listing import (
    MAX_SELECT_CHOICES,
    Facet,
    ListingConfig,
    ListingView,
    cached_by_data_version,
    facet_summary,
    filter_key,
    most_used_organisations,
)
from helix.core.permissions import is_curator, organisation_ids_for
from helix.core.tabular import Column
from helix.core.views import DetailRow, Link, field_label, links_to, text_in_language

from . import tables
from .choices import ChallengeStatus, ResponseOutcome
from .filters import CHALLENGE_SORTS, SOLUTION_SORTS, ChallengeFilter, SolutionFilter
from .forms import OutcomeForm
from .models import Challenge, ChallengeOwner, Response, Solution
from .permissions import can_edit_challenge, can_edit_solution, can_manage_owners

CHALLENGE_SORT_LABELS = {
    "title": _("Title (A-Z)"),
    "-title": _("Title (Z-A)"),
    "deadline": _("Deadline (soonest first)"),
    "-published": _("Newest first"),
}
SOLUTION_SORT_LABELS = {"title": _("Title (A-Z)"), "-title": _("Title (Z-A)"), "-updated": _("Recently updated")}


def money(value: Decimal | None) -> str:
    return f"€ {value:,.0f}".replace(",", ".") if value is not None else ""


def budget_range(challenge: Challenge) -> str:
    low, high = challenge.budget_min, challenge.budget_max
    if low is not None and high is not None:
        return money(low) if low == high else f"{money(low)} \u2013 {money(high)}"
    if high is not None:
        return str(_("up to %(amount)s") % {"amount": money(high)})
    if low is not None:
        return str(_("from %(amount)s") % {"amount": money(low)})
    return ""


def owner_names(challenge: Challenge) -> list[str]:
    return [str(o.organisation) for o in challenge.owner_links]


# --- Lists -------------------------------------------------------------------------------------


class ScopedListingView(ListingView):
    """A list whose rows depend on the user (drafts): counts and the filter panel are cached only
    for the public view, so nobody sees counts computed over rows they may not see."""

    m2m_facets: Sequence[Facet] = ()

    def public_scope(self) -> bool:
        return True

    def summary(
        self, request: HttpRequest, data: QueryDict, base: QuerySet[Any], filtered: QuerySet[Any]
    ) -> tuple[int, dict[str, dict[str, int]]]:
        public = self.public_scope()
        if public:
            total, counts = super().summary(request, data, base, filtered)
        else:
            total, counts = facet_summary(self.filterset_class, data, base, self.config.facets, request, filtered=filtered)
        for facet in self.m2m_facets:
            # Counted apart: their rows repeat per record (the grouped query's total counts records).
            without = data.copy()
            without.pop(facet.param, None)
            compute = partial(self._facet_counts, without, base, facet, request)
            if public:
                key = ["m2m-facet", type(self).__module__, type(self).__qualname__, facet.param, filter_key(without)]
                counts |= cached_by_data_version(key, compute, using=base.db)
            else:
                counts |= compute()
        return total, counts

    def _facet_counts(self, data: QueryDict, base: QuerySet[Any], facet: Facet, request: HttpRequest) -> dict[str, Any]:
        return facet_summary(self.filterset_class, data, base, [facet], request)[1]

    def render_filters(self, data: QueryDict, filters: Any, *, using: str) -> SafeString:
        if self.public_scope():
            return super().render_filters(data, filters, using=using)
        return mark_safe(render_to_string("core/listing/filters.html", {"filters": filters}))  # noqa: S308 (autoescaped template)


class ChallengeListView(ScopedListingView):
    model = Challenge
    filterset_class = ChallengeFilter
    template_name = "market/challenge_list.html"
    title = _("Challenges")
    intro = _(
        "Problems municipalities want solved, alone or together (joint challenges): what is needed, by when and "
        "for how much. Organisations respond with a solution and a short proposal."
    )
    export_filename = "helix-challenges"
    config = ListingConfig(
        sorts=CHALLENGE_SORTS,
        sort_labels=CHALLENGE_SORT_LABELS,
        default_sort="-published",
        facets=(Facet("status", "status"), Facet("challenge_format", "format"), Facet("phase", "phase_sought__code")),
    )
    m2m_facets = (Facet("domain", "domains__code"), Facet("role", "value_chain_roles_needed__code"))
    shown_filters = ("status", "accepting", "domain", "role", "phase", "challenge_format", "joint", "owner", "sdg")
    filter_labels = {"owner": _("Published by")}
    page_columns = ("title", "lead_owner", "status", "domains", "deadline")
    display = {
        "title": lambda c: c.display_title,
        "lead_owner": owner_names,
        "status": lambda c: c.get_status_display(),
        "domains": lambda c: [str(t) for t in c.domains.all()],
    }

    def public_scope(self) -> bool:
        user = self.request.user
        if is_curator(user):
            return False
        organisations = organisation_ids_for(user)
        return not organisations or not Challenge.objects.filter(status=ChallengeStatus.DRAFT).owned_by(organisations).exists()

    def get_base_queryset(self) -> QuerySet[Any]:
        return Challenge.objects.live().visible_to(self.request.user)

    def get_columns(self) -> Sequence[Column]:
        return tables.CHALLENGE_COLUMNS

    def optimise(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return tables.optimise_challenges(qs)

    def filter_choices(self) -> dict[str, Sequence[tuple[str, Any]]]:
        """Owners of published challenges only: the choices are cached for everybody."""
        published = Challenge.objects.live().published()
        return {"owner": most_used_organisations("challenge_ownerships__challenge", published)}

    def extra_context(self) -> dict[str, Any]:
        user = self.request.user
        return {"can_create": is_curator(user) or bool(organisation_ids_for(user))}


class SolutionListView(ScopedListingView):
    model = Solution
    filterset_class = SolutionFilter
    template_name = "market/solution_list.html"
    title = _("Solutions")
    intro = _(
        "Products and services organisations offer to municipalities: what they do, how mature they are, where "
        "they already run, which open standards they support."
    )
    export_filename = "helix-solutions"
    config = ListingConfig(
        sorts=SOLUTION_SORTS,
        sort_labels=SOLUTION_SORT_LABELS,
        default_sort="title",
        facets=(Facet("pricing", "pricing_model"), Facet("maturity", "maturity__code")),
    )
    m2m_facets = (Facet("domain", "domains__code"), Facet("role", "value_chain_roles__code"))
    shown_filters = ("domain", "role", "maturity", "startup", "standard", "pricing", "reference", "organisation", "sdg")
    filter_labels = {"reference": _("Runs in"), "organisation": _("Provider"), "standard": _("Open standard")}
    page_columns = ("title", "organisation", "domains", "maturity", "open_standards")
    display = {
        "title": lambda s: s.display_title,
        "organisation": lambda s: f"{s.organisation} ({_('start-up')})" if s.is_startup else str(s.organisation),
        "domains": lambda s: [str(t) for t in s.domains.all()],
        "maturity": lambda s: str(s.maturity) if s.maturity else None,
    }

    def get_base_queryset(self) -> QuerySet[Any]:
        return Solution.objects.live()

    def get_columns(self) -> Sequence[Column]:
        return tables.SOLUTION_COLUMNS

    def optimise(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return tables.optimise_solutions(qs)

    def filter_choices(self) -> dict[str, Sequence[tuple[str, Any]]]:
        live = Solution.objects.live()
        providers = most_used_organisations("solutions", live)
        places = most_used_organisations("solutions_referenced", live)
        standards = sorted({s for row in live.values_list("open_standards", flat=True)[:5000] for s in row}, key=str.casefold)[
            :MAX_SELECT_CHOICES
        ]
        return {
            "organisation": providers,
            "reference": places,
            "standard": [(s, s) for s in standards],
        }

    def extra_context(self) -> dict[str, Any]:
        user = self.request.user
        return {"can_create": is_curator(user) or bool(organisation_ids_for(user))}


# --- Challenge detail ------------------------------------------------------------------------


def challenge_queryset(qs: QuerySet[Challenge] | None = None) -> QuerySet[Challenge]:
    qs = Challenge.objects.all() if qs is None else qs
    return qs.select_related("phase_sought").prefetch_related(
        "domains",
        "sdgs",
        "value_chain_roles_needed",
        Prefetch("ownerships", queryset=ChallengeOwner.objects.select_related("organisation")),
    )


def visible_challenge(user: Any, slug: str) -> Challenge:
    """The challenge for a page: 404 when it does not exist for this user (a draft of others, archived)."""
    qs = Challenge.objects.visible_to(user)
    if not is_curator(user):
        qs = qs.live()
    return get_object_or_404(challenge_queryset(qs), slug=slug)


def _challenge_rows(challenge: Challenge) -> list[DetailRow]:
    def label(name: str) -> Any:
        return field_label(Challenge, name)

    owners = [
        Link(f"{o.organisation} ({o.get_role_display()})", o.organisation.get_absolute_url())
        for o in challenge.owner_links
        if o.organisation.archived_at is None
    ]
    return [
        DetailRow(label("owners"), links=owners),
        DetailRow(label("status"), challenge.get_status_display()),
        DetailRow(label("format"), challenge.get_format_display() if challenge.format else ""),
        DetailRow(label("deadline"), challenge.deadline),
        DetailRow(_("budget"), budget_range(challenge)),
        DetailRow(label("phase_sought"), str(challenge.phase_sought) if challenge.phase_sought else ""),
        DetailRow(label("domains"), [str(t) for t in challenge.domains.all()]),
        DetailRow(label("value_chain_roles_needed"), [str(t) for t in challenge.value_chain_roles_needed.all()]),
        DetailRow(label("sdgs"), [str(t) for t in challenge.sdgs.all()]),
        DetailRow(label("published_at"), challenge.published_at.date() if challenge.published_at else None),
    ]


def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    challenge = visible_challenge(user, slug)
    description, description_lang = text_in_language(challenge.description_nl, challenge.description_en)
    can_edit = can_edit_challenge(user, challenge)
    organisations = organisation_ids_for(user)
    owner_ids = {o.organisation_id for o in challenge.ownerships.all()}
    own_responses = list(
        Response.objects.filter(challenge=challenge, organisation_id__in=organisations)
        .select_related("solution", "organisation")
        .order_by("-created_at", "-id")
    )
    for response in own_responses:
        response.outcome_form = OutcomeForm(initial={"outcome": response.outcome}, prefix=f"r{response.pk}")  # type: ignore[attr-defined]
    context = {
        "challenge": challenge,
        "rows": _challenge_rows(challenge),
        "description": description,
        "description_lang": description_lang,
        "can_edit": can_edit,
        "can_manage_owners": can_manage_owners(user, challenge),
        "transitions": _transitions(challenge) if can_edit else [],
        "response_count": challenge.responses.count() if can_edit else None,
        "own_responses": own_responses,
        "may_respond": challenge.accepts_responses and bool(organisations - owner_ids),
        "outcomes": ResponseOutcome.choices,
    }
    return render(request, "market/challenge_detail.html", context)


def _transitions(challenge: Challenge) -> list[tuple[str, Any]]:
    """The status buttons an owner sees: (action, label)."""
    status = challenge.status
    actions: list[tuple[str, Any]] = []
    if status == ChallengeStatus.DRAFT:
        actions.append(("publish", _("Publish")))
    if status == ChallengeStatus.OPEN:
        actions.append(("close", _("Close for responses")))
    if status == ChallengeStatus.CLOSED:
        actions.append(("reopen", _("Reopen")))
    if status in (ChallengeStatus.OPEN, ChallengeStatus.CLOSED):
        actions.append(("award", _("Mark as awarded")))
    return actions


# --- Solution detail -------------------------------------------------------------------------


def solution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    qs = Solution.objects.select_related("organisation", "maturity").prefetch_related(
        "domains", "sdgs", "value_chain_roles", Prefetch("references", queryset=Organisation.objects.live().order_by("name"))
    )
    if not is_curator(request.user):
        qs = qs.live()
    solution = get_object_or_404(qs, slug=slug)
    description, description_lang = text_in_language(solution.description_nl, solution.description_en)

    def label(name: str) -> Any:
        return field_label(Solution, name)

    provider = solution.organisation
    rows = [
        DetailRow(label("organisation"), links=links_to([provider]) if provider.archived_at is None else []),
        DetailRow(label("maturity"), str(solution.maturity) if solution.maturity else ""),
        DetailRow(label("domains"), [str(t) for t in solution.domains.all()]),
        DetailRow(label("value_chain_roles"), [str(t) for t in solution.value_chain_roles.all()]),
        DetailRow(label("sdgs"), [str(t) for t in solution.sdgs.all()]),
        DetailRow(label("references"), links=links_to(solution.references.all())),
        DetailRow(label("open_standards"), list(solution.open_standards)),
        DetailRow(label("pricing_model"), solution.get_pricing_model_display()),
        DetailRow(label("website"), solution.website, url=solution.website, external=True),
    ]
    context = {
        "solution": solution,
        "rows": rows,
        "description": description,
        "description_lang": description_lang,
        "can_edit": can_edit_solution(request.user, solution),
    }
    return render(request, "market/solution_detail.html", context)


# --- Overview --------------------------------------------------------------------------------


def market_home(request: HttpRequest) -> HttpResponse:
    """Entry point: open challenges first; for members their own challenges and responses."""
    user = request.user
    open_challenges = Challenge.objects.live().open_for_responses()
    latest = challenge_queryset(open_challenges).order_by(F("deadline").asc(nulls_last=True), "id")[:6]
    organisations = organisation_ids_for(user)
    context: dict[str, Any] = {
        "open_count": open_challenges.count(),
        "solution_count": Solution.objects.live().count(),
        "latest": latest,
        "member": bool(organisations),
        "can_create": is_curator(user) or bool(organisations),
    }
    if organisations:
        mine = challenge_queryset(Challenge.objects.live().owned_by(organisations)).annotate(
            response_count=Count("responses", distinct=True)
        )
        context["my_challenges"] = mine.order_by(F("published_at").desc(nulls_first=True), "-id")[:20]
        context["my_responses"] = (
            Response.objects.filter(organisation_id__in=organisations)
            .select_related("challenge", "solution", "organisation")
            .order_by("-created_at", "-id")[:20]
        )
        context["my_solutions"] = (
            Solution.objects.live()
            .filter(organisation_id__in=organisations)
            .select_related("organisation")
            .order_by("title")[:20]
        )
    return render(request, "market/home.html", context)

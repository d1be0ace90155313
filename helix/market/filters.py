"""One FilterSet per marketplace model: reused by the list pages, their htmx refresh, exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from helix.core.filters import SearchFilterSet, term_filter

from .choices import ChallengeFormat, ChallengeStatus, PricingModel, ResponseOutcome, ResponseStatus
from .models import Challenge, ChallengeOwner, Response, Solution
from .querysets import startup_condition

CHALLENGE_SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "deadline": ("deadline", "id"),
    "-published": ("-published_at", "-id"),
}
SOLUTION_SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "-updated": ("-updated_at", "-id"),
}
RESPONSE_SORTS = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
}


class ChallengeFilter(SearchFilterSet):
    search_name_field = "title"

    status = django_filters.MultipleChoiceFilter(choices=ChallengeStatus.choices, distinct=False, label=_("Status"))
    # Not "format": that parameter chooses the export format (pages) and the renderer (API).
    challenge_format = django_filters.MultipleChoiceFilter(
        field_name="format", choices=ChallengeFormat.choices, distinct=False, label=_("Format")
    )
    domain = term_filter("domains", "domains", _("Domain"))
    sdg = term_filter("sdgs", "sdgs", _("SDG"))
    role = term_filter("value-chain-roles", "value_chain_roles_needed", _("Value-chain role needed"))
    phase = term_filter("phases", "phase_sought", _("Phase sought"))
    owner = django_filters.CharFilter(method="filter_owner", label=_("Owner (identifier)"), max_length=120)
    joint = django_filters.BooleanFilter(method="filter_joint", label=_("Joint challenge (several owners)"))
    accepting = django_filters.BooleanFilter(method="filter_accepting", label=_("Accepting responses"))

    class Meta:
        model = Challenge
        fields: list[str] = []

    def filter_owner(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        owned = ChallengeOwner.objects.filter(organisation__slug=value).values("challenge_id")
        return queryset.filter(pk__in=owned)

    def filter_joint(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        joint = (
            ChallengeOwner.objects.order_by()
            .values("challenge_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .values("challenge_id")
        )
        return queryset.filter(pk__in=joint) if value else queryset.exclude(pk__in=joint)

    def filter_accepting(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        accepting = Challenge.objects.open_for_responses().values("pk")
        return queryset.filter(pk__in=accepting) if value else queryset.exclude(pk__in=accepting)


class SolutionFilter(SearchFilterSet):
    search_name_field = "title"

    domain = term_filter("domains", "domains", _("Domain"))
    sdg = term_filter("sdgs", "sdgs", _("SDG"))
    role = term_filter("value-chain-roles", "value_chain_roles", _("Value-chain role"))
    maturity = term_filter("phases", "maturity", _("Maturity"))
    pricing = django_filters.MultipleChoiceFilter(
        field_name="pricing_model", choices=PricingModel.choices, distinct=False, label=_("Pricing model")
    )
    organisation = django_filters.CharFilter(field_name="organisation__slug", label=_("Provider (identifier)"), max_length=120)
    reference = django_filters.CharFilter(method="filter_reference", label=_("Runs in (municipality identifier)"), max_length=120)
    standard = django_filters.CharFilter(method="filter_standard", label=_("Open standard"), max_length=60)
    startup = django_filters.BooleanFilter(method="filter_startup", label=_("Offered by a start-up"))

    class Meta:
        model = Solution
        fields: list[str] = []

    def filter_reference(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        through = Solution.references.through
        return queryset.filter(pk__in=through.objects.filter(organisation__slug=value).values("solution_id"))

    def filter_standard(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(open_standards__contains=[value.strip()])

    def filter_startup(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        condition = startup_condition("organisation__")
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ResponseFilter(django_filters.FilterSet):
    challenge = django_filters.CharFilter(field_name="challenge__slug", label=_("Challenge (identifier)"), max_length=120)
    solution = django_filters.CharFilter(field_name="solution__slug", label=_("Solution (identifier)"), max_length=120)
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", label=_("Responding organisation (identifier)"), max_length=120
    )
    status = django_filters.MultipleChoiceFilter(choices=ResponseStatus.choices, distinct=False, label=_("Status"))
    outcome = django_filters.MultipleChoiceFilter(choices=ResponseOutcome.choices, distinct=False, label=_("Outcome"))

    class Meta:
        model = Response
        fields: list[str] = []

"""One FilterSet per model: reused by the list pages, their htmx refresh, exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import MunicipalitySize
from helix.core.filters import SearchFilterSet, term_filter

from .choices import InstrumentKind, InstrumentStatus, Link, PolicyLevel
from .models import Instrument
from .querysets import InstrumentQuerySet

SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "closes": ("closes_on", "id"),
    "-closes": ("-closes_on", "-id"),
    "verified": ("last_verified", "id"),
    "-verified": ("-last_verified", "-id"),
}


class InstrumentFilter(SearchFilterSet):
    search_name_field = "title"

    kind = django_filters.MultipleChoiceFilter(choices=InstrumentKind.choices, distinct=False, label=_("Kind"))
    instrument_type = term_filter("instrument-types", "instrument_type", _("Instrument type"))
    policy_level = django_filters.MultipleChoiceFilter(choices=PolicyLevel.choices, distinct=False, label=_("Policy level"))
    eu_category = term_filter("eu-funding-categories", "eu_category", _("EU category"))
    phase = term_filter("phases", "phases", _("Phase"))
    applicant_type = term_filter("applicant-types", "applicant_types", _("Applicant type"))
    domain = term_filter("domains", "domains", _("Domain"))
    link = django_filters.MultipleChoiceFilter(choices=Link.choices, distinct=False, label=_("Direct or indirect"))
    municipality_size = django_filters.ChoiceFilter(
        choices=MunicipalitySize.choices, method="filter_size", label=_("For municipality size")
    )
    offered_by = django_filters.CharFilter(field_name="offered_by__slug", label=_("Offered by (identifier)"), max_length=120)
    status = django_filters.ChoiceFilter(choices=InstrumentStatus.choices, method="filter_status", label=_("Status"))
    closing_within = django_filters.NumberFilter(
        method="filter_closing_within", label=_("Closing within (days)"), min_value=0, max_value=3650
    )

    class Meta:
        model = Instrument
        fields: list[str] = []

    def filter_size(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # An instrument without size restriction is open to every size.
        return queryset.filter(municipality_sizes__contains=[value]) | queryset.filter(municipality_sizes=[])

    def filter_status(self, queryset: InstrumentQuerySet, name: str, value: str) -> QuerySet[Any]:
        return queryset.with_status_filter(value)

    def filter_closing_within(self, queryset: InstrumentQuerySet, name: str, value: Any) -> QuerySet[Any]:
        return queryset.closing_within(int(value))

"""One FilterSet for projects: reused by the list page, its htmx refresh, exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import OrganisationKind
from helix.core.filters import SearchFilterSet, term_filter

from .choices import ProjectStatus
from .models import Project, ProjectPartner

SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "verified": ("last_verified", "id"),
    "-verified": ("-last_verified", "-id"),
}


class ProjectFilter(SearchFilterSet):
    search_name_field = "title"

    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices, distinct=False, label=_("Status"))
    domain = term_filter("domains", "domains", _("Domain"))
    sdg = term_filter("sdgs", "sdgs", _("SDG"))
    phase = term_filter("phases", "phase", _("Phase"))
    # One slug matches at most one row per project: no duplicate rows, no DISTINCT needed.
    place = django_filters.CharFilter(field_name="places__slug", label=_("Place (identifier)"), max_length=120)
    lead = django_filters.CharFilter(field_name="lead__slug", label=_("Lead (identifier)"), max_length=120)
    lead_kind = django_filters.MultipleChoiceFilter(
        field_name="lead__kind", choices=OrganisationKind.choices, distinct=False, label=_("Kind of lead organisation")
    )
    organisation = django_filters.CharFilter(
        method="filter_organisation", label=_("Lead or partner (identifier)"), max_length=120
    )
    instrument = django_filters.CharFilter(
        field_name="fundings__instrument__slug", label=_("Funded by (instrument identifier)"), max_length=120
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_organisation(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        partnered = ProjectPartner.objects.filter(organisation__slug=value).values("project_id")
        return queryset.filter(Q(lead__slug=value) | Q(pk__in=partnered))

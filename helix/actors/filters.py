"""One FilterSet per model: reused by the list pages, their htmx refresh, exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helix.core.filters import CodeMultipleChoiceFilter, SearchFilterSet, term_filter

from .choices import HelixRole, MunicipalitySize, OrganisationKind, OrganisationStatus, Predicate
from .models import Membership, Organisation, Province

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "founded": ("founded_year", "id"),
    "-founded": ("-founded_year", "-id"),
    "verified": ("last_verified", "id"),
    "-verified": ("-last_verified", "-id"),
}


class OrganisationFilter(SearchFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, distinct=False, label=_("Kind"))
    subkind = django_filters.CharFilter(label=_("Sub-kind"), max_length=80)
    helix_role = django_filters.MultipleChoiceFilter(choices=HelixRole.choices, distinct=False, label=_("Helix role"))
    province = CodeMultipleChoiceFilter(
        field_name="province__refnis",
        queryset=Province.objects.all(),
        to_field_name="refnis",
        label=_("Province"),
        distinct=False,  # a to-one join never repeats a row; DISTINCT over 100k rows costs a sort
    )
    municipality_size = django_filters.MultipleChoiceFilter(
        choices=MunicipalitySize.choices, distinct=False, label=_("Size class")
    )
    is_centrumstad = django_filters.BooleanFilter(label=_("Centre city"))
    in_region = django_filters.BooleanFilter(label=_("In the region"))
    status = django_filters.MultipleChoiceFilter(choices=OrganisationStatus.choices, distinct=False, label=_("Status"))
    domain = term_filter("domains", "domains", _("Domain"))
    sdg = term_filter("sdgs", "sdgs", _("SDG"))
    nace = term_filter("nace", "nace_sections", _("NACE section"))
    value_chain_role = term_filter("value-chain-roles", "value_chain_roles", _("Value-chain role"))
    member_of = django_filters.CharFilter(method="filter_member_of", label=_("Member of (network identifier)"), max_length=120)
    founded_after = django_filters.NumberFilter(field_name="founded_year", lookup_expr="gte", label=_("Founded from"))
    founded_before = django_filters.NumberFilter(field_name="founded_year", lookup_expr="lte", label=_("Founded until"))

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_member_of(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        members = Membership.objects.filter(
            object__slug=value, predicate__in=[Predicate.MEMBER_OF, Predicate.PART_OF, Predicate.PARTNER_OF]
        ).values("subject_id")
        return queryset.filter(pk__in=members)


class MunicipalityFilter(OrganisationFilter):
    """Municipalities of the region: the organisation filters narrowed to kind=municipality."""

    @property
    def qs(self) -> QuerySet[Any]:
        return super().qs.filter(kind=OrganisationKind.MUNICIPALITY, refnis__isnull=False)

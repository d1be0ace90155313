"""Filters of API-only lists. Registries' filters live in their apps (helix.actors.filters, ...)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import Predicate
from helix.actors.models import Membership


class MembershipFilter(django_filters.FilterSet):
    subject = django_filters.CharFilter(field_name="subject__slug", label=_("Subject (organisation identifier)"), max_length=120)
    object = django_filters.CharFilter(field_name="object__slug", label=_("Object (organisation identifier)"), max_length=120)
    organisation = django_filters.CharFilter(
        method="filter_organisation", label=_("Either side (organisation identifier)"), max_length=120
    )
    predicate = django_filters.MultipleChoiceFilter(choices=Predicate.choices, distinct=False, label=_("Relation"))

    class Meta:
        model = Membership
        fields: list[str] = []

    def filter_organisation(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        return queryset.filter(subject__slug=value) | queryset.filter(object__slug=value)

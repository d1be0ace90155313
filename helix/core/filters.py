"""Filter building blocks shared by the registries' FilterSets (pages, export and API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from helix.core.search import ranked_search


@extend_schema_field(OpenApiTypes.STR)
class CodeMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Choose related objects by a code (`to_field_name`); described as strings in the API schema."""


def term_filter(scheme: str, field_name: str, label: Any) -> django_filters.Filter:
    """Filter on terms of one scheme by code (?domain=smart-mobility&domain=...)."""
    from helix.core.models import Term

    return CodeMultipleChoiceFilter(
        # django-filter compares `field_name` with the chosen term's `to_field_name` value.
        field_name=f"{field_name}__code",
        to_field_name="code",
        queryset=Term.objects.filter(scheme__slug=scheme),
        label=label,
        distinct=True,
    )


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a ranked full-text `q` parameter. Subclasses set `search_name_field`."""

    search_name_field = "name"
    q = django_filters.CharFilter(method="filter_search", label=_("Search"), max_length=200)

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return ranked_search(queryset, value, self.search_name_field)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Every other filter first, `q` last: ranked_search caps its candidates (see
        helix.core.search), and the cap must apply within the other filters."""
        data = self.form.cleaned_data
        for name, value in data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        if "q" in data and "q" in self.filters:
            queryset = self.filters["q"].filter(queryset, data["q"])
        return queryset

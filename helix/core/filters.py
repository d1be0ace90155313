"""Filter building blocks shared by the registries' FilterSets (pages, export and API)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helix.core.search import ranked_search


def term_filter(scheme: str, field_name: str, label: Any) -> django_filters.Filter:
    """Filter on terms of one scheme by code (?domain=smart-mobility&domain=...)."""
    from helix.core.models import Term

    return django_filters.ModelMultipleChoiceFilter(
        field_name=field_name,
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

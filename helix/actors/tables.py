"""Column specs of the actor lists, shared by list pages, exports and the importer.

Contact persons are personal data and never appear here (nor in any export).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helix.core.tabular import Column, attr, related_values

Q = TypeVar("Q", bound=QuerySet[Any])


ORGANISATION_COLUMNS: list[Column] = [
    Column("slug", _("identifier"), attr("slug")),
    Column("name", _("name"), attr("name")),
    Column("name_nl", _("Dutch name"), attr("name_nl")),
    Column("alternative_names", _("alternative names"), attr("alternative_names"), export_only=True),
    Column("kind", _("kind"), attr("kind")),
    Column("subkind", _("sub-kind"), attr("subkind")),
    Column("helix_role", _("helix role"), attr("helix_role")),
    Column("enterprise_number", _("enterprise number"), attr("enterprise_number")),
    Column("nace_sections", _("NACE sections"), related_values("nace_sections")),
    Column("founded_year", _("founded"), attr("founded_year")),
    Column("size_class", _("company size"), attr("size_class")),
    Column("website", _("website"), attr("website"), export_only=True),
    Column("description_nl", _("description (Dutch)"), attr("description_nl"), export_only=True),
    Column("description_en", _("description (English)"), attr("description_en"), export_only=True),
    Column("municipality", _("municipality"), attr("located_in.slug")),
    Column("province", _("province"), attr("province.short_name")),
    Column("country", _("country"), attr("country")),
    Column("domains", _("domains"), related_values("domains")),
    Column("sdgs", _("SDGs"), related_values("sdgs"), export_only=True),
    Column("value_chain_roles", _("value-chain roles"), related_values("value_chain_roles"), export_only=True),
    Column("status", _("status"), attr("status")),
    Column("source", _("source"), attr("source"), export_only=True),
    Column("last_verified", _("last verified"), attr("last_verified")),
]

MUNICIPALITY_COLUMNS: list[Column] = [
    *ORGANISATION_COLUMNS,
    Column("refnis", _("REFNIS code"), attr("refnis")),
    Column("is_centrumstad", _("centre city"), attr("is_centrumstad")),
    Column("population", _("population"), attr("population")),
    Column("municipality_size", _("size class"), attr("municipality_size")),
    Column("coordinator_appointed", _("smart-city coordinator appointed"), attr("coordinator_appointed")),
    Column("open_data_charter_signed", _("open data charter signed"), attr("open_data_charter_signed")),
    Column("formal_strategy", _("formal smart-city strategy"), attr("formal_strategy")),
]


def optimise(qs: Q) -> Q:
    """Load everything the columns read in a constant number of queries, whatever the row count."""
    return qs.select_related("located_in", "province").prefetch_related("nace_sections", "domains", "sdgs", "value_chain_roles")

"""Column specs of the instrument list, shared by the list page, exports and the importer."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helix.core.tabular import Column, attr, related_values

Q = TypeVar("Q", bound=QuerySet[Any])


def _status(instrument: Any) -> str:
    derived = getattr(instrument, "derived_status", None)
    return str(derived or instrument.status.value)


def _dates(instrument: Any) -> list[str]:
    return [d.isoformat() for d in instrument.deadlines or []]


INSTRUMENT_COLUMNS: list[Column] = [
    Column("slug", _("identifier"), attr("slug")),
    Column("title", _("title"), attr("title")),
    Column("title_nl", _("Dutch title"), attr("title_nl")),
    Column("kind", _("kind"), attr("kind")),
    Column("instrument_type", _("instrument type"), attr("instrument_type.code")),
    Column("offered_by", _("offered by"), attr("offered_by.slug")),
    Column("co_offered_by", _("co-offered by"), related_values("co_offered_by", "slug"), export_only=True),
    Column("parent", _("parent programme"), attr("parent.slug")),
    Column("umbrella_programme", _("umbrella fund or programme"), attr("umbrella_programme"), export_only=True),
    Column("eu_category", _("EU funding category"), attr("eu_category.code")),
    Column("policy_level", _("policy level"), attr("policy_level")),
    Column("country", _("country"), attr("country"), export_only=True),
    Column("link", _("direct or indirect"), attr("link")),
    Column("description_nl", _("description (Dutch)"), attr("description_nl"), export_only=True),
    Column("description_en", _("description (English)"), attr("description_en"), export_only=True),
    Column("target_groups", _("target groups"), attr("target_groups"), export_only=True),
    Column("applicant_types", _("applicant types"), related_values("applicant_types"), export_only=True),
    Column("municipality_sizes", _("municipality size classes"), attr("municipality_sizes"), export_only=True),
    Column("territory", _("territorial restriction"), attr("territory"), export_only=True),
    Column("consortium_required", _("consortium required"), attr("consortium_required"), export_only=True),
    Column("phases", _("phases"), related_values("phases")),
    Column("domains", _("domains"), related_values("domains"), export_only=True),
    Column("funding_forms", _("funding forms"), attr("funding_forms"), export_only=True),
    Column("cofinancing_rate", _("co-financing rate (%)"), attr("cofinancing_rate"), export_only=True),
    Column("amount_min", _("minimum per project (EUR)"), attr("amount_min"), export_only=True),
    Column("amount_max", _("maximum per project (EUR)"), attr("amount_max")),
    Column("total_budget", _("total budget (EUR)"), attr("total_budget"), export_only=True),
    Column("opens_on", _("opens"), attr("opens_on")),
    Column("closes_on", _("closes"), attr("closes_on")),
    Column("open_until_text", _("open until (as stated)"), attr("open_until_text"), export_only=True),
    Column("recurrence", _("recurrence"), attr("recurrence"), export_only=True),
    Column("deadlines", _("deadlines"), _dates, export_only=True),
    Column("status", _("status"), _status, derived=True),
    Column("url", _("link"), attr("url"), export_only=True),
    Column("inventory_no", _("inventory number"), attr("inventory_no"), export_only=True),
    Column("source", _("source"), attr("source"), export_only=True),
    Column("last_verified", _("last verified"), attr("last_verified")),
]


def optimise(qs: Q) -> Q:
    """Load everything the columns read in a constant number of queries, whatever the row count."""
    return qs.select_related("instrument_type", "offered_by", "parent", "eu_category").prefetch_related(
        "co_offered_by", "applicant_types", "phases", "domains"
    )

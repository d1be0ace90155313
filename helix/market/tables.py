"""Column specs of the marketplace lists, shared by the list pages and their exports.

The keys are also the import keys (helix.market.importers), so an export can be imported again.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from helix.core.tabular import Column, attr, related_values

from .choices import OwnerRole
from .models import ChallengeOwner

Q = TypeVar("Q", bound=QuerySet[Any])


def _lead(challenge: Any) -> str | None:
    lead = challenge.lead_owner
    return lead.slug if lead is not None else None


def _co_owners(challenge: Any) -> list[str]:
    return sorted(o.organisation.slug for o in challenge.ownerships.all() if o.role != OwnerRole.LEAD)


def _startup(solution: Any) -> bool:
    return bool(solution.is_startup)


CHALLENGE_COLUMNS: list[Column] = [
    Column("slug", _("identifier"), attr("slug")),
    Column("title", _("title"), attr("title")),
    Column("title_nl", _("Dutch title"), attr("title_nl"), export_only=True),
    Column("lead_owner", _("owners"), _lead),  # pages show every owner (views.owner_names)
    Column("co_owners", _("co-owners"), _co_owners),
    Column("format", _("format"), attr("format"), export_only=True),
    Column("status", _("status"), attr("status")),
    Column("domains", _("domains"), related_values("domains")),
    Column("sdgs", _("SDGs"), related_values("sdgs"), export_only=True),
    Column("roles_needed", _("value-chain roles needed"), related_values("value_chain_roles_needed"), export_only=True),
    Column("phase_sought", _("phase sought"), attr("phase_sought.code"), export_only=True),
    Column("budget_min", _("budget from (EUR)"), attr("budget_min"), export_only=True),
    Column("budget_max", _("budget up to (EUR)"), attr("budget_max"), export_only=True),
    Column("deadline", _("deadline"), attr("deadline")),
    Column("published_at", _("published"), attr("published_at"), export_only=True, derived=True),
    Column("description_nl", _("description (Dutch)"), attr("description_nl"), export_only=True),
    Column("description_en", _("description (English)"), attr("description_en"), export_only=True),
    Column("source", _("source"), attr("source"), export_only=True),
    Column("last_verified", _("last verified"), attr("last_verified"), export_only=True),
]

SOLUTION_COLUMNS: list[Column] = [
    Column("slug", _("identifier"), attr("slug")),
    Column("title", _("title"), attr("title")),
    Column("title_nl", _("Dutch title"), attr("title_nl"), export_only=True),
    Column("organisation", _("provider"), attr("organisation.slug")),
    Column("is_startup", _("start-up"), _startup, derived=True),
    Column("domains", _("domains"), related_values("domains")),
    Column("sdgs", _("SDGs"), related_values("sdgs"), export_only=True),
    Column("value_chain_roles", _("value-chain roles"), related_values("value_chain_roles"), export_only=True),
    Column("maturity", _("maturity"), attr("maturity.code")),
    Column("references", _("references"), related_values("references", "slug"), export_only=True),
    Column("open_standards", _("open standards"), attr("open_standards")),
    Column("pricing_model", _("pricing model"), attr("pricing_model"), export_only=True),
    Column("website", _("website"), attr("website"), export_only=True),
    Column("description_nl", _("description (Dutch)"), attr("description_nl"), export_only=True),
    Column("description_en", _("description (English)"), attr("description_en"), export_only=True),
    Column("source", _("source"), attr("source"), export_only=True),
    Column("last_verified", _("last verified"), attr("last_verified"), export_only=True),
]


def optimise_challenges(qs: Q) -> Q:
    """Everything the challenge columns read, in a constant number of queries."""
    return qs.select_related("phase_sought").prefetch_related(
        "domains",
        "sdgs",
        "value_chain_roles_needed",
        Prefetch("ownerships", queryset=ChallengeOwner.objects.select_related("organisation")),
    )


def optimise_solutions(qs: Q) -> Q:
    return qs.select_related("organisation", "maturity").prefetch_related("domains", "sdgs", "value_chain_roles", "references")

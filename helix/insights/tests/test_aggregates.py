"""The insights' numbers on the study data: they follow from the seed, and every drill-down link
opens a list with exactly that many records."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db.models import Q
from django.utils import timezone

from helix.actors.choices import OrganisationKind
from helix.actors.models import Membership, Organisation
from helix.insights import aggregates, network
from helix.insights.analyses import ANALYSES, Result
from helix.insights.tables import Table
from helix.instruments.models import Instrument
from helix.market.models import Challenge
from helix.projects.models import Project
from tests.study_data import study_data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

LIST_PATHS = ("/organisaties/", "/gemeenten/", "/instrumenten/", "/projecten/", "/uitdagingen/", "/oplossingen/")
LINKS_CHECKED_PER_TABLE = 12


def column(table: Table, key: str) -> dict[str, int | float | None]:
    return {row.key: row.cells[key].value for row in table.rows}


def test_actor_kinds_are_the_registry_counts(study_data):  # noqa: F811
    kinds = column(aggregates.actors_by_kind(), "organisations")
    live = Organisation.objects.live()
    assert kinds[OrganisationKind.COMPANY] == live.filter(kind=OrganisationKind.COMPANY).count() > 0
    assert kinds[OrganisationKind.MUNICIPALITY] == live.filter(kind=OrganisationKind.MUNICIPALITY).count() >= 565
    assert sum(n or 0 for n in kinds.values()) == live.count()
    subkinds = column(aggregates.actors_by_subkind(), "organisations")
    assert sum(n or 0 for n in subkinds.values()) == live.exclude(subkind="").count()


def test_archived_organisations_are_not_counted(study_data):  # noqa: F811
    before = column(aggregates.actors_by_kind(), "organisations")[OrganisationKind.COMPANY]
    company = Organisation.objects.live().filter(kind=OrganisationKind.COMPANY).first()
    assert company is not None
    Organisation.objects.filter(pk=company.pk).update(archived_at=timezone.now())
    assert column(aggregates.actors_by_kind(), "organisations")[OrganisationKind.COMPANY] == before - 1


def test_companies_by_sector_add_up_to_the_companies(study_data):  # noqa: F811
    companies = Organisation.objects.live().filter(kind=OrganisationKind.COMPANY)
    sectors = column(aggregates.companies_by_sector(), "companies")
    assert sum(n or 0 for n in sectors.values()) == companies.count()
    nace = aggregates.companies_by_nace()
    # Each company counts once per NACE section it has, and once in "none recorded" without any.
    expected = sum(c.nace_sections.count() or 1 for c in companies)
    assert sum(row.cells["companies"].value or 0 for row in nace.rows) == expected


def test_founding_years_grow_to_every_dated_organisation(study_data):  # noqa: F811
    years = aggregates.founding_years()
    dated = Organisation.objects.live().filter(founded_year__isnull=False)
    assert years.rows, "the study dates some companies"
    assert years.rows[-1].cells["cumulative"].value == dated.count()
    assert sum(r.cells["founded"].value or 0 for r in years.rows) == dated.count()
    assert [int(r.key) for r in years.rows] == sorted(set(dated.values_list("founded_year", flat=True)))


def test_instruments_by_policy_level_add_up(study_data):  # noqa: F811
    levels = aggregates.instruments_by_level_and_link()
    live = Instrument.objects.live()
    assert sum(row.cells["total"].value or 0 for row in levels.rows) == live.count()
    for row in levels.rows:
        cells = row.cells
        assert (cells["direct"].value or 0) + (cells["indirect"].value or 0) + (cells["unstated"].value or 0) == cells[
            "total"
        ].value
    flemish = next(r for r in levels.rows if r.key == "flemish")
    assert flemish.cells["total"].value == live.filter(policy_level="flemish").count()
    groups = column(aggregates.instruments_research_vs_implementation(), "instruments")
    research = live.filter(phases__code__in=["research", "study"], phases__scheme__slug="phases").distinct().count()
    assert groups["research_studies"] == research


def test_municipality_involvement_matches_the_records(study_data):  # noqa: F811
    involvement = aggregates.municipality_involvement()
    region = aggregates.region_municipalities()
    assert len(involvement) == region.count() > 250
    provinces = aggregates.municipalities_by_province(involvement)
    assert sum(r.cells["total"].value or 0 for r in provinces.rows) == region.count()
    for row in provinces.rows:
        assert (row.cells["involved"].value or 0) + (row.cells["missing"].value or 0) == row.cells["total"].value
    top = max(involvement, key=lambda m: m["score"])
    assert top["score"] > 0, "the study's projects take place in the region's cities"
    assert top["projects_here"] == Project.objects.live().filter(places=top["id"]).count()
    led_or_partner = Project.objects.live().filter(Q(lead=top["id"]) | Q(partnerships__organisation=top["id"])).distinct().count()
    assert top["projects_partner"] == led_or_partner
    memberships = Membership.objects.filter(archived_at__isnull=True).filter(Q(subject=top["id"]) | Q(object=top["id"])).count()
    assert top["memberships"] == memberships
    assert top["challenges"] == Challenge.objects.live().published().filter(owners=top["id"]).count()
    missing = aggregates.missing_municipalities(involvement)
    assert sum(len(munis) for _, munis in missing) == sum(r.cells["missing"].value or 0 for r in provinces.rows)


def test_network_brokers_connect_the_study_network(study_data):  # noqa: F811
    payload = network.compute()
    assert payload["organisations"] > 50 and payload["projects"] > 0
    assert not payload["approximate"]
    brokers = payload["brokers"]
    assert brokers and all(b["betweenness"] > 0 for b in brokers)
    assert [b["betweenness"] for b in brokers] == sorted((b["betweenness"] for b in brokers), reverse=True)
    assert network.compute()["brokers"] == brokers, "deterministic"
    diagram = payload["diagram"]  # small enough to draw whole: every node and link
    assert diagram["whole"] and len(diagram["nodes"]) == payload["organisations"] + payload["projects"]
    assert len(diagram["links"]) == payload["links"]
    assert all(0 <= link["source"] < link["target"] < len(diagram["nodes"]) for link in diagram["links"])
    first = brokers[0]
    led_or_partner = Project.objects.live().filter(
        Q(lead__slug=first["slug"]) | Q(partnerships__organisation__slug=first["slug"])
    )
    assert first["projects"] == led_or_partner.distinct().count()


def test_a_large_network_serves_its_last_snapshot(study_data, monkeypatch):  # noqa: F811
    monkeypatch.setattr(network, "data_version", lambda: "v1")
    payload, snapshot, stale = network.network_summary()
    assert snapshot is not None and snapshot.data_version == "v1" and not stale
    monkeypatch.setattr(network, "data_version", lambda: "v2")
    monkeypatch.setattr(network, "SYNC_EDGE_LIMIT", 0)
    monkeypatch.setattr(network, "compute", lambda: pytest.fail("a large graph is not recomputed in the request"))
    again, served, stale = network.network_summary()
    assert stale and served is not None and served.pk == snapshot.pk and again == payload


def _count(client: Any, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.context["total"])


def _linked_cells(result: Result) -> list[tuple[str, str, int | float | None]]:
    cells = []
    for section in result.sections:
        for row in section.table.rows[:LINKS_CHECKED_PER_TABLE]:
            for key, cell in row.cells.items():
                if cell.url and urlsplit(cell.url).path in LIST_PATHS:
                    cells.append((f"{section.table.key}/{row.key}/{key}", cell.url, cell.value))
    return cells


@pytest.mark.parametrize("slug", [s for s in ANALYSES if s != "kaart"])
def test_every_drill_down_link_lists_exactly_its_number(study_data, client, slug):  # noqa: F811
    checked = _linked_cells(ANALYSES[slug].compute())
    assert checked or slug == "vraag-en-aanbod", "each analysis links its numbers"
    for name, url, value in checked:
        assert _count(client, url) == value, f"{name}: {url}"


def test_the_drill_down_of_companies_is_the_company_list(study_data, client):  # noqa: F811
    row = next(r for r in aggregates.actors_by_kind().rows if r.key == OrganisationKind.COMPANY)
    assert row.cells["organisations"].url == "/organisaties/?kind=company"
    assert _count(client, row.cells["organisations"].url) == Organisation.objects.live().filter(kind="company").count()

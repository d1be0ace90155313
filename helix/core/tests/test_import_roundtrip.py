"""Export → import is the identity, in every format; exports that look like formulas come back as text."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.apps import apps

from helix.actors.models import Organisation, Province, Region
from helix.actors.tables import MUNICIPALITY_COLUMNS, optimise
from helix.core.importing import Status, check_upload, commit_import, plan_import
from helix.core.tabular import write_csv, write_json, write_xlsx
from helix.instruments.models import Instrument
from helix.instruments.tables import INSTRUMENT_COLUMNS
from helix.instruments.tables import optimise as optimise_instruments
from tests.factories import InstrumentFactory, MunicipalityFactory, OrganisationFactory, SchemeFactory, TermFactory

pytestmark = pytest.mark.django_db

WRITERS = {
    "xlsx": lambda columns, rows: write_xlsx(columns, rows, sheet_title="export"),
    "csv": write_csv,
    "json": write_json,
}


@pytest.fixture
def registry_data(db):
    region = Region.objects.create(refnis="02000", name_nl="Vlaams Gewest")
    province = Province.objects.create(refnis="40000", name_nl="Provincie Oost-Vlaanderen", region=region)
    nace = SchemeFactory(slug="nace")
    domains = SchemeFactory(slug="domains")
    phases = SchemeFactory(slug="phases")
    j, m = TermFactory(scheme=nace, code="J"), TermFactory(scheme=nace, code="M")
    mobility = TermFactory(scheme=domains, code="smart-mobility")
    pilot = TermFactory(scheme=phases, code="pilot")
    city = MunicipalityFactory(slug="gent", name="Gent", refnis="44021", population=265000, is_centrumstad=True)
    org = OrganisationFactory(
        slug="sensor-co",
        name="=Sensor & Co NV",  # formula-like: must survive as text
        name_nl="Sensorbedrijf",
        alternative_names=["Sensor Co", "SensCo"],
        enterprise_number="0403170701",
        founded_year=2015,
        size_class="small",
        website="https://sensor.example.org",
        description_nl="Eerste regel.\nTweede regel, met “aanhalingstekens” en ; puntkomma.",
        located_in=city,
        province=province,
        last_verified=datetime.date(2024, 5, 1),
        coordinator_appointed=None,
    )
    org.nace_sections.set([j, m])
    org.domains.set([mobility])
    OrganisationFactory(slug="plain", name="Plain", description_en="-minus first", subkind="")
    parent = InstrumentFactory(slug="parent-programme", title="Parent programme", offered_by=org)
    child = InstrumentFactory(
        slug="child-call",
        title="@Child call",
        parent=parent,
        offered_by=org,
        amount_min=decimal.Decimal("1000.50"),
        amount_max=decimal.Decimal("250000"),
        cofinancing_rate=decimal.Decimal("75"),
        opens_on=datetime.date(2024, 1, 1),
        closes_on=datetime.date(2030, 12, 31),
        deadlines=[datetime.date(2025, 3, 1), datetime.date(2025, 9, 1)],
        funding_forms=["grant", "loan"],
        target_groups=["cities", "SMEs"],
        municipality_sizes=["small", "medium"],
        consortium_required=True,
        link="direct",
        description_nl="+ meerdere\nregels",
    )
    child.phases.set([pilot])
    child.co_offered_by.set([city])


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_organisations_round_trip(registry_data, fmt):
    body = WRITERS[fmt](MUNICIPALITY_COLUMNS, optimise(Organisation.objects.all()))
    event_model = apps.get_model("actors", "OrganisationEvent")
    events = event_model.objects.count()
    plan = plan_import(check_upload(body, name=f"organisations.{fmt}"))
    assert not plan.errors, plan.errors
    assert [s.layout for s in plan.sheets] == ["helix-organisations"]
    assert {r.status for r in plan.rows} == {Status.UNCHANGED}, [(r.label, r.changes) for r in plan.rows]
    assert len(plan.rows) == Organisation.objects.count()
    assert commit_import(plan) is None
    assert event_model.objects.count() == events


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_instruments_round_trip(registry_data, fmt):
    body = WRITERS[fmt](INSTRUMENT_COLUMNS, optimise_instruments(Instrument.objects.with_status()))
    plan = plan_import(check_upload(body, name=f"instruments.{fmt}"))
    assert not plan.errors, plan.errors
    assert {r.status for r in plan.rows} == {Status.UNCHANGED}, [(r.label, r.changes) for r in plan.rows]
    assert len(plan.rows) == Instrument.objects.count()


def test_an_edited_export_updates_only_the_changed_fields(registry_data):
    body = write_csv(MUNICIPALITY_COLUMNS, optimise(Organisation.objects.filter(slug="plain"))).decode("utf-8-sig")
    edited = body.replace(",Plain,", ",Plain Renamed,").replace("\r\n", "\n")
    plan = plan_import(check_upload(edited.encode(), name="edited.csv"))
    assert not plan.errors
    [row] = plan.rows
    assert row.status == Status.CHANGED
    assert [(c.key, c.old, c.new) for c in row.changes] == [("name", "Plain", "Plain Renamed")]
    commit_import(plan)
    org = Organisation.objects.get(slug="plain")
    assert org.name == "Plain Renamed"
    assert org.version == 2

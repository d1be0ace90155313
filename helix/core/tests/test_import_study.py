"""The study's workbooks as delivered: title row, Dutch headers, merged cells, several sheets."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

from helix.actors.models import Organisation
from helix.core.importing import Status, check_upload, commit_import, plan_import
from helix.instruments.models import Instrument
from tests.factories import MunicipalityFactory, OrganisationFactory

from .import_helpers import study_actor_workbook, study_instrument_workbook, vocabularies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def study_world(db):
    terms = vocabularies()
    commission = OrganisationFactory(
        slug="eu-commission", name="European Commission", name_nl="Europese Commissie", kind="government"
    )
    vlaio = OrganisationFactory(slug="vlaio", name="Agentschap Innoveren & Ondernemen", kind="government")
    return {"terms": terms, "commission": commission, "vlaio": vlaio}


def test_instrument_workbook_is_read_with_merged_cells_and_dutch_values(study_world):
    plan = plan_import(check_upload(study_instrument_workbook(), name="instrumenten.xlsx"))
    assert [s.layout for s in plan.sheets] == ["study-instruments", "study-instruments"]
    assert plan.sheets[0].header_row == 2
    assert not plan.errors, plan.errors
    assert [r.status for r in plan.rows] == [Status.NEW] * 4
    commit_import(plan)
    fund = Instrument.objects.get(title="Stadsvernieuwing Fonds")
    assert fund.kind == "financial"
    assert fund.offered_by == study_world["commission"]
    assert fund.policy_level == "european"
    assert fund.link == "indirect"
    assert fund.eu_category == study_world["terms"]["esif"]
    assert fund.instrument_type == study_world["terms"]["programme"]
    assert fund.umbrella_programme == "ERDF"
    assert fund.description_nl == "Steun voor stedelijke vernieuwing.\nTweede regel van de beschrijving."
    assert fund.inventory_no == 1
    # Row 4 had its organisation and programme cells merged into row 3's.
    call = Instrument.objects.get(title="Slimme Straten Oproep")
    assert call.offered_by == study_world["commission"]
    assert call.umbrella_programme == "ERDF"
    assert call.inventory_fields["type_europese_subsidiering"] == "Call"
    assert call.eu_category is None  # "Call" is no EU category: kept as delivered, with a warning
    assert any("Call" in w.message and w.row == 4 for w in plan.warnings)
    assert Instrument.objects.get(title="Vlaams Innovatiefonds").offered_by == study_world["vlaio"]
    assert Instrument.objects.get(title="Slimme Buren Netwerk").kind == "matchmaking"


def test_reimporting_the_same_workbook_changes_nothing(study_world):
    event_model = apps.get_model("instruments", "InstrumentEvent")
    checked = check_upload(study_instrument_workbook(), name="instrumenten.xlsx")
    commit_import(plan_import(checked))
    events_before = event_model.objects.count()
    assert events_before == 4
    again = plan_import(checked)
    assert {r.status for r in again.rows} == {Status.UNCHANGED}
    assert commit_import(again) is None
    assert event_model.objects.count() == events_before


def test_actor_workbook_sheets_decide_the_kind_and_unlabelled_nace_columns_are_read(study_world):
    MunicipalityFactory(slug="testgem", name="Testgem", refnis="99999")
    plan = plan_import(check_upload(study_actor_workbook(), name="actoren.xlsx"))
    assert not plan.errors, plan.errors
    statuses = {r.label: r.status for r in plan.rows}
    assert statuses == {
        "Sensorbouw NV": Status.NEW,
        "Dashboardmakers BV": Status.NEW,
        "Hogeschool Slimme Stad": Status.NEW,
        "Stad Testgem": Status.UNCHANGED,
    }
    commit_import(plan)
    sensor = Organisation.objects.get(name="Sensorbouw NV")
    assert sensor.kind == "company"
    assert sensor.helix_role == "business"
    assert sensor.founded_year == 2015
    assert sensor.sector == "Sensoren"
    assert list(sensor.nace_sections.values_list("code", flat=True)) == ["J"]
    school = Organisation.objects.get(name="Hogeschool Slimme Stad")
    assert school.kind == "knowledge_institution"
    assert school.helix_role == "academia"


def test_unknown_municipality_is_an_error_not_a_new_record(study_world):
    plan = plan_import(check_upload(study_actor_workbook(), name="actoren.xlsx"))
    errors = [e for e in plan.errors if e.sheet == "Steden en gemeenten"]
    assert len(errors) == 1
    assert errors[0].row == 3
    assert errors[0].column == "NAAM"
    assert "REFNIS" in errors[0].message

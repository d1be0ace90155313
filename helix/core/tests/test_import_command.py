"""`manage.py import_inventory`: summary, --dry-run, --format json, errors → exit non-zero, nothing written."""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import translation

from helix.instruments.models import Instrument
from tests.factories import OrganisationFactory

from .import_helpers import study_instrument_workbook, vocabularies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def workbook(tmp_path, db):
    vocabularies()
    OrganisationFactory(slug="eu-commission", name="European Commission", name_nl="Europese Commissie", kind="government")
    OrganisationFactory(slug="vlaio", name="Agentschap Innoveren & Ondernemen", kind="government")
    path = tmp_path / "instrumenten.xlsx"
    path.write_bytes(study_instrument_workbook())
    return path


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command("import_inventory", *args, "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_dry_run_reports_and_writes_nothing(workbook):
    events = apps.get_model("instruments", "InstrumentEvent").objects.count()
    result = run(str(workbook), "--dry-run")
    assert result["sheets"] == ["Financiële instrumenten", "Matchmaking"]
    assert (result["created"], result["updated"], result["unchanged"], result["errors"]) == (4, 0, 0, [])
    assert result["dry_run"] is True and result["batch"] is None
    assert Instrument.objects.count() == 0
    assert apps.get_model("instruments", "InstrumentEvent").objects.count() == events


def test_import_commits_under_one_batch_and_a_second_run_changes_nothing(workbook):
    result = run(str(workbook))
    assert result["created"] == 4 and result["committed"] is True
    event_model = apps.get_model("instruments", "InstrumentEvent")
    contexts = set(event_model.objects.values_list("pgh_context_id", flat=True))
    assert len(contexts) == 1
    context = event_model.objects.first().pgh_context
    assert context.metadata["batch"] == result["batch"]
    assert context.metadata["channel"] == "import"
    events = event_model.objects.count()
    again = run(str(workbook))
    assert (again["created"], again["updated"], again["unchanged"], again["batch"]) == (0, 0, 4, None)
    assert event_model.objects.count() == events


def test_an_error_exits_non_zero_and_commits_nothing(tmp_path, workbook):
    path = tmp_path / "bad.csv"
    path.write_text("slug,title,kind,amount_max\nok,Fine,financial,100\nbad,Broken,financial,lots\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_inventory", str(path), "--format", "json", stdout=out, stderr=io.StringIO())
    result = json.loads(out.getvalue())
    assert result["errors"] == [{"sheet": "CSV", "row": 3, "column": "amount_max", "message": result["errors"][0]["message"]}]
    assert "amount" in result["errors"][0]["message"]
    assert Instrument.objects.count() == 0


def test_text_summary(workbook):
    out = io.StringIO()
    call_command("import_inventory", str(workbook), "--dry-run", stdout=out)
    assert "4 would be created, 0 would be updated, 0 unchanged" in out.getvalue()

"""`manage.py import_projects`: Helix's own export (xlsx, json) round trips to the identity; dry run;
clear errors; hostile files refused before parsing; one history batch; undo."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook
from pghistory.models import Context

from helix.projects import services
from helix.projects.models import Project, ProjectContact, ProjectFunding, ProjectLink, ProjectPartner
from tests.factories import MunicipalityFactory, SchemeFactory, TermFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def rich(cast):
    gent = MunicipalityFactory(slug="gemeente-gent-44021", name="Gent")
    mobility = TermFactory(scheme=SchemeFactory(slug="domains"), code="smart-mobility")
    goal = TermFactory(scheme=SchemeFactory(slug="sdgs"), code="sdg-11")
    phase = TermFactory(scheme=SchemeFactory(slug="phases"), code="pilot")
    other = ProjectFactory(slug="bike-counters", title="Bike Counters", lead=cast.org_b)
    project = ProjectFactory(
        slug="air-sensors",
        title="Air Sensors",
        title_nl="Luchtsensoren",
        lead=cast.org_a,
        status="running",
        phase=phase,
        start_date="2024-01-01",
        end_date="2025-06-30",
        budget=Decimal("250000.00"),
        summary_nl="Sensoren meten de lucht.",
        objectives="Measure NO2.",
        lessons="Calibrate monthly.\nPlan maintenance; budget for it.",
        results=[{"indicator": "sensors installed", "value": "40", "unit": "sensors"}, "A public dashboard"],
        links=["https://example.org/report.pdf", "https://example.org/"],
        link_titles={"https://example.org/report.pdf": "Final report"},
        facts=["Started with 10 sensors; grew to 40.", "Open data"],
        notes="=not a formula",
    )
    project.places.set([gent])
    project.domains.set([mobility])
    project.sdgs.set([goal])
    ProjectPartner.objects.create(project=project, organisation=cast.org_b, role="data partner; host")
    ProjectFunding.objects.create(project=project, instrument=cast.instrument_b, amount=Decimal("120000.00"))
    ProjectLink.objects.create(from_project=project, to_project=other, kind="scales_up", note="same sensors; more districts")
    ProjectContact.objects.create(project=project, name="Zoë Privé", email="zoe@example.org")
    return project


def export(client, fmt: str) -> bytes:
    response = client.get("/projecten/", {"format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows_of(fmt: str, body: bytes) -> list:
    """The exported rows (an xlsx file's bytes also hold timestamps: compare the cells)."""
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    return json.loads(body)


def run(path, *args: str) -> dict:
    out = io.StringIO()
    try:
        call_command("import_projects", str(path), *args, "--format", "json", stdout=out, stderr=io.StringIO())
    except CommandError:
        raise AssertionError(out.getvalue()) from None
    return json.loads(out.getvalue())


def run_failing(path, *args: str) -> dict:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_projects", str(path), *args, "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def scramble(project: Project, cast) -> None:
    """Change everything an import can set, through the services (as an editor would)."""
    services.update_project(
        project=project,
        data={
            "title": "Changed",
            "budget": Decimal("1"),
            "results": [],
            "links": [],
            "link_titles": {},
            "lessons": "",
            "facts": [],
            "status": "stopped",
        },
        m2m={"places": [], "domains": [], "sdgs": []},
        partners=[services.PartnerRow(cast.org_a, "x")],
        fundings=[],
        links_to=[],
        user=None,
    )


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_export_then_import_is_the_identity(client, cast, rich, tmp_path, fmt):
    before = export(client, fmt)
    path = tmp_path / f"projects.{fmt}"
    path.write_bytes(before)
    report = run(path)
    changes = [row["changes"] for row in report["rows"] if row["changes"]]
    assert report["errors"] == [] and report["created"] == 0 and report["updated"] == 0 and report["unchanged"] == 2, changes
    # After scrambling the project, importing the earlier export brings every field back.
    scramble(rich, cast)
    assert rows_of(fmt, export(client, fmt)) != rows_of(fmt, before)  # really changed
    restored = run(path)
    assert restored["errors"] == [] and restored["updated"] == 1 and restored["committed"]
    assert rows_of(fmt, export(client, fmt)) == rows_of(fmt, before)
    rich.refresh_from_db()
    assert rich.link_titles == {"https://example.org/report.pdf": "Final report"}
    # A role or note holding ";" survives the spreadsheet's "; "-joined lists too.
    assert rich.partnerships.get().role == "data partner; host"
    assert rich.links_out.get().note == "same sensors; more districts"
    if fmt == "json":  # xlsx joins list items with "; ": a lesson holding ";" comes back as two lines
        assert rich.lessons == "Calibrate monthly.\nPlan maintenance; budget for it."
    # The contact person is never exported nor touched by an import.
    assert b"zoe@example.org" not in before
    assert ProjectContact.objects.get(project=rich).email == "zoe@example.org"


def test_new_projects_are_created_in_one_batch_through_the_services(cast, rich, tmp_path):
    rows = [
        {"title": "New Pilot", "lead": "org-a", "status": "pilot", "partners": ["org-b | tester"],
         "funding": ["instrument-a | 1000"], "links_to": ["inspired_by | air-sensors | idea"],
         "results": ["visitors | 300 | people"], "links": ["https://example.org/new | Page"]},
        {"slug": "air-sensors", "title": "Air Sensors", "risks": "Vandalism."},
    ]  # fmt: skip
    path = tmp_path / "projects.json"
    path.write_text(json.dumps(rows))
    dry = run(path, "--dry-run")
    assert dry["created"] == 1 and dry["updated"] == 1 and not dry["committed"]
    assert not Project.objects.filter(title="New Pilot").exists()
    report = run(path, "--user", "curator")
    assert report["committed"] and report["batch"]
    new = Project.objects.get(title="New Pilot")
    assert new.lead == cast.org_a and new.partnerships.get().role == "tester"
    assert new.fundings.get().amount == Decimal("1000")
    assert new.links_out.get().to_project == rich and new.links_out.get().note == "idea"
    assert new.results == [{"indicator": "visitors", "value": "300", "unit": "people"}]
    assert new.link_titles == {"https://example.org/new": "Page"}
    rich.refresh_from_db()
    assert rich.risks == "Vandalism."
    batches = set(Context.objects.filter(metadata__channel="import").values_list("metadata__batch", flat=True))
    assert batches == {report["batch"]}
    for model in (Project, ProjectPartner, ProjectFunding, ProjectLink):
        assert model.pgh_event_model.objects.filter(pgh_context__metadata__batch=report["batch"]).exists()


def test_any_error_writes_nothing_and_names_the_row_and_column(cast, rich, tmp_path):
    rows = [
        {"title": "Fine", "lead": "org-a", "start_date": "2025-05-01", "end_date": "2024-01-01"},
        {"title": "Bad", "lead": "no-such-org", "partners": ["org-b | x"]},
        {"title": "Worse", "links_to": ["teleports | air-sensors"], "budget": "lots"},
    ]
    path = tmp_path / "projects.json"
    path.write_text(json.dumps(rows))
    report = run_failing(path)
    where = {(e["row"], e["column"]) for e in report["errors"]}
    assert (2, "lead") in where and (3, "links_to") in where and (3, "budget") in where
    assert any(e["row"] == 1 and "end date" in e["message"] for e in report["errors"]), report["errors"]
    assert not Project.objects.filter(title__in=["Fine", "Bad", "Worse"]).exists()


def test_hostile_and_oversized_files_are_refused_before_parsing(tmp_path, settings, db):
    bomb = tmp_path / "bomb.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 50_000_000)
    bomb.write_bytes(buffer.getvalue())
    assert "zip bomb" in run_failing(bomb)["errors"][0]["message"]
    entity = tmp_path / "entity.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook>&a;</workbook>')
    entity.write_bytes(buffer.getvalue())
    assert "DOCTYPE" in run_failing(entity)["errors"][0]["message"]
    settings.HELIX_IMPORT_MAX_BYTES = 1000
    big = tmp_path / "big.json"
    big.write_text(json.dumps([{"title": "x" * 2000}]))
    refused = run_failing(big)
    assert refused["refused"] is True and not Project.objects.exists()
    wrong = tmp_path / "evil.json"
    wrong.write_bytes(b"\x00\x01not json")
    assert run_failing(wrong)["refused"] is True


def test_undo_reverts_the_batch_and_refuses_twice(cast, rich, tmp_path):
    path = tmp_path / "projects.json"
    path.write_text(
        json.dumps(
            [
                {"title": "New Pilot", "lead": "org-a"},
                {"slug": "air-sensors", "title": "Air Sensors X", "partners": ["org-a | lead too"], "places": []},
            ]
        )
    )
    report = run(path)
    rich.refresh_from_db()
    assert rich.title == "Air Sensors X" and rich.partnerships.get().organisation == cast.org_a
    out = io.StringIO()
    call_command("import_projects", "--undo", report["batch"], "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["reverted"] is True
    rich.refresh_from_db()
    assert rich.title == "Air Sensors" and not Project.objects.filter(title="New Pilot").exists()
    assert [(p.organisation, p.role) for p in rich.partnerships.all()] == [(cast.org_b, "data partner; host")]
    with pytest.raises(CommandError):
        call_command("import_projects", "--undo", report["batch"], "--format", "json", stdout=io.StringIO())

"""`manage.py import_market`: JSON and xlsx layouts, dry run, clear errors, hostile files, one history batch."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook
from pghistory.models import Events

from helix.market.models import Challenge, ChallengeOwner, Solution
from tests.factories import ChallengeFactory, OrganisationFactory, SolutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def provider(market):
    return OrganisationFactory(slug="sensortech", name="SensorTech NV", enterprise_number="0207451227", kind="company")


def run(path, *args: str) -> dict:
    out = io.StringIO()
    try:
        call_command("import_market", str(path), *args, "--format", "json", stdout=out, stderr=io.StringIO())
    except CommandError:
        raise AssertionError(out.getvalue()) from None
    return json.loads(out.getvalue())


def run_failing(path, *args: str) -> dict:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_market", str(path), *args, "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


DATA = {
    "challenges": [
        {
            "title": "Smart parking",
            "lead_owner": "Gent",
            "co_owners": ["gemeente-leuven-24062"],
            "description_nl": "Auto's zoeken te lang naar een plek.",
            "status": "open",
            "format": "reverse pitch",
            "domains": "smart-mobility",
            "roles_needed": "devices-sensors; Data platform",
            "phase_sought": "pilot",
            "budget_min": 10000,
            "budget_max": "50.000",
            "deadline": "31/12/2099",
        },
        {"title": "Heat map", "lead_owner": "Leuven"},
    ],
    "solutions": [
        {
            "title": "Parking sensors",
            "organisation": "BE 0207.451.227",
            "references": "Gent; Leuven",
            "open_standards": ["OSLO", "NGSI-LD"],
            "pricing_model": "abonnement",
            "maturity": "operation",
            "value_chain_roles": "devices-sensors",
        }
    ],
}


def write_json(tmp_path, data=DATA, name="market.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_json_import_creates_challenges_with_owners_and_solutions_in_one_batch(tmp_path, market, provider):
    result = run(write_json(tmp_path), "--user", "editor-gent")
    assert (result["created"], result["updated"], result["errors"]) == (3, 0, [])
    assert result["committed"] is True and result["sheets"] == ["challenges", "solutions"]

    parking = Challenge.objects.get(title="Smart parking")
    assert parking.status == "open" and parking.published_at is not None and parking.format == "reverse_pitch"
    assert {(o.organisation, o.role) for o in parking.ownerships.all()} == {(market.gent, "lead"), (market.leuven, "co_owner")}
    assert list(parking.domains.all()) == [market.mobility]
    assert set(parking.value_chain_roles_needed.all()) == {market.sensors, market.platform}
    assert (parking.phase_sought, parking.budget_min, parking.budget_max) == (market.pilot, 10000, 50000)
    assert str(parking.deadline) == "2099-12-31"
    assert Challenge.objects.get(title="Heat map").status == "draft"  # the default

    sensors = Solution.objects.get()
    assert sensors.organisation == provider
    assert set(sensors.references.all()) == {market.gent, market.leuven}
    assert (sensors.open_standards, sensors.pricing_model, sensors.maturity) == (
        ["OSLO", "NGSI-LD"],
        "subscription",
        market.operation,
    )
    assert sensors.source == "market.json > solutions"

    events = [*Events.objects.tracks(parking), *Events.objects.tracks(sensors)]
    events += list(Events.objects.tracks(ChallengeOwner.objects.get(challenge=parking, role="lead")))
    assert {e.pgh_context["batch"] for e in events} == {result["batch"]}
    assert {e.pgh_context["channel"] for e in events} == {"import"}
    assert {e.pgh_context["username"] for e in events} == {"editor-gent"}


def test_a_second_run_changes_nothing_and_an_edit_updates(tmp_path, market, provider):
    path = write_json(tmp_path)
    run(path)
    again = run(path)
    assert (again["created"], again["updated"], again["unchanged"], again["batch"]) == (0, 0, 3, None)

    changed = json.loads(json.dumps(DATA))
    changed["challenges"][0]["budget_max"] = 60000
    changed["challenges"][0]["co_owners"] = []  # an empty value changes nothing
    changed["challenges"][1]["co_owners"] = "Gent"
    result = run(write_json(tmp_path, changed, "changed.json"))
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 2, 1)
    assert Challenge.objects.get(title="Smart parking").budget_max == 60000
    assert Challenge.objects.get(title="Smart parking").is_joint
    assert Challenge.objects.get(title="Heat map").is_joint


def test_dry_run_writes_nothing(tmp_path, market, provider):
    result = run(write_json(tmp_path), "--dry-run")
    assert (result["created"], result["dry_run"], result["committed"], result["batch"]) == (3, True, False, None)
    assert [r["status"] for r in result["rows"]] == ["new", "new", "new"]
    assert not Challenge.objects.exists() and not Solution.objects.exists() and not ChallengeOwner.objects.exists()


def test_bad_rows_name_sheet_row_column_and_reason_and_nothing_changes(tmp_path, market, provider):
    existing = ChallengeFactory(slug="kept", title="Kept", owners=[market.gent])
    data = {
        "challenges": [
            {"slug": "kept", "title": "Renamed", "lead_owner": "Gent"},  # valid, but the file has errors
            {"title": "Unknown owner", "lead_owner": "Atlantis"},
            {"title": "Bad budget", "lead_owner": "Gent", "budget_min": 9, "budget_max": 1},
            {"title": "Bad status", "lead_owner": "Gent", "status": "maybe", "deadline": "someday"},
            {"title": "No owner"},
        ],
        "solutions": [{"title": "Referenced badly", "organisation": "sensortech", "references": "SensorTech NV"}],
    }
    result = run_failing(write_json(tmp_path, data))
    errors = {(e["sheet"], e["row"], e["column"]) for e in result["errors"]}
    assert ("challenges", 2, "lead_owner") in errors
    assert any(e[:2] == ("challenges", 3) for e in errors)
    assert ("challenges", 4, "status") in errors and ("challenges", 4, "deadline") in errors
    assert ("challenges", 5, "lead_owner") in errors
    assert ("solutions", 1, "references") in errors
    messages = " ".join(e["message"] for e in result["errors"])
    assert "Atlantis" in messages and "not a municipality" in messages and "lower bound" in messages
    assert result["committed"] is False
    existing.refresh_from_db()
    assert existing.title == "Kept" and Challenge.objects.count() == 1 and not Solution.objects.exists()


def test_the_same_record_twice_is_an_error(tmp_path, market):
    data = {"challenges": [{"title": "Twice", "lead_owner": "Gent"}, {"title": "twice", "lead_owner": "gemeente-gent-44021"}]}
    result = run_failing(write_json(tmp_path, data))
    assert result["errors"][0]["row"] == 2 and "Same record" in result["errors"][0]["message"]


def workbook(challenge_rows, solution_rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "challenges"
    sheet.append(["Titel", "Trekker", "Mede-eigenaars", "Domeinen", "Status", "Uiterste datum", "Notes"])
    for row in challenge_rows:
        sheet.append(row)
    solutions = book.create_sheet("solutions")
    solutions.append(["title", "organisation", "references", "open_standards"])
    for row in solution_rows:
        solutions.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_import_with_dutch_headers(tmp_path, market, provider):
    path = tmp_path / "pitch-day.xlsx"
    path.write_bytes(
        workbook(
            [["Slimme verlichting", "Gent", "Leuven", "smart-energy", "open", "2099-06-30", "ignored"]],
            [["Smart lamp posts", 207451227, "Gent", "OSLO; DCAT-AP"]],  # a number as Excel stores it
        )
    )
    result = run(path)
    assert (result["created"], result["errors"]) == (2, [])
    note = next(s for s in result["sheet_details"] if s["name"] == "challenges")["note"]
    assert "Notes" in note  # unknown columns are reported, not silently dropped
    challenge = Challenge.objects.get()
    assert (challenge.title, challenge.status, challenge.is_joint) == ("Slimme verlichting", "open", True)
    assert Solution.objects.get().open_standards == ["OSLO", "DCAT-AP"]


def test_export_of_the_lists_imports_back_unchanged(tmp_path, client, market, provider):
    challenge = ChallengeFactory(slug="exported", title="Exported", owners=[market.gent, market.leuven])
    challenge.domains.set([market.mobility])
    solution = SolutionFactory(
        slug="exported-solution", title="Exported solution", organisation=provider, open_standards=["OSLO"]
    )
    solution.references.set([market.gent])
    book = Workbook()
    book.remove(book.active)
    for name, url in (("challenges", "/uitdagingen/"), ("solutions", "/oplossingen/")):
        rows = client.get(url, {"format": "json"}).json()
        sheet = book.create_sheet(name)
        sheet.append(list(rows[0]))
        for item in rows:
            sheet.append([("; ".join(v) if isinstance(v, list) else v) for v in item.values()])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "export.xlsx"
    path.write_bytes(buffer.getvalue())
    result = run(path)
    assert (result["created"], result["updated"], result["unchanged"], result["errors"]) == (0, 0, 2, [])


def test_hostile_files_are_refused_before_parsing(tmp_path, market):
    bomb = tmp_path / "bomb.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook>&a;</workbook>')
    bomb.write_bytes(buffer.getvalue())
    result = run_failing(bomb)
    assert result["refused"] is True and "DOCTYPE" in result["errors"][0]["message"]
    macro = tmp_path / "pitch.xlsm"
    macro.write_bytes(b"PK\x03\x04whatever")
    assert "Macro" in run_failing(macro)["errors"][0]["message"]
    assert not Challenge.objects.exists()


def test_unrecognised_file_is_an_error(tmp_path, market):
    result = run_failing(write_json(tmp_path, {"people": [{"name": "x"}]}))
    assert "recognised header" in result["errors"][0]["message"]


def test_help_is_written_for_newcomers(capsys):
    with pytest.raises(SystemExit):
        call_command("import_market", "--help")
    text = capsys.readouterr().out
    for words in ("challenges", "solutions", "lead_owner", "enterprise number", "--dry-run", "nothing is written", "examples:"):
        assert words in text


def test_text_report_says_what_would_change(tmp_path, market, provider):
    out = io.StringIO()
    call_command("import_market", str(write_json(tmp_path)), "--dry-run", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "challenges row 1: new challenge 'Smart parking'" in text
    assert "3 would be created, 0 would be updated, 0 unchanged, 0 errors." in text
    assert not Challenge.objects.exists()

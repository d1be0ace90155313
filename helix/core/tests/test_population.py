"""`manage.py load_population`: Statbel's population per municipality → population and size class.

The files here are small test inputs in Statbel's layout, written to tmp_path: a handful of rows
for real REFNIS codes of municipalities the test creates. The numbers are made up for the tests
(chosen to fall in each size class), never loaded by the product.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook

from helix.actors.choices import MunicipalitySize
from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.core.loaders import population
from helix.core.management.commands.load_population import Command
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "CD_REFNIS", "TX_DESCR_NL", "TX_DESCR_FR", "CD_DSTR_REFNIS", "TX_ADM_DSTR_DESCR_NL", "TX_ADM_DSTR_DESCR_FR",
    "CD_PROV_REFNIS", "TX_PROV_DESCR_NL", "TX_PROV_DESCR_FR", "CD_RGN_REFNIS", "TX_RGN_DESCR_NL", "TX_RGN_DESCR_FR",
    "CD_SEX", "CD_NATLTY", "TX_NATLTY_NL", "TX_NATLTY_FR", "CD_CIV_STS", "TX_CIV_STS_NL", "TX_CIV_STS_FR", "CD_AGE",
    "MS_POPULATION",
]  # fmt: skip

# Test input: REFNIS -> (name, the MS_POPULATION of each of its rows). Real codes, made-up counts.
ROWS: dict[str, tuple[str, list[int]]] = {
    "44021": ("Gent", [100_000, 90_000, 50_000, 30_000]),  # 270 000, a centrumstad: large
    "13040": ("Turnhout", [26_000, 20_000]),  # 46 000: medium by number, large as a centrumstad
    "46030": ("Beveren-Kruibeke-Zwijndrecht", [40_000, 30_000]),  # 70 000: large
    "41027": ("Herzele", [9_000, 8_000, 1_000]),  # 18 000: medium
    "73028": ("Herstappe", [50, 40]),  # 90: small
}
EXPECTED = {
    "44021": (270_000, MunicipalitySize.LARGE),
    "13040": (46_000, MunicipalitySize.LARGE),
    "46030": (70_000, MunicipalitySize.LARGE),
    "41027": (18_000, MunicipalitySize.MEDIUM),
    "73028": (90, MunicipalitySize.SMALL),
}
NOT_IN_FILE = "11001"  # Aartselaar


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def municipalities() -> dict[str, Organisation]:
    centres = {"44021", "13040"}
    made = {
        refnis: MunicipalityFactory(
            refnis=refnis,
            name=name,
            name_nl=name,
            slug=f"gemeente-test-{refnis}",
            is_centrumstad=refnis in centres,
            municipality_size=MunicipalitySize.LARGE if refnis in centres else "",
        )
        for refnis, (name, _counts) in ROWS.items()
    }
    made[NOT_IN_FILE] = MunicipalityFactory(refnis=NOT_IN_FILE, name="Aartselaar", slug="gemeente-test-11001")
    return made


def statbel_rows(rows: dict[str, tuple[str, list[int]]] = ROWS, *, typed: bool = False) -> list[list[Any]]:
    """Statbel's layout: one row per municipality x sex x nationality x civil status x age."""
    out: list[list[Any]] = [list(HEADER)]
    for refnis, (name, counts) in rows.items():
        for i, count in enumerate(counts):
            sex, nationality, status, age = "FM"[i % 2], ("BEL", "ETR")[i // 2 % 2], 1 + i // 4, 30 + i
            row: list[Any] = [
                refnis, name, name, refnis[:2] + "000", "Arrondissement", "Arrondissement",
                "40000", "Provincie", "Province", "02000", "Vlaams Gewest", "Région flamande",
                sex, nationality, "Belgen", "Belges", str(status), "Ongehuwd", "Célibataire", str(age), str(count),
            ]  # fmt: skip
            if typed:  # as in a workbook: codes and counts are numbers
                row[0], row[16], row[19], row[20] = int(refnis), status, age, count
            out.append(row)
    return out


def write_txt(path: Path, rows: list[list[Any]], *, bom: bool = True) -> Path:
    text = "".join("|".join(str(c) for c in row) + "\r\n" for row in rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "TF_SOC_POP_STRUCT_2025"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("load_population", *args, "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def run_failing(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_population", *args, "--format", "json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def stored() -> dict[str, tuple[int | None, str]]:
    return {o.refnis: (o.population, o.municipality_size) for o in Organisation.objects.filter(refnis__isnull=False)}


def events() -> int:
    return apps.get_model("actors", "OrganisationEvent").objects.count()


def assert_loaded() -> None:
    now = stored()
    for refnis, expected in EXPECTED.items():
        assert now[refnis] == expected, refnis
    assert now[NOT_IN_FILE] == (None, "")


# --- loading --------------------------------------------------------------------------------


def test_statbel_file_sums_rows_per_municipality_and_derives_the_size_class(tmp_path, municipalities):
    path = write_txt(tmp_path / "TF_SOC_POP_STRUCT_2025.txt", statbel_rows())
    result = run(str(path))
    assert_loaded()
    assert (result["layout"], result["year"], result["rows"], result["municipalities_in_file"]) == ("statbel", 2025, 13, 5)
    assert (result["updated"], result["unchanged"], result["unknown_refnis"]) == (5, 0, [])
    assert result["not_in_file"] == [{"refnis": NOT_IN_FILE, "name": "Aartselaar"}]
    assert result["committed"] is True and result["errors"] == []
    turnhout = next(c for c in result["changes"] if c["refnis"] == "13040")
    assert turnhout["population"] == {"old": None, "new": 46_000}
    assert turnhout["municipality_size"] == {"old": "large", "new": "large"}
    # Provenance: the Statbel line is added to the source, the factory's line stays.
    gent = Organisation.objects.get(refnis="44021")
    assert gent.source.splitlines() == ["test", "Population: Statbel, population on 1 January 2025, open data (CC BY 4.0)"]
    assert gent.version == municipalities["44021"].version + 1
    assert Organisation.objects.get(refnis=NOT_IN_FILE).source == "test"


def _txt_with_bom(tmp_path: Path) -> Path:
    return write_txt(tmp_path / "TF_SOC_POP_STRUCT_2025.txt", statbel_rows(), bom=True)


def _txt_without_bom(tmp_path: Path) -> Path:
    return write_txt(tmp_path / "TF_SOC_POP_STRUCT_2025.txt", statbel_rows(), bom=False)


def _zip(tmp_path: Path) -> Path:
    text = write_txt(tmp_path / "inner.txt", statbel_rows()).read_bytes()
    return write_zip(tmp_path / "TF_SOC_POP_STRUCT_2025.zip", {"TF_SOC_POP_STRUCT_2025.txt": text})


def _xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "TF_SOC_POP_STRUCT_2025.xlsx", statbel_rows(typed=True))


def _older_xlsx(tmp_path: Path) -> Path:
    """Older files: CD_MUNTY_REFNIS and a CD_YEAR column; a title-less sheet with text cells."""
    rows = statbel_rows()
    rows[0][0] = "CD_MUNTY_REFNIS"
    rows = [[*row, "CD_YEAR" if i == 0 else "2025"] for i, row in enumerate(rows)]
    return write_xlsx(tmp_path / "bevolking.xlsx", rows)


def _csv(tmp_path: Path) -> Path:
    lines = ["refnis,population"] + [f"{refnis},{sum(counts)}" for refnis, (_name, counts) in ROWS.items()]
    path = tmp_path / "populations.csv"
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _csv_excel(tmp_path: Path) -> Path:
    """A Belgian Excel's 'CSV UTF-8': semicolons, a BOM, empty separator-only lines at the end."""
    lines = ["REFNIS;Population"] + [f"{refnis};{sum(counts)}" for refnis, (_name, counts) in ROWS.items()] + [";", ";"]
    path = tmp_path / "populations.csv"
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [_txt_with_bom, _txt_without_bom, _zip, _xlsx, _older_xlsx, _csv, _csv_excel])
def test_every_accepted_format_loads_the_same_figures(tmp_path, municipalities, make):
    path = make(tmp_path)
    result = run(str(path), "--year", "2025")
    assert_loaded()
    assert result["updated"] == 5 and result["year"] == 2025


@override_settings(HELIX_POPULATION_MAX_DENSE_CELLS=10)
def test_a_workbook_too_large_for_memory_is_streamed(tmp_path, municipalities, monkeypatch):
    def no_calamine(checked: Any) -> Any:
        raise AssertionError("calamine would hold the whole sheet in memory")

    monkeypatch.setattr(population, "_calamine_sheets", no_calamine)
    run(str(_xlsx(tmp_path)))
    assert_loaded()


def test_the_area_a_sheet_spans_counts_its_farthest_cell(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"], sheet["XFD1048576"] = "CD_REFNIS", 1
    workbook.save(tmp_path / "sparse.xlsx")
    with zipfile.ZipFile(tmp_path / "sparse.xlsx") as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert population._sheet_area(archive, info) == 1_048_576 * 16_384
    with zipfile.ZipFile(_xlsx(tmp_path)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert population._sheet_area(archive, info) == (1 + 13) * len(HEADER)


def test_dry_run_reports_the_changes_and_writes_nothing(tmp_path, municipalities):
    before, count = stored(), events()
    result = run(str(_zip(tmp_path)), "--dry-run")
    assert result["dry_run"] is True and result["committed"] is False and result["batch"] is None
    assert result["updated"] == 5
    assert {c["refnis"]: c["population"]["new"] for c in result["changes"]} == {r: p for r, (p, _s) in EXPECTED.items()}
    assert stored() == before and events() == count


def test_a_second_run_changes_nothing_and_records_no_history(tmp_path, municipalities):
    path = _zip(tmp_path)
    first = run(str(path))
    count = events()
    again = run(str(path))
    assert (again["updated"], again["unchanged"], again["batch"], again["committed"]) == (0, 5, None, False)
    assert events() == count
    assert first["committed"] is True
    # The same figures from the workbook: nothing to change either.
    assert run(str(_xlsx(tmp_path)))["updated"] == 0
    assert events() == count


def test_history_records_one_batch_through_the_command_channel(tmp_path, municipalities):
    user = UserFactory(username="curator-pop")
    result = run(str(_zip(tmp_path)), "--user", "curator-pop")
    event_model = apps.get_model("actors", "OrganisationEvent")
    changed = event_model.objects.filter(pgh_obj_id__in=[m.pk for m in municipalities.values()], pgh_context__isnull=False)
    assert changed.count() == 5
    contexts = {e.pgh_context_id for e in changed}
    assert len(contexts) == 1
    metadata = changed.first().pgh_context.metadata
    assert metadata["channel"] == Channel.COMMAND and metadata["batch"] == result["batch"]
    assert metadata["command"] == "load_population" and metadata["year"] == 2025
    assert metadata["user"] == user.pk
    assert {e.population for e in changed} == {p for p, _s in EXPECTED.values()}


def test_a_size_class_a_curator_set_by_hand_is_kept(tmp_path, municipalities):
    herzele = municipalities["41027"]
    with history_context(channel=Channel.WEB):
        herzele.municipality_size = MunicipalitySize.SMALL
        herzele.save()
    result = run(str(_zip(tmp_path)))
    herzele.refresh_from_db()
    assert (herzele.population, herzele.municipality_size) == (18_000, MunicipalitySize.SMALL)
    change = next(c for c in result["changes"] if c["refnis"] == "41027")
    assert change["size_kept"] is True and change["municipality_size"] == {"old": "small", "new": "small"}
    # A population a curator entered is replaced by the official figure.
    with history_context(channel=Channel.WEB):
        herzele.population = 17_500
        herzele.save()
    run(str(_zip(tmp_path)))
    herzele.refresh_from_db()
    assert herzele.population == 18_000


def test_text_summary(tmp_path, municipalities):
    out = io.StringIO()
    call_command("load_population", str(_zip(tmp_path)), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "File TF_SOC_POP_STRUCT_2025.zip: Statbel layout, population on 1 January 2025; 13 rows, 5 municipalities." in text
    assert "Turnhout (13040): population - -> 46,000; size class large" in text
    assert "Herzele (41027): population - -> 18,000; size class - -> medium" in text
    assert "not in the file (left as they are): Aartselaar (11001)" in text
    assert "5 updated, 0 unchanged, 0 unknown REFNIS, 1 not in the file, 0 errors." in text
    assert "History batch: " in text


def test_help_says_where_to_get_the_file_and_what_it_does():
    text = Command().create_parser("manage.py", "load_population").format_help()
    for expected in (
        "statbel.fgov.be",
        "TF_SOC_POP_STRUCT_2025.zip",
        "refnis,population",
        "--dry-run",
        "--year",
        "centrumsteden",
    ):
        assert expected in text, expected


# --- reported and refused -------------------------------------------------------------------


def test_unknown_refnis_codes_are_reported_with_their_rows_and_skipped(tmp_path, municipalities):
    rows = statbel_rows({**ROWS, "44020": ("Oudgemeente", [500, 700])})  # not a municipality in Helix
    path = write_txt(tmp_path / "TF_SOC_POP_STRUCT_2025.txt", rows)
    result = run(str(path))
    assert result["unknown_refnis"] == [{"refnis": "44020", "name": "Oudgemeente", "first_row": 15, "last_row": 16, "rows": 2}]
    assert result["updated"] == 5 and result["committed"] is True
    assert_loaded()
    out = io.StringIO()
    call_command("load_population", str(path), stdout=out)
    assert "REFNIS 44020 'Oudgemeente' (rows 15-16, 2 rows) is not a municipality in Helix; skipped." in out.getvalue()
    assert "0 updated, 5 unchanged, 1 unknown REFNIS" in out.getvalue()


def test_a_file_without_any_known_municipality_is_an_error(tmp_path, municipalities):
    rows = statbel_rows({"44020": ("Oudgemeente", [500]), "44011": ("Oudgemeente 2", [300])})
    result = run_failing(str(write_txt(tmp_path / "old.txt", rows)))
    assert "None of the file's REFNIS codes" in result["errors"][0]["message"]
    assert stored()["44021"] == (None, MunicipalitySize.LARGE)


def test_malformed_rows_are_refused_with_their_row_numbers_and_nothing_changes(tmp_path, municipalities):
    rows = statbel_rows()
    rows[3][20] = "12a"  # row 4 of the file
    rows[5][0] = "4402"  # row 6
    rows[7][20] = "-5"  # row 8
    rows[9][20] = ""  # row 10
    before, count = stored(), events()
    result = run_failing(str(write_txt(tmp_path / "TF_SOC_POP_STRUCT_2025.txt", rows)))
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (4, "MS_POPULATION"),
        (6, "CD_REFNIS"),
        (8, "MS_POPULATION"),
        (10, "MS_POPULATION"),
    ]
    assert "“12a” is not a whole number." in result["errors"][0]["message"]
    assert "“4402” is not a REFNIS code" in result["errors"][1]["message"]
    assert result["committed"] is False and result["error_count"] == 4
    assert stored() == before and events() == count
    err = io.StringIO()
    with pytest.raises(CommandError, match="4 error"):
        call_command("load_population", str(tmp_path / "TF_SOC_POP_STRUCT_2025.txt"), stdout=io.StringIO(), stderr=err)
    assert "error: row 4, MS_POPULATION: “12a” is not a whole number." in err.getvalue()


def test_a_repeated_row_is_an_error(tmp_path, municipalities):
    rows = statbel_rows()
    rows.append(list(rows[2]))  # row 15 repeats row 3: it would be counted twice
    result = run_failing(str(write_txt(tmp_path / "TF_SOC_POP_STRUCT_2025.txt", rows)))
    assert result["errors"] == [{"row": 15, "column": "CD_REFNIS", "message": "This row repeats row 3."}]
    assert stored()["44021"] == (None, MunicipalitySize.LARGE)


def test_a_refnis_listed_twice_in_a_csv_is_an_error(tmp_path, municipalities):
    path = tmp_path / "populations.csv"
    path.write_text("refnis,population\n41027,18000\n73028,90\n41027,17000\n", encoding="utf-8")
    result = run_failing(str(path))
    assert result["errors"] == [{"row": 4, "column": "refnis", "message": "This row repeats row 2."}]


def test_the_year(tmp_path, municipalities):
    rows = [[*row, "CD_YEAR" if i == 0 else "2024"] for i, row in enumerate(statbel_rows())]
    path = write_txt(tmp_path / "TF_SOC_POP_STRUCT_2024.txt", rows)
    result = run_failing(str(path), "--year", "2025")
    assert result["errors"][0]["message"] == "The file holds the year 2024, not 2025."
    mixed = [*rows, [*rows[1][:20], "1", "2023"]]
    result = run_failing(str(write_txt(tmp_path / "mixed.txt", mixed)))
    assert "several years" in result["errors"][0]["message"]
    # A CSV has no year of its own: --year is recorded with the figures.
    run(str(_csv(tmp_path)), "--year", "2025")
    assert Organisation.objects.get(refnis="41027").source.endswith("Population: populations.csv (2025)")
    with pytest.raises(CommandError):
        call_command("load_population", str(_csv(tmp_path)), "--year", "25", stdout=io.StringIO(), stderr=io.StringIO())


def _refused(path: Path) -> str:
    before = stored()
    result = run_failing(str(path))
    assert result["refused"] is True and result["committed"] is False
    assert stored() == before
    return str(result["errors"][0]["message"])


@override_settings(HELIX_POPULATION_MAX_BYTES=200)
def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, municipalities):
    assert "the limit is 200 bytes" in _refused(_txt_with_bom(tmp_path))


@override_settings(HELIX_POPULATION_MAX_ROWS=10)
def test_a_file_with_too_many_rows_is_refused(tmp_path, municipalities):
    assert "more than 10 rows" in _refused(_txt_with_bom(tmp_path))


def test_files_that_are_not_what_their_name_says_are_refused(tmp_path, municipalities):
    text = _txt_with_bom(tmp_path).read_bytes()
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n")
    assert "is not accepted" in _refused(tmp_path / "report.pdf")
    (tmp_path / "a.txt").write_bytes(_zip(tmp_path).read_bytes())
    assert "is a zip archive or a workbook, not text" in _refused(tmp_path / "a.txt")
    (tmp_path / "b.xlsx").write_bytes(text)
    assert "not a zip archive or workbook" in _refused(tmp_path / "b.xlsx")
    (tmp_path / "c.zip").write_bytes(_xlsx(tmp_path).read_bytes())
    assert "it is an Excel workbook" in _refused(tmp_path / "c.zip")
    (tmp_path / "d.xlsx").write_bytes(_zip(tmp_path).read_bytes())
    assert "not an Excel workbook" in _refused(tmp_path / "d.xlsx")
    (tmp_path / "e.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    assert "old .xls" in _refused(tmp_path / "e.xlsx")
    (tmp_path / "f.txt").write_bytes(text[:100] + b"\x00\x01\x02" + text[100:])
    assert "binary content" in _refused(tmp_path / "f.txt")
    (tmp_path / "g.txt").write_bytes(text.decode("utf-8-sig").encode("latin-1"))  # "Région" in Latin-1
    assert "not UTF-8" in _refused(tmp_path / "g.txt")
    (tmp_path / "h.csv").write_text("gemeente,inwoners\nHerzele,18000\n", encoding="utf-8")
    assert "No header row found" in _refused(tmp_path / "h.csv")
    (tmp_path / "i.txt").write_text("", encoding="utf-8")
    assert "empty" in _refused(tmp_path / "i.txt")
    assert "No file at" in _refused(tmp_path / "missing.zip")


def test_archives_must_hold_one_text_file(tmp_path, municipalities):
    text = _txt_with_bom(tmp_path).read_bytes()
    two = write_zip(tmp_path / "two.zip", {"a.txt": text, "b.txt": text})
    assert "exactly one .txt or .csv file; it holds 2" in _refused(two)
    none = write_zip(tmp_path / "none.zip", {"readme.pdf": b"%PDF"})
    assert "it holds 0" in _refused(none)
    binary = write_zip(tmp_path / "binary.zip", {"data.txt": b"PK\x03\x04" + b"\x00" * 100})
    assert "binary content" in _refused(binary)


def test_zip_bombs_are_refused(tmp_path, municipalities):
    bomb = write_zip(tmp_path / "bomb.zip", {"TF_SOC_POP_STRUCT_2025.txt": b"CD_REFNIS|MS_POPULATION\n" + b"\n" * 20_000_000})
    assert bomb.stat().st_size < 100_000
    assert "possible zip bomb" in _refused(bomb)
    with override_settings(HELIX_IMPORT_MAX_ZIP_ENTRIES=1):
        assert "entries" in _refused(write_zip(tmp_path / "many.zip", {"a.txt": b"x", "b.pdf": b"y"}))
    with override_settings(HELIX_POPULATION_MAX_UNCOMPRESSED_BYTES=100):
        assert "unpacks to" in _refused(_zip(tmp_path))
        assert "unpacks to" in _refused(_xlsx(tmp_path))


def test_workbooks_with_macros_or_xml_entities_are_refused(tmp_path, municipalities):
    data = _xlsx(tmp_path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    macros = write_zip(tmp_path / "macros.xlsx", {**parts, "xl/vbaProject.bin": b"\x00" * 64})
    assert "macros" in _refused(macros)
    doctype = b'<!DOCTYPE lol [<!ENTITY lol "lol">]>'
    workbook_xml = parts["xl/workbook.xml"]
    evil = workbook_xml.replace(b"?>", b"?>" + doctype, 1) if workbook_xml.startswith(b"<?xml") else doctype + workbook_xml
    entities = write_zip(tmp_path / "entities.xlsx", {**parts, "xl/workbook.xml": evil})
    assert "DOCTYPE" in _refused(entities)

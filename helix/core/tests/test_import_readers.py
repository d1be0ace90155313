"""The xlsx readers: calamine (fast, dense) and openpyxl's streaming reader (fallback) read alike."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from helix.core.importing import ImportRefused, check_upload, readers

from .import_helpers import merge_down, to_bytes


def _workbook() -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Bedrijven"
    sheet["B2"] = "Inventaris — title row, data does not start in A1"
    sheet.append([])
    for row in (
        [None, "NAAM", "Jaar", "Datum", "Tijdstip", "Actief", "Bedrag", "Groep"],
        [None, "Alfa", 2001, datetime.date(2020, 1, 2), datetime.datetime(2020, 1, 2, 13, 5), True, 1.5, "Eén"],
        [None, "Beta", 2002.0, None, datetime.datetime(2021, 3, 4), False, 150000, None],
        [None, "Gamma", None, None, None, None, None, None],
        [],
        [None, "Delta", "1.000", "31/03/2024", "x", "ja", "150.000,50", "Twee"],
        [None, "Epsilon", None, None, None, None, None, "Drie"],
    ):
        sheet.append(row)
    merge_down(sheet, 8, 5, 7)  # 'Eén' over rows 5-7
    sheet.merge_cells("H10:I10")  # horizontal: 'Drie' also in column I
    hidden = wb.create_sheet("Verborgen")
    hidden["A1"] = "NAAM"
    hidden.sheet_state = "hidden"
    wb.create_sheet("Leeg")
    return to_bytes(wb)


def _grids(grids: object) -> list[tuple[str, list[tuple[int, list[object]]]]]:
    return [(grid.name, grid.rows) for grid in grids]  # type: ignore[attr-defined]


def test_calamine_and_streaming_readers_give_the_same_grids(settings):
    settings.HELIX_IMPORT_MAX_ROWS = 100
    checked = check_upload(_workbook(), name="actoren.xlsx")
    fast = _grids(readers._read_xlsx_calamine(checked))
    streamed = _grids(readers._read_xlsx_streaming(checked))
    assert fast == streamed
    names = [name for name, _rows in fast]
    assert names == ["Bedrijven", "Leeg"]  # hidden sheets are skipped
    rows = dict(fast[0][1])
    assert sorted(rows) == [2, 4, 5, 6, 7, 9, 10]  # Excel's row numbers; empty rows left out
    assert rows[5] == [None, "Alfa", 2001, datetime.date(2020, 1, 2), datetime.datetime(2020, 1, 2, 13, 5), True, 1.5, "Eén"]
    assert rows[6][2] == 2002 and isinstance(rows[6][2], int)  # whole numbers as int, as openpyxl gives them
    assert rows[6][4] == datetime.date(2021, 3, 4)  # midnight datetimes are dates
    assert rows[6][7] == rows[7][7] == "Eén"  # merged down
    assert rows[10][7:] == ["Drie", "Drie"]  # merged across


def test_read_uses_calamine_for_ordinary_workbooks(monkeypatch, settings):
    settings.HELIX_IMPORT_MAX_ROWS = 100
    checked = check_upload(_workbook(), name="actoren.xlsx")

    def refuse(_checked: object) -> None:
        raise AssertionError("the streaming reader was used")

    monkeypatch.setattr(readers, "_read_xlsx_streaming", refuse)
    assert [grid.name for grid in readers.read(checked)] == ["Bedrijven", "Leeg"]


def test_a_sheet_spanning_a_huge_area_is_streamed_not_held_in_memory(monkeypatch, settings):
    """One cell in A1 and one far away: calamine would allocate the whole area (and abort)."""
    settings.HELIX_IMPORT_MAX_ROWS = 100
    wb = Workbook()
    wb.active["A1"] = "NAAM"
    wb.active["XFD1048576"] = "x"
    assert readers._largest_area(to_bytes(wb)) == 1048576 * 16384

    wb = Workbook()
    wb.active["A1"] = "NAAM"
    wb.active["A2"] = "Alfa"
    wb.active["Z300"] = "x"
    checked = check_upload(to_bytes(wb), name="sparse.xlsx")
    assert readers._largest_area(checked.data) == 300 * 26
    monkeypatch.setattr(readers, "MAX_DENSE_CELLS", 1000)

    def refuse(_checked: object) -> None:
        raise AssertionError("calamine was used for a huge area")

    monkeypatch.setattr(readers, "_read_xlsx_calamine", refuse)
    (grid,) = readers.read(checked)
    assert grid.rows[0] == (1, ["NAAM"]) and grid.rows[1] == (2, ["Alfa"])
    assert grid.rows[-1][0] == 300 and grid.rows[-1][1][25] == "x"


def test_a_damaged_workbook_is_refused():
    wb = Workbook()
    wb.active["A1"] = "NAAM"
    source = zipfile.ZipFile(io.BytesIO(to_bytes(wb)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = b"<workbook>not a workbook"  # damaged: no sheets, unclosed
            target.writestr(info, data)
    with pytest.raises(ImportRefused):  # refused by the upload check, before any reader runs
        readers.read(check_upload(buffer.getvalue(), name="broken.xlsx"))

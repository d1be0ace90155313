"""Parse a checked file into grids: one per sheet, each a list of (row number, cell values).

Vertically (or horizontally) merged cells are filled from the merged range's first cell, so a
repeated organisation or programme reaches every row it spans. Row numbers are the ones a
person sees in Excel (1-based; the header and title rows count), or the item number in JSON.

Workbooks are read with calamine (Rust; about 10x faster than openpyxl's streaming reader).
calamine holds a sheet as a dense grid, so a sheet whose cells span a huge area (a tiny file
with one cell in A1 and one in XFD1048576) would exhaust memory: such workbooks are read with
openpyxl's streaming reader instead (`MAX_DENSE_CELLS`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from .guards import CheckedFile, ImportRefused
from .normalise import fold

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAX_DENSE_CELLS = 5_000_000  # a sheet's used area (rows x columns) that calamine may hold in memory
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\sref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')


@dataclass
class Grid:
    name: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def read(checked: CheckedFile) -> list[Grid]:
    """All sheets of the file as grids; ImportRefused when it has too many rows or cannot be read."""
    if checked.format == "xlsx":
        return list(_read_xlsx(checked))
    if checked.format == "csv":
        return [_read_csv(checked)]
    return _read_json(checked)


class _RowCounter:
    def __init__(self) -> None:
        self.limit = int(settings.HELIX_IMPORT_MAX_ROWS)
        self.count = 0

    def add(self) -> None:
        self.count += 1
        if self.count > self.limit:
            raise ImportRefused(_("The file has more than %(limit)s rows. Split it into smaller files.") % {"limit": self.limit})


def _merged_ranges(archive: Any, path: str) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of every merged range in one sheet part."""
    ranges = []
    with archive.open(path.lstrip("/")) as source:
        for _event, element in iterparse(source, events=("end",)):
            if element.tag == f"{SHEET_NS}mergeCell":
                ref = element.get("ref")
                if ref and ":" in ref:
                    ranges.append(range_boundaries(ref))
            elif element.tag == f"{SHEET_NS}row":
                element.clear()
    return ranges


def _cell_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def _read_xlsx(checked: CheckedFile) -> Iterator[Grid]:
    if _largest_area(checked.data) <= MAX_DENSE_CELLS:
        yield from _read_xlsx_calamine(checked)
    else:
        yield from _read_xlsx_streaming(checked)


def _largest_area(data: bytes) -> int:
    """The largest rows x columns area that any XML part's cell references (or dimension) spans."""
    largest = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith(".xml"):
                continue
            xml = archive.read(info)
            if b"sheetData" not in xml:
                continue
            rows = columns = 0
            letters: set[bytes] = set()
            for match in _CELL_REF.finditer(xml):
                letters.add(match.group(1))
                rows = max(rows, int(match.group(2)))
            for ref in _DIMENSION.findall(xml):
                _min_col, _min_row, max_col, max_row = range_boundaries(ref.decode())
                rows, columns = max(rows, max_row or 0), max(columns, max_col or 0)
            if letters:
                columns = max(columns, max(column_index_from_string(letter.decode()) for letter in letters))
            largest = max(largest, rows * columns)
    return largest


def _plain(value: Any) -> Any:
    """calamine's cell value as openpyxl gives it: None when empty, whole numbers as int."""
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    return _cell_value(value)


def calamine_sheets(source: Any) -> Iterator[tuple[str, Any]]:
    """(name, sheet) of every visible sheet of a workbook read by calamine (`source`: a path or
    a binary file object); ImportRefused when calamine cannot read the workbook or a sheet."""
    try:
        if isinstance(source, str | Path):
            opened = CalamineWorkbook.from_path(str(source))
        else:
            opened = CalamineWorkbook.from_filelike(source)
    except Exception as error:  # calamine raises its own kinds of errors on damaged files
        raise ImportRefused(_("The workbook cannot be read: %(error)s") % {"error": error}) from None
    with opened as workbook:
        visible = {meta.name for meta in workbook.sheets_metadata if meta.visible == SheetVisibleEnum.Visible}
        for name in workbook.sheet_names:
            if name not in visible:
                continue
            try:
                sheet = workbook.get_sheet_by_name(name)
            except Exception as error:
                raise ImportRefused(_("The workbook cannot be read: %(error)s") % {"error": error}) from None
            yield name, sheet


def _read_xlsx_calamine(checked: CheckedFile) -> Iterator[Grid]:
    counter = _RowCounter()
    for name, sheet in calamine_sheets(io.BytesIO(checked.data)):
        try:
            values = sheet.to_python(skip_empty_area=False)
        except Exception as error:
            raise ImportRefused(_("The workbook cannot be read: %(error)s") % {"error": error}) from None
        # calamine: ((first row, first column), (last row, last column)), 0-based.
        merged = [(c1 + 1, r1 + 1, c2 + 1, r2 + 1) for (r1, c1), (r2, c2) in sheet.merged_cell_ranges or ()]
        fills: dict[int, list[tuple[int, int, int]]] = {}
        for min_col, min_row, max_col, max_row in merged:
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    if (r, c) != (min_row, min_col):
                        fills.setdefault(r, []).append((c, min_row, min_col))
        grid = Grid(name=str(name))
        for number, raw in enumerate(values, start=1):
            cells = [_plain(v) for v in raw]
            while cells and cells[-1] is None:
                cells.pop()
            for c, origin_row, origin_col in fills.get(number, ()):
                while len(cells) < c:
                    cells.append(None)
                if cells[c - 1] in (None, "") and origin_row <= len(values) and origin_col <= len(values[origin_row - 1]):
                    cells[c - 1] = _plain(values[origin_row - 1][origin_col - 1])
            if any(v not in (None, "") for v in cells):
                counter.add()
                grid.rows.append((number, cells))
        del values
        yield grid


def _read_xlsx_streaming(checked: CheckedFile) -> Iterator[Grid]:
    counter = _RowCounter()
    try:
        workbook = load_workbook(io.BytesIO(checked.data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        raise ImportRefused(_("The workbook cannot be read: %(error)s") % {"error": error}) from None
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            fills: dict[int, list[tuple[int, tuple[int, int]]]] = {}
            sources: set[tuple[int, int]] = set()
            for min_col, min_row, max_col, max_row in _merged_ranges(workbook._archive, sheet._worksheet_path):
                sources.add((min_row, min_col))
                for r in range(min_row, max_row + 1):
                    for c in range(min_col, max_col + 1):
                        if (r, c) != (min_row, min_col):
                            fills.setdefault(r, []).append((c, (min_row, min_col)))
            kept: dict[tuple[int, int], Any] = {}
            grid = Grid(name=str(sheet.title))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell_value(v) for v in values]
                while cells and cells[-1] in (None, ""):
                    cells.pop()
                if sources:
                    for col in range(1, len(cells) + 1):
                        if (number, col) in sources:
                            kept[(number, col)] = cells[col - 1]
                for c, origin in fills.get(number, ()):
                    while len(cells) < c:
                        cells.append(None)
                    if cells[c - 1] in (None, ""):
                        cells[c - 1] = kept.get(origin)
                if any(v not in (None, "") for v in cells):
                    counter.add()
                    grid.rows.append((number, cells))
            yield grid
    finally:
        workbook.close()


def _read_csv(checked: CheckedFile) -> Grid:
    text = checked.data.decode("utf-8-sig")
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    counter = _RowCounter()
    grid = Grid(name="CSV")
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            cells: list[Any] = [_unquote(v) for v in row]
            if any(v.strip() for v in cells):
                counter.add()
                grid.rows.append((number, cells))
    except csv.Error as error:
        raise ImportRefused(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None
    return grid


def _unquote(value: str) -> str:
    """Undo the export's formula guard: "'=x" was written for "=x"."""
    if value.startswith("'") and value[1:].startswith(CSV_FORMULA_PREFIXES):
        return value[1:]
    return value


def _read_json(checked: CheckedFile) -> list[Grid]:
    data = checked.parsed_json
    if isinstance(data, list):
        sheets = {"JSON": data}
    elif isinstance(data, dict) and isinstance(data.get("rows"), list):
        sheets = {str(data.get("sheet") or "JSON"): data["rows"]}
    elif isinstance(data, dict) and all(isinstance(v, list) for v in data.values()):
        sheets = {str(k): v for k, v in data.items()}
    else:
        raise ImportRefused(_('The JSON file must hold a list of objects, {"rows": [...]}, or {"<sheet>": [...], ...}.'))
    counter = _RowCounter()
    grids = []
    for name, items in sheets.items():
        header: list[str] = []
        seen: set[str] = set()
        for item in items:
            if not isinstance(item, dict):
                raise ImportRefused(_("Every item of the JSON list must be an object with column keys."))
            for k in item:
                if k not in seen:
                    seen.add(k)
                    header.append(k)
        grid = Grid(name=name)
        grid.rows.append((0, list(header)))
        for number, item in enumerate(items, start=1):
            counter.add()
            grid.rows.append((number, [item.get(k) for k in header]))
        grids.append(grid)
    return grids


def header_text(value: Any) -> str:
    """A header cell as the folded text used for recognition."""
    return fold(value) if value is not None else ""

"""Tabular export shared by every list: one column spec, three formats (xlsx, csv, json).

A list page and its export use the same `Column` list (see `helix/<app>/tables.py`), so what
is shown and what is downloaded never drift. Machine formats use each column's stable `key` as
header (csv/xlsx header row) or object key (json), so an export can be imported again
unchanged (helix.core.importing reads the same keys).

Spreadsheet safety (OWASP "CSV injection"): a text cell that starts with `= + - @`, a tab or a
carriage return is written as text, never as a formula: xlsx writes a string cell with the
quote-prefix style, csv prefixes the value with a single quote `'`. The importer strips that
quote again, so the round trip stays the identity.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Manager, QuerySet
from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMATS = ("xlsx", "csv", "json")
LIST_SEPARATOR = "; "
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_TEXT_MARKER = "'"

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@dataclass(frozen=True)
class Column:
    """One column of a list and its export.

    key: stable machine name (header of csv/xlsx, key in json; what the importer reads).
    label: human label for pages (translated).
    get: value of the column for one row object.
    export_only: shown in exports but not on list pages (e.g. long descriptions).
    derived: informative column the importer does not write back (e.g. a province derived
    from the municipality, a status derived from dates).
    """

    key: str
    label: str | Promise
    get: Callable[[Any], Any]
    export_only: bool = False
    derived: bool = False


def attr(path: str) -> Callable[[Any], Any]:
    """A getter for a dotted attribute path; None anywhere along the path gives None."""
    parts = path.split(".")

    def get(obj: Any) -> Any:
        for part in parts:
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj

    return get


def related_values(path: str, field: str = "code") -> Callable[[Any], list[Any]]:
    """A getter for a many-to-many relation: the `field` of every related object, in order.

    Reads `.all()` so a `prefetch_related(path)` makes it free of extra queries.
    """

    def get(obj: Any) -> list[Any]:
        manager = getattr(obj, path)
        return sorted(str(getattr(item, field)) for item in manager.all())

    return get


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def _plain(value: Any) -> Any:
    """A value as a scalar: lists joined, lazy strings resolved, enums to their value."""
    if value is None:
        return None
    if isinstance(value, Manager):
        value = list(value.all())
    if isinstance(value, (list, tuple, set, frozenset, QuerySet)):
        return LIST_SEPARATOR.join(force_str(v) for v in value if v is not None and v != "")
    if isinstance(value, Promise):
        return force_str(value)
    if isinstance(value, str) and type(value) is not str:  # TextChoices members
        return str(getattr(value, "value", value))
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date | str):
        return value
    return force_str(value)


def csv_cell(value: Any) -> str:
    """The text of one CSV cell."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and is_formula_like(text):
        return CSV_TEXT_MARKER + text
    return text


def json_value(value: Any) -> Any:
    """A JSON-ready value: lists stay arrays, decimals become strings (no float rounding)."""
    if value is None:
        return None
    if isinstance(value, Manager):
        value = list(value.all())
    if isinstance(value, (list, tuple, set, frozenset, QuerySet)):
        return [json_value(v) for v in value]
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and hasattr(value, "value"):
        return str(value.value)
    return force_str(value)


def write_csv(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads the accents), header row of column keys."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([csv_cell(c.get(row)) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", force_str(title)).strip().strip("'")
    return (cleaned or "Sheet")[:31]


def _xlsx_cell(ws: Any, value: Any) -> WriteOnlyCell:
    value = _plain(value)
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and is_formula_like(value):
        # Text, never a formula; quotePrefix keeps it text if someone edits the cell in Excel.
        cell.data_type = "s"
        cell.quotePrefix = True
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def write_xlsx(columns: Sequence[Column], rows: Iterable[Any], *, sheet_title: str) -> bytes:
    """One sheet: a bold header row of column keys, then one row per object (streamed)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.key)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, c.get(row)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_json(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    """A JSON array with one object per row, keyed by column keys."""
    data = [{c.key: json_value(c.get(row)) for c in columns} for row in rows]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def export_response(fmt: str, columns: Sequence[Column], rows: Iterable[Any], *, filename: str) -> HttpResponse:
    """A download of `rows` in `fmt` (xlsx, csv or json); ValueError for any other format."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-.") or "export"
    if base.lower().endswith(f".{fmt}"):
        base = base[: -len(fmt) - 1]
    if fmt == "xlsx":
        body = write_xlsx(columns, rows, sheet_title=base)
    elif fmt == "csv":
        body = write_csv(columns, rows)
    else:
        body = write_json(columns, rows)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{base}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

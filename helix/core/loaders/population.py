"""Population per municipality from Statbel's open data, and the size class derived from it.

Statbel publishes the population on 1 January of each year as "Bevolking naar woonplaats,
nationaliteit, burgerlijke staat, leeftijd en geslacht" (files `TF_SOC_POP_STRUCT_<year>`: a
`.zip` holding a pipe-separated UTF-8 `.txt`, or an `.xlsx`). It has one row per municipality x
sex x nationality x civil status x age; a municipality's population is the sum of `MS_POPULATION`
over its rows (`CD_REFNIS`, `CD_MUNTY_REFNIS` in older files). A plain CSV with the header
`refnis,population` (one row per municipality) is accepted too. Layout: docs/import-formats.md.

Three steps, the first two without touching the database:

1. `check_population_file` refuses a file before it is parsed: an extension that is not .txt,
   .csv, .xlsx or .zip, content that does not match the extension (magic bytes), oversized
   files, zip bombs (entry count, unpacked size, compression ratio, encrypted entries), macros
   and XML with DOCTYPE/ENTITY declarations in workbooks (the guards of `helix.core.importing`).
2. `read_population_file` streams the rows (the real file has several hundred thousand) and sums
   them per REFNIS code; every row that is not a REFNIS code and a whole number is an error
   with its row number, and so is a row that repeats another one.
3. `load_population` matches the codes to Helix's municipalities (codes unknown to Helix are
   reported with their rows and skipped) and, when the file has no error, writes in one
   transaction under one history batch (channel `command`): the population (the file's official
   figure replaces the stored one), the size class derived by `derive_size_class` (a class a
   curator set by hand is kept) and a provenance line in `source`. Unchanged municipalities are
   not written at all, so a second run records no history.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.history import Channel, history_context

# The guards of the import pipeline, reused with this file's own size limits (the Statbel file is
# larger than any inventory workbook).
from helix.core.importing.guards import (
    _MACRO_NAMES,
    _RATIO_MIN_BYTES,
    MAX_COMPRESSION_RATIO,
    OLE_MAGIC,
    ZIP_MAGIC,
    ImportRefused,
    _scan_xml,
)
from helix.core.importing.normalise import key
from helix.core.importing.readers import calamine_sheets

from .base import Loader, merge_source_line
from .reference import derive_size_class

# Limits; each can be overridden by a Django setting of the same name. Statbel's yearly file has
# roughly half a million rows: about 10 MB zipped, some 100 MB as text.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # HELIX_POPULATION_MAX_BYTES: the file as given
DEFAULT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # HELIX_POPULATION_MAX_UNCOMPRESSED_BYTES: a .zip/.xlsx unpacked
DEFAULT_MAX_ROWS = 2_000_000  # HELIX_POPULATION_MAX_ROWS: data rows
DEFAULT_MAX_DENSE_CELLS = 12_000_000  # HELIX_POPULATION_MAX_DENSE_CELLS: a sheet calamine may hold in memory
MAX_LISTED_ERRORS = 50  # errors listed in the report; all are counted
MAX_POPULATION = 2_147_483_647  # the column's upper bound (PostgreSQL integer)

EXTENSIONS = (".txt", ".csv", ".xlsx", ".zip")
STATBEL_REFNIS = ("cd refnis", "cd munty refnis")
STATBEL_COUNT = "ms population"
STATBEL_NAME = ("tx descr nl", "tx munty descr nl", "tx descr fr", "tx munty descr fr")
# One row per combination of these (those the file has): a second row with the same values is an error.
STATBEL_DIMENSIONS = ("cd year", "cd sex", "cd natlty", "cd civ sts", "cd age")
STATBEL_YEAR = "cd year"
SIMPLE_REFNIS, SIMPLE_COUNT = "refnis", "population"
DELIMITERS = ("|", ";", ",", "\t")
SOURCE_PREFIX = "Population:"
_REFNIS = re.compile(r"[1-9][0-9]{4}")
_YEAR_IN_NAME = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_SNIFF_BYTES = 8192
# Worksheet XML: row numbers (r="12"); see _columns_beyond for cell references (r="AB12"). Literal
# prefixes keep the scan fast; a reference written with a character reference (r="&#88;..") makes
# the sheet count as huge.
_ROW_REF = re.compile(rb'r="([0-9]{1,7})"')


class Layout:
    STATBEL = "statbel"
    SIMPLE = "refnis,population"


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- 1. checks before parsing ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckedPopulationFile:
    path: Path
    name: str
    format: str  # txt, csv, xlsx or zip
    member: str = ""  # for a .zip: the .txt/.csv inside it


def check_population_file(path: Path) -> CheckedPopulationFile:
    """Refuse (ImportRefused) a file that is missing, too large, of another type than its
    extension says, or unsafe; nothing is parsed."""
    name = path.name
    if not path.is_file():
        raise ImportRefused(_("No file at %(path)s.") % {"path": path})
    extension = path.suffix.lower()
    if extension not in EXTENSIONS:
        raise ImportRefused(
            _(
                "%(name)s is not accepted. Accepted: Statbel's file as .zip, .txt or .xlsx, "
                "or a .csv file with the columns refnis,population."
            )
            % {"name": name}
        )
    size, max_bytes = path.stat().st_size, _limit("HELIX_POPULATION_MAX_BYTES", DEFAULT_MAX_BYTES)
    if size > max_bytes:
        raise ImportRefused(_("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {"size": size, "limit": max_bytes})
    if size == 0:
        raise ImportRefused(_("The file is empty."))
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        if head.startswith(OLE_MAGIC):
            raise ImportRefused(
                _(
                    "This is a password-protected (encrypted) workbook or an old .xls file. "
                    "Remove the password and save it as .xlsx, or export it as CSV."
                )
            )
        if extension in (".txt", ".csv"):
            if head.startswith(ZIP_MAGIC):
                raise ImportRefused(
                    _("The file is called %(name)s but it is a zip archive or a workbook, not text.") % {"name": name}
                )
            _check_text_head(head, name=name)
            return CheckedPopulationFile(path=path, name=name, format=extension[1:])
        if not head.startswith(ZIP_MAGIC):
            raise ImportRefused(
                _("The file is called %(name)s but its content is not a zip archive or workbook.") % {"name": name}
            )
        try:
            archive = zipfile.ZipFile(handle)
            infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise ImportRefused(_("The archive is damaged (not a valid zip container): %(error)s") % {"error": error}) from None
        with archive:
            _check_archive(infos)
            names = {info.filename.lower(): info for info in infos}
            is_workbook = "[content_types].xml" in names and "xl/workbook.xml" in names
            if extension == ".xlsx":
                if not is_workbook:
                    raise ImportRefused(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
                _check_workbook(archive, infos)
                return CheckedPopulationFile(path=path, name=name, format="xlsx")
            if is_workbook:
                raise ImportRefused(
                    _("The file is called %(name)s but it is an Excel workbook: rename it to .xlsx.") % {"name": name}
                )
            data = [
                info
                for info in infos
                if not info.is_dir()
                and not info.filename.startswith("__MACOSX/")
                and info.filename.lower().endswith((".txt", ".csv"))
            ]
            if len(data) != 1:
                raise ImportRefused(
                    _("The archive must hold exactly one .txt or .csv file; it holds %(count)s.") % {"count": len(data)}
                )
            with archive.open(data[0]) as member:
                _check_text_head(member.read(_SNIFF_BYTES), name=data[0].filename)
            return CheckedPopulationFile(path=path, name=name, format="zip", member=data[0].filename)


def _check_text_head(head: bytes, *, name: str) -> None:
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)) or b"\x00" in head:
        raise ImportRefused(_("%(name)s is not a text file (binary content).") % {"name": name})


def _check_archive(infos: list[zipfile.ZipInfo]) -> None:
    """Zip bombs and encrypted entries, as the import guards check workbooks."""
    max_entries = _limit("HELIX_IMPORT_MAX_ZIP_ENTRIES", 2000)
    if len(infos) > max_entries:
        raise ImportRefused(
            _("The archive holds %(count)s entries; at most %(limit)s are accepted (possible zip bomb).")
            % {"count": len(infos), "limit": max_entries}
        )
    max_uncompressed = _limit("HELIX_POPULATION_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed:
        raise ImportRefused(
            _("The archive unpacks to %(size)s bytes; at most %(limit)s are accepted (possible zip bomb).")
            % {"size": total, "limit": max_uncompressed}
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportRefused(_("The archive is password-protected. Remove the password and try again."))
        if info.file_size >= _RATIO_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise ImportRefused(
                _("Entry %(part)s of the archive is compressed %(ratio)s times (possible zip bomb).")
                % {"part": info.filename, "ratio": info.file_size // max(info.compress_size, 1)}
            )


def _check_workbook(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Macros and XML parts with DOCTYPE/ENTITY declarations or damaged XML (the import guards)."""
    for info in infos:
        if info.filename.lower().rsplit("/", 1)[-1] in _MACRO_NAMES:
            raise ImportRefused(_("The workbook contains macros. Save it as .xlsx (without macros) and try again."))
    content_types = b""
    for info in infos:
        if info.filename.lower() == "[content_types].xml":
            with archive.open(info) as part:  # a few kB in a real workbook
                content_types = part.read(1024 * 1024).lower()
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise ImportRefused(_("The workbook contains macros. Save it as .xlsx (without macros) and try again."))
    budget = _limit("HELIX_POPULATION_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            budget = _scan_xml(archive, info, budget)


# --- 2. reading and summing (no database) ----------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else ""
        if self.column:
            where = f"{where}, {self.column}" if where else self.column
        return f"{where}: {self.message}" if where else self.message

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column or None, "message": self.message}


@dataclass
class PopulationFile:
    """What a file says, before it is matched to Helix's municipalities."""

    name: str
    format: str
    layout: str = ""
    year: int | None = None
    rows: int = 0  # data rows read
    totals: dict[str, int] = field(default_factory=dict)  # REFNIS -> population
    first_row: dict[str, int] = field(default_factory=dict)
    last_row: dict[str, int] = field(default_factory=dict)
    row_count: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # REFNIS -> name in the file (Statbel)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)

    def error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(RowError(row, column, message))

    @property
    def source_line(self) -> str:
        """The provenance line added to each municipality's `source`."""
        if self.layout == Layout.STATBEL:
            when = f"population on 1 January {self.year}, " if self.year else ""
            return f"{SOURCE_PREFIX} Statbel, {when}open data (CC BY 4.0)"
        return f"{SOURCE_PREFIX} {self.name}" + (f" ({self.year})" if self.year else "")


def read_population_file(checked: CheckedPopulationFile, *, year: int | None = None) -> PopulationFile:
    """Sum the file's rows per REFNIS code; ImportRefused when it cannot be read at all.
    Row problems are collected in `errors` (with row numbers), the file is read to its end."""
    result = PopulationFile(name=checked.name, format=checked.format)
    rows = _xlsx_rows(checked) if checked.format == "xlsx" else _text_rows(checked)
    _sum_rows(rows, result)
    _settle_year(result, checked, year)
    if not result.error_count and not result.totals:
        raise ImportRefused(_("The file has a header row but no data rows."))
    return result


def _settle_year(result: PopulationFile, checked: CheckedPopulationFile, year: int | None) -> None:
    in_names = {int(y) for n in (checked.name, checked.member) for y in _YEAR_IN_NAME.findall(n)}
    named = in_names.pop() if len(in_names) == 1 else None
    stated = result.year  # from the file's CD_YEAR column
    if year is not None:
        if stated is not None and stated != year:
            result.error(None, "CD_YEAR", _("The file holds the year %(file)s, not %(year)s.") % {"file": stated, "year": year})
        elif stated is None and named is not None and named != year:
            result.warnings.append(
                _("The file name says %(file)s; the year %(year)s given with --year is used.") % {"file": named, "year": year}
            )
        result.year = year
    elif stated is None:
        result.year = named


class _Budget(io.RawIOBase):
    """Counts the bytes really read from a zip entry (declared sizes can lie)."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self._raw, self._limit, self.count = raw, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        self.count += len(data)
        if self.count > self._limit:
            raise ImportRefused(_("The archive unpacks to more than the accepted size (possible zip bomb)."))
        buffer[: len(data)] = data
        return len(data)


def _text_rows(checked: CheckedPopulationFile) -> Iterator[tuple[int, list[Any]]]:
    """(line number, cells) of every non-empty line; the delimiter is the header line's."""
    with checked.path.open("rb") as handle:
        if checked.format == "zip":
            with zipfile.ZipFile(handle) as archive, archive.open(checked.member) as member:
                limit = _limit("HELIX_POPULATION_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
                yield from _parse_text(io.BufferedReader(_Budget(member, limit)))
        else:
            yield from _parse_text(handle)


def _parse_text(binary: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader: Any = None
    try:
        leading: list[str] = []
        for line in text:
            leading.append(line)
            if line.strip():
                break
        header = leading[-1] if leading else ""
        delimiter = max(DELIMITERS, key=header.count)
        reader = csv.reader(itertools.chain(leading, text), delimiter=delimiter)
        for cells in reader:
            if "".join(cells).strip():
                yield reader.line_num, cells
    except UnicodeDecodeError:
        at = reader.line_num + 1 if reader is not None else 1
        raise ImportRefused(
            _("The file is not UTF-8 text (near line %(line)s). Save it as UTF-8 (Excel: 'CSV UTF-8').") % {"line": at}
        ) from None
    except csv.Error as error:
        at = reader.line_num if reader is not None else 1
        raise ImportRefused(_("Line %(line)s cannot be read: %(error)s") % {"line": at, "error": error}) from None
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise ImportRefused(_("The archive is damaged: %(error)s") % {"error": error}) from None
    finally:
        text.detach()


def _xlsx_rows(checked: CheckedPopulationFile) -> Iterator[tuple[int, list[Any]]]:
    """(Excel row number, cells) of the non-empty rows of the first visible sheet whose first
    non-empty row names the columns. python-calamine (fast, holds a sheet in memory: about 90
    bytes a cell) unless a sheet spans more than HELIX_POPULATION_MAX_DENSE_CELLS, then
    openpyxl's streaming reader (little memory, some 20 times slower)."""
    with zipfile.ZipFile(checked.path) as archive:
        area = max((_sheet_area(archive, info) for info in archive.infolist()), default=0)
    if area <= _limit("HELIX_POPULATION_MAX_DENSE_CELLS", DEFAULT_MAX_DENSE_CELLS):
        sheets = _calamine_sheets(checked)
    else:
        sheets = _openpyxl_sheets(checked)
    try:
        for sheet in sheets:
            rows = ((number, cells) for number, cells in sheet if any(v not in (None, "") for v in cells))
            first = next(rows, None)
            if first is None or _layout([_text(v) for v in first[1]])[0] is None:
                continue
            yield first
            yield from rows
            return
        raise ImportRefused(_header_message())
    except ImportRefused:
        raise
    except Exception as error:  # calamine and openpyxl raise many kinds of errors on damaged parts
        raise ImportRefused(_("The workbook cannot be read: %(error)s") % {"error": error}) from None
    finally:
        sheets.close()


def _sheet_area(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Rows x columns that a worksheet part's row and cell references span, read in chunks
    (a tiny sheet with cells in A1 and XFD1048576 would otherwise become a huge dense grid)."""
    name = info.filename.lower()
    if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
        return 0
    numbered, tags, letters, tail = 0, 0, b"A", b""
    beyond = _columns_beyond(letters)
    with archive.open(info) as part:
        while chunk := part.read(1024 * 1024):
            data = tail + chunk
            tags += chunk.count(b"<row") + chunk.count(b":row")  # rows without a number (positional)
            if b'r="&' in data:
                return sys.maxsize
            numbered = max(numbered, *(int(r) for r in _ROW_REF.findall(data)))
            if beyond.search(data):  # only a column right of the widest so far is collected
                letters = max(letters, *set(beyond.findall(data)), key=lambda c: (len(c), c))
                beyond = _columns_beyond(letters)
            tail = data[-64:]
    return max(numbered, tags) * column_index_from_string(letters.decode())


def _columns_beyond(letters: bytes) -> re.Pattern[bytes]:
    """Cell references (r="..") whose column may lie right of column `letters`."""
    if len(letters) == 1 and letters < b"Z":
        return re.compile(rb'r="([' + bytes([letters[0] + 1]) + rb"-Z]|[A-Z]{2,3})[0-9]")
    return re.compile(rb'r="([A-Z]{%d,3})[0-9]' % len(letters))


def _calamine_sheets(checked: CheckedPopulationFile) -> Generator[Iterator[tuple[int, list[Any]]], None, None]:
    for _name, sheet in calamine_sheets(checked.path):
        top = sheet.start[0] if sheet.start else 0
        yield ((top + i, [None if v == "" else v for v in row]) for i, row in enumerate(sheet.iter_rows(), start=1))
        del sheet


def _openpyxl_sheets(checked: CheckedPopulationFile) -> Generator[Iterator[tuple[int, list[Any]]], None, None]:
    try:
        workbook = load_workbook(checked.path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds of errors on damaged files
        raise ImportRefused(_("The workbook cannot be read: %(error)s") % {"error": error}) from None
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") == "visible":
                yield ((i, list(values)) for i, values in enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _header_message() -> str:
    return _(
        "No header row found. Statbel's file starts with the column names (CD_REFNIS or CD_MUNTY_REFNIS, "
        "MS_POPULATION, ...); a CSV file must start with the header refnis,population."
    )


def _layout(header: list[str]) -> tuple[str | None, dict[str, int]]:
    """The layout a header row names, and the index of each column it has (by folded name)."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        columns.setdefault(key(cell), index)
    if STATBEL_COUNT in columns and any(c in columns for c in STATBEL_REFNIS):
        return Layout.STATBEL, columns
    if SIMPLE_REFNIS in columns and SIMPLE_COUNT in columns:
        return Layout.SIMPLE, columns
    return None, columns


def _sum_rows(rows: Iterator[tuple[int, list[Any]]], result: PopulationFile) -> None:
    first = next(rows, None)
    if first is None:
        raise ImportRefused(_("The file has no rows."))
    header = [_text(v) for v in first[1]]
    layout, columns = _layout(header)
    if layout is None:
        raise ImportRefused(_header_message())
    result.layout = layout
    if layout == Layout.STATBEL:
        refnis_at = columns[next(c for c in STATBEL_REFNIS if c in columns)]
        count_at = columns[STATBEL_COUNT]
        name_at = next((columns[c] for c in STATBEL_NAME if c in columns), None)
        dimensions = [columns[c] for c in STATBEL_DIMENSIONS if c in columns]
        year_at = columns.get(STATBEL_YEAR)
    else:
        refnis_at, count_at, name_at, dimensions, year_at = columns[SIMPLE_REFNIS], columns[SIMPLE_COUNT], None, [], None
    refnis_label, count_label = header[refnis_at], header[count_at]
    max_rows = _limit("HELIX_POPULATION_MAX_ROWS", DEFAULT_MAX_ROWS)
    # A row's identity (REFNIS code and the values of its dimensions) packed into one integer:
    # compact enough for the half a million rows of the real file.
    codes: list[tuple[int, dict[Any, int]]] = [(index, {}) for index in dimensions]
    base = max_rows + 2
    seen: dict[int, int] = {}
    years: dict[int | None, int] = {}
    used = [refnis_at, count_at, *dimensions, *(i for i in (name_at, year_at) if i is not None)]
    width = max(used) + 1
    totals, first_row, last_row, row_count = result.totals, result.first_row, result.last_row, result.row_count
    # The loop runs once per row of a file of half a million rows: plain text cells take the
    # short paths; typed or odd cells go through _refnis/_count.
    for number, cells in rows:
        result.rows += 1
        if result.rows > max_rows:
            raise ImportRefused(_("The file has more than %(limit)s rows.") % {"limit": max_rows})
        if len(cells) < width:
            cells = [*cells, *([None] * (width - len(cells)))]
        cell = cells[refnis_at]
        fast = cell.__class__ is str and len(cell) == 5 and cell.isascii() and cell.isdigit() and cell[0] != "0"
        refnis = cell if fast else _refnis(cell)
        if refnis is None:
            result.error(number, refnis_label, _("“%(value)s” is not a REFNIS code (5 digits).") % {"value": _text(cell)})
        cell = cells[count_at]
        count = int(cell) if cell.__class__ is str and cell.isascii() and cell.isdigit() else _count(cell)
        if count is None:
            result.error(number, count_label, _("“%(value)s” is not a whole number.") % {"value": _text(cell)})
        if year_at is not None:
            years.setdefault(_count(cells[year_at]), number)
        if refnis is None or count is None:
            continue
        identity = int(refnis)
        for index, values in codes:
            identity = identity * base + values.setdefault(cells[index], len(values))
        repeated = seen.setdefault(identity, number)
        if repeated != number:
            result.error(number, refnis_label, _("This row repeats row %(row)s.") % {"row": repeated})
            continue
        total = totals.get(refnis, 0) + count
        if total > MAX_POPULATION:
            result.error(number, count_label, _("The population of %(refnis)s is implausibly large.") % {"refnis": refnis})
            continue
        if refnis not in totals:
            first_row[refnis], row_count[refnis] = number, 0
            if name_at is not None:
                result.names[refnis] = _text(cells[name_at])
        totals[refnis] = total
        last_row[refnis] = number
        row_count[refnis] += 1
    if len(years) > 1 or None in years:
        listed = ", ".join(f"{y or '?'} (row {r})" for y, r in sorted(years.items(), key=lambda item: item[1])[:5])
        result.error(
            None,
            header[year_at or 0],
            _("The file holds several years or no valid year: %(years)s. Load one year.") % {"years": listed},
        )
    elif years:
        (result.year,) = years


def _refnis(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:05d}" if isinstance(value, int) else _text(value)
    return text if _REFNIS.fullmatch(text) else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value >= 0 else None
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() else None


# --- 3. matching and writing -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    refnis: str
    name: str
    old_population: int | None
    new_population: int
    old_size: str
    new_size: str
    size_kept: bool = False  # the size class a curator set by hand was kept


@dataclass(frozen=True)
class Unknown:
    refnis: str
    name: str
    first_row: int
    last_row: int
    rows: int


@dataclass
class PopulationReport:
    file: PopulationFile
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    kept: list[Change] = field(default_factory=list)  # unchanged population, curator's size class kept
    unknown: list[Unknown] = field(default_factory=list)
    not_in_file: list[tuple[str, str]] = field(default_factory=list)  # (REFNIS, name)
    batch: str | None = None

    @property
    def committed(self) -> bool:
        return self.batch is not None

    def as_json(self) -> dict[str, Any]:
        f = self.file
        return {
            "file": f.name,
            "format": f.format,
            "layout": f.layout,
            "year": f.year,
            "rows": f.rows,
            "municipalities_in_file": len(f.totals),
            "updated": len(self.changes),
            "unchanged": self.unchanged,
            "unknown_refnis": [
                {"refnis": u.refnis, "name": u.name, "first_row": u.first_row, "last_row": u.last_row, "rows": u.rows}
                for u in self.unknown
            ],
            "not_in_file": [{"refnis": r, "name": n} for r, n in self.not_in_file],
            "changes": [
                {
                    "refnis": c.refnis,
                    "name": c.name,
                    "population": {"old": c.old_population, "new": c.new_population},
                    "municipality_size": {"old": c.old_size, "new": c.new_size},
                    "size_kept": c.size_kept,
                }
                for c in self.changes
            ],
            "size_classes_kept": [{"refnis": c.refnis, "name": c.name, "municipality_size": c.old_size} for c in self.kept],
            "errors": [e.as_json() for e in f.errors],
            "error_count": f.error_count,
            "warnings": list(f.warnings),
            "dry_run": self.dry_run,
            "committed": self.committed,
            "batch": self.batch,
            "refused": False,
        }


def load_population(path: Path | str, *, year: int | None = None, dry_run: bool = False, user: Any = None) -> PopulationReport:
    """Check, read and (without errors and unless `dry_run`) write the populations.

    ImportRefused when the file is refused as a whole; row errors are in `report.file.errors`
    and then nothing is written."""
    checked = check_population_file(Path(path))
    population_file = read_population_file(checked, year=year)
    report = PopulationReport(file=population_file, dry_run=dry_run)
    if population_file.error_count:
        return report
    meta: dict[str, Any] = {"command": "load_population", "file": population_file.name, "year": population_file.year}
    with history_context(channel=Channel.COMMAND, user=user, **meta) as batch, transaction.atomic():
        municipalities = list(
            Organisation.objects.select_for_update()
            .filter(kind=OrganisationKind.MUNICIPALITY, refnis__isnull=False)
            .order_by("refnis")
        )
        known = {m.refnis for m in municipalities}
        report.unknown = [
            Unknown(
                refnis=code,
                name=population_file.names.get(code, ""),
                first_row=population_file.first_row[code],
                last_row=population_file.last_row[code],
                rows=population_file.row_count[code],
            )
            for code in sorted(population_file.totals, key=population_file.first_row.__getitem__)
            if code not in known
        ]
        if len(report.unknown) == len(population_file.totals):
            population_file.error(
                None,
                "",
                _(
                    "None of the file's REFNIS codes is a municipality in Helix. Load the reference data first "
                    "(manage.py load_reference) and check the file."
                ),
            )
            return report
        loader = Loader()  # for the fields curators changed by hand
        merge_source = merge_source_line(population_file.source_line, SOURCE_PREFIX)
        for municipality in municipalities:
            assert municipality.refnis is not None
            count = population_file.totals.get(municipality.refnis)
            if count is None:
                if municipality.archived_at is None:
                    report.not_in_file.append((municipality.refnis, municipality.name))
                continue
            _apply(municipality, count, loader, merge_source, report, write=not dry_run)
        if report.changes and not dry_run:
            report.batch = batch
    return report


def _apply(
    municipality: Organisation, count: int, loader: Loader, merge_source: Any, report: PopulationReport, *, write: bool
) -> None:
    old_population, old_size = municipality.population, municipality.municipality_size
    derived = derive_size_class(population=count, is_centrumstad=municipality.is_centrumstad)
    size_kept = derived != old_size and bool(old_size) and "municipality_size" in loader.curated(Organisation, municipality.pk)
    new_size = old_size if size_kept else derived
    source = merge_source(municipality.source)
    assert municipality.refnis is not None
    change = Change(municipality.refnis, municipality.name, old_population, count, old_size, new_size, size_kept)
    if (old_population, old_size, municipality.source) == (count, new_size, source):
        report.unchanged += 1
        if size_kept:
            report.kept.append(change)
        return
    report.changes.append(change)
    if not write:
        return
    municipality.population, municipality.municipality_size, municipality.source = count, new_size, source
    municipality.updated_at = timezone.now()
    municipality.version += 1
    municipality.save(update_fields=["population", "municipality_size", "source", "updated_at", "version"])

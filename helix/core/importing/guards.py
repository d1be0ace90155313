"""Checks every uploaded file passes BEFORE it is parsed.

The type is decided by the content, never by the name: an xlsx is a zip with
`[Content_Types].xml` and `xl/workbook.xml`; csv is UTF-8 text; json is UTF-8 text that parses
as JSON. Refused, with a message that says what to fix: oversized files, password-protected or
legacy (OLE compound) workbooks, macro-enabled workbooks, zip bombs (uncompressed size, entry
count, compression ratio), XML parts with a DOCTYPE or ENTITY declaration, binary content.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAX_COMPRESSION_RATIO = 200  # per entry; ordinary xlsx parts stay far below (≈ 10-50)
_RATIO_MIN_BYTES = 1024 * 1024  # tiny entries may compress extremely well; only large ones count
_XML_DANGER = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MACRO_NAMES = ("vbaproject.bin", "vbaprojectsignature.bin", "vbadata.xml")
_READ_CHUNK = 64 * 1024


class ImportRefused(Exception):
    """The file is refused before parsing; the message says what to fix."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    format: str  # xlsx, csv or json
    data: bytes
    parsed_json: Any = None


def _limit(name: str) -> int:
    return int(getattr(settings, name))


def check_upload(data: bytes, *, name: str) -> CheckedFile:
    """Decide the type of `data` by its content and refuse anything unsafe (ImportRefused)."""
    max_bytes = _limit("HELIX_IMPORT_MAX_BYTES")
    if len(data) > max_bytes:
        raise ImportRefused(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes. Split it into smaller files.")
            % {"size": len(data), "limit": max_bytes}
        )
    if not data.strip():
        raise ImportRefused(_("The file is empty."))
    lower = name.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        raise ImportRefused(_("Macro-enabled workbooks are refused. Save the workbook as .xlsx (without macros)."))
    if data.startswith(OLE_MAGIC):
        raise ImportRefused(
            _(
                "This is a password-protected (encrypted) workbook or an old .xls file. "
                "Remove the password and save it as .xlsx, or export it as CSV."
            )
        )
    if data.startswith(ZIP_MAGIC):
        _check_xlsx(data)
        return CheckedFile(name=name, format="xlsx", data=data)
    if lower.endswith((".xlsx", ".xls")):
        raise ImportRefused(
            _("The file is called %(name)s but its content is not an Excel workbook. Save it again as .xlsx.") % {"name": name}
        )
    return _check_text(data, name=name)


def _check_xlsx(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ImportRefused(_("The workbook is damaged (not a valid zip container): %(error)s") % {"error": error}) from None
    max_entries = _limit("HELIX_IMPORT_MAX_ZIP_ENTRIES")
    if len(infos) > max_entries:
        raise ImportRefused(
            _("The workbook holds %(count)s parts; at most %(limit)s are accepted (possible zip bomb).")
            % {"count": len(infos), "limit": max_entries}
        )
    max_uncompressed = _limit("HELIX_IMPORT_MAX_UNCOMPRESSED_BYTES")
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed:
        raise ImportRefused(
            _("The workbook unpacks to %(size)s bytes; at most %(limit)s are accepted (possible zip bomb).")
            % {"size": total, "limit": max_uncompressed}
        )
    names = {info.filename.lower(): info for info in infos}
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportRefused(_("The workbook is password-protected. Remove the password and save it again."))
        if info.filename.lower().rsplit("/", 1)[-1] in _MACRO_NAMES:
            raise ImportRefused(_("The workbook contains macros. Save it as .xlsx (without macros) and try again."))
        if info.file_size >= _RATIO_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise ImportRefused(
                _("Part %(part)s of the workbook is compressed %(ratio)s times (possible zip bomb).")
                % {"part": info.filename, "ratio": info.file_size // max(info.compress_size, 1)}
            )
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    budget = max_uncompressed
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        budget = _scan_xml(archive, info, budget)
    content_types = archive.read(names["[content_types].xml"]).lower()
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise ImportRefused(_("The workbook contains macros. Save it as .xlsx (without macros) and try again."))


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> int:
    """Refuse DOCTYPE/ENTITY declarations and XML that is not well-formed (e.g. cut off part-way);
    count what is really unpacked (sizes can lie). The expat parser only ever sees chunks that
    passed the DOCTYPE check, so it has no entities to expand."""
    tail = b""
    parser = expat.ParserCreate()
    try:
        with archive.open(info) as part:
            while chunk := part.read(_READ_CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise ImportRefused(_("The workbook unpacks to more than the accepted size (possible zip bomb)."))
                if _XML_DANGER.search(tail + chunk):
                    raise ImportRefused(
                        _("Part %(part)s declares a DOCTYPE or XML entities, which is refused. Save the workbook again in Excel.")
                        % {"part": info.filename}
                    )
                tail = chunk[-32:]
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise ImportRefused(
            _("Part %(part)s of the workbook is damaged (%(error)s). Save the workbook again in Excel.")
            % {"part": info.filename, "error": expat.ErrorString(error.code)}
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
        raise ImportRefused(_("The workbook is damaged: %(error)s") % {"error": error}) from None
    return budget


def _check_text(data: bytes, *, name: str) -> CheckedFile:
    if b"\x00" in data[:8192]:
        raise ImportRefused(_("The file is not a workbook, CSV or JSON file (binary content). Accepted: .xlsx, .csv, .json."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("The file is neither an Excel workbook nor UTF-8 text. Save CSV files as 'CSV UTF-8'.")) from None
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            parsed = json.loads(stripped)
        except (ValueError, RecursionError) as error:
            if name.lower().endswith(".json"):
                raise ImportRefused(_("The JSON file cannot be read: %(error)s") % {"error": error}) from None
        else:
            return CheckedFile(name=name, format="json", data=data, parsed_json=parsed)
    if name.lower().endswith(".json"):
        raise ImportRefused(_("The file is called %(name)s but does not hold JSON.") % {"name": name})
    if stripped.startswith("<"):
        raise ImportRefused(_("XML or HTML files are not accepted. Accepted: .xlsx, .csv, .json."))
    return CheckedFile(name=name, format="csv", data=data)

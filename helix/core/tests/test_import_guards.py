"""Hostile and wrong files are refused before parsing, with a clear message and no database change."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from helix.actors.models import Organisation
from helix.core.importing import ImportRefused, check_upload, plan_import
from tests.factories import OrganisationFactory

from .import_helpers import study_actor_workbook


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _rezip(data: bytes, *, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _refused(data: bytes, name: str = "file.xlsx") -> str:
    with pytest.raises(ImportRefused) as caught:
        check_upload(data, name=name)
    return str(caught.value)


def test_a_real_workbook_passes():
    assert check_upload(study_actor_workbook(), name="a.xlsx").format == "xlsx"


def test_macro_workbook_is_refused_by_content_and_by_name():
    with_macros = _rezip(study_actor_workbook(), extra={"xl/vbaProject.bin": b"\x00" * 64})
    assert "macro" in _refused(with_macros, "innocent.xlsx")
    assert "Macro" in _refused(study_actor_workbook(), "book.xlsm")


def test_password_protected_ole_file_is_refused():
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048
    assert "password" in _refused(encrypted, "protected.xlsx")


def test_zip_bomb_by_compression_ratio():
    bomb = _rezip(study_actor_workbook(), extra={"xl/media/zeros.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert "zip bomb" in _refused(bomb)


@override_settings(HELIX_IMPORT_MAX_UNCOMPRESSED_BYTES=5_000)
def test_zip_bomb_by_uncompressed_size():
    assert "zip bomb" in _refused(study_actor_workbook())


@override_settings(HELIX_IMPORT_MAX_ZIP_ENTRIES=5)
def test_zip_bomb_by_entry_count():
    assert "parts" in _refused(study_actor_workbook())


def test_xml_entities_are_refused():
    data = study_actor_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook_xml = archive.read("xl/workbook.xml")
    doctype = b'<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    if workbook_xml.startswith(b"<?xml"):
        evil = workbook_xml.replace(b"?>", b"?>" + doctype, 1)
    else:
        evil = b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + workbook_xml
    assert b"<!ENTITY" in evil
    assert "DOCTYPE" in _refused(_rezip(data, replace={"xl/workbook.xml": evil}))


def test_a_sheet_cut_off_part_way_is_refused():
    data = study_actor_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        xml = archive.read(sheet)
    message = _refused(_rezip(data, replace={sheet: xml[: len(xml) // 2]}))
    assert sheet in message and "damaged" in message


@override_settings(HELIX_IMPORT_MAX_BYTES=1000)
def test_oversized_file_is_refused():
    assert "limit" in _refused(study_actor_workbook())


def test_wrong_type_renamed_to_xlsx_is_refused():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert "not" in _refused(png, "picture.xlsx")
    assert "Excel" in _refused(b"name,kind\nA,company\n", "renamed.xlsx")
    assert "not an Excel workbook" in _refused(_zip_without_workbook(), "archive.xlsx")


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def test_non_utf8_text_is_refused():
    assert "UTF-8" in _refused("naam;soort\nCafé;bedrijf\n".encode("latin-1"), "data.csv")


@pytest.mark.django_db
@override_settings(HELIX_IMPORT_MAX_ROWS=5)
def test_too_many_rows_is_refused_and_nothing_changes(tmp_path):
    rows = "\n".join(f"New org {i},company" for i in range(10))
    path = tmp_path / "many.csv"
    path.write_text(f"name,kind\n{rows}\n", encoding="utf-8")
    with pytest.raises(ImportRefused):
        plan_import(check_upload(path.read_bytes(), name="many.csv"))
    with pytest.raises(CommandError):
        call_command("import_inventory", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_refused_file_through_the_command_leaves_the_database_untouched(tmp_path):
    OrganisationFactory(name="Existing")
    path = tmp_path / "book.xlsx"
    path.write_bytes(_rezip(study_actor_workbook(), extra={"xl/vbaProject.bin": b"\x00"}))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_inventory", str(path), "--format", "json", stdout=out, stderr=io.StringIO())
    import json

    result = json.loads(out.getvalue())
    assert result["created"] == 0 and result["errors"][0]["message"].startswith("The workbook contains macros")
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Existing"]

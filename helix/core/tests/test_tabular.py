"""Tabular export: formats, stable keys as headers, and no formula injection."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from helix.actors.models import Organisation
from helix.actors.tables import MUNICIPALITY_COLUMNS, ORGANISATION_COLUMNS, optimise
from helix.core.tabular import Column, attr, export_response, write_csv, write_json, write_xlsx
from helix.instruments.models import Instrument
from helix.instruments.tables import INSTRUMENT_COLUMNS
from helix.instruments.tables import optimise as optimise_instruments
from tests.factories import ContactPersonFactory, InstrumentFactory, OrganisationFactory, SchemeFactory, TermFactory

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


class Row:
    def __init__(self, name, tags=None, when=None, flag=None):
        self.name, self.tags, self.when, self.flag = name, tags or [], when, flag


COLUMNS = [
    Column("name", "Name", attr("name")),
    Column("tags", "Tags", attr("tags")),
    Column("when", "When", attr("when")),
    Column("flag", "Flag", attr("flag")),
]


def test_csv_guards_every_formula_prefix_and_joins_lists():
    rows = [Row(text) for text in HOSTILE] + [Row("plain", ["a", "b"], datetime.date(2024, 3, 1), True)]
    body = write_csv(COLUMNS, rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(body, newline="")))
    assert parsed[0] == ["name", "tags", "when", "flag"]
    assert [r[0] for r in parsed[1:7]] == ["'" + text for text in HOSTILE]
    assert parsed[7] == ["plain", "a; b", "2024-03-01", "true"]


def test_xlsx_writes_formula_like_text_as_string_cells():
    rows = [Row(text) for text in HOSTILE] + [Row("plain", ["a", "b"], datetime.date(2024, 3, 1), False)]
    book = load_workbook(io.BytesIO(write_xlsx(COLUMNS, rows, sheet_title="Orgs: [all]")))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["name", "tags", "when", "flag"]
    for index, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=index, column=1)
        assert cell.data_type == "s", text
        assert cell.value == text.replace("\r", "\n")  # XML stores a lone CR as a line feed
    assert sheet.cell(row=8, column=2).value == "a; b"
    assert sheet.cell(row=8, column=4).value is False
    assert ":" not in sheet.title and "[" not in sheet.title
    # No formula anywhere in the sheet XML.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(write_xlsx(COLUMNS, rows, sheet_title="x"))) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_json_uses_keys_and_keeps_lists():
    data = json.loads(write_json(COLUMNS, [Row("=x", ["a"], datetime.date(2024, 1, 2), None)]))
    assert data == [{"name": "=x", "tags": ["a"], "when": "2024-01-02", "flag": None}]


def test_export_response_formats_and_refuses_others():
    for fmt, content_type in (("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("json", "application/json")):
        response = export_response(fmt, COLUMNS, [Row("a")], filename="organisations")
        assert content_type in response["Content-Type"]
        assert response["Content-Disposition"] == f'attachment; filename="organisations.{fmt}"'
    with pytest.raises(ValueError):
        export_response("xml", COLUMNS, [], filename="x")


def test_columns_never_hold_contact_persons():
    keys = {c.key for c in MUNICIPALITY_COLUMNS}
    assert not keys & {"contacts", "email", "phone", "contact"}


@pytest.mark.django_db
def test_contact_data_is_not_exported():
    org = OrganisationFactory(name="Open Org")
    ContactPersonFactory(organisation=org)
    body = write_csv(MUNICIPALITY_COLUMNS, optimise(Organisation.objects.all())).decode()
    assert "Open Org" in body
    assert "contact.testperson@example.org" not in body and "Contact Testperson" not in body


@pytest.mark.django_db
def test_export_takes_a_constant_number_of_queries():
    nace = SchemeFactory(slug="nace")
    terms = [TermFactory(scheme=nace, code=code) for code in "ABC"]

    def count(n: int) -> tuple[int, int]:
        for _ in range(n):
            org = OrganisationFactory()
            org.nace_sections.set(terms)
            InstrumentFactory(offered_by=org)
        with CaptureQueriesContext(connection) as orgs:
            write_xlsx(ORGANISATION_COLUMNS, optimise(Organisation.objects.all()), sheet_title="o")
        with CaptureQueriesContext(connection) as instruments:
            write_xlsx(INSTRUMENT_COLUMNS, optimise_instruments(Instrument.objects.with_status()), sheet_title="i")
        return len(orgs), len(instruments)

    assert count(2) == count(20)

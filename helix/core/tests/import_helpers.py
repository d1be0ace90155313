"""Builders of real workbooks for the import tests (the study's layout: title row, merged cells, ...)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from tests.factories import SchemeFactory, TermFactory

INSTRUMENT_HEADERS = [
    "Nr",
    "Organisatie",
    "Naam overkoepelend fonds / programma (EU)",
    "Fonds / Programma / individuele call",
    "Type van Europese subsidiëring",
    "Titel instrument",
    "Beleidsniveau",
    "Beschrijving instrument",
    "Direct / Indirect",
]
ACTOR_HEADERS = ["#", "NAAM", None, None, "OPRICHTINGSJAAR", "SECTOR ANALYSE"]


def sheet_with(workbook: Workbook, title: str, headers: list[Any], rows: list[list[Any]], *, caption: str) -> Any:
    sheet = workbook.create_sheet(title)
    sheet.append([caption])  # the title row above the header
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    return sheet


def merge_down(sheet: Any, column: int, first_row: int, last_row: int) -> None:
    """Merge a column over rows, blanking the hidden cells as Excel does."""
    for row in range(first_row + 1, last_row + 1):
        sheet.cell(row=row, column=column).value = None
    sheet.merge_cells(start_row=first_row, start_column=column, end_row=last_row, end_column=column)


def to_bytes(workbook: Workbook) -> bytes:
    if "Sheet" in workbook.sheetnames and len(workbook.sheetnames) > 1:
        del workbook["Sheet"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def study_instrument_workbook() -> bytes:
    """Two sheets (financial, matchmaking); organisation and programme merged over rows 3-4."""
    wb = Workbook()
    financial = sheet_with(
        wb,
        "Financiële instrumenten",
        INSTRUMENT_HEADERS,
        [
            [
                1,
                "Europese Commissie",
                "ERDF",
                "Programma",
                "European Structural and Investment Funds",
                "Stadsvernieuwing Fonds",
                "Europees",
                "Steun voor stedelijke vernieuwing.\nTweede regel van de beschrijving.",
                "Indirect",
            ],
            [2, "Europese Commissie", "ERDF", "Call", "Call", "Slimme Straten Oproep", "Europees", "Oproep.", "Direct"],
            [3, "Agentschap Innoveren en Ondernemen", None, "Fonds", None, "Vlaams Innovatiefonds", "Vlaams", "Fonds.", "Direct"],
        ],
        caption="Inventaris instrumentarium - financiële instrumenten",
    )
    merge_down(financial, 2, 3, 4)  # Organisatie over the first two data rows
    merge_down(financial, 3, 3, 4)  # Naam overkoepelend fonds
    financial.cell(row=3, column=8).alignment = Alignment(wrap_text=True)
    sheet_with(
        wb,
        "Matchmaking",
        INSTRUMENT_HEADERS,
        [
            [
                1,
                "Agentschap Innoveren en Ondernemen",
                None,
                "Programma",
                None,
                "Slimme Buren Netwerk",
                "Vlaams",
                "Netwerk.",
                "Direct",
            ]
        ],
        caption="Inventaris instrumentarium - matchmaking",
    )
    return to_bytes(wb)


def study_actor_workbook() -> bytes:
    wb = Workbook()
    companies = sheet_with(
        wb,
        "Bedrijven",
        ACTOR_HEADERS,
        [
            [1, "Sensorbouw NV", "J", "Informatie en communicatie", 2015, "Sensoren"],
            [2, "Dashboardmakers BV", "J", "Informatie en communicatie", 2018, "Software"],
        ],
        caption="Inventaris van actoren - private actoren",
    )
    companies.cell(row=2, column=3).value = None  # the NACE columns are unlabelled
    sheet_with(
        wb,
        "Academische instellingen",
        ACTOR_HEADERS,
        [[1, "Hogeschool Slimme Stad", "P", "Onderwijs", 1995, "Onderwijs"]],
        caption="Inventaris van actoren - academische instellingen",
    )
    sheet_with(
        wb,
        "Steden en gemeenten",
        ACTOR_HEADERS,
        [[1, "Stad Testgem", None, None, None, None]],
        caption="Inventaris van actoren - steden en gemeenten",
    )
    return to_bytes(wb)


def vocabularies() -> dict[str, Any]:
    """The terms the study workbooks refer to (codes as the reference loader makes them)."""
    eu = SchemeFactory(slug="eu-funding-categories")
    types = SchemeFactory(slug="instrument-types")
    nace = SchemeFactory(slug="nace")
    return {
        "esif": TermFactory(
            scheme=eu,
            code="esif",
            label_nl="Europese structuur- en investeringsfondsen (ESIF)",
            label_en="European Structural and Investment Funds (ESIF)",
        ),
        "programme": TermFactory(scheme=types, code="programme", label_nl="Programma", label_en="Programme"),
        "call": TermFactory(scheme=types, code="call", label_nl="Oproep", label_en="Call"),
        "fund": TermFactory(scheme=types, code="fund", label_nl="Fonds", label_en="Fund"),
        "J": TermFactory(scheme=nace, code="J", label_nl="Informatie en communicatie", label_en="Information and communication"),
        "P": TermFactory(scheme=nace, code="P", label_nl="Onderwijs", label_en="Education"),
    }

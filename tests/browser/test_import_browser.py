"""A curator imports an instrument workbook in the study's layout through the web pages, in
Chromium: upload → preview of every row → confirm → result with the batch id → the new
instruments in the list and in their history. axe-core checks every page visited."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import result_total, sign_in, wait_for_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = [
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
TITLES = ["Proefoproep Slimme Pleinen", "Kiemfonds Sensorbouwers"]


def study_layout_workbook() -> bytes:
    """One sheet as the study delivered it: a title row above Dutch headers, the organisation
    cell merged over two rows, a multi-line description."""
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Financiële instrumenten"
    sheet.append(["Inventaris instrumentarium - financiële instrumenten"])
    sheet.append(HEADERS)
    sheet.append(
        [
            1,
            "Agentschap Innoveren & Ondernemen",
            None,
            "Call",
            None,
            TITLES[0],
            "Vlaams",
            "Oproep voor proefprojecten op pleinen.\nTweede regel: sensoren en verlichting.",
            "Direct",
        ]
    )
    sheet.append([2, None, None, "Fonds", None, TITLES[1], "Vlaams", "Startkapitaal voor bouwers van sensoren.", "Indirect"])
    sheet.merge_cells(start_row=3, start_column=2, end_row=4, end_column=2)  # Organisatie over both rows
    sheet.cell(row=3, column=8).alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_curator_imports_a_study_workbook_with_preview_and_finds_the_new_instruments(study_data, page, axe):
    from helix.instruments.models import Instrument
    from tests.factories import make_curator

    make_curator("curator")
    before = Instrument.objects.count()
    sign_in(page, "curator")

    page.goto("/import/")
    assert_accessible(axe, page)
    page.get_by_label("Inventarisbestand").set_input_files(
        files=[
            {
                "name": "instrumenten.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": study_layout_workbook(),
            }
        ]
    )
    page.get_by_role("button", name="Voorbeeld van de import bekijken").click()

    # The preview: every row, nothing written yet.
    page.wait_for_url(re.compile(r"/import/preview/\?token="))
    assert "instrumenten.xlsx" in page.locator("h1").inner_text()
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 2
    for i, title in enumerate(TITLES):
        assert title in rows.nth(i).inner_text()
        assert rows.nth(i).locator(".badge").inner_text() == "nieuw"
    assert Instrument.objects.count() == before
    assert_accessible(axe, page)

    page.get_by_role("button", name="De import bevestigen").click()
    page.wait_for_url(re.compile(r"/import/confirm/$"))
    assert page.locator("#created").inner_text() == "2"
    batch = page.locator("#batch").inner_text()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", batch), batch
    assert page.get_by_role("button", name="Deze import ongedaan maken").count() == 1
    assert_accessible(axe, page)

    # Both instruments exist, offered by the agency of the merged cell.
    created = {i.title: i for i in Instrument.objects.filter(title__in=TITLES).select_related("offered_by")}
    assert set(created) == set(TITLES)
    assert {i.offered_by.slug for i in created.values()} == {"vlaio"}
    assert created[TITLES[0]].description_nl.splitlines()[1] == "Tweede regel: sensoren en verlichting."

    # The list finds the new instrument; its page shows it and its history carries the batch.
    page.goto("/instrumenten/?q=Slimme+Pleinen")
    assert result_total(page) >= 1
    page.locator("#results").get_by_role("link", name=TITLES[0]).click()
    wait_for_path(page, created[TITLES[0]].get_absolute_url())
    assert page.locator("h1").inner_text() == TITLES[0]
    assert "Agentschap Innoveren & Ondernemen" in page.locator(".record-kind").inner_text()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Geschiedenis van dit record").click()
    entry = page.locator("ol.history > li").first
    assert "import" in entry.locator(".history-channel").inner_text()
    assert batch.startswith(entry.locator(".history-batch code").inner_text().rstrip("…"))
    assert_accessible(axe, page)

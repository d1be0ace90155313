"""Landscape insights in Chromium: the charts draw (vega svg), each has its table alternative, the
pages pass axe, and a click on a bar or on a table's number opens the list with that count."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import result_total

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_charts(page, expected: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('.insights-chart[data-chart-ready=true] svg').length >= {expected}")
    errors = page.locator(".insights-chart[data-chart-error]").count()
    assert errors == 0, page.locator(".insights-chart[data-chart-error]").first.get_attribute("data-chart-error")


def test_every_analysis_draws_its_charts_and_passes_axe(study_data, page, axe):
    from helix.insights.analyses import ANALYSES

    page.goto("/inzichten/")
    wait_for_charts(page, 3)
    assert_accessible(axe, page)
    for slug in ANALYSES:
        page.goto(f"/inzichten/{slug}/")
        charts = page.locator(".insights-chart").count()
        if slug == "kaart":
            page.wait_for_selector("#insights-map[data-map-ready=true] path.leaflet-interactive")
            assert page.locator("#insights-map path.leaflet-interactive").count() == 12  # every arrondissement
        else:
            assert charts >= 1, slug
            wait_for_charts(page, charts)
            # Each chart's table alternative: a real table with a caption (in a <details>).
            assert page.locator("details.insights-details table caption").count() == charts, slug
        page.locator("details.insights-details").evaluate_all("all => all.forEach(d => d.open = true)")
        assert_accessible(axe, page)


def test_a_bar_and_a_table_number_open_the_list_with_the_same_count(study_data, page):
    page.goto("/inzichten/actoren/")
    wait_for_charts(page, 2)
    # The first bar is the first row of the table (both in the table's order: largest first).
    first_row = page.locator("#table-actoren-kinds tbody tr").first
    expected = int(first_row.locator("td a").first.text_content())
    href = first_row.locator("td a").first.get_attribute("href")
    bar = page.locator("[data-chart-name=helix-actoren-kinds] svg g.mark-rect path").first
    bar.click()
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    assert result_total(page) == expected

    page.goto("/inzichten/instrumenten/")
    page.locator("#table-instrumenten-levels").evaluate("t => t.closest('details').open = true")
    link = page.locator("#table-instrumenten-levels tbody td a[data-drill]").first
    expected = int(link.inner_text())
    link.click()
    page.wait_for_url(re.compile(r"/instrumenten/\?policy_level="))
    assert result_total(page) == expected


def test_chart_export_menu_offers_svg_and_png(study_data, page):
    page.goto("/inzichten/groei/")
    wait_for_charts(page, 1)
    page.locator(".insights-chart .vega-actions, .insights-chart details summary").first.click()
    actions = page.locator(".insights-chart .vega-actions a").all_inner_texts()
    assert any("SVG" in a for a in actions) and any("PNG" in a for a in actions)

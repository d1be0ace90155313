"""A municipality coordinator uses the funding finder in Chromium, with the keyboard only, on the
study's data; axe-core checks the form, the results and the error state."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import assert_focus_visible, tab_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_funding_for_gent_with_the_keyboard(study_data, page, axe):
    page.goto("/en/financiering/")
    assert page.locator("h1").inner_text() == "Funding finder"
    assert_accessible(axe, page)

    # Step 1: the municipality, chosen with the keyboard (type-ahead in the select).
    tab_until(page, "#id_municipality")
    assert_focus_visible(page)
    page.locator("#id_municipality").select_option("44021")
    # Step 2: the study phase, a radio reached with Tab and chosen with the arrow keys.
    tab_until(page, "input[name=phase]")
    page.keyboard.press("ArrowDown")  # "Not sure yet" -> "Research"
    page.keyboard.press("ArrowDown")  # -> "Study"
    assert page.locator("#id_phase input:checked").get_attribute("value") == "study"
    # Submit with the keyboard.
    tab_until(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/financiering/\?.*municipality=44021.*phase=study"))

    eligible = page.locator("section[aria-labelledby=group-eligible]")
    card = eligible.locator("li.funding-result", has=page.locator("a[href='/en/instrumenten/city-of-things-call/']"))
    assert card.count() == 1
    lines = card.locator("ul.reasons > li").all_inner_texts()
    assert len(lines) == 10
    assert any(line.startswith("✓ Met") and "Funds the study phase." in line for line in lines)
    assert "Help with this funding" in card.inner_text()
    assert_accessible(axe, page)

    # The permalink reproduces the result; then show what is not eligible, and why.
    permalink = page.url
    page.get_by_role("link", name="Also show the instruments that are not eligible, with what rules them out").click()
    page.wait_for_url(re.compile(r"all=on"))
    ruled_out = page.locator("section[aria-labelledby=group-not_eligible]")
    kempen = ruled_out.locator("li.funding-result", has_text="GTI Kempen").first
    assert "Only for applicants in Kempen (Campine)." in kempen.inner_text()
    assert_accessible(axe, page)
    page.goto(permalink)
    assert page.locator("section[aria-labelledby=group-eligible] li.funding-result").count() >= 1


def test_bad_input_is_announced_and_linked(study_data, page, axe):
    page.goto("/en/financiering/?organisation=Nobody+Anywhere&budget=lots")
    summary = page.get_by_role("alert")
    assert "No organisation “Nobody Anywhere” in the registry" in summary.inner_text()
    assert "Enter the budget in whole euros" in summary.inner_text()
    summary.get_by_role("link", name=re.compile("Budget needed")).click()
    assert page.evaluate("document.activeElement.id") == "id_budget"
    assert_accessible(axe, page)

"""Following the registry in Chromium: the funding overviews (page and printable version) and
saving a list search, then managing it under "My followed searches". axe-core checks every page.

English pages (/en/): the Dutch wording of these pages is filled in by `make messages`."""

from __future__ import annotations

import datetime
import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import sign_in, wait_for_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overview_pages_of_a_target_group(study_data, page, axe):
    from helix.core.history import Channel, history_context
    from helix.core.services import save_record
    from helix.follow.services import generate_overviews
    from helix.instruments.models import Instrument

    generate_overviews(day=datetime.date(2026, 11, 2))
    with history_context(channel=Channel.COMMAND):
        save_record(Instrument.objects.get(slug="city-of-things-call"), changes={"closes_on": datetime.date(2026, 12, 20)})
    generate_overviews(day=datetime.date(2026, 12, 1))

    page.goto("/en/overzichten/")
    assert page.locator("h1").inner_text() == "Funding overviews"
    assert_accessible(axe, page)
    page.get_by_role("link", name="Small municipalities").click()
    wait_for_path(page, "/en/overzichten/kleine-gemeenten/")
    assert page.locator("h1").inner_text() == "Funding overview: Small municipalities"
    changed = page.locator("section[aria-labelledby=section-changed]")
    assert "City of Things" in changed.inner_text()
    assert "closes" in changed.inner_text()
    assert "City of Things" in page.locator("section[aria-labelledby=section-closing_soon]").inner_text()
    assert page.locator("section[aria-labelledby=section-matchmaking] tbody tr").count() > 5
    assert_accessible(axe, page)

    page.get_by_role("link", name="Printable version").click()
    wait_for_path(page, "/en/overzichten/kleine-gemeenten/afdrukken/")
    assert page.locator(".site-nav").count() == 0
    assert "City of Things" in page.locator("main").inner_text()
    assert_accessible(axe, page)


def test_save_a_filtered_list_and_manage_it(study_data, page, axe):
    from helix.follow.models import SavedSearch
    from tests.factories import UserFactory

    UserFactory(username="coordinator", email="coordinator@example.org")
    sign_in(page, "coordinator")
    page.goto("/en/instrumenten/")
    # Filter in place (htmx): the address changes, the page is not reloaded.
    page.locator("summary", has_text=re.compile("^Kind")).click()
    page.locator("input[name=kind][value=matchmaking]").check()
    page.wait_for_url(re.compile(r"kind=matchmaking"))
    page.locator("#save-search summary").click()
    assert_accessible(axe, page)
    name = page.get_by_label("Name (optional)")
    name.fill("Support for municipalities")
    name.press("Enter")  # the keyboard submits the small form
    page.wait_for_selector(".messages")
    assert "Support for municipalities" in page.locator(".messages").inner_text()
    search = SavedSearch.objects.get()
    assert search.query == "kind=matchmaking"  # the filters chosen in place, not those the page was loaded with
    assert search.language == "en"

    page.locator(".site-nav").get_by_role("link", name="My followed searches").click()
    wait_for_path(page, "/en/mijn-zoekopdrachten/")
    row = page.locator("table.saved-searches tbody tr")
    assert row.count() == 1
    assert "Support for municipalities" in row.inner_text()
    assert "Weekly" in row.inner_text()
    assert_accessible(axe, page)
    feed = row.get_by_role("link", name=re.compile("Atom feed")).get_attribute("href")
    assert feed.endswith(f"/en/feeds/{search.feed_token}/")
    response = page.request.get(feed)
    assert response.ok and "<feed" in response.text()

    row.get_by_role("link", name=re.compile("^Edit")).click()
    wait_for_path(page, f"/en/mijn-zoekopdrachten/{search.pk}/")
    assert_accessible(axe, page)
    page.get_by_label("Name").fill("Matchmaking and support")
    page.get_by_label("E-mail digest").select_option("daily")
    page.get_by_role("button", name="Save", exact=True).click()
    wait_for_path(page, "/en/mijn-zoekopdrachten/")
    assert "Matchmaking and support" in page.locator("table.saved-searches").inner_text()
    search.refresh_from_db()
    assert (search.name, search.digest) == ("Matchmaking and support", "daily")

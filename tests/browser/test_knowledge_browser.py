"""The knowledge hub in Chromium, on the study's real projects: a municipality's coordinator opens
a project, sees the similar projects elsewhere with the reasons per criterion (loaded by htmx),
follows the lighthouse list to a lighthouse page and the overview. axe-core checks every page."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hub(study_data):
    from helix.actors.models import Organisation
    from helix.core.models import Term
    from helix.projects.lighthouses import save_lighthouse
    from helix.projects.models import Lighthouse
    from tests.factories import make_curator, make_editor

    antwerpen = Organisation.objects.get(slug="gemeente-antwerpen-11002")
    gent = Organisation.objects.get(slug="gemeente-gent-44021")
    make_editor("coordinator-gent", gent)
    lighthouse = save_lighthouse(
        Lighthouse(
            domain=Term.objects.get(scheme__slug="domains", code="smart-people"),
            municipality=antwerpen,
            start_date=datetime.date(2025, 1, 1),
        ),
        [gent],
        user=make_curator("curator"),
    )
    return {"lighthouse": lighthouse}


def test_coordinator_finds_who_did_it_before_and_the_lighthouse(hub, page, axe):
    sign_in(page, "coordinator-gent")
    page.goto("/en/projecten/wappr-sint-andrieswijk/")
    similar = page.locator("section#similar-projects")
    first = similar.locator("ol.similar-projects > li.match").first
    first.wait_for()  # loaded by htmx after the page
    names = similar.locator("li.match > a").all_inner_texts()
    assert len(names) == 5 and "Wappr feedback app in the Sint-Andrieswijk" not in names
    # elsewhere: none of the results ran in Antwerpen, the project's place
    assert "Antwerpen" not in " ".join(similar.locator("li.match .hint").all_inner_texts())
    summary = first.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    table = first.locator("details[open] table.explanation")
    table.wait_for()
    criteria = table.locator("tbody th[scope=row]").all_inner_texts()
    assert criteria == [
        "Text relevance",
        "Shared domains",
        "Shared SDGs",
        "Similar phase",
        "Proven (scaled or completed)",
        "Places of a similar size",
        "Same funding instruments",
    ]
    assert_accessible(axe, page)

    page.goto("/en/kennishub/vuurtorens/")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Antwerpen").click()
    page.wait_for_url(f"**{hub['lighthouse'].get_absolute_url()}".replace("/kennishub", "/en/kennishub"))
    assert "Antwerpen, lighthouse for" in page.locator("h1").inner_text()
    shared = page.locator("section[aria-labelledby=shared-heading] ul.shared-projects > li > a").all_inner_texts()
    assert "Wappr feedback app in the Sint-Andrieswijk" in shared
    assert page.locator("section[aria-labelledby=owed-heading] li").count() > 0
    assert_accessible(axe, page)

    page.goto("/en/kennishub/overzicht/")
    assert page.locator("#by-domain-caption").count() == 1
    assert page.locator("section[aria-labelledby=pilots-heading] tbody tr").count() > 0
    assert_accessible(axe, page)

"""The strategy monitor in Chromium: an owner records progress with evidence and sees the
roadmap update; the steering group reads the report of a past date. axe-core checks every page.
English pages: the new strings are not in the Dutch catalogue yet."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owner(study_data):
    from helix.core.history import Channel, history_context
    from helix.strategy.models import Recommendation
    from helix.strategy.services import add_measurement, assign_owner, save_indicator
    from tests.factories import OrganisationFactory, make_editor

    agency = OrganisationFactory(slug="scale-agency", name="Scale Agency")
    make_editor("editor-agency", agency)
    eight = Recommendation.objects.get(number=8)
    today = datetime.date.today()
    with history_context(channel=Channel.COMMAND):
        assign_owner(recommendation=eight, organisation=agency, user=None)
        indicator = save_indicator(
            indicator=None,
            data={
                "slug": "pilots-scaled",
                "name_nl": "Opgeschaalde pilootprojecten",
                "unit": "projecten",
                "baseline_value": Decimal(0),
                "baseline_date": today - datetime.timedelta(days=100),
                "target_value": Decimal(10),
                "target_date": today + datetime.timedelta(days=100),
            },
            recommendations=[eight],
            user=None,
        )
        add_measurement(indicator=indicator, value=Decimal(2), measured_on=today, user=None)
    return eight


def test_an_owner_records_progress_and_the_roadmap_and_report_follow(owner, page, axe):
    from helix.strategy.models import ProgressUpdate

    sign_in(page, "editor-agency")
    page.goto("/en" + owner.get_absolute_url())
    assert_accessible(axe, page)
    page.get_by_role("link", name="Record progress").click()
    page.wait_for_selector("#progress-form")
    assert_accessible(axe, page)
    # The indicators suggest "partially" (2 of 10 at half time): the owner declares more, with a reason.
    assert "Partially on track" in page.locator("section[aria-labelledby=suggestion-heading]").inner_text()
    page.get_by_label("Largely on track").check()
    page.get_by_label("Justification").fill("Drie pilootprojecten worden opgeschaald; het fonds is goedgekeurd.")
    page.get_by_label("Evidence links").fill("https://example.org/besluit-schaalfonds")
    page.get_by_role("button", name="Record progress").click()
    # Without a reason the form answers with the error, linked from the summary.
    page.wait_for_selector("#error-summary")
    assert_accessible(axe, page)
    page.get_by_label("Reason for departing from the suggested status").fill("Het fonds start volgende maand.")
    page.get_by_role("button", name="Record progress").click()
    page.wait_for_url(f"**/en{owner.get_absolute_url()}**")
    history = page.locator("section[aria-labelledby=progress-heading]").inner_text()
    assert "Drie pilootprojecten worden opgeschaald" in history and "Het fonds start volgende maand." in history
    assert page.locator("a[href='https://example.org/besluit-schaalfonds']").count() == 1
    assert_accessible(axe, page)
    update = ProgressUpdate.objects.get()
    assert (update.status, update.suggested_status) == ("largely_on_track", "partially_on_track")

    page.goto("/en/strategie/")
    item = page.locator("li[value='8']")
    assert "Largely on track" in item.inner_text()
    assert "Blocked by" in item.inner_text()  # 1, 2 and 5 are not fully on track
    assert_accessible(axe, page)

    # The steering group: yesterday's report does not know the update; today's does.
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    page.goto("/en/strategie/rapport/")
    assert_accessible(axe, page)
    page.get_by_label("Report as known on").fill(yesterday)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**date={yesterday}**")
    past = page.locator("#report-rec-8").locator("xpath=..").inner_text()
    assert "No progress reported yet" in past and "Drie pilootprojecten" not in past
    assert_accessible(axe, page)
    page.goto("/en/strategie/rapport/")
    now = page.locator("#report-rec-8").locator("xpath=..").inner_text()
    assert "Drie pilootprojecten" in now and "Partially on track" in now  # declared and suggested, both shown
    page.goto(f"/en/strategie/rapport/afdrukken/?date={yesterday}")
    assert_accessible(axe, page)

"""Editing a project in Chromium with the keyboard only: the lead's editor opens the edit page from
the project page, fills in partners, results, a link and the contact person, corrects a bad line,
saves, and sees the result; the contact person is for signed-in members only. axe-core checks
every page visited."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import assert_focus_visible, sign_in, tab_until, wait_for_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hub(transactional_db):
    from helix.projects.models import Project
    from tests.factories import OrganisationFactory, make_editor

    lead = OrganisationFactory(slug="city-lab", name="City Lab")
    OrganisationFactory(slug="sensor-partner", name="Sensor Partner")
    project = Project.objects.create(slug="air-sensors", title="Air Sensors", lead=lead, status="pilot", source="test")
    make_editor("editor-lab", lead)
    return project


def test_editor_edits_a_project_with_the_keyboard(hub, page, axe):
    from helix.projects.models import Project, ProjectContact

    sign_in(page, "editor-lab")
    page.goto(hub.get_absolute_url())
    assert_accessible(axe, page)
    tab_until(page, "a[href$='/projecten/air-sensors/bewerken/']")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    wait_for_path(page, "/projecten/air-sensors/bewerken/")
    assert_accessible(axe, page)

    tab_until(page, "#id_summary_nl")
    page.keyboard.type("Sensoren meten de luchtkwaliteit in elke wijk.")
    tab_until(page, "#id_partners", limit=120)
    page.keyboard.type("no-such-partner | sensors")  # a mistake, corrected below
    tab_until(page, "#id_results", limit=150)
    page.keyboard.type("sensors installed | 40 | sensors")
    tab_until(page, "#id_web_links", limit=20)
    page.keyboard.type("https://example.org/report.pdf | Final report")
    tab_until(page, "#id_contact_name", limit=20)
    page.keyboard.type("An Example")
    page.keyboard.press("Tab")
    page.keyboard.type("an@example.org")
    tab_until(page, "#project-form button[type=submit]", limit=10)
    page.keyboard.press("Enter")

    # The bad line is reported (summary linked to the field); nothing was saved.
    page.wait_for_selector("#error-summary")
    assert "no-such-partner" in page.locator("#error-summary").inner_text()
    assert_accessible(axe, page)
    assert Project.objects.get(pk=hub.pk).version == 1
    page.locator("#error-summary a[href='#id_partners']").focus()
    page.keyboard.press("Enter")
    page.locator("#id_partners").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("sensor-partner | sensors")
    tab_until(page, "#project-form button[type=submit]", limit=150)
    page.keyboard.press("Enter")

    # A redirect keeps the address's fragment (#id_partners, from the error summary's link).
    page.wait_for_url(re.compile(r"^https?://[^/]+/projecten/air-sensors/(#.*)?$"))
    assert_accessible(axe, page)
    body = page.locator("main").inner_text()
    assert "Sensor Partner (sensors)" in body and "sensors installed: 40 sensors" in body
    assert page.get_by_role("link", name="Final report").count() == 1
    assert "an@example.org" in page.locator("section[aria-labelledby=contact-heading]").inner_text()
    project = Project.objects.get(pk=hub.pk)
    assert project.version == 2 and project.summary_nl.startswith("Sensoren meten")
    assert ProjectContact.objects.get(project=project).name == "An Example"

    # Signed out, the page says nothing about the contact person.
    page.context.clear_cookies()
    page.goto(hub.get_absolute_url())
    assert "an@example.org" not in page.content() and "An Example" not in page.content()
    assert_accessible(axe, page)

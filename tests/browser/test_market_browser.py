"""The marketplace in Chromium: a municipality's editor publishes a challenge with the keyboard
only, a company responds, the owners shortlist. axe-core checks every page visited."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import sign_in, tab_until, wait_for_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def marketplace(transactional_db):
    from tests.factories import (
        MunicipalityFactory,
        OrganisationFactory,
        SchemeFactory,
        SolutionFactory,
        TermFactory,
        make_editor,
    )

    gent = MunicipalityFactory(slug="gemeente-gent-44021", name="Gent")
    leuven = MunicipalityFactory(slug="gemeente-leuven-24062", name="Leuven")
    company = OrganisationFactory(slug="sensortech", name="SensorTech", subkind="start-up")
    for scheme, code, label in (
        ("domains", "smart-mobility", "Smart mobility"),
        ("domains", "smart-energy", "Smart energy"),
        ("value-chain-roles", "devices-sensors", "Devices and sensors"),
        ("phases", "pilot", "Pilot"),
        ("phases", "operation", "Operation"),
    ):
        TermFactory(scheme=SchemeFactory(slug=scheme), code=code, label_nl=label, label_en=label)
    solution = SolutionFactory(slug="parking-sensors", title="Parking sensors", organisation=company, open_standards=["OSLO"])
    solution.references.set([leuven])
    make_editor("editor-gent", gent)
    make_editor("editor-company", company)
    return {"gent": gent, "solution": solution}


def test_editor_publishes_a_challenge_with_the_keyboard_and_a_company_responds(marketplace, page, axe):
    from helix.core.models import Term
    from helix.market.models import Challenge, Response

    sign_in(page, "editor-gent")
    page.goto("/en/markt/")
    assert_accessible(axe, page)

    page.goto("/en/uitdagingen/nieuw/")
    assert_accessible(axe, page)
    tab_until(page, "#id_title")
    page.keyboard.type("Quiet streets at night")
    tab_until(page, "#id_description_nl")
    page.keyboard.type("Te veel nachtlawaai in de binnenstad: wat helpt?")
    mobility = Term.objects.get(code="smart-mobility")
    tab_until(page, f"#id_domains input[value='{mobility.pk}']", limit=120)
    assert page.evaluate("document.activeElement.closest('label').innerText").strip() == "Smart mobility"
    page.keyboard.press("Space")
    tab_until(page, "#id_value_chain_roles_needed input")
    page.keyboard.press("Space")
    tab_until(page, "#id_phase_sought")
    page.keyboard.type("Pilot")  # typeahead selects the option
    tab_until(page, "#id_budget_max")
    page.keyboard.type("40000")
    tab_until(page, "#challenge-form button[type=submit]")
    page.keyboard.press("Enter")

    challenge = _wait_for_challenge(page, "Quiet streets at night")
    wait_for_path(page, f"/en/uitdagingen/{challenge.slug}/")
    assert page.locator("h1").inner_text() == "Quiet streets at night"
    assert page.get_by_role("note").filter(has_text="Draft").is_visible()
    assert page.locator("#matches h2").inner_text() == "Matches"
    assert_accessible(axe, page)
    assert challenge.lead_owner == marketplace["gent"] and challenge.phase_sought.code == "pilot"
    assert [t.code for t in challenge.domains.all()] == ["smart-mobility"]

    tab_until(page, "form[action$='/status/publish/'] button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#challenge-status:text('Open')")
    assert_accessible(axe, page)

    page.goto("/en/uitdagingen/")
    assert page.locator("#results tbody th[scope=row] a", has_text="Quiet streets at night").count() == 1
    assert_accessible(axe, page)
    page.goto("/en/oplossingen/")
    assert_accessible(axe, page)
    page.goto("/en/oplossingen/parking-sensors/")
    assert page.locator("#startup-badge").is_visible()
    assert_accessible(axe, page)

    # A company responds with its solution, with the keyboard.
    page.context.clear_cookies()
    sign_in(page, "editor-company")
    page.goto(f"/en/uitdagingen/{challenge.slug}/")
    page.get_by_role("link", name="Respond with a solution").click()
    wait_for_path(page, f"/en/uitdagingen/{challenge.slug}/reageren/")
    assert_accessible(axe, page)
    tab_until(page, "#id_proposal")
    page.keyboard.type("Sound sensors on every street corner, dashboard included.")
    tab_until(page, "#respond-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/en/uitdagingen/{challenge.slug}/#own-responses$"))
    assert "Parking sensors" in page.locator("#own-responses").inner_text()
    assert_accessible(axe, page)
    response = Response.objects.get()

    # The owners see it and shortlist it.
    page.context.clear_cookies()
    sign_in(page, "editor-gent")
    page.goto(f"/en/uitdagingen/{challenge.slug}/reacties/")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Shortlist SensorTech").click()
    page.wait_for_selector(f"#response-{response.pk} .response-status:text('Shortlisted')")
    assert_accessible(axe, page)
    response.refresh_from_db()
    assert response.status == "shortlisted"
    assert Challenge.objects.get(pk=challenge.pk).status == "open"


def _wait_for_challenge(page, title):
    from helix.market.models import Challenge

    page.wait_for_url(re.compile(r"/en/uitdagingen/(?!nieuw/)[-a-z0-9]+/$"))
    return Challenge.objects.get(title=title)

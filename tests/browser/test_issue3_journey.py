"""Issue 3, "Done when", tried in Chromium as new users would, on the study's real data.

Journey A, a coordinator of Gent: finds funding with the reasons why and why not (keyboard only,
permalink), publishes a challenge and makes it joint, sees matching solutions, companies, peers
and funding on the challenge page (each with "Why this match?"), and follows a saved search by
its Atom feed. Journey B, a company's editor: finds the challenge and a partner on the
organisation page and responds. axe-core checks the finder result, the challenge page with its
matches and the organisation page.

What the study does not have (a company with a solution, a complementary company, another
municipality's challenge) is made with the factories; everything else happens on the pages.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import sign_in, tab_until, wait_for_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Free parking places, found at once"
SOLUTION = "Smart parking sensors"


@pytest.fixture
def journey(study_data: Any) -> dict[str, Any]:
    from helix.actors.models import Organisation
    from helix.core.models import Term
    from tests.factories import ChallengeFactory, OrganisationFactory, SolutionFactory, make_editor

    def term(scheme: str, code: str) -> Term:
        return Term.objects.get(scheme__slug=scheme, code=code)

    gent = Organisation.objects.get(slug="gemeente-gent-44021")
    leuven = Organisation.objects.get(slug="gemeente-leuven-24062")
    mobility, sensors, dashboards = (
        term("domains", "smart-mobility"),
        term("value-chain-roles", "devices-sensors"),
        term("value-chain-roles", "applications-dashboards"),
    )
    pilot = term("phases", "pilot")

    sensortech = OrganisationFactory(
        slug="sensortech",
        name="SensorTech",
        province=gent.province,
        description_en="Parking sensors and traffic counters for cities.",
    )
    sensortech.domains.set([mobility])
    sensortech.value_chain_roles.set([sensors])
    solution = SolutionFactory(
        slug="smart-parking-sensors",
        title=SOLUTION,
        organisation=sensortech,
        maturity=pilot,
        description_en="A sensor in every parking bay reports free parking places in real time.",
    )
    solution.domains.set([mobility])
    solution.value_chain_roles.set([sensors])
    solution.references.set([leuven])
    dashworks = OrganisationFactory(slug="dashworks", name="DashWorks", description_en="Dashboards and apps for mobility data.")
    dashworks.domains.set([mobility])
    dashworks.value_chain_roles.set([dashboards])
    peer = ChallengeFactory(
        slug="leuven-parking",
        title="Parking search traffic in the centre",
        owners=[leuven],
        phase_sought=pilot,
        description_en="Drivers circle the centre looking for free parking places; sensors could guide them.",
    )
    peer.domains.set([mobility])
    peer.value_chain_roles_needed.set([sensors])

    make_editor("coordinator-gent", gent)
    make_editor("editor-sensortech", sensortech)
    return {"gent": gent, "leuven": leuven, "mobility": mobility, "sensors": sensors}


def _instrument_titles(page: Any) -> list[str]:
    return page.locator("li.funding-result h4").all_inner_texts()


def test_issue3_done_when(journey, page, axe, live_server):
    from helix.market.models import Challenge, Response

    sign_in(page, "coordinator-gent")

    # --- A1. The funding finder, from the main navigation, with the keyboard only. ----------
    page.goto("/en/")
    page.locator(".site-nav").get_by_role("link", name="Funding finder").click()
    wait_for_path(page, "/en/financiering/")
    tab_until(page, "#id_municipality")
    page.keyboard.type("Gent")  # the select's type-ahead
    assert page.locator("#id_municipality").input_value() == "44021"
    tab_until(page, "#domain-smart-mobility", limit=150)
    page.keyboard.press("Space")
    tab_until(page, "input[name=phase]")
    page.keyboard.press("ArrowDown")  # "Not sure yet" -> "Research"
    page.keyboard.press("ArrowDown")  # -> "Study"
    tab_until(page, "#id_budget")
    page.keyboard.type("40000")
    tab_until(page, "#id_text")
    page.keyboard.type("Sensors that show drivers the free parking places")
    tab_until(page, "form.funding-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/financiering/\?.*municipality=44021.*domain=smart-mobility.*phase=study.*budget=40000"))

    eligible = page.locator("section[aria-labelledby=group-eligible]")
    expect_text(eligible.locator("h3"), "Eligible")
    city_of_things = eligible.locator("li.funding-result", has_text="City of Things call")
    reasons = city_of_things.locator("ul.reasons > li").all_inner_texts()
    assert any(r.startswith("✓ Met") and "Funds the study phase." in r for r in reasons), reasons
    possibly = page.locator("section[aria-labelledby=group-possibly_eligible]")
    assert possibly.locator("li.funding-result").count() > 0
    assert "? Unknown" in possibly.locator("li.funding-result").first.inner_text()
    assert_accessible(axe, page)

    # The address is a permalink: reloading it gives the same results in the same order.
    titles = _instrument_titles(page)
    permalink = page.url
    page.reload()
    assert page.url == permalink and _instrument_titles(page) == titles

    # What rules an instrument out.
    page.get_by_role("link", name="Also show the instruments that are not eligible, with what rules them out").click()
    page.wait_for_url(re.compile(r"all=on"))
    ruled_out = page.locator("section[aria-labelledby=group-not_eligible]")
    first_out = ruled_out.locator("li.funding-result").first
    assert "Ruled out by:" in first_out.inner_text()
    assert first_out.locator("p.ruled-out + ul.reasons > li").first.inner_text().startswith("✗ Not met")

    # --- A2. Publish a challenge, make it joint. ------------------------------------------
    page.locator(".site-nav").get_by_role("link", name="Marketplace").click()
    wait_for_path(page, "/en/markt/")
    page.get_by_role("link", name="Publish a challenge").first.click()
    wait_for_path(page, "/en/uitdagingen/nieuw/")
    assert page.locator("#id_lead").locator("option:checked").inner_text() == "Gent"
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description_nl").fill("Automobilisten zoeken lang naar een vrije parkeerplaats in het centrum.")
    page.locator("#id_description_en").fill(
        "Drivers search a long time for a free parking place in the centre; we want to guide them with sensors."
    )
    page.locator(f"#id_domains input[value='{journey['mobility'].pk}']").check()
    page.locator(f"#id_value_chain_roles_needed input[value='{journey['sensors'].pk}']").check()
    page.locator("#id_phase_sought").select_option(label="Pilot")
    page.locator("#id_budget_max").fill("60000")
    page.locator("#challenge-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/uitdagingen/(?!nieuw/)[-a-z0-9]+/$"))
    challenge = Challenge.objects.get(title=TITLE)
    expect_text(page.locator("#challenge-status"), "Draft")

    page.get_by_role("link", name="Owners", exact=True).click()
    wait_for_path(page, f"/en/uitdagingen/{challenge.slug}/eigenaars/")
    page.locator("#id_organisation").fill("Destelbergen")
    page.get_by_role("button", name="Add co-owner").click()
    expect_text(page.locator(".messages"), "“Destelbergen” now co-owns this challenge.")
    assert "Destelbergen" in page.locator("table.data tbody").inner_text()
    page.get_by_role("link", name="Back to the challenge").click()
    wait_for_path(page, f"/en/uitdagingen/{challenge.slug}/")
    page.get_by_role("button", name="Publish").click()
    expect_text(page.locator("#challenge-status"), "Open")
    expect_text(page.locator("#joint-badge"), "Joint challenge")

    # --- A3. Matches on the challenge page (loaded by htmx after the page). ------------------
    matches = page.locator("section#matches")
    expect_visible(matches.locator(".match-columns"))
    solutions = matches.locator("section[aria-labelledby=match-solutions-heading]")
    organisations = matches.locator("section[aria-labelledby=match-orgs-heading]")
    peers = matches.locator("section[aria-labelledby=match-peers-heading]")
    funding = matches.locator("section[aria-labelledby=match-funding-heading]")
    assert SOLUTION in solutions.locator("li.match > a").all_inner_texts()
    assert "SensorTech" in organisations.locator("li.match > a").all_inner_texts()
    assert "Leuven" in peers.locator("li.match > a").all_inner_texts()
    assert funding.locator("ul > li > a").count() > 0
    assert funding.get_by_role("link", name="See every instrument with its reasons in the funding finder").count() == 1

    for section, name in ((solutions, SOLUTION), (organisations, "SensorTech")):
        match = section.locator("li.match", has=page.get_by_role("link", name=name, exact=True))
        match.get_by_role("link", name=name, exact=True).focus()
        page.keyboard.press("Tab")  # the next stop is the "Why this match?" summary
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        assert page.evaluate("document.activeElement.innerText") == "Why this match?"
        page.keyboard.press("Enter")
        table = match.locator("details[open] table.explanation")
        expect_visible(table)
        assert f"How the score of {name} is made up" in table.locator("caption").inner_text()
        criteria = table.locator("tbody th[scope=row]").all_inner_texts()
        assert "Shared domains" in criteria and "Value-chain roles" in criteria, criteria
    assert_accessible(axe, page)

    # --- A4. Follow the challenge list by its feed. ----------------------------------------
    page.goto("/en/uitdagingen/")
    page.locator("summary", has_text=re.compile("^Domain")).click()
    page.locator("input[name=domain][value=smart-mobility]").check()
    page.wait_for_url(re.compile(r"domain=smart-mobility"))
    page.locator("#save-search summary").click()
    name = page.get_by_label("Name (optional)")
    name.fill("Mobility challenges")
    name.press("Enter")
    expect_text(page.locator(".messages"), "Mobility challenges")
    page.locator(".site-nav").get_by_role("link", name="My followed searches").click()
    wait_for_path(page, "/en/mijn-zoekopdrachten/")
    row = page.locator("table.saved-searches tbody tr", has_text="Mobility challenges")
    feed = row.get_by_role("link", name=re.compile("Atom feed")).get_attribute("href")
    anonymous = page.context.browser.new_context(base_url=live_server.url)
    try:
        answer = anonymous.request.get(feed)  # a public search's feed needs no login
        assert answer.ok, answer.status
        assert "atom" in answer.headers["content-type"]
        body = answer.text()
        assert body.lstrip().startswith("<?xml") and 'xmlns="http://www.w3.org/2005/Atom"' in body
        assert f"<title>{TITLE}</title>" in body
    finally:
        anonymous.close()

    # --- B. A company's editor finds the challenge and a partner, and responds. -------------
    page.context.clear_cookies()
    sign_in(page, "editor-sensortech")
    page.goto("/en/organisaties/sensortech/")
    matches = page.locator("section#matches")
    expect_visible(matches.locator("h3", has_text="Open challenges that fit"))
    lists = matches.locator("ol.matches")
    assert TITLE in lists.nth(0).locator("li.match > a").all_inner_texts()
    assert "DashWorks" in lists.nth(1).locator("li.match > a").all_inner_texts()
    assert_accessible(axe, page)

    lists.nth(0).get_by_role("link", name=TITLE).click()
    wait_for_path(page, f"/en/uitdagingen/{challenge.slug}/")
    page.get_by_role("link", name="Respond with a solution").click()
    wait_for_path(page, f"/en/uitdagingen/{challenge.slug}/reageren/")
    assert page.locator("#id_solution").locator("option:checked").inner_text() == f"{SOLUTION} (SensorTech)"
    page.locator("#id_proposal").fill("A pilot with 200 bay sensors in two streets, with open data in OSLO.")
    page.locator("#respond-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/en/uitdagingen/{challenge.slug}/#own-responses$"))
    assert SOLUTION in page.locator("#own-responses").inner_text()
    response = Response.objects.get(challenge=challenge)
    assert response.solution.slug == "smart-parking-sensors" and response.organisation.slug == "sensortech"


def expect_text(locator: Any, text: str) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text)


def expect_visible(locator: Any) -> None:
    from playwright.sync_api import expect

    expect(locator).to_be_visible()

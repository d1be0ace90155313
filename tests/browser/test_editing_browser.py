"""Members editing their own organisation in Chromium: sign in with the keyboard, edit, see the
result and its history, be refused elsewhere, be told about a concurrent edit, be throttled.
axe-core checks every page visited."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import PASSWORD, sign_in, sign_in_with_keyboard, wait_for_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN = "allthingstalk"  # a company of the study
OTHER = "ugent"


def test_editor_signs_in_edits_own_organisation_sees_history_and_is_refused_elsewhere(study_data, page, axe):
    from helix.actors.models import Organisation
    from tests.factories import make_editor

    own = Organisation.objects.get(slug=OWN)
    make_editor("editor-a", own)

    page.goto(own.get_absolute_url())
    assert page.get_by_role("link", name="Bewerken").count() == 0  # anonymous: read only
    page.locator(".site-nav").get_by_role("link", name="Aanmelden").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert_accessible(axe, page)
    sign_in_with_keyboard(page, "editor-a")
    wait_for_path(page, own.get_absolute_url())  # back where the member started
    assert page.locator(".site-nav").get_by_role("button", name=re.compile("editor-a")).is_visible()

    page.locator(".record-actions").get_by_role("link", name="Bewerken").click()
    wait_for_path(page, "/organisaties/allthingstalk/bewerken/")
    assert_accessible(axe, page)
    page.get_by_label("Website").fill("https://iot.allthingstalk.example/")
    page.get_by_label("Beschrijving (Nederlands)").fill("Platform voor het internet der dingen, bijgewerkt door het lid.")
    page.get_by_role("button", name="Bewaren").click()

    wait_for_path(page, own.get_absolute_url())
    assert "“Allthingstalk” bewaard." in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name=re.compile(r"iot\.allthingstalk\.example")).count() == 1
    assert "bijgewerkt door het lid" in page.locator("section[aria-labelledby=about-heading]").inner_text()
    assert_accessible(axe, page)
    own.refresh_from_db()
    assert own.website == "https://iot.allthingstalk.example/"

    page.get_by_role("link", name="Geschiedenis van dit record").click()
    wait_for_path(page, "/history/organisation/allthingstalk/")
    newest = page.locator("ol.history > li").first
    assert "editor-a" in newest.locator(".history-who").inner_text()
    assert "web" in newest.locator(".history-channel").inner_text()
    assert "https://iot.allthingstalk.example/" in newest.locator("table.diff").inner_text()
    assert page.locator("ol.history > li").count() >= 2  # the study's load is the first version
    assert_accessible(axe, page)

    # Another organisation's edit page: 403, an accessible page, nothing to submit.
    response = page.goto(f"/organisaties/{OTHER}/bewerken/")
    assert response is not None and response.status == 403
    assert page.locator("h1").inner_text() == "Geen toegang"
    assert page.locator("form.edit-form").count() == 0
    assert_accessible(axe, page)


def test_second_of_two_concurrent_saves_is_told_and_nothing_is_overwritten(study_data, browser, live_server, page, axe):
    from helix.actors.models import Organisation
    from tests.factories import make_editor

    own = Organisation.objects.get(slug=OWN)
    make_editor("editor-a", own)
    make_editor("editor-a2", own)
    edit_url = f"/organisaties/{OWN}/bewerken/"

    other_context = browser.new_context(base_url=live_server.url, locale="nl-BE")
    try:
        other = other_context.new_page()
        other.set_default_timeout(15_000)
        sign_in(page, "editor-a")
        sign_in(other, "editor-a2")
        page.goto(edit_url)
        other.goto(edit_url)  # both opened the same version

        page.get_by_label("Website").fill("https://first.example/")
        page.get_by_role("button", name="Bewaren").click()
        wait_for_path(page, own.get_absolute_url())

        other.get_by_label("Website").fill("https://second.example/")
        with other.expect_response(lambda r: r.request.method == "POST") as saved:
            other.get_by_role("button", name="Bewaren").click()
        assert saved.value.status == 409
        conflict = other.get_by_role("alert").filter(has_text="Iemand anders heeft dit record gewijzigd")
        assert conflict.is_visible()
        assert "https://first.example/" in conflict.inner_text()  # the first editor's change
        assert other.get_by_label("Website").input_value() == "https://second.example/"  # own input kept
        assert_accessible(axe, other)

        own.refresh_from_db()
        assert own.website == "https://first.example/"
    finally:
        other_context.close()


def test_sign_in_is_throttled_after_too_many_wrong_passwords(study_data, page, axe, settings):
    from tests.factories import UserFactory

    settings.HELIX_LOGIN_MAX_FAILURES = 3
    UserFactory(username="forgetful")

    page.goto("/accounts/login/")
    for attempt in range(3):
        with page.expect_navigation():
            sign_in_with_keyboard(page, "forgetful", f"wrong password {attempt}")
        assert "Te veel mislukte" not in page.locator("#login-errors").inner_text()
        assert page.get_by_label("Gebruikersnaam").input_value() == "forgetful"
        page.get_by_label("Gebruikersnaam").fill("")  # the field keeps the focus (autofocus)
    assert_accessible(axe, page)

    # Locked now: even the right password is refused, and the message says why.
    with page.expect_navigation():
        sign_in_with_keyboard(page, "forgetful", PASSWORD)
    message = page.get_by_role("alert").inner_text()
    assert re.search(r"Te veel mislukte aanmeldpogingen\. Probeer opnieuw over \d+ minuten?\.", message), message
    assert "/accounts/login/" in page.url
    assert page.locator(".site-nav").get_by_role("link", name="Aanmelden").is_visible()  # still signed out
    assert_accessible(axe, page)

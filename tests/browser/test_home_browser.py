import pytest

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_loads_in_chromium_and_passes_axe(page, axe):
    page.goto("/")
    assert page.locator("h1").first.is_visible()
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert_accessible(axe, page)

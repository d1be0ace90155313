"""The linked-data catalogue page in Chromium: a person finds a registry, downloads its Turtle
dump with the keyboard, and follows a record's URI to its page. axe-core checks the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import tab_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_page_lists_registries_with_downloads(page, axe, settings, tmp_path):
    from tests.factories import InstrumentFactory, OrganisationFactory

    settings.HELIX_LINKED_DATA_DIR = str(tmp_path)
    org = OrganisationFactory(slug="ld-org", name="Linked Organisation")
    InstrumentFactory(slug="ld-instrument", title="Linked Instrument", offered_by=org)

    page.goto("/gekoppelde-data/")
    assert page.get_by_role("heading", level=1).is_visible()
    table = page.get_by_role("table", name=re.compile("registry|register", re.I))
    row = table.locator("tr#instruments")
    assert row.get_by_role("link", name=re.compile("Turtle")).is_visible()
    assert_accessible(axe, page)

    tab_until(page, 'tr#instruments a[href$="/data/dumps/instruments.ttl"]')
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    body = Path(info.value.path()).read_text(encoding="utf-8")
    graph = Graph().parse(data=body, format="turtle")
    assert any(str(s).endswith("/id/instrument/ld-instrument") for s in graph.subjects())

    # A record's URI leads a browser to the record's page.
    page.goto("/id/instrument/ld-instrument")
    assert page.get_by_role("heading", level=1, name="Linked Instrument").is_visible()

    page.goto("/en/gekoppelde-data/")
    assert page.get_by_role("heading", level=1, name="Linked open data").is_visible()
    assert_accessible(axe, page)

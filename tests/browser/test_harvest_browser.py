"""Harvesting in Chromium: a curator registers the real Rostock sample catalogue (served on
127.0.0.1) as a source, harvests it, follows the run and finds the dataset. axe-core checks
every page visited. In English: the Dutch translations of these pages are not compiled yet."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "spec" / "samples"


@pytest.fixture
def catalogue(settings, transactional_db):
    from helix.opendata.tests.catalogue_server import CatalogueServer
    from tests.factories import make_curator

    settings.HELIX_HARVEST_ALLOW_LOOPBACK = True
    settings.HELIX_LINKCHECK_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_curator("curator")
    server = CatalogueServer()
    server.routes["/rostock.rdf"] = (200, "application/rdf+xml", (SAMPLES / "dataset_gov_de.rdf").read_bytes())
    server.start()
    yield server
    server.stop()


def test_curator_registers_a_source_harvests_it_and_sees_the_dataset(catalogue, page, axe):
    from helix.opendata.models import HarvestRun, HarvestSource, RunStatus

    sign_in(page, "curator")
    page.goto("/en/open-data/bronnen/")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Register a source").click()
    page.get_by_label("Title").fill("Rostock (voorbeeld)")
    page.get_by_label("Catalogue URL").fill(catalogue.url("/rostock.rdf"))
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("h1:has-text('Rostock (voorbeeld)')")
    assert HarvestSource.objects.get().organisation is None
    assert_accessible(axe, page)
    page.get_by_role("button", name="Harvest now").click()
    page.wait_for_selector("#run-status")
    run = HarvestRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED, run.report
    with translation.override("en"):  # the page is the English one
        assert page.locator("#run-status [role=status]").inner_text().strip().startswith(run.get_status_display())
    assert_accessible(axe, page)
    page.get_by_role("link", name="Datasets of this source").click()
    page.get_by_role("link", name="Liefer- und Abholservices (Gastronomie)").click()
    page.wait_for_selector("h1:has-text('Liefer- und Abholservices')")
    assert page.get_by_role("table", name="Distributions of this dataset").locator("tbody tr").count() == 9
    assert_accessible(axe, page)

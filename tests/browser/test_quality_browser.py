"""Open data quality in Chromium: the region overview, a municipality's portfolio with the
changes that would raise its score, and a dataset's stars and MQA with reasons.
axe-core checks every page visited."""

from __future__ import annotations

import re

import pytest
import rdflib

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _harvested(source, sample, org=None):
    from helix.opendata import harvest_parse
    from helix.opendata.models import Dataset, Distribution
    from helix.opendata.quality.vocab import SPEC_DIR

    g = rdflib.Graph().parse(SPEC_DIR / "samples" / sample)
    record = harvest_parse.extract_dataset(g, next(harvest_parse.dataset_nodes(g)))
    ds = Dataset.objects.create(source=source, uri=record.uri, rdf=record.rdf, organisation=org, **record.fields)
    for d in record.distributions:
        Distribution.objects.create(dataset=ds, **vars(d))
    return ds


def test_municipality_sees_how_to_improve_its_portfolio(page, axe):
    from helix.opendata.models import HarvestSource
    from helix.opendata.quality import load_spec
    from helix.opendata.scoring import score_datasets
    from tests.factories import MunicipalityFactory

    town = MunicipalityFactory(slug="rostock", name="Rostock")
    source = HarvestSource.objects.create(title="Samples", url="https://example.org/catalogue.ttl")
    rostock = _harvested(source, "dataset_gov_de.rdf", org=town)
    madrid = _harvested(source, "dataset_gob_es.ttl")
    rostock.distributions.update(access_url_status=404)  # as the link checker found them
    score_datasets([rostock.pk, madrid.pk])
    rostock.refresh_from_db()

    page.goto("/open-data/kwaliteit/")
    assert page.get_by_role("heading", level=1).is_visible()
    table = page.get_by_role("table", name=re.compile("Publishers|Publicerende organisaties", re.I))
    assert table.get_by_role("link", name="Rostock").is_visible()
    assert table.get_by_text("Ayuntamiento de Madrid").is_visible()
    assert_accessible(axe, page)

    # keyboard: follow the publisher link to the portfolio
    link = table.get_by_role("link", name="Rostock")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/open-data/kwaliteit/rostock/$"))
    advice = page.locator("ol.advice > li")
    assert advice.count() == 3
    assert "50" in advice.first.inner_text()  # the broken access URLs cost the most
    assert page.get_by_role("link", name=rostock.title).is_visible()
    assert_accessible(axe, page)

    # the dataset page shows the stars with reasons and the MQA table per dimension
    page.get_by_role("link", name=rostock.title).click()
    page.wait_for_url(re.compile(rf"/open-data/datasets/{rostock.pk}/$"))
    panel = page.locator("section.quality")
    assert panel.locator("ol.star-reasons > li").count() == 5
    mqa = panel.locator("table.mqa")
    assert mqa.locator("tbody").count() == 5
    assert f"{rostock.mqa_score} / {load_spec().max_total}" in panel.inner_text()
    assert_accessible(axe, page)

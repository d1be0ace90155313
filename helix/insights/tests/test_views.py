"""Insights pages: server-rendered tables (no JavaScript needed), chart specs, csv exports."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from helix.insights import geo
from helix.insights.analyses import ANALYSES
from tests.factories import (
    ChallengeFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SchemeFactory,
    SolutionFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def landscape():
    mobility = TermFactory(
        scheme=SchemeFactory(slug="domains"), code="smart-mobility", label_nl="Slimme mobiliteit", label_en="Smart mobility"
    )
    gent = MunicipalityFactory(slug="gemeente-gent", name="Gent")
    MunicipalityFactory(slug="gemeente-zele", name="Zele")
    published = ChallengeFactory(owners=[gent])
    published.domains.set([mobility])
    draft = ChallengeFactory(owners=[gent], status="draft", published_at=None)
    draft.domains.set([mobility])
    company = OrganisationFactory(slug="sensortech", subkind="start-up", founded_year=2015)
    OrganisationFactory(subkind="start-up", founded_year=2018)
    SolutionFactory(organisation=company).domains.set([mobility])
    return {"gent": gent, "mobility": mobility}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_renders_its_tables_without_javascript(client, landscape, prefix):
    response = client.get(f"{prefix}/inzichten/")
    assert response.status_code == 200
    for slug in ANALYSES:
        response = client.get(f"{prefix}/inzichten/{slug}/")
        assert response.status_code == 200, slug
        html = response.content.decode()
        assert "<table" in html and "<caption>" in html, slug
        assert "vendor/vega-embed/vega-embed.min.js" in html
        assert "cdn" not in html.lower(), "pages work offline: nothing from a CDN"


def test_chart_specs_carry_the_drill_down_links(client, landscape):
    html = client.get("/inzichten/actoren/").content.decode()
    spec = json.loads(re.search(r'<script id="spec-actoren-kinds" type="application/json">(.*?)</script>', html, re.S).group(1))
    companies = next(d for d in spec["data"]["values"] if d["url"] == "/organisaties/?kind=company")
    assert companies["value"] == 2
    assert '<a href="/organisaties/?kind=company" data-drill>2</a>' in html


def test_demand_counts_published_challenges_only_like_the_public_list(client, landscape):
    html = client.get("/inzichten/vraag-en-aanbod/").content.decode()
    assert '<a href="/uitdagingen/?domain=smart-mobility" data-drill>1</a>' in html
    assert '<a href="/oplossingen/?domain=smart-mobility" data-drill>1</a>' in html
    listed = client.get("/uitdagingen/?domain=smart-mobility")
    assert listed.context["total"] == 1


def test_municipality_page_names_early_adopters_and_who_is_missing(client, landscape):
    response = client.get("/inzichten/gemeenten/")
    html = response.content.decode()
    assert '<a href="/uitdagingen/?owner=gemeente-gent" data-drill>1</a>' in html
    missing = [m["slug"] for _, munis in response.context["missing"] for m in munis]
    assert missing == ["gemeente-zele"]


def test_csv_export_is_the_table(client, landscape):
    response = client.get("/inzichten/actoren/subkinds.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="helix-actoren-subkinds.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {"key": "company:start-up", "organisations": "2"}.items() <= rows[0].items()


def test_unknown_analysis_or_table_is_404(client, landscape):
    assert client.get("/inzichten/bestaat-niet/").status_code == 404
    assert client.get("/inzichten/actoren/bestaat-niet.csv").status_code == 404


def test_map_shapes_and_arrondissements():
    assert geo.arrondissement_of("11002") == "antwerpen"
    assert geo.arrondissement_of("44021") == "oost-vlaanderen"
    ring = [[0.0, 0.0], [1.0, 0.00001], [2.0, 0.0], [2.0, 2.0], [1.0, 2.00001], [0.0, 2.0], [0.0, 0.0]]
    simple = geo.simplify(ring, tolerance=0.001)
    assert simple[0] == simple[-1] == [0.0, 0.0] and [1.0, 0.0] not in simple and len(simple) == 5


def test_the_shipped_geojson_has_every_arrondissement():
    from django.contrib.staticfiles import finders

    path = finders.find("insights/arrondissements.geojson")
    assert path
    with open(path, encoding="utf-8") as f:
        shapes = json.load(f)
    assert {feature["id"] for feature in shapes["features"]} == set(geo.arrondissement_names())
    assert "NGI" in shapes["attribution"]

"""Scoring stored on the dataset rows, the quality panel, portfolio and overview pages."""

from __future__ import annotations

import dataclasses

import pytest
import rdflib
from django.urls import reverse

from helix.opendata.models import Dataset, Distribution, HarvestSource
from helix.opendata.quality import load_spec
from helix.opendata.quality.rdf_facts import facts_from_graph
from helix.opendata.quality.vocab import FILE_TYPE, LICENCE, SPEC_DIR
from helix.opendata.scoring import score_datasets
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SAMPLES = SPEC_DIR / "samples"


def make_dataset(source, sample: str, org=None, normalise: bool = False, uri_suffix: str = "") -> Dataset:
    """A dataset row as the harvester would store it (RDF kept as N-Triples)."""
    g = rdflib.Graph().parse(SAMPLES / sample)
    facts = facts_from_graph(g)
    ds = Dataset.objects.create(
        source=source,
        uri=facts.uri + uri_suffix,
        title=facts.title,
        keywords=list(facts.keywords),
        themes=list(facts.themes),
        spatial=list(facts.spatial),
        access_rights=facts.access_rights,
        has_contact_point=facts.has_contact_point,
        publisher_uri=facts.publisher_uri,
        publisher_name=facts.publisher_name,
        organisation=org,
        rdf=g.serialize(format="nt"),
    )
    for d in facts.distributions:
        if normalise and d.licence_original.endswith("cc-zero"):
            d = dataclasses.replace(d, licence=LICENCE + "CC0", licence_original=d.licence_original)
        if normalise and d.format_original == "XLS":
            d = dataclasses.replace(d, format=FILE_TYPE + "XLS")
        Distribution.objects.create(
            dataset=ds,
            access_url=d.access_url,
            download_urls=list(d.download_urls),
            format=d.format,
            format_original=d.format_original,
            media_type=d.media_type,
            media_type_original=d.media_type_original,
            licence=d.licence,
            licence_original=d.licence_original,
            byte_size=d.byte_size,
            rights=d.rights,
            issued=d.issued,
            modified=d.modified,
        )
    return ds


@pytest.fixture
def source():
    return HarvestSource.objects.create(title="Samples", url="https://example.org/catalogue.ttl")


@pytest.fixture
def org():
    return OrganisationFactory(slug="rostock", name="Hanse- und Universitätsstadt Rostock")


def test_score_datasets_stores_results(source, org):
    madrid = make_dataset(source, "dataset_gob_es.ttl")
    rostock = make_dataset(source, "dataset_gov_de.rdf", org=org, normalise=True)
    assert score_datasets([madrid.pk, rostock.pk]) == 2
    madrid.refresh_from_db()
    rostock.refresh_from_db()
    for ds in (madrid, rostock):
        assert ds.scored_at is not None
        assert ds.mqa_score == ds.mqa["total"]
        assert ds.mqa_score is not None
        assert ds.mqa_band == load_spec().band_for(ds.mqa_score).key
        assert [r["star"] for r in ds.stars_reasons] == [1, 2, 3, 4, 5]
        assert {d["key"] for d in ds.mqa["dimensions"]} == {
            "findability",
            "accessibility",
            "interoperability",
            "reusability",
            "contextuality",
        }
    # literal access URL detected from the stored RDF
    access = {i["key"]: i for d in madrid.mqa["dimensions"] for i in d["indicators"]}["accessUrlStatusCode"]
    assert access["why_code"] == "link_literal"
    assert madrid.stars == 0
    # normalised CC0 licence and GeoJSON: three stars
    assert rostock.stars == 3
    assert (rostock.mqa_score or 0) > (madrid.mqa_score or 0)


def test_link_check_results_change_the_score(source):
    ds = make_dataset(source, "dataset_gov_de.rdf", normalise=True)
    score_datasets([ds.pk])
    ds.refresh_from_db()
    before = ds.mqa_score or 0
    ds.distributions.all().update(access_url_status=200, download_url_status=200)
    score_datasets([ds.pk])
    ds.refresh_from_db()
    spec = load_spec()
    gain = spec.metric("accessUrlStatusCode").true_score + spec.metric("downloadUrlStatusCode").true_score
    assert ds.mqa_score == before + gain


def test_score_datasets_ignores_unknown_ids(source):
    assert score_datasets([]) == 0
    assert score_datasets([987654]) == 0


def test_scoring_is_recorded_in_history(source):
    ds = make_dataset(source, "dataset_gob_es.ttl")
    score_datasets([ds.pk])
    events = Dataset.pgh_event_model.objects.filter(pgh_obj_id=ds.pk, pgh_label="update")  # type: ignore[attr-defined]
    assert events.exists()
    assert events.latest("pgh_id").pgh_context is not None


def test_portfolio_page(client, source, org):
    rostock = make_dataset(source, "dataset_gov_de.rdf", org=org, normalise=True)
    other = make_dataset(source, "dataset_gob_es.ttl", org=org)
    score_datasets([rostock.pk, other.pk])
    response = client.get(reverse("opendata_quality:portfolio", args=[org.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert rostock.title in html and other.title in html
    changes = response.context["changes"]
    assert len(changes) == 3
    assert changes[0]["gain"] >= changes[1]["gain"] >= changes[2]["gain"]
    # both records violate DCAT-AP: that change applies to both datasets
    dcat = [c for c in changes if c["indicator"] == "dcatApCompliance"]
    assert dcat and dcat[0]["datasets"] == 2
    assert sum(s["count"] for s in response.context["stars"]) == 2
    assert sum(b["count"] for b in response.context["bands"]) == 2


def test_organisation_page_links_to_its_portfolio_only_when_it_publishes(client, source, org):
    portfolio = reverse("opendata_quality:portfolio", args=[org.slug])
    assert portfolio not in client.get(org.get_absolute_url()).content.decode()
    make_dataset(source, "dataset_gov_de.rdf", org=org)
    html = client.get(org.get_absolute_url()).content.decode()
    assert f'href="{portfolio}"' in html and 'id="opendata-heading"' in html


def test_portfolio_of_unknown_or_archived_organisation_is_404(client, org):
    assert client.get(reverse("opendata_quality:portfolio", args=["nope"])).status_code == 404
    from django.utils import timezone

    org.archived_at = timezone.now()
    org.save(update_fields=["archived_at"])
    assert client.get(reverse("opendata_quality:portfolio", args=[org.slug])).status_code == 404


def test_overview_lists_publishers_with_their_level(client, source, org):
    ds1 = make_dataset(source, "dataset_gov_de.rdf", org=org, normalise=True)
    ds2 = make_dataset(source, "dataset_gob_es.ttl")
    score_datasets([ds1.pk, ds2.pk])
    response = client.get(reverse("opendata_quality:overview"))
    assert response.status_code == 200
    publishers = response.context["publishers"]
    assert [p["slug"] for p in publishers] == [org.slug]
    ds1.refresh_from_db()
    assert publishers[0]["average"] == ds1.mqa_score
    assert publishers[0]["stars"][3] == 1
    # what they publish: the file types of most datasets
    assert "GEOJSON" in publishers[0]["formats"]
    others = response.context["others"]
    assert others[0]["name"] == "Ayuntamiento de Madrid"
    assert others[0]["formats"] == []  # the raw Madrid format is not an EU file type
    html = response.content.decode()
    assert reverse("opendata_quality:portfolio", args=[org.slug]) in html
    # the English pages render too
    from django.utils import translation

    with translation.override("en"):
        assert client.get(reverse("opendata_quality:overview")).status_code == 200
        assert client.get(reverse("opendata_quality:portfolio", args=[org.slug])).status_code == 200


def test_quality_partial_renders_stars_and_mqa(source):
    from django.template.loader import render_to_string

    ds = make_dataset(source, "dataset_gob_es.ttl")
    html = render_to_string("opendata/partials/quality.html", {"dataset": ds})
    assert "not been scored" in html or "nog niet" in html
    score_datasets([ds.pk])
    ds.refresh_from_db()
    html = render_to_string("opendata/partials/quality.html", {"dataset": ds})
    assert f"{ds.mqa_score} / {load_spec().max_total}" in html
    assert html.count("<tbody>") == 5  # one group per dimension
    assert "dcat:accessURL" in html  # a DCAT-AP violation listed
    assert "opendata_quality" not in html  # no unresolved url names


def test_quality_panel_links_to_the_publishers_portfolio(source, org):
    from django.template.loader import render_to_string

    ds = make_dataset(source, "dataset_gov_de.rdf", org=org, normalise=True)
    score_datasets([ds.pk])
    ds.refresh_from_db()
    html = render_to_string("opendata/partials/quality.html", {"dataset": ds})
    assert reverse("opendata_quality:portfolio", args=[org.slug]) in html


def harvested(source, sample: str, org=None) -> Dataset:
    """A dataset row built by the harvester's own extraction (normalised values)."""
    from helix.opendata import harvest_parse

    g = rdflib.Graph().parse(SAMPLES / sample)
    record = harvest_parse.extract_dataset(g, next(harvest_parse.dataset_nodes(g)))
    ds = Dataset.objects.create(source=source, uri=record.uri, rdf=record.rdf, organisation=org, **record.fields)
    for d in record.distributions:
        Distribution.objects.create(dataset=ds, **vars(d))
    return ds


def test_harvested_samples_are_scored_on_normalised_values(source):
    madrid = harvested(source, "dataset_gob_es.ttl")
    rostock = harvested(source, "dataset_gov_de.rdf")
    score_datasets([madrid.pk, rostock.pk])
    madrid.refresh_from_db()
    rostock.refresh_from_db()

    def ind(ds):
        return {i["key"]: i for d in ds.mqa["dimensions"] for i in d["indicators"]}

    m = ind(madrid)
    # the media type given as format was aligned to file-type XLS by the harvester:
    # machine-readable but proprietary; still no dcat:mediaType
    assert m["formatMediaTypeMachineInterpretable"]["met"] is True
    assert m["formatMediaTypeNonProprietary"]["met"] is False
    assert m["mediaTypeAvailability"]["points"] < 0
    assert m["accessUrlStatusCode"]["why_code"] == "link_literal"
    assert madrid.stars == 0
    r = ind(rostock)
    # dcat-ap.de cc-zero normalised to the EU licence CC0
    assert r["knownLicence"]["met"] is True
    assert rostock.stars == 3
    assert r["dcatApCompliance"]["met"] is False


def test_rescoring_reuses_the_dcat_ap_outcome_of_unchanged_rdf(source, monkeypatch):
    from helix.opendata import scoring

    ds = harvested(source, "dataset_gob_es.ttl")
    calls = []
    real = scoring.validate_graph

    def counting(g):
        calls.append(1)
        return real(g)

    monkeypatch.setattr(scoring, "validate_graph", counting)
    score_datasets([ds.pk])
    assert len(calls) == 1
    ds.refresh_from_db()
    violations = ds.mqa["dcat_ap_violations"]
    Distribution.objects.filter(dataset=ds).update(access_url_status=200)
    score_datasets([ds.pk])
    assert len(calls) == 1  # same RDF: not validated again
    ds.refresh_from_db()
    assert ds.mqa["dcat_ap_violations"] == violations
    # changed RDF: validated again
    Dataset.objects.filter(pk=ds.pk).update(rdf=ds.rdf + '<https://x.example/a> <https://x.example/b> "c" .\n')
    score_datasets([ds.pk])
    assert len(calls) == 2


def test_dataset_without_rdf_is_scored_with_compliance_not_checked(source):
    ds = make_dataset(source, "dataset_gob_es.ttl")
    Dataset.objects.filter(pk=ds.pk).update(rdf="")
    assert score_datasets([ds.pk]) == 1
    ds.refresh_from_db()
    ind = {i["key"]: i for d in ds.mqa["dimensions"] for i in d["indicators"]}
    assert ind["dcatApCompliance"]["met"] is False
    assert ind["dcatApCompliance"]["not_checked"] is True
    assert ind["dcatApCompliance"]["why_code"] == "dcat_ap_no_rdf"


def test_one_failing_record_does_not_stop_the_others(source, monkeypatch):
    from helix.opendata import scoring

    good = make_dataset(source, "dataset_gob_es.ttl")
    bad = make_dataset(source, "dataset_gov_de.rdf")
    real = scoring.assess_dataset

    def flaky(ds):
        if ds.pk == bad.pk:
            raise ValueError("broken record")
        return real(ds)

    monkeypatch.setattr(scoring, "assess_dataset", flaky)
    assert score_datasets([good.pk, bad.pk]) == 1
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.scored_at is not None and bad.scored_at is None


def test_overview_lists_unscored_publishers_last(client, source, org):
    other = OrganisationFactory(slug="aaa-first-by-name", name="AAA first by name")
    scored = make_dataset(source, "dataset_gob_es.ttl", org=org)
    make_dataset(source, "dataset_gov_de.rdf", org=other)  # not scored
    score_datasets([scored.pk])
    publishers = client.get(reverse("opendata_quality:overview")).context["publishers"]
    assert [p["slug"] for p in publishers] == [org.slug, other.slug]
    assert publishers[1]["average"] is None and publishers[1]["scored"] == 0


def test_rescoring_an_unchanged_result_writes_nothing(source):
    ds = make_dataset(source, "dataset_gov_de.rdf", normalise=True)
    score_datasets([ds.pk])
    events = Dataset.pgh_event_model.objects.filter(pgh_obj_id=ds.pk)  # type: ignore[attr-defined]
    before = events.count()
    ds.refresh_from_db()
    scored_at = ds.scored_at
    assert score_datasets([ds.pk]) == 1
    ds.refresh_from_db()
    assert ds.scored_at == scored_at
    assert events.count() == before
    # a changed result is written
    Distribution.objects.filter(dataset=ds).update(access_url_status=200)
    score_datasets([ds.pk])
    ds.refresh_from_db()
    assert ds.scored_at > scored_at
    assert events.count() == before + 1

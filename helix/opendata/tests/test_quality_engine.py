"""The pure quality engine on the two real sample records (data/spec/samples/).

No database: facts are built from the records parsed with rdflib.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import time
from pathlib import Path

import pytest
import rdflib

from helix.opendata.quality import assess, load_spec, portfolio_changes, rate, score_mqa, top_changes
from helix.opendata.quality.advice import change_for
from helix.opendata.quality.rdf_facts import facts_from_graph
from helix.opendata.quality.shacl import validate_graph
from helix.opendata.quality.types import DatasetFacts, DistributionFacts, MqaResult
from helix.opendata.quality.vocab import FILE_TYPE, IANA_PREFIXES, LICENCE, SPEC_DIR

SAMPLES = SPEC_DIR / "samples"
MADRID = SAMPLES / "dataset_gob_es.ttl"
ROSTOCK = SAMPLES / "dataset_gov_de.rdf"
IANA = IANA_PREFIXES[0]


@pytest.fixture(scope="module")
def madrid() -> DatasetFacts:
    return facts_from_graph(rdflib.Graph().parse(MADRID))


@pytest.fixture(scope="module")
def rostock() -> DatasetFacts:
    return facts_from_graph(rdflib.Graph().parse(ROSTOCK))


def indicators(result: MqaResult) -> dict:
    return {i.key: i for d in result.dimensions for i in d.indicators}


# --- the spec files ----------------------------------------------------------


def test_scores_come_from_the_piveau_vocabulary():
    spec = load_spec()
    g = rdflib.Graph().parse(SPEC_DIR / "mqa" / "piveau-dqv-vocabulary.ttl")
    pv = rdflib.Namespace("https://piveau.eu/ns/voc#")
    for metric in spec.metrics:
        assert int(str(g.value(pv[metric.key], pv.trueScore))) == metric.true_score
    # every metric with a score is an indicator, and the maximum is their sum
    assert len(spec.metrics) == len(list(g.subjects(pv.trueScore, None)))
    assert spec.max_total == sum(int(str(s)) for s in g.objects(None, pv.trueScore))
    assert spec.metric("formatAvailability").false_score == int(str(g.value(pv.formatAvailability, pv.falseScore)))
    # the misspelt pv:reusablity dimension is read as reusability
    assert spec.metric("accessRightsAvailability").dimension == "reusability"
    dims = {m.dimension for m in spec.metrics}
    assert dims == {"findability", "accessibility", "interoperability", "reusability", "contextuality"}


def test_bands_follow_the_scoring_scheme():
    spec = load_spec()
    by_key = {b.key: b for b in spec.bands}
    assert set(by_key) == {"excellent", "good", "enough", "bad"}
    assert by_key["excellent"].high == spec.max_total
    # the bands tile 0..max without gaps
    edges = sorted((b.low, b.high) for b in spec.bands)
    assert edges[0][0] == 0
    for (_, high), (low, _) in itertools.pairwise(edges):
        assert low == high + 1
    assert spec.band_for(by_key["good"].low).key == "good"
    assert spec.band_for(by_key["good"].low - 1).key == "enough"


def test_format_lists_are_read_from_the_edp_files():
    spec = load_spec()
    text = (SPEC_DIR / "mqa" / "edp-non-proprietary-format.rdf").read_text()
    assert FILE_TYPE + "CSV" in spec.non_proprietary
    assert (FILE_TYPE + "XLSX" in spec.non_proprietary) == ("file-type/XLSX" in text)
    assert FILE_TYPE + "XLS" in spec.machine_readable
    ckan = json.loads((SPEC_DIR / "mqa" / "resource_format_openness_scores.json").read_text())
    assert spec.openness["CSV"] == dict(r for r in ckan if r[0] != "_comment")["CSV"]


# --- Madrid (datos.gob.es): literal access URL, media type as format ----------


def test_madrid_literal_access_url_fails_accessibility(madrid):
    ind = indicators(score_mqa(madrid))
    assert madrid.distributions[0].access_url_is_iri is False
    assert ind["accessUrlStatusCode"].met is False
    assert ind["accessUrlStatusCode"].why_code == "link_literal"
    assert ind["downloadUrlAvailability"].met is False
    assert ind["downloadUrlStatusCode"].points == 0


def test_madrid_media_type_given_as_format(madrid):
    result = score_mqa(madrid)
    ind = indicators(result)
    # dct:format points to a dct:IMT node labelled XLS: a format is given...
    assert ind["formatAvailability"].met is True
    assert ind["formatAvailability"].points == load_spec().metric("formatAvailability").true_score
    assert "XLS" in ind["formatAvailability"].why
    # ...but no dcat:mediaType, which costs the falseScore
    spec = load_spec()
    assert ind["mediaTypeAvailability"].met is False
    assert ind["mediaTypeAvailability"].points == spec.metric("mediaTypeAvailability").false_score < 0
    assert ind["mediaTypeAvailability"].gain == spec.metric("mediaTypeAvailability").true_score - (
        spec.metric("mediaTypeAvailability").false_score
    )
    # neither is an IRI of the controlled vocabularies
    assert ind["formatMediaTypeVocabularyAlignment"].met is False


def test_madrid_dataset_level_facts(madrid):
    ind = indicators(score_mqa(madrid))
    assert ind["keywordAvailability"].met and ind["categoryAvailability"].met
    assert not ind["spatialAvailability"].met and not ind["temporalAvailability"].met
    assert ind["publisherAvailability"].met and "Ayuntamiento de Madrid" in ind["publisherAvailability"].why
    assert not ind["contactPointAvailability"].met
    assert not ind["accessRightsAvailability"].met
    # the licence sits on the dataset, not on the distribution, as the metric asks
    assert not ind["licenceAvailability"].met
    assert ind["byteSizeAvailability"].met  # 43008.0 given
    assert not ind["dateIssuedAvailability"].met  # only the dataset has dct:issued


def test_madrid_is_not_dcat_ap_compliant(madrid):
    outcome = validate_graph(rdflib.Graph().parse(MADRID))
    assert not outcome.conforms
    paths = " ".join(outcome.violations)
    assert "dcat:accessURL" in paths  # literal where an IRI is required
    assert "dcat:byteSize" in paths  # xsd:decimal instead of xsd:nonNegativeInteger
    assert "language" in paths  # "es" as a literal
    ind = indicators(score_mqa(madrid))
    assert ind["dcatApCompliance"].met is False
    assert str(len(outcome.violations)) in ind["dcatApCompliance"].why


def test_madrid_total_is_the_sum_and_band_matches(madrid):
    result = score_mqa(madrid)
    assert result.total == sum(i.points for d in result.dimensions for i in d.indicators)
    assert result.total == sum(d.points for d in result.dimensions)
    assert result.band == load_spec().band_for(result.total).key
    assert result.band == "bad"


def test_madrid_normalised_xls_is_machine_readable_but_proprietary(madrid):
    d = dataclasses.replace(madrid.distributions[0], format=FILE_TYPE + "XLS")
    facts = dataclasses.replace(madrid, distributions=(d,))
    ind = indicators(score_mqa(facts))
    assert ind["formatMediaTypeMachineInterpretable"].met is True
    assert ind["formatMediaTypeNonProprietary"].met is False


def test_madrid_stars(madrid):
    rating = rate(madrid)
    assert rating.stars == 0
    assert [r.star for r in rating.reasons] == [1, 2, 3, 4, 5]
    assert rating.reasons[0].why_code == "no_url"  # the access URL is a literal
    assert rating.reasons[0].label == load_spec().star_labels[1]


# --- Rostock (opendata-hro.de): EU file types, 9 distributions -----------------


def test_rostock_best_distribution_is_scored(rostock):
    result = score_mqa(rostock)
    assert len(rostock.distributions) == 9
    best = rostock.distributions[result.distribution_index]
    assert best.format == FILE_TYPE + "GEOJSON"
    ind = indicators(result)
    for key in (
        "formatAvailability",
        "mediaTypeAvailability",
        "formatMediaTypeVocabularyAlignment",
        "formatMediaTypeNonProprietary",
        "formatMediaTypeMachineInterpretable",
        "downloadUrlAvailability",
        "rightsAvailability",
        "byteSizeAvailability",
        "dateIssuedAvailability",
        "dateModifiedAvailability",
    ):
        assert ind[key].met, key
    # scoring any other distribution would not give more points
    spec = load_spec()
    for i in range(len(rostock.distributions)):
        only = dataclasses.replace(rostock, distributions=(rostock.distributions[i],))
        assert score_mqa(only, spec).total <= result.total


def test_rostock_dataset_level(rostock):
    ind = indicators(score_mqa(rostock))
    assert ind["spatialAvailability"].met and ind["contactPointAvailability"].met
    assert ind["accessRightsVocabularyAlignment"].met  # .../access-right/PUBLIC
    assert not ind["temporalAvailability"].met
    # the German licence IRI is not from the EU vocabulary until normalised
    assert ind["licenceAvailability"].met and not ind["knownLicence"].met
    # links not checked yet: no points, flagged as not checked
    assert not ind["accessUrlStatusCode"].met and ind["accessUrlStatusCode"].not_checked
    # literal dct:conformsTo and decimal byte sizes violate DCAT-AP
    assert not ind["dcatApCompliance"].met
    assert "conformsTo" in " ".join(score_mqa(rostock).dcat_ap_violations)


def test_rostock_link_checks_and_normalised_licence_raise_score(rostock):
    before = score_mqa(rostock)
    dists = tuple(
        dataclasses.replace(
            d, licence=LICENCE + "CC0", access_url_status=200, download_url_status=200 if d.download_urls else None
        )
        for d in rostock.distributions
    )
    after = score_mqa(dataclasses.replace(rostock, distributions=dists))
    spec = load_spec()
    expected = sum(spec.metric(k).true_score for k in ("accessUrlStatusCode", "downloadUrlStatusCode", "knownLicence"))
    assert after.total - before.total == expected


def test_rostock_stars(rostock):
    assert rate(rostock).stars == 0  # licence not recognised yet
    dists = tuple(dataclasses.replace(d, licence=LICENCE + "CC0") for d in rostock.distributions)
    rating = rate(dataclasses.replace(rostock, distributions=dists))
    assert rating.stars == 3  # GeoJSON: machine-readable, open, not RDF
    best = rostock.distributions[rating.distribution_index]
    assert best.format == FILE_TYPE + "GEOJSON"
    assert [r.met for r in rating.reasons] == [True, True, True, False, False]
    assert rating.reasons[3].why_code == "not_rdf"


def test_broken_link_loses_the_first_star(rostock):
    d = dataclasses.replace(rostock.distributions[0], licence=LICENCE + "CC0", download_url_status=404)
    rating = rate(dataclasses.replace(rostock, distributions=(d,)))
    assert rating.stars == 0
    assert rating.reasons[0].why_code == "broken"
    # a later star whose own criterion holds is still not awarded
    assert rating.reasons[1].met is False and "needs_lower" in rating.reasons[1].why_code


def test_rdf_with_links_earns_five_stars():
    d = DistributionFacts(
        access_url="https://example.org/data.ttl",
        download_urls=("https://example.org/data.ttl",),
        format=FILE_TYPE + "RDF_TURTLE",
        media_type=IANA + "text/turtle",
        licence=LICENCE + "CC_BY_4_0",
    )
    facts = DatasetFacts(uri="https://example.org/ds", distributions=(d,))
    assert rate(facts).stars == 4
    assert rate(dataclasses.replace(facts, links=("https://www.wikidata.org/entity/Q1",))).stars == 5


# --- advice ------------------------------------------------------------------


def _expected_changes(result: MqaResult) -> dict[str, int]:
    expected: dict[str, int] = {}
    for d in result.dimensions:
        for i in d.indicators:
            change = change_for(i)
            if change:
                expected[change] = expected.get(change, 0) + i.gain
    return expected


def test_top_changes_are_the_biggest_gains(madrid, rostock):
    for facts in (madrid, rostock):
        result = score_mqa(facts)
        advice = top_changes(result)
        expected = _expected_changes(result)
        assert len(advice) == 3
        assert [a.gain for a in advice] == sorted(expected.values(), reverse=True)[:3]
        for a in advice:
            assert a.gain == expected[a.indicator]
            assert a.what


def test_madrid_advice_names_the_concrete_fixes(madrid):
    advice = {a.indicator: a for a in top_changes(score_mqa(madrid), n=30)}
    spec = load_spec()
    # the literal access URL: give it as a link
    assert advice["accessUrlAsLink"].gain == spec.metric("accessUrlStatusCode").true_score
    # no download URL: one change meets "given" and "answers"
    assert advice["giveDownloadUrl"].gain == (
        spec.metric("downloadUrlAvailability").true_score + spec.metric("downloadUrlStatusCode").true_score
    )
    # no licence on the distribution: an EU licence meets both licence indicators
    assert advice["useEuLicence"].gain == (spec.metric("licenceAvailability").true_score + spec.metric("knownLicence").true_score)
    # a missing media type gains its falseScore back
    assert advice["mediaTypeAvailability"].gain == (
        spec.metric("mediaTypeAvailability").true_score - spec.metric("mediaTypeAvailability").false_score
    )


def test_links_not_checked_are_not_advice(rostock):
    result = score_mqa(rostock)
    not_checked = {i.key for d in result.dimensions for i in d.indicators if i.not_checked}
    assert {"accessUrlStatusCode", "downloadUrlStatusCode"} <= not_checked
    keys = {a.indicator for a in top_changes(result, n=30)}
    assert not keys & {"repairAccessUrl", "repairDownloadUrl", "giveDownloadUrl"}


def test_portfolio_changes_sum_over_datasets(madrid, rostock):
    results = [score_mqa(madrid), score_mqa(rostock)]
    advice = portfolio_changes(results)
    assert len(advice) == 3
    per_result = [_expected_changes(r) for r in results]
    for a in advice:
        applies = [e[a.indicator] for e in per_result if a.indicator in e]
        assert a.datasets == len(applies)
        assert a.gain == sum(applies)
    assert advice[0].gain >= advice[1].gain >= advice[2].gain


def test_results_are_json_serialisable(rostock):
    report = assess(rostock)
    json.dumps(dataclasses.asdict(report.mqa))
    json.dumps([dataclasses.asdict(r) for r in report.stars.reasons])


def test_scoring_speed(rostock, madrid):
    """Scoring reuses the parsed shapes graph: far below a second per record."""
    assess(rostock)  # warm up: shapes loaded once
    start = time.perf_counter()
    n = 10
    for _ in range(n):
        assess(madrid)
        assess(rostock)
    per_second = 2 * n / (time.perf_counter() - start)
    assert per_second > 5, per_second


def test_spec_dir_is_the_repository_data(madrid):
    assert Path(SPEC_DIR).is_dir() and (SPEC_DIR / "SOURCES.md").exists()

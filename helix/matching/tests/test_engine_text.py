"""Text relevance of the matching engine: analysis (Dutch and English) and BM25."""

from __future__ import annotations

import pytest

from helix.matching.engine.text import TextIndex, analyze, fold, terms_of_token, tokenize


def test_fold_lower_cases_and_strips_accents() -> None:
    assert fold("Rénovatie van de Brûlé-Straat") == "renovatie van de brule-straat"


def test_tokenize_splits_on_non_alphanumerics_and_drops_stop_words_and_single_characters() -> None:
    assert tokenize("De slimme-verlichting (LED) in 5G-zones, and the x of it!") == [
        "slimme",
        "verlichting",
        "led",
        "5g",
        "zones",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("fietsen", "fiets"),  # Dutch plural and singular
        ("parking", "parked"),  # English inflections
        ("sensoren", "sensors"),  # Dutch plural meets English plural
        ("verlichting", "verlicht"),
        ("Gemeentes", "gemeente"),
    ],
)
def test_inflections_and_the_two_languages_meet(a: str, b: str) -> None:
    assert set(analyze(a)) & set(analyze(b))


def test_unrelated_words_do_not_meet() -> None:
    assert not set(analyze("fiets")) & set(analyze("parking"))
    # the Porter-based Dutch stemmer keeps the "ge-" prefix: gemeente and geven stay apart
    assert not set(analyze("gemeente")) & set(analyze("geven"))


def test_terms_of_a_token_are_the_token_and_its_stems_without_duplicates() -> None:
    assert terms_of_token("data") == ("data",)
    assert terms_of_token("fietsen") == ("fietsen", "fiets")
    assert terms_of_token("parking") == ("parking", "park")


DOCS = [
    "Slimme verlichting met sensoren op het fietspad",  # 0
    "Parking sensors and a parking guidance dashboard",  # 1
    "Fietsen stallen: een fietsenstalling bij het station",  # 2
    "Energy ledger for municipal buildings",  # 3
    "",  # 4
]


def test_scores_find_matching_documents_in_both_languages() -> None:
    index = TextIndex(DOCS)
    assert set(index.scores("parkeersensoren en parking")) == {1}
    assert set(index.scores("fiets")) == {2}
    assert set(index.scores("sensors")) == {0, 1}
    assert index.scores("quantum") == {}
    assert index.scores("") == {}


def test_scores_are_normalised_and_favour_documents_covering_more_of_the_query() -> None:
    index = TextIndex(DOCS)
    scores = index.scores("parking sensors dashboard")
    assert all(0 < v < 1 for v in scores.values())
    assert scores[1] > scores[0]


def test_rare_terms_weigh_more_than_common_ones() -> None:
    index = TextIndex(["sensor alpha", "sensor beta", "sensor gamma", "sensor delta", "lantern"])
    scores = index.scores("sensor lantern")
    assert scores[4] > scores[0]


def test_term_at_a_time_and_document_at_a_time_agree_exactly() -> None:
    index = TextIndex(DOCS)
    query = index.query("sensoren parking fietsen stations dashboard energie")
    totals = index.totals(query)
    acc, touched = index.accumulate(query, range(len(query.terms)))
    assert touched == set(totals)
    for position in range(len(DOCS)):
        assert index.doc_total(query, position) == totals.get(position, 0) == acc[position]
    assert query.value(0) == 0.0
    assert 0 < query.value(max(totals.values())) < 1


def test_value_is_half_at_a_tenth_of_the_maximum_attainable_score() -> None:
    index = TextIndex(DOCS)
    query = index.query("parking sensors")
    assert query.value(query.half) == pytest.approx(0.5)
    assert query.value(query.norm) == pytest.approx(1 / 1.1, rel=1e-3)


def test_an_empty_index_answers_without_errors() -> None:
    index = TextIndex([])
    assert index.n_docs == 0
    assert index.scores("anything at all") == {}

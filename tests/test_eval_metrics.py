"""eval/metrics.py: nDCG@10, P@5, the exposure check and null-query separation, on hand-computed cases."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    ExposureQuery,
    dcg,
    discount,
    exposure,
    exposure_check,
    ideal_exposures,
    ideal_precision_at_k,
    mean_or_none,
    ndcg_at_k,
    null_separation,
    precision_at_k,
)


def test_discount_is_log2_of_rank_plus_one() -> None:
    assert discount(1) == 1.0
    assert discount(3) == pytest.approx(0.5)
    assert discount(7) == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        discount(0)


def test_dcg_uses_linear_gains_and_stops_at_k() -> None:
    assert dcg([3, 2, 0, 1], k=10) == pytest.approx(3 + 2 / math.log2(3) + 0 + 1 / math.log2(5))
    assert dcg([3, 2, 0, 1], k=1) == 3


def test_ndcg_is_one_for_the_ideal_ranking_and_less_otherwise() -> None:
    labels = {"a": 3, "b": 2, "c": 1, "z": 0}
    assert ndcg_at_k(["a", "b", "c"], labels) == pytest.approx(1.0)
    # Unlabelled and zero-graded candidates in between only cost.
    assert ndcg_at_k(["x", "a", "b", "c"], labels) == pytest.approx(
        dcg([0, 3, 2, 1]) / dcg([3, 2, 1]),
    )
    swapped = ndcg_at_k(["c", "b", "a"], labels)
    assert swapped is not None and 0 < swapped < 1
    assert swapped == pytest.approx((1 + 2 / math.log2(3) + 3 / 2) / (3 + 2 / math.log2(3) + 1 / 2))


def test_ndcg_ideal_comes_from_all_labels_not_from_what_was_returned() -> None:
    labels = {"a": 3, "b": 3, "c": 3}
    only_one = ndcg_at_k(["a"], labels)
    assert only_one == pytest.approx(3 / dcg([3, 3, 3]))


def test_ndcg_cuts_at_k_and_ignores_repeats() -> None:
    labels = {f"n{i}": 1 for i in range(12)} | {"late": 3}
    ranking = [f"n{i}" for i in range(10)] + ["late"]
    assert ndcg_at_k(ranking, labels, k=10) == pytest.approx(dcg([1] * 10) / dcg([3] + [1] * 9))
    assert ndcg_at_k(["a", "a", "b"], {"a": 2, "b": 2}) == pytest.approx(1.0)


def test_ndcg_is_none_when_nothing_fits() -> None:
    assert ndcg_at_k(["a", "b"], {}) is None
    assert ndcg_at_k(["a", "b"], {"a": 0}) is None


def test_precision_at_5_counts_grade_2_and_up_over_5() -> None:
    labels = {"a": 3, "b": 2, "c": 1, "d": 2}
    assert precision_at_k(["a", "c", "b", "x", "d", "late"], labels) == pytest.approx(3 / 5)
    assert precision_at_k(["a"], labels) == pytest.approx(1 / 5)  # a short list is still over 5
    assert precision_at_k([], labels) == 0
    assert ideal_precision_at_k(labels) == pytest.approx(3 / 5)
    assert ideal_precision_at_k({f"k{i}": 3 for i in range(9)}) == 1.0


def test_exposure_is_the_discount_inside_the_top_10_only() -> None:
    assert exposure(1) == 1.0
    assert exposure(10) == pytest.approx(1 / math.log2(11))
    assert exposure(11) == 0
    assert exposure(None) == 0


def test_ideal_exposures_share_tied_positions_equally() -> None:
    ideal = ideal_exposures({"new": 2, "old": 2, "top": 3, "no": 0})
    assert ideal["top"] == 1.0
    assert ideal["new"] == ideal["old"] == pytest.approx((discount(2) + discount(3)) / 2)
    assert "no" not in ideal


def test_exposure_check_passes_when_newcomers_are_ranked_like_established_ones() -> None:
    labels = {"new": 2, "old": 2, "junk": 0}
    fair = exposure_check([ExposureQuery("q", ["old", "new", "junk"], labels, frozenset({"new"}))])
    assert fair.queries == 1 and fair.newcomers == 1 and fair.established == 1
    assert fair.ratio == pytest.approx(discount(2) / discount(1))  # 0.63: below four fifths
    assert fair.passed is False
    assert fair.ideal_ratio == pytest.approx(1.0)
    assert fair.merit_adjusted_ratio == pytest.approx(fair.ratio)
    both_orders = exposure_check(
        [
            ExposureQuery("q1", ["old", "new"], labels, frozenset({"new"})),
            ExposureQuery("q2", ["new", "old"], labels, frozenset({"new"})),
        ]
    )
    assert both_orders.ratio == pytest.approx(1.0) and both_orders.passed is True
    assert both_orders.top10_share_ratio == pytest.approx(1.0)


def test_exposure_check_fails_when_newcomers_are_pushed_out_of_the_top_10() -> None:
    labels = {"new": 3, "old": 3}
    pushed = [*(f"filler{i}" for i in range(10)), "new"]
    result = exposure_check([ExposureQuery("q", ["old", *pushed], labels, frozenset({"new"}))])
    assert result.ratio == 0 and result.passed is False
    assert result.newcomer_top10_share == 0 and result.established_top10_share == 1


def test_merit_adjusted_ratio_takes_the_labels_merit_gap_out() -> None:
    # The newcomer is less relevant (2 vs 3): even the ideal ranking puts it second.
    labels = {"new": 2, "old": 3}
    result = exposure_check([ExposureQuery("q", ["old", "new"], labels, frozenset({"new"}))])
    assert result.ideal_ratio == pytest.approx(discount(2))
    assert result.ratio == pytest.approx(discount(2)) and result.passed is False  # the registered check
    assert result.merit_adjusted_ratio == pytest.approx(1.0)


def test_exposure_check_skips_queries_without_both_groups_and_says_when_it_cannot_measure() -> None:
    only_new = ExposureQuery("q", ["new"], {"new": 3, "marginal-old": 1}, frozenset({"new"}))
    result = exposure_check([only_new])
    assert result.queries == 0 and result.passed is None and result.ratio is None


def test_exposure_check_when_established_ones_get_nothing() -> None:
    labels = {"new": 2, "old": 2}
    result = exposure_check([ExposureQuery("q", ["new"], labels, frozenset({"new"}))])
    assert result.ratio is None and result.passed is True


def test_null_separation_compares_best_scores_with_the_answerable_median() -> None:
    result = null_separation([0.2, None], [0.5, 0.7, 0.9])
    assert result["median_answerable_top_score"] == 0.7 and result["passed"] is True and result["passing"] == 2
    assert null_separation([0.8], [0.5, 0.7, 0.9])["passed"] is False
    assert null_separation([0.1], [])["passed"] is None


def test_mean_or_none_skips_missing_values() -> None:
    assert mean_or_none([1.0, None, 0.5]) == 0.75
    assert mean_or_none([None]) is None

"""Ranking-quality metrics of `make eval` (pure Python, no Django): see docs/evaluation.md.

Grades: 0 irrelevant, 1 marginal, 2 relevant, 3 perfect. A candidate without a label has grade 0.
Rankings are lists of candidate keys (strings), best first; repeats after the first are ignored.

- nDCG@k: DCG@k = sum over ranks i = 1..k of grade_i / log2(i + 1) (linear gain, the standard
  log2 discount); the ideal DCG sorts all labelled grades of the query, best first. A query with
  no positive grade has no nDCG (None): those are the "nothing fits" queries, scored apart.
- P@k: share of the first k positions holding a relevant candidate (grade >= 2); always divided by
  k, also when the ranking is shorter. `ideal_precision_at_k` is the best a ranking could reach.
- Exposure of a candidate at rank r: 1 / log2(r + 1) within the top 10, else 0 (the same discount
  as nDCG: the attention a position gets). The exposure check compares relevant newcomers
  (no references, no history) with relevant established candidates, pooled over the queries
  that have both: ratio = mean exposure of the newcomers / mean exposure of the established.
  It passes at >= 0.8 (the four-fifths rule), fixed before any result was seen.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

RELEVANT = 2  # grade from which a candidate counts as relevant (P@k, exposure)
EXPOSURE_DEPTH = 10
EXPOSURE_THRESHOLD = 0.8


def dedupe(ranking: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for key in ranking:
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def discount(rank: int) -> float:
    """The log2 discount of a 1-based rank."""
    if rank < 1:
        raise ValueError("ranks start at 1")
    return 1.0 / math.log2(rank + 1)


def dcg(grades: Sequence[float], k: int = 10) -> float:
    return sum(g * discount(i) for i, g in enumerate(grades[:k], start=1))


def ndcg_at_k(ranking: Sequence[str], labels: Mapping[str, int], k: int = 10) -> float | None:
    """nDCG@k of one ranking against graded labels; None when no label is positive."""
    ideal = dcg(sorted((g for g in labels.values() if g > 0), reverse=True), k)
    if ideal == 0:
        return None
    return dcg([labels.get(key, 0) for key in dedupe(ranking)], k) / ideal


def precision_at_k(ranking: Sequence[str], labels: Mapping[str, int], k: int = 5, threshold: int = RELEVANT) -> float:
    top = dedupe(ranking)[:k]
    return sum(1 for key in top if labels.get(key, 0) >= threshold) / k


def ideal_precision_at_k(labels: Mapping[str, int], k: int = 5, threshold: int = RELEVANT) -> float:
    return min(k, sum(1 for g in labels.values() if g >= threshold)) / k


def exposure(rank: int | None, depth: int = EXPOSURE_DEPTH) -> float:
    """Attention a candidate at `rank` (1-based; None: not returned) gets: log2 discount in the top `depth`."""
    if rank is None or rank > depth:
        return 0.0
    return discount(rank)


def ranks(ranking: Sequence[str]) -> dict[str, int]:
    return {key: i for i, key in enumerate(dedupe(ranking), start=1)}


@dataclass(frozen=True)
class ExposureQuery:
    """One market query for the exposure check: its ranking, labels, and which candidates are newcomers."""

    query: str
    ranking: Sequence[str]
    labels: Mapping[str, int]
    newcomers: frozenset[str]  # candidate keys without references or history; every other key is established


@dataclass
class ExposureResult:
    queries: int = 0  # queries with relevant newcomers AND relevant established candidates
    newcomers: int = 0  # (query, candidate) pairs
    established: int = 0
    newcomer_exposure: float | None = None
    established_exposure: float | None = None
    ratio: float | None = None
    newcomer_top10_share: float | None = None
    established_top10_share: float | None = None
    top10_share_ratio: float | None = None
    ideal_ratio: float | None = None  # the same ratio for a merit-only ranking (ideal_exposures)
    # Diagnostic added after the first run (docs/evaluation.md): ratio / ideal_ratio, i.e. the
    # ratio with the labels' own merit difference between the groups taken out. Not used for `passed`.
    merit_adjusted_ratio: float | None = None
    threshold: float = EXPOSURE_THRESHOLD
    passed: bool | None = None  # None: not measurable (no query has both groups)
    per_query: list[dict[str, object]] = field(default_factory=list)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def ideal_exposures(labels: Mapping[str, int], depth: int = EXPOSURE_DEPTH) -> dict[str, float]:
    """Exposure of each labelled candidate in a ranking that only looks at merit: sorted by grade,
    and candidates of equal grade share the positions of their block equally (no tie-break favours
    one group)."""
    out: dict[str, float] = {}
    position = 1
    for grade in sorted({g for g in labels.values() if g > 0}, reverse=True):
        block = [key for key, g in labels.items() if g == grade]
        share = statistics.fmean(exposure(r, depth) for r in range(position, position + len(block)))
        out.update(dict.fromkeys(block, share))
        position += len(block)
    return out


def exposure_check(queries: Iterable[ExposureQuery], threshold: float = EXPOSURE_THRESHOLD) -> ExposureResult:
    result = ExposureResult(threshold=threshold)
    new_exp: list[float] = []
    old_exp: list[float] = []
    new_ideal: list[float] = []
    old_ideal: list[float] = []
    for q in queries:
        relevant = [key for key, grade in q.labels.items() if grade >= RELEVANT]
        new = sorted(k for k in relevant if k in q.newcomers)
        old = sorted(k for k in relevant if k not in q.newcomers)
        if not new or not old:
            continue
        at = ranks(q.ranking)
        ideal = ideal_exposures(q.labels)
        result.queries += 1
        result.newcomers += len(new)
        result.established += len(old)
        q_new = [exposure(at.get(k)) for k in new]
        q_old = [exposure(at.get(k)) for k in old]
        new_exp += q_new
        old_exp += q_old
        new_ideal += [ideal[k] for k in new]
        old_ideal += [ideal[k] for k in old]
        result.per_query.append(
            {
                "query": q.query,
                "newcomers": {k: at.get(k) for k in new},
                "established": {k: at.get(k) for k in old},
                "ratio": _ratio(statistics.fmean(q_new), statistics.fmean(q_old)),
            }
        )
    if not result.queries:
        return result
    result.newcomer_exposure = statistics.fmean(new_exp)
    result.established_exposure = statistics.fmean(old_exp)
    result.ratio = _ratio(result.newcomer_exposure, result.established_exposure)
    result.newcomer_top10_share = sum(1 for e in new_exp if e > 0) / len(new_exp)
    result.established_top10_share = sum(1 for e in old_exp if e > 0) / len(old_exp)
    result.top10_share_ratio = _ratio(result.newcomer_top10_share, result.established_top10_share)
    result.ideal_ratio = _ratio(statistics.fmean(new_ideal), statistics.fmean(old_ideal))
    result.merit_adjusted_ratio = _ratio(result.ratio, result.ideal_ratio)
    if result.ratio is not None:
        result.passed = result.ratio >= threshold
    elif result.newcomer_exposure and result.newcomer_exposure > 0:
        result.passed = True  # established candidates got no exposure at all, newcomers did
    else:
        result.passed = False  # nobody relevant reached the top 10
    return result


def mean_or_none(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def null_separation(null_top_scores: Sequence[float | None], answerable_top_scores: Sequence[float | None]) -> dict[str, object]:
    """For matchers without a verdict: a "nothing fits" query passes when its best score is below
    the median best score of the answerable queries of the same type (an empty answer passes)."""
    answerable = [s for s in answerable_top_scores if s is not None]
    if not answerable:
        return {"median_answerable_top_score": None, "passed": None, "queries": len(null_top_scores), "passing": None}
    median = statistics.median(answerable)
    passing = sum(1 for s in null_top_scores if s is None or s < median)
    return {
        "median_answerable_top_score": median,
        "queries": len(null_top_scores),
        "passing": passing,
        "passed": passing == len(null_top_scores),
    }

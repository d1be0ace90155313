"""Dataset quality: 5-star openness and the EU data portal's MQA (pure Python).

Input: :class:`~.types.DatasetFacts`; output: :class:`~.types.StarRating`
and :class:`~.types.MqaResult`. No Django imports in this package.
"""

from __future__ import annotations

from .advice import portfolio_changes, top_changes
from .mqa import score_mqa
from .stars import rate
from .types import DatasetFacts, DistributionFacts, MqaResult, QualityReport, StarRating
from .vocab import load_spec


def assess(facts: DatasetFacts) -> QualityReport:
    """Stars and MQA of one dataset."""
    spec = load_spec()
    return QualityReport(stars=rate(facts, spec), mqa=score_mqa(facts, spec))


__all__ = [
    "DatasetFacts",
    "DistributionFacts",
    "MqaResult",
    "QualityReport",
    "StarRating",
    "assess",
    "load_spec",
    "portfolio_changes",
    "rate",
    "score_mqa",
    "top_changes",
]

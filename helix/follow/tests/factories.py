"""Test-only factories of the follow app: instruments with dates and applicant types."""

from __future__ import annotations

import datetime
from typing import Any

from helix.core.models import Term
from tests.factories import InstrumentFactory, SchemeFactory, TermFactory


def applicant_type(code: str) -> Term:
    """The applicant-types term (the study data's, or a new one in tests without it)."""
    return TermFactory(scheme=SchemeFactory(slug="applicant-types"), code=code)


def dated_instrument(
    *,
    today: datetime.date,
    opens_in: int | None = None,
    closes_in: int | None = None,
    applicant_types: tuple[str, ...] = ("municipality",),
    **fields: Any,
) -> Any:
    """An instrument that opens/closes `opens_in`/`closes_in` days after `today` (negative: before)."""
    if opens_in is not None:
        fields["opens_on"] = today + datetime.timedelta(days=opens_in)
    if closes_in is not None:
        fields["closes_on"] = today + datetime.timedelta(days=closes_in)
    instrument = InstrumentFactory(**fields)
    instrument.applicant_types.set([applicant_type(code) for code in applicant_types])
    return instrument

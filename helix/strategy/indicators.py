"""Indicators of the strategy monitor: the computed ones, latest values, and the suggested status.

Computed indicators are documented functions over Helix's live data (`COMPUTATIONS`); each
returns a `Computed` value with a note that says what was counted, or None when the data it
needs is not in Helix (e.g. the open-data app is not installed yet). `snapshot_indicators`
records them as measurements, one per indicator and date.

Suggested status (see docs/strategy.md). For an indicator with a target and a measurement on
or before the day `on`:

    base      = baseline value (else the earliest measurement), on the baseline date (else that
                measurement's date)
    achieved  = (latest - base) / (target - base), clamped to 0..1 (a target below the base
                means lower is better; a target equal to the base counts as reached or not)
    expected  = share of the period base date -> target date that has passed on `on`, 0..1
                (1 when either date is missing: the whole target is expected)
    pace      = achieved / expected (1 when nothing is expected yet), capped at 1

A recommendation's pace is the mean pace of its indicators that have one; the step is
fully on track at >= 0.9, largely >= 0.6, partially >= 0.3, otherwise not on track.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q
from django.utils import timezone

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation

from .choices import ProgressStatus
from .models import Indicator, Measurement

# Pace thresholds of the four steps (documented in docs/strategy.md).
THRESHOLDS: list[tuple[float, ProgressStatus]] = [
    (0.9, ProgressStatus.FULLY),
    (0.6, ProgressStatus.LARGELY),
    (0.3, ProgressStatus.PARTIALLY),
]

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Computed:
    value: Decimal
    note: str


def _percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal(0)
    return (HUNDRED * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def region_municipalities() -> object:
    """The municipalities of the region: Statbel municipalities (with a REFNIS code) in the region, live."""
    return Organisation.objects.live().filter(kind=OrganisationKind.MUNICIPALITY, in_region=True, refnis__isnull=False)


# The study records coordinators as a sentence among an organisation's roles (four centre
# cities: "centre city that appointed a smart-city coordinator and a data coordinator").
COORDINATOR_ROLE = re.compile(r"appointed an? smart[- ]city coordinator", re.IGNORECASE)


def coordinator_share() -> Computed:
    """Share (%) of the region's municipalities with a smart-city coordinator.

    A municipality counts when its profile says so (`coordinator_appointed` true), when it is
    in the inventory for the reason "coordinator appointed", or, while the profile field is
    unknown, when the study states among its roles that it appointed a smart-city coordinator.
    A profile that says "no" wins over the study's sentence.
    """
    municipalities = region_municipalities()
    rows = list(
        municipalities.annotate(  # type: ignore[attr-defined]
            by_reason=Count("inclusion_reasons", filter=Q(inclusion_reasons__code="coordinator-appointed"))
        ).values_list("coordinator_appointed", "by_reason", "roles")
    )
    with_coordinator = sum(
        1
        for appointed, by_reason, roles in rows
        if appointed is True or (appointed is None and (by_reason > 0 or any(COORDINATOR_ROLE.search(r) for r in roles or [])))
    )
    return Computed(_percent(with_coordinator, len(rows)), f"{with_coordinator} of {len(rows)} municipalities in the region")


def joint_challenges() -> Computed:
    """Number of joint challenges: published (not draft), live challenges with more than one owner."""
    challenge = apps.get_model("market", "Challenge")
    qs = (
        challenge.objects.filter(archived_at__isnull=True)
        .exclude(status="draft")
        .annotate(n_owners=Count("ownerships"))
        .filter(n_owners__gt=1)
    )
    n = qs.count()
    return Computed(Decimal(n), f"{n} published challenges with co-owners")


IMPLEMENTATION_PHASES = ("implementation", "operation")
STUDY_PHASES = ("research", "study", "pilot")


def implementation_funding_share() -> Computed:
    """Share (%) of the funding instruments (live, kind "financial", with a phase) that fund
    implementation or operation, rather than only research, studies or pilots."""
    instrument = apps.get_model("instruments", "Instrument")
    funding = instrument.objects.filter(archived_at__isnull=True, kind="financial", phases__isnull=False).distinct()
    total = funding.count()
    implementation = funding.filter(phases__code__in=IMPLEMENTATION_PHASES).distinct().count()
    return Computed(
        _percent(implementation, total), f"{implementation} of {total} funding instruments with a phase fund implementation"
    )


OPEN_DATA_STAR_THRESHOLD = 3


def open_data_star_share() -> Computed | None:
    """Share (%) of the region's municipalities with at least one dataset past the third
    open-data star (4 or 5 stars: URIs or linked data), from helix.opendata's Dataset
    (`organisation`, `stars`). None while that model or those fields do not exist."""
    try:
        dataset = apps.get_model("opendata", "Dataset")
        dataset._meta.get_field("stars")
        dataset._meta.get_field("organisation")
    except (LookupError, FieldDoesNotExist):
        return None
    datasets = dataset.objects.filter(stars__gt=OPEN_DATA_STAR_THRESHOLD)
    municipalities = region_municipalities()
    total = municipalities.count()  # type: ignore[attr-defined]
    past = municipalities.filter(pk__in=datasets.values("organisation_id")).count()  # type: ignore[attr-defined]
    return Computed(_percent(past, total), f"{past} of {total} municipalities have a dataset with more than 3 stars")


@dataclass(frozen=True)
class Computation:
    """A computed indicator's definition: what `ensure_computed_indicators` creates."""

    function: Callable[[], Computed | None]
    slug: str
    name_nl: str
    name_en: str
    unit: str
    recommendations: tuple[int, ...]

    @property
    def description(self) -> str:
        return " ".join((self.function.__doc__ or "").split())


COMPUTATIONS: dict[str, Computation] = {
    c.function.__name__: c
    for c in (
        Computation(
            coordinator_share,
            "gemeenten-met-smart-city-coordinator",
            "Aandeel gemeenten met een smart-city-coördinator",
            "Share of municipalities with a smart-city coordinator",
            "%",
            (1, 9, 15),
        ),
        Computation(
            joint_challenges,
            "gezamenlijke-uitdagingen",
            "Aantal gezamenlijke uitdagingen",
            "Number of joint challenges",
            "challenges",
            (4, 9, 17),
        ),
        Computation(
            implementation_funding_share,
            "financiering-voor-implementatie",
            "Aandeel financieringsinstrumenten voor implementatie",
            "Share of funding instruments for implementation (vs studies)",
            "%",
            (5, 8, 10),
        ),
        Computation(
            open_data_star_share,
            "gemeenten-voorbij-derde-open-data-ster",
            "Aandeel gemeenten voorbij de derde open-data-ster",
            "Share of municipalities past the third open-data star",
            "%",
            (7, 12),
        ),
    )
}


def compute(indicator: Indicator) -> Computed | None:
    computation = COMPUTATIONS.get(indicator.computation)
    return computation.function() if computation else None


# -- reading ------------------------------------------------------------------------------------


def measurements_until(indicator_ids: Iterable[int], on: datetime.date | None) -> dict[int, list[Measurement]]:
    """Measurements per indicator (oldest first) known on `on` (default: all)."""
    qs = Measurement.objects.filter(indicator_id__in=list(indicator_ids))
    if on is not None:
        qs = qs.filter(measured_on__lte=on)
    found: dict[int, list[Measurement]] = {}
    for m in qs.order_by("measured_on", "created_at", "id"):
        found.setdefault(m.indicator_id, []).append(m)
    return found


@dataclass
class IndicatorState:
    """An indicator as known on a day: its latest value and its pace toward the target."""

    indicator: Indicator
    latest: Measurement | None
    pace: float | None

    @property
    def suggested(self) -> ProgressStatus | None:
        return step(self.pace)


def step(pace: float | None) -> ProgressStatus | None:
    if pace is None:
        return None
    for threshold, status in THRESHOLDS:
        if pace >= threshold:
            return status
    return ProgressStatus.NOT


def pace(indicator: Indicator, history: list[Measurement], on: datetime.date) -> float | None:
    """Progress toward the target relative to the time passed (module docstring); None without data."""
    if indicator.target_value is None or not history:
        return None
    latest = history[-1]
    base = indicator.baseline_value if indicator.baseline_value is not None else history[0].value
    base_date = indicator.baseline_date or history[0].measured_on
    target = indicator.target_value
    if target == base:
        achieved = 1.0 if latest.value == target else 0.0
    else:
        achieved = min(1.0, max(0.0, float((latest.value - base) / (target - base))))
    if indicator.target_date is None or base_date is None or indicator.target_date <= base_date:
        expected = 1.0
    else:
        passed = (on - base_date).days / (indicator.target_date - base_date).days
        expected = min(1.0, max(0.0, passed))
    if expected == 0:
        return 1.0
    return min(1.0, achieved / expected)


def states(indicators: Iterable[Indicator], *, on: datetime.date | None = None) -> list[IndicatorState]:
    indicators = list(indicators)
    day = on or timezone.localdate()
    history = measurements_until([i.pk for i in indicators], on)
    result = []
    for indicator in indicators:
        rows = history.get(indicator.pk, [])
        result.append(IndicatorState(indicator, rows[-1] if rows else None, pace(indicator, rows, day)))
    return result


def suggest(indicator_states: Iterable[IndicatorState]) -> ProgressStatus | None:
    """The suggested status of a recommendation: the step of the mean pace of its indicators."""
    paces = [s.pace for s in indicator_states if s.pace is not None]
    return step(sum(paces) / len(paces)) if paces else None


def suggested_status(recommendation_id: int, *, on: datetime.date | None = None) -> ProgressStatus | None:
    return suggest(states(Indicator.objects.filter(recommendations=recommendation_id), on=on))

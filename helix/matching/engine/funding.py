"""The funding finder (M3): which instruments fit a project, why, and why not.

PURE PYTHON (no Django). Input: a `FundingProfile` and `InstrumentProfile`s; output:
`FundingResult`s with a verdict, a score and one `Reason` per `FundingCriterion`, in the order of
that enum. Reasons carry message codes (`messages.MESSAGES` lists them with their English text).

Rules per criterion ("hard" criteria decide the verdict; "soft" ones only inform or rank):

applicant type (hard)
    The instrument states no applicant types -> UNKNOWN. Otherwise MET when it accepts one of the
    applicant's types, UNMET if not. Company subtypes form a hierarchy: an "sme" applicant also
    counts as a "company", a "start-up" as an "sme" and a "company"; the reverse does not hold
    (an instrument for start-ups does not accept a plain company). A consortium is MET when the
    instrument accepts "consortium" or the type of any member.
size class (hard)
    The instrument states no sizes -> MET ("every size"). No applicant is a municipality -> MET
    ("not applicable"). A municipal applicant's size is among the sizes -> MET; else one of the
    municipal applicants' sizes is unknown -> UNKNOWN; else UNMET.
territory (hard)
    Two checks, the worse outcome wins (UNMET > UNKNOWN > MET). Named beneficiaries
    (`restricted_to`): MET if an applicant's organisation is named, UNKNOWN if not but an
    applicant's organisation is not known, else UNMET. Areas: none stated -> no restriction; MET
    if any applicant area is among them, UNKNOWN if not but an applicant's areas are not known,
    else UNMET.
consortium (hard)
    Required and the applicant is alone -> UNMET; required and a consortium -> MET; not required
    -> MET ("not_required"); not stated -> MET ("not_stated": most instruments accept both).
phase (hard)
    The instrument states no phases -> UNKNOWN; the project phase is not known -> UNKNOWN; else
    MET or UNMET.
domain (hard)
    The instrument states no domains -> MET ("open to all domains"); the project states no
    domains -> UNKNOWN; any shared domain -> MET, else UNMET.
amount (hard only below the minimum)
    No range stated -> MET ("no_range"). Budget not known: a minimum is stated -> UNKNOWN (it
    could rule the project out), only a maximum -> MET ("up_to"). Budget below the minimum ->
    UNMET. Budget above the maximum -> MET ("above_maximum": the instrument covers only part;
    this lowers the score). Otherwise MET.
co-financing (soft, informative)
    Rate known -> MET ("pays up to R%, you fund the rest"; "full" at 100% or more); unknown ->
    UNKNOWN, which never changes the verdict.
dates (hard when closed)
    Closed before `profile.today` -> UNMET; opens after today -> MET ("upcoming"); closes within
    30 days -> MET ("closes_soon"); a later deadline -> MET ("open_until"); no deadline -> MET
    ("permanent").
text (soft)
    BM25 relevance of the profile text against the instrument text (`text.TextIndex`), in
    [0, 1]. MET when > 0, else UNKNOWN; never changes the verdict.

Verdict: NOT_ELIGIBLE if any hard criterion is UNMET; else POSSIBLY_ELIGIBLE if any hard
criterion is UNKNOWN; else ELIGIBLE.

Score in [0, 1] from soft signals (`SCORE_WEIGHTS`), rounded to 6 decimals: text relevance;
domain fit (share of the project's domains the instrument names; 0.5 for instruments open to
every domain); phase fit (1 named, 0.5 not stated or unknown, 0 other); amount fit (1 within the
range, maximum/budget above it, 0.5 unknown or no range, 0 below the minimum); closing soon (1 if
open and closing within 30 days).

Ranking: verdict group (eligible, possibly eligible, not eligible), then score descending, then
title, then id: deterministic. Matchmaking and support instruments (kind "matchmaking") that are
not ruled out get `support_for`: the ids of the financial results in the same answer (not ruled
out) they support (`InstrumentProfile.supports`), so the page can show them beside the money.

Performance: `FundingIndex` precomputes inverted indexes (code -> instrument positions, sorted
dates and amounts, a text index) once. An evaluation derives the verdict of every instrument with
set algebra, scores the candidates in one pass, and builds the full reasons only for the results
it returns.
"""

from __future__ import annotations

import datetime
import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .text import TextIndex
from .types import (
    FundingCriterion,
    FundingProfile,
    FundingResult,
    InstrumentProfile,
    Outcome,
    Reason,
    Verdict,
)

__all__ = [
    "CLOSING_SOON_DAYS",
    "HARD_CRITERIA",
    "SCORE_WEIGHTS",
    "TYPE_IMPLIES",
    "FundingIndex",
    "evaluate_funding",
    "reasons_for",
    "verdict_of",
]

CLOSING_SOON_DAYS = 30

# What an applicant type also counts as. The relation is not symmetric: an instrument for
# start-ups does not accept a plain company.
TYPE_IMPLIES: dict[str, frozenset[str]] = {
    "sme": frozenset({"company"}),
    "start-up": frozenset({"sme", "company"}),
}

HARD_CRITERIA: frozenset[FundingCriterion] = frozenset(
    {
        FundingCriterion.APPLICANT_TYPE,
        FundingCriterion.SIZE_CLASS,
        FundingCriterion.TERRITORY,
        FundingCriterion.CONSORTIUM,
        FundingCriterion.PHASE,
        FundingCriterion.DOMAIN,
        FundingCriterion.AMOUNT,
        FundingCriterion.DATES,
    }
)

SCORE_WEIGHTS: dict[str, float] = {
    "text": 0.35,
    "domain": 0.25,
    "phase": 0.15,
    "amount": 0.15,
    "closing_soon": 0.10,
}

_GROUP = {Verdict.ELIGIBLE: 0, Verdict.POSSIBLY_ELIGIBLE: 1, Verdict.NOT_ELIGIBLE: 2}
_VERDICTS = (Verdict.ELIGIBLE, Verdict.POSSIBLY_ELIGIBLE, Verdict.NOT_ELIGIBLE)
_MUNICIPALITY = "municipality"
_CONSORTIUM = "consortium"
_MATCHMAKING = "matchmaking"

Params = tuple[tuple[str, str], ...]
K = TypeVar("K")


def _codes(values: Iterable[str]) -> str:
    return ",".join(sorted(values))


def _rate(rate: float) -> str:
    return f"{rate:g}"


@dataclass(frozen=True)
class _Profile:
    """What every instrument is compared against, derived once per evaluation."""

    own_types: frozenset[str]  # the applicants' own types
    accepted_if: frozenset[str]  # own types, their implied types, and "consortium" for consortia
    is_consortium: bool
    has_municipality: bool
    municipal_sizes: frozenset[str]  # known sizes of municipal applicants
    municipal_size_unknown: bool
    areas: frozenset[str]
    areas_unknown: bool  # an applicant without any area, or with only its seat known
    areas_partial: bool  # an applicant with only its registered seat known
    organisations: frozenset[int]
    organisation_unknown: bool  # an applicant without an organisation id
    domains: frozenset[str]
    phase: str | None
    budget: int | None
    today: datetime.date
    has_text: bool

    @classmethod
    def of(cls, profile: FundingProfile) -> _Profile:
        own: set[str] = set()
        for applicant in profile.applicants:
            own |= applicant.applicant_types
        accepted = set(own)
        for code in own:
            accepted |= TYPE_IMPLIES.get(code, frozenset())
        if profile.is_consortium:
            accepted.add(_CONSORTIUM)
        municipal = [a for a in profile.applicants if _MUNICIPALITY in a.applicant_types]
        return cls(
            own_types=frozenset(own),
            accepted_if=frozenset(accepted),
            is_consortium=profile.is_consortium,
            has_municipality=bool(municipal),
            municipal_sizes=frozenset(a.size_class for a in municipal if a.size_class),
            municipal_size_unknown=any(not a.size_class for a in municipal),
            areas=frozenset().union(*(a.areas for a in profile.applicants)),
            areas_unknown=any(not a.areas or not a.areas_complete for a in profile.applicants),
            areas_partial=any(a.areas and not a.areas_complete for a in profile.applicants),
            organisations=frozenset(a.organisation_id for a in profile.applicants if a.organisation_id is not None),
            organisation_unknown=any(a.organisation_id is None for a in profile.applicants),
            domains=profile.domains,
            phase=profile.phase or None,
            budget=profile.budget,
            today=profile.today,
            has_text=bool(profile.text.strip()),
        )


# ------------------------------------------------------------------------------------------
# Reasons: the straightforward, per-instrument statement of the rules
# ------------------------------------------------------------------------------------------


def _applicant_type(p: _Profile, inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.APPLICANT_TYPE
    if not inst.applicant_types:
        return Reason(crit, Outcome.UNKNOWN, "applicant_type.unknown")
    matched = inst.applicant_types & p.accepted_if
    if not matched:
        params = (("accepted", _codes(inst.applicant_types)), ("yours", _codes(p.own_types)))
        return Reason(crit, Outcome.UNMET, "applicant_type.unmet", params)
    if matched == {_CONSORTIUM}:
        return Reason(crit, Outcome.MET, "applicant_type.met_consortium")
    return Reason(crit, Outcome.MET, "applicant_type.met", (("types", _codes(matched - {_CONSORTIUM})),))


def _size_class(p: _Profile, inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.SIZE_CLASS
    sizes = inst.municipality_sizes
    if not sizes:
        return Reason(crit, Outcome.MET, "size_class.no_restriction")
    if not p.has_municipality:
        return Reason(crit, Outcome.MET, "size_class.not_applicable", (("sizes", _codes(sizes)),))
    matched = sizes & p.municipal_sizes
    if matched:
        return Reason(crit, Outcome.MET, "size_class.met", (("size", _codes(matched)), ("sizes", _codes(sizes))))
    if p.municipal_size_unknown:
        return Reason(crit, Outcome.UNKNOWN, "size_class.unknown", (("sizes", _codes(sizes)),))
    params = (("sizes", _codes(sizes)), ("size", _codes(p.municipal_sizes)))
    return Reason(crit, Outcome.UNMET, "size_class.unmet", params)


_SEVERITY = {Outcome.MET: 0, Outcome.UNKNOWN: 1, Outcome.UNMET: 2}


def _territory(p: _Profile, inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.TERRITORY
    checks: list[tuple[Outcome, str, Params]] = []
    if inst.restricted_to:
        if inst.restricted_to & p.organisations:
            checks.append((Outcome.MET, "territory.restricted_met", ()))
        elif p.organisation_unknown:
            checks.append((Outcome.UNKNOWN, "territory.restricted_unknown", ()))
        else:
            checks.append((Outcome.UNMET, "territory.restricted_unmet", ()))
    if inst.areas:
        matched = inst.areas & p.areas
        if matched:
            checks.append((Outcome.MET, "territory.met", (("areas", _codes(matched)),)))
        elif p.areas_unknown:
            code = "territory.establishment_unknown" if p.areas_partial else "territory.unknown"
            checks.append((Outcome.UNKNOWN, code, (("areas", _codes(inst.areas)),)))
        else:
            checks.append((Outcome.UNMET, "territory.unmet", (("areas", _codes(inst.areas)),)))
    if not checks:
        return Reason(crit, Outcome.MET, "territory.no_restriction")
    # The worse outcome wins; among equals, the named-beneficiary check (first) wins, except
    # that for two MET checks the area one (last) says more.
    worst = max(_SEVERITY[outcome] for outcome, _, _ in checks)
    candidates = [c for c in checks if _SEVERITY[c[0]] == worst]
    outcome, code, params = candidates[-1] if worst == 0 else candidates[0]
    return Reason(crit, outcome, code, params)


def _consortium(p: _Profile, inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.CONSORTIUM
    if inst.consortium_required is None:
        return Reason(crit, Outcome.MET, "consortium.not_stated")
    if not inst.consortium_required:
        return Reason(crit, Outcome.MET, "consortium.not_required")
    if p.is_consortium:
        return Reason(crit, Outcome.MET, "consortium.required_met")
    return Reason(crit, Outcome.UNMET, "consortium.required_unmet")


def _phase(p: _Profile, inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.PHASE
    if not inst.phases:
        return Reason(crit, Outcome.UNKNOWN, "phase.unknown_instrument")
    if p.phase is None:
        return Reason(crit, Outcome.UNKNOWN, "phase.unknown_profile", (("phases", _codes(inst.phases)),))
    if p.phase in inst.phases:
        return Reason(crit, Outcome.MET, "phase.met", (("phase", p.phase),))
    return Reason(crit, Outcome.UNMET, "phase.unmet", (("phases", _codes(inst.phases)), ("phase", p.phase)))


def _domain(p: _Profile, inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.DOMAIN
    if not inst.domains:
        return Reason(crit, Outcome.MET, "domain.open")
    if not p.domains:
        return Reason(crit, Outcome.UNKNOWN, "domain.unknown", (("domains", _codes(inst.domains)),))
    matched = inst.domains & p.domains
    if matched:
        return Reason(crit, Outcome.MET, "domain.met", (("domains", _codes(matched)),))
    return Reason(crit, Outcome.UNMET, "domain.unmet", (("domains", _codes(inst.domains)),))


def _amount(p: _Profile, inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.AMOUNT
    lo, hi, budget = inst.amount_min, inst.amount_max, p.budget
    if lo is None and hi is None:
        return Reason(crit, Outcome.MET, "amount.no_range")
    if budget is None:
        if lo is not None:
            return Reason(crit, Outcome.UNKNOWN, "amount.unknown", (("minimum", str(lo)),))
        return Reason(crit, Outcome.MET, "amount.up_to", (("maximum", str(hi)),))
    if lo is not None and budget < lo:
        return Reason(crit, Outcome.UNMET, "amount.below_minimum", (("budget", str(budget)), ("minimum", str(lo))))
    if hi is not None and budget > hi:
        return Reason(crit, Outcome.MET, "amount.above_maximum", (("budget", str(budget)), ("maximum", str(hi))))
    if lo is not None and hi is not None:
        return Reason(crit, Outcome.MET, "amount.within", (("budget", str(budget)), ("minimum", str(lo)), ("maximum", str(hi))))
    if lo is not None:
        return Reason(crit, Outcome.MET, "amount.at_least", (("budget", str(budget)), ("minimum", str(lo))))
    return Reason(crit, Outcome.MET, "amount.at_most", (("budget", str(budget)), ("maximum", str(hi))))


def _cofinancing(inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.COFINANCING
    rate = inst.cofinancing_rate
    if rate is None:
        return Reason(crit, Outcome.UNKNOWN, "cofinancing.unknown")
    if rate >= 100:
        return Reason(crit, Outcome.MET, "cofinancing.full")
    return Reason(crit, Outcome.MET, "cofinancing.rate", (("rate", _rate(rate)),))


def _dates(p: _Profile, inst: InstrumentProfile) -> Reason:
    crit = FundingCriterion.DATES
    today, opens, closes = p.today, inst.opens_on, inst.closes_on
    if closes is not None and closes < today:
        return Reason(crit, Outcome.UNMET, "dates.closed", (("date", closes.isoformat()),))
    if opens is not None and opens > today:
        return Reason(crit, Outcome.MET, "dates.upcoming", (("date", opens.isoformat()),))
    if closes is not None and (closes - today).days <= CLOSING_SOON_DAYS:
        return Reason(crit, Outcome.MET, "dates.closes_soon", (("date", closes.isoformat()),))
    if closes is not None:
        return Reason(crit, Outcome.MET, "dates.open_until", (("date", closes.isoformat()),))
    return Reason(crit, Outcome.MET, "dates.permanent")


def _text(p: _Profile, relevance: float) -> Reason:
    crit = FundingCriterion.TEXT
    if not p.has_text:
        return Reason(crit, Outcome.UNKNOWN, "text.no_text")
    if relevance > 0:
        return Reason(crit, Outcome.MET, "text.match", (("relevance", f"{relevance:.2f}"),))
    return Reason(crit, Outcome.UNKNOWN, "text.no_match")


def _reasons(p: _Profile, inst: InstrumentProfile, relevance: float) -> tuple[Reason, ...]:
    return (
        _applicant_type(p, inst),
        _size_class(p, inst),
        _territory(p, inst),
        _consortium(p, inst),
        _phase(p, inst),
        _domain(p, inst),
        _amount(p, inst),
        _cofinancing(inst),
        _dates(p, inst),
        _text(p, relevance),
    )


def reasons_for(profile: FundingProfile, instrument: InstrumentProfile, relevance: float = 0.0) -> tuple[Reason, ...]:
    """The reasons for one instrument, one per criterion (`relevance`: the text relevance)."""
    return _reasons(_Profile.of(profile), instrument, relevance)


def verdict_of(reasons: Iterable[Reason]) -> Verdict:
    """NOT_ELIGIBLE if a hard criterion is unmet, POSSIBLY_ELIGIBLE if one is unknown, else ELIGIBLE."""
    unknown = False
    for reason in reasons:
        if reason.criterion not in HARD_CRITERIA:
            continue
        if reason.outcome is Outcome.UNMET:
            return Verdict.NOT_ELIGIBLE
        if reason.outcome is Outcome.UNKNOWN:
            unknown = True
    return Verdict.POSSIBLY_ELIGIBLE if unknown else Verdict.ELIGIBLE


# ------------------------------------------------------------------------------------------
# The index: verdicts by set algebra, scores in one pass
# ------------------------------------------------------------------------------------------


def _post(index: dict[str, set[int]], codes: Iterable[str], position: int) -> None:
    for code in codes:
        index.setdefault(code, set()).add(position)


def _union(index: Mapping[K, set[int]], keys: Iterable[K]) -> set[int]:
    out: set[int] = set()
    for key in keys:
        found = index.get(key)
        if found:
            out |= found
    return out


class FundingIndex:
    """Instruments prepared once for many evaluations (immutable after construction)."""

    def __init__(self, instruments: Sequence[InstrumentProfile]) -> None:
        self.instruments: tuple[InstrumentProfile, ...] = tuple(instruments)
        n = len(self.instruments)
        self._all: frozenset[int] = frozenset(range(n))
        self._types_empty: set[int] = set()
        self._accepts: dict[str, set[int]] = {}
        self._sizes_empty: set[int] = set()
        self._sizes: dict[str, set[int]] = {}
        self._areas_empty: set[int] = set()
        self._areas: dict[str, set[int]] = {}
        self._restricted: set[int] = set()
        self._restricted_to: dict[int, set[int]] = {}
        self._consortium_required: set[int] = set()
        self._phases_empty: set[int] = set()
        self._phases: dict[str, set[int]] = {}
        self._domains_empty: set[int] = set()
        self._domains: dict[str, set[int]] = {}
        self._has_minimum: set[int] = set()
        mins: list[tuple[int, int]] = []
        closes: list[tuple[int, int]] = []
        for i, inst in enumerate(self.instruments):
            if inst.applicant_types:
                _post(self._accepts, inst.applicant_types, i)
            else:
                self._types_empty.add(i)
            if inst.municipality_sizes:
                _post(self._sizes, inst.municipality_sizes, i)
            else:
                self._sizes_empty.add(i)
            if inst.areas:
                _post(self._areas, inst.areas, i)
            else:
                self._areas_empty.add(i)
            if inst.restricted_to:
                self._restricted.add(i)
                for org in inst.restricted_to:
                    self._restricted_to.setdefault(org, set()).add(i)
            if inst.consortium_required:
                self._consortium_required.add(i)
            if inst.phases:
                _post(self._phases, inst.phases, i)
            else:
                self._phases_empty.add(i)
            if inst.domains:
                _post(self._domains, inst.domains, i)
            else:
                self._domains_empty.add(i)
            if inst.amount_min is not None:
                self._has_minimum.add(i)
                mins.append((inst.amount_min, i))
            if inst.closes_on is not None:
                closes.append((inst.closes_on.toordinal(), i))
        mins.sort()
        closes.sort()
        self._min_values = [m for m, _ in mins]
        self._min_positions = [i for _, i in mins]
        self._close_values = [c for c, _ in closes]
        self._close_positions = [i for _, i in closes]
        # Per-instrument data for the score pass.
        self._score_data = [
            (
                inst.domains,
                inst.phases,
                inst.amount_min,
                inst.amount_max,
                inst.opens_on.toordinal() if inst.opens_on else None,
                inst.closes_on.toordinal() if inst.closes_on else None,
            )
            for inst in self.instruments
        ]
        order = sorted(range(n), key=lambda i: (self.instruments[i].title, self.instruments[i].id, i))
        self._by_rank = order
        self._title_rank = [0] * n
        for rank, i in enumerate(order):
            self._title_rank[i] = rank
        self._text = TextIndex(f"{inst.title} {inst.text}" for inst in self.instruments)

    def __len__(self) -> int:
        return len(self.instruments)

    # -- verdicts by set algebra ------------------------------------------------------------

    def _hard_sets(self, p: _Profile) -> tuple[set[int], set[int]]:
        """(positions with a hard criterion UNMET, positions with one UNKNOWN and none UNMET)."""
        all_ = self._all
        unmet: set[int] = set()
        unknown: set[int] = set()
        # applicant type
        unknown |= self._types_empty
        unmet |= all_ - self._types_empty - _union(self._accepts, p.accepted_if)
        # size class
        if p.has_municipality:
            rest = all_ - self._sizes_empty - _union(self._sizes, p.municipal_sizes)
            (unknown if p.municipal_size_unknown else unmet).update(rest)
        # territory
        rest = all_ - self._areas_empty - _union(self._areas, p.areas)
        (unknown if p.areas_unknown else unmet).update(rest)
        named = self._restricted - _union(self._restricted_to, p.organisations)
        (unknown if p.organisation_unknown else unmet).update(named)
        # consortium
        if not p.is_consortium:
            unmet |= self._consortium_required
        # phase
        if p.phase is None:
            unknown |= all_
        else:
            unknown |= self._phases_empty
            unmet |= all_ - self._phases_empty - self._phases.get(p.phase, set())
        # domain
        if not p.domains:
            unknown |= all_ - self._domains_empty
        else:
            unmet |= all_ - self._domains_empty - _union(self._domains, p.domains)
        # amount
        if p.budget is None:
            unknown |= self._has_minimum
        else:
            unmet.update(self._min_positions[bisect_right(self._min_values, p.budget) :])
        # dates
        unmet.update(self._close_positions[: bisect_left(self._close_values, p.today.toordinal())])
        unknown -= unmet
        return unmet, unknown

    # -- evaluation -------------------------------------------------------------------------

    def evaluate(
        self, profile: FundingProfile, *, limit: int | None = None, include_ineligible: bool = True
    ) -> list[FundingResult]:
        p = _Profile.of(profile)
        unmet, unknown = self._hard_sets(p)
        relevance = self._text.scores(profile.text) if p.has_text else {}
        today = p.today.toordinal()
        soon = today + CLOSING_SOON_DAYS
        budget = p.budget
        pdomains = p.domains
        n_pdomains = len(pdomains)
        phase = p.phase
        w_text = SCORE_WEIGHTS["text"]
        w_domain = SCORE_WEIGHTS["domain"]
        w_phase = SCORE_WEIGHTS["phase"]
        w_amount = SCORE_WEIGHTS["amount"]
        w_soon = SCORE_WEIGHTS["closing_soon"]
        title_rank = self._title_rank
        rel_get = relevance.get
        keys: list[tuple[int, float, int]] = []
        for i, (domains, phases, lo, hi, opens, closes) in enumerate(self._score_data):
            if i in unmet:
                if not include_ineligible:
                    continue
                group = 2
            else:
                group = 1 if i in unknown else 0
            if not domains:
                domain_fit = 0.5
            elif n_pdomains:
                domain_fit = len(domains & pdomains) / n_pdomains
            else:
                domain_fit = 0.0
            phase_fit = 0.5 if phase is None or not phases else 1.0 if phase in phases else 0.0
            if budget is None or (lo is None and hi is None):
                amount_fit = 0.5
            elif lo is not None and budget < lo:
                amount_fit = 0.0
            elif hi is not None and budget > hi:
                amount_fit = hi / budget
            else:
                amount_fit = 1.0
            closing = 1.0 if closes is not None and today <= closes <= soon and (opens is None or opens <= today) else 0.0
            score = round(
                w_text * rel_get(i, 0.0) + w_domain * domain_fit + w_phase * phase_fit + w_amount * amount_fit + w_soon * closing,
                6,
            )
            keys.append((group, -score, title_rank[i]))
        chosen = heapq.nsmallest(max(limit, 0), keys) if limit is not None and limit < len(keys) else sorted(keys)
        results: list[FundingResult] = []
        for group, neg_score, rank in chosen:
            i = self._by_rank[rank]
            inst = self.instruments[i]
            reasons = _reasons(p, inst, relevance.get(i, 0.0))
            results.append(FundingResult(instrument=inst, score=-neg_score + 0.0, verdict=_VERDICTS[group], reasons=reasons))
        return _with_support(results)


def _with_support(results: list[FundingResult]) -> list[FundingResult]:
    money = {r.instrument.id for r in results if r.instrument.kind != _MATCHMAKING and r.verdict is not Verdict.NOT_ELIGIBLE}
    out: list[FundingResult] = []
    for r in results:
        if r.instrument.kind == _MATCHMAKING and r.verdict is not Verdict.NOT_ELIGIBLE and r.instrument.supports:
            supported = tuple(sorted(r.instrument.supports & money))
            if supported:
                r = FundingResult(
                    instrument=r.instrument, score=r.score, verdict=r.verdict, reasons=r.reasons, support_for=supported
                )
        out.append(r)
    return out


def evaluate_funding(
    profile: FundingProfile,
    instruments: Sequence[InstrumentProfile],
    *,
    limit: int | None = None,
    include_ineligible: bool = True,
) -> list[FundingResult]:
    """Rank `instruments` for `profile` (builds a `FundingIndex`; keep one for repeated use)."""
    return FundingIndex(instruments).evaluate(profile, limit=limit, include_ineligible=include_ineligible)

"""The funding finder: one reason per criterion, verdicts, ranking, and the index's shortcuts."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.matching.engine.funding import (
    HARD_CRITERIA,
    FundingIndex,
    evaluate_funding,
    reasons_for,
    verdict_of,
)
from helix.matching.engine.messages import MESSAGES, render_english
from helix.matching.engine.types import (
    Applicant,
    FundingCriterion,
    FundingProfile,
    FundingResult,
    InstrumentProfile,
    Outcome,
    Reason,
    Verdict,
)

TODAY = datetime.date(2026, 3, 1)
GHENT = Applicant(
    applicant_types=frozenset({"municipality"}), size_class="large", areas=frozenset({"44021", "40000"}), organisation_id=7
)
START_UP = Applicant(applicant_types=frozenset({"start-up"}), areas=frozenset({"11002", "10000"}), organisation_id=9)
SME = Applicant(applicant_types=frozenset({"sme"}), areas=frozenset({"40000"}), organisation_id=10)


def profile(*applicants: Applicant, **kwargs: object) -> FundingProfile:
    defaults: dict[str, object] = {
        "domains": frozenset({"mobility"}),
        "phase": "pilot",
        "budget": 100_000,
        "text": "",
        "today": TODAY,
    }
    defaults.update(kwargs)
    return FundingProfile(applicants=applicants or (GHENT,), **defaults)  # type: ignore[arg-type]


def instrument(id: int = 1, **kwargs: object) -> InstrumentProfile:
    defaults: dict[str, object] = {
        "slug": f"i{id}",
        "title": f"Instrument {id}",
        "kind": "financial",
        "applicant_types": frozenset({"municipality"}),
        "phases": frozenset({"pilot"}),
    }
    defaults.update(kwargs)
    return InstrumentProfile(id=id, **defaults)  # type: ignore[arg-type]


def reason(p: FundingProfile, inst: InstrumentProfile, criterion: FundingCriterion) -> Reason:
    return next(r for r in reasons_for(p, inst) if r.criterion is criterion)


def outcome(p: FundingProfile, inst: InstrumentProfile, criterion: FundingCriterion) -> tuple[Outcome, str]:
    r = reason(p, inst, criterion)
    return r.outcome, r.code


def only(p: FundingProfile, inst: InstrumentProfile) -> FundingResult:
    [result] = evaluate_funding(p, [inst])
    return result


# -- one reason per criterion, in order --------------------------------------------------------


def test_every_result_has_one_reason_per_criterion_in_order() -> None:
    result = only(profile(), instrument())
    assert [r.criterion for r in result.reasons] == list(FundingCriterion)
    assert result.verdict is Verdict.ELIGIBLE


# -- applicant type -----------------------------------------------------------------------------


def test_applicant_type_met_unmet_and_unknown() -> None:
    crit = FundingCriterion.APPLICANT_TYPE
    assert outcome(profile(), instrument(), crit) == (Outcome.MET, "applicant_type.met")
    assert outcome(profile(), instrument(applicant_types=frozenset({"company"})), crit) == (
        Outcome.UNMET,
        "applicant_type.unmet",
    )
    assert outcome(profile(), instrument(applicant_types=frozenset()), crit) == (Outcome.UNKNOWN, "applicant_type.unknown")
    unmet = reason(profile(), instrument(applicant_types=frozenset({"company", "sme"})), crit)
    assert dict(unmet.params) == {"accepted": "company,sme", "yours": "municipality"}


def test_company_subtypes_count_upwards_but_not_downwards() -> None:
    crit = FundingCriterion.APPLICANT_TYPE
    for_companies = instrument(applicant_types=frozenset({"company"}))
    for_smes = instrument(applicant_types=frozenset({"sme"}))
    for_start_ups = instrument(applicant_types=frozenset({"start-up"}))
    assert outcome(profile(START_UP), for_companies, crit)[0] is Outcome.MET
    assert outcome(profile(START_UP), for_smes, crit)[0] is Outcome.MET
    assert outcome(profile(SME), for_companies, crit)[0] is Outcome.MET
    assert outcome(profile(SME), for_start_ups, crit)[0] is Outcome.UNMET
    company = Applicant(applicant_types=frozenset({"company"}), areas=frozenset({"40000"}))
    assert outcome(profile(company), for_start_ups, crit)[0] is Outcome.UNMET
    assert outcome(profile(company), for_smes, crit)[0] is Outcome.UNMET


def test_a_consortium_is_accepted_by_consortium_instruments_or_through_any_member() -> None:
    crit = FundingCriterion.APPLICANT_TYPE
    consortium = profile(GHENT, START_UP)
    assert outcome(consortium, instrument(applicant_types=frozenset({"consortium"})), crit) == (
        Outcome.MET,
        "applicant_type.met_consortium",
    )
    assert outcome(consortium, instrument(applicant_types=frozenset({"sme"})), crit)[0] is Outcome.MET
    assert outcome(consortium, instrument(applicant_types=frozenset({"knowledge-institution"})), crit)[0] is Outcome.UNMET
    assert outcome(profile(GHENT), instrument(applicant_types=frozenset({"consortium"})), crit)[0] is Outcome.UNMET


# -- size class ----------------------------------------------------------------------------------


def test_size_class_rules() -> None:
    crit = FundingCriterion.SIZE_CLASS
    small_only = instrument(municipality_sizes=frozenset({"small"}))
    assert outcome(profile(), instrument(), crit) == (Outcome.MET, "size_class.no_restriction")
    assert outcome(profile(), small_only, crit) == (Outcome.UNMET, "size_class.unmet")
    assert outcome(profile(), instrument(municipality_sizes=frozenset({"large", "medium"})), crit) == (
        Outcome.MET,
        "size_class.met",
    )
    unknown_size = replace(GHENT, size_class=None)
    assert outcome(profile(unknown_size), small_only, crit) == (Outcome.UNKNOWN, "size_class.unknown")
    assert outcome(profile(SME), small_only, crit) == (Outcome.MET, "size_class.not_applicable")
    small = replace(GHENT, size_class="small", organisation_id=8)
    assert outcome(profile(GHENT, small), small_only, crit)[0] is Outcome.MET


# -- territory -----------------------------------------------------------------------------------


def test_territory_rules() -> None:
    crit = FundingCriterion.TERRITORY
    assert outcome(profile(), instrument(), crit) == (Outcome.MET, "territory.no_restriction")
    assert outcome(profile(), instrument(areas=frozenset({"40000"})), crit) == (Outcome.MET, "territory.met")
    assert outcome(profile(), instrument(areas=frozenset({"10000"})), crit) == (Outcome.UNMET, "territory.unmet")
    nowhere = replace(GHENT, areas=frozenset())
    assert outcome(profile(nowhere), instrument(areas=frozenset({"10000"})), crit) == (Outcome.UNKNOWN, "territory.unknown")
    # a consortium is in every member's areas
    assert outcome(profile(GHENT, START_UP), instrument(areas=frozenset({"10000"})), crit)[0] is Outcome.MET


def test_a_company_seated_elsewhere_may_have_an_establishment_in_the_area() -> None:
    flemish_only = instrument(areas=frozenset({"02000"}), applicant_types=frozenset({"company"}))
    seated = Applicant(applicant_types=frozenset({"company"}), areas=frozenset({"04000", "be"}), areas_complete=False)
    (result,) = evaluate_funding(profile(seated), [flemish_only])
    territory = next(r for r in result.reasons if r.criterion == FundingCriterion.TERRITORY)
    assert (territory.outcome, territory.code) == (Outcome.UNKNOWN, "territory.establishment_unknown")
    assert result.verdict == Verdict.POSSIBLY_ELIGIBLE
    # A municipality is where it is: outside the area it is ruled out.
    town = Applicant(applicant_types=frozenset({"company"}), areas=frozenset({"04000", "be"}))
    (result,) = evaluate_funding(profile(town), [flemish_only])
    assert result.verdict == Verdict.NOT_ELIGIBLE


def test_named_beneficiaries() -> None:
    crit = FundingCriterion.TERRITORY
    for_ghent = instrument(restricted_to=frozenset({7}))
    assert outcome(profile(), for_ghent, crit) == (Outcome.MET, "territory.restricted_met")
    assert outcome(profile(SME), instrument(restricted_to=frozenset({7}), applicant_types=frozenset()), crit) == (
        Outcome.UNMET,
        "territory.restricted_unmet",
    )
    anonymous = replace(GHENT, organisation_id=None)
    assert outcome(profile(anonymous), for_ghent, crit) == (Outcome.UNKNOWN, "territory.restricted_unknown")
    # the worse of the two checks wins
    both = instrument(restricted_to=frozenset({7}), areas=frozenset({"10000"}))
    assert outcome(profile(), both, crit) == (Outcome.UNMET, "territory.unmet")
    both_met = instrument(restricted_to=frozenset({7}), areas=frozenset({"40000"}))
    assert outcome(profile(), both_met, crit) == (Outcome.MET, "territory.met")


# -- consortium, phase, domain ------------------------------------------------------------------


def test_consortium_requirement() -> None:
    crit = FundingCriterion.CONSORTIUM
    required = instrument(consortium_required=True)
    assert outcome(profile(), required, crit) == (Outcome.UNMET, "consortium.required_unmet")
    assert outcome(profile(GHENT, SME), required, crit) == (Outcome.MET, "consortium.required_met")
    assert outcome(profile(), instrument(consortium_required=False), crit) == (Outcome.MET, "consortium.not_required")
    assert outcome(profile(), instrument(), crit) == (Outcome.MET, "consortium.not_stated")


def test_phase_rules() -> None:
    crit = FundingCriterion.PHASE
    assert outcome(profile(), instrument(), crit) == (Outcome.MET, "phase.met")
    assert outcome(profile(phase="research"), instrument(), crit) == (Outcome.UNMET, "phase.unmet")
    assert outcome(profile(), instrument(phases=frozenset()), crit) == (Outcome.UNKNOWN, "phase.unknown_instrument")
    assert outcome(profile(phase=None), instrument(), crit) == (Outcome.UNKNOWN, "phase.unknown_profile")


def test_domain_rules() -> None:
    crit = FundingCriterion.DOMAIN
    assert outcome(profile(), instrument(), crit) == (Outcome.MET, "domain.open")
    assert outcome(profile(), instrument(domains=frozenset({"mobility", "energy"})), crit) == (Outcome.MET, "domain.met")
    assert outcome(profile(), instrument(domains=frozenset({"energy"})), crit) == (Outcome.UNMET, "domain.unmet")
    assert outcome(profile(domains=frozenset()), instrument(domains=frozenset({"energy"})), crit) == (
        Outcome.UNKNOWN,
        "domain.unknown",
    )


# -- amount, co-financing, dates, text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("budget", "lo", "hi", "expected"),
    [
        (100_000, None, None, (Outcome.MET, "amount.no_range")),
        (None, 50_000, None, (Outcome.UNKNOWN, "amount.unknown")),
        (None, None, 50_000, (Outcome.MET, "amount.up_to")),
        (10_000, 50_000, 500_000, (Outcome.UNMET, "amount.below_minimum")),
        (900_000, 50_000, 500_000, (Outcome.MET, "amount.above_maximum")),
        (100_000, 50_000, 500_000, (Outcome.MET, "amount.within")),
        (100_000, 50_000, None, (Outcome.MET, "amount.at_least")),
        (100_000, None, 500_000, (Outcome.MET, "amount.at_most")),
    ],
)
def test_amount_rules(budget: int | None, lo: int | None, hi: int | None, expected: tuple[Outcome, str]) -> None:
    p = profile(budget=budget)
    inst = instrument(amount_min=lo, amount_max=hi)
    assert outcome(p, inst, FundingCriterion.AMOUNT) == expected


def test_a_budget_above_the_maximum_is_eligible_but_scores_lower() -> None:
    fits = instrument(1, amount_min=10_000, amount_max=200_000)
    too_small = instrument(2, amount_min=10_000, amount_max=50_000)
    results = evaluate_funding(profile(budget=100_000), [too_small, fits])
    assert [r.instrument.id for r in results] == [1, 2]
    assert {r.verdict for r in results} == {Verdict.ELIGIBLE}
    assert results[0].score > results[1].score


def test_cofinancing_is_informative_only() -> None:
    crit = FundingCriterion.COFINANCING
    assert outcome(profile(), instrument(cofinancing_rate=40.0), crit) == (Outcome.MET, "cofinancing.rate")
    assert dict(reason(profile(), instrument(cofinancing_rate=40.0), crit).params) == {"rate": "40"}
    assert outcome(profile(), instrument(cofinancing_rate=100.0), crit) == (Outcome.MET, "cofinancing.full")
    unknown = only(profile(), instrument(cofinancing_rate=None))
    assert reason(profile(), instrument(), crit).outcome is Outcome.UNKNOWN
    assert unknown.verdict is Verdict.ELIGIBLE  # soft: does not make it "possibly"


def test_dates_rules() -> None:
    crit = FundingCriterion.DATES
    day = datetime.timedelta(days=1)
    assert outcome(profile(), instrument(closes_on=TODAY - day), crit) == (Outcome.UNMET, "dates.closed")
    assert outcome(profile(), instrument(closes_on=TODAY), crit) == (Outcome.MET, "dates.closes_soon")
    assert outcome(profile(), instrument(opens_on=TODAY + day, closes_on=TODAY + 90 * day), crit) == (
        Outcome.MET,
        "dates.upcoming",
    )
    assert outcome(profile(), instrument(closes_on=TODAY + 30 * day), crit) == (Outcome.MET, "dates.closes_soon")
    assert outcome(profile(), instrument(closes_on=TODAY + 31 * day), crit) == (Outcome.MET, "dates.open_until")
    assert outcome(profile(), instrument(), crit) == (Outcome.MET, "dates.permanent")
    assert outcome(profile(), instrument(opens_on=TODAY - day), crit) == (Outcome.MET, "dates.permanent")
    closed = reason(profile(), instrument(closes_on=datetime.date(2026, 2, 1)), crit)
    assert render_english(closed.code, closed.params) == "Closed on 2026-02-01."


def test_text_relevance_is_soft_and_ranks() -> None:
    bikes = instrument(1, title="Fietsinfrastructuur", text="Subsidie voor fietspaden en fietsenstallingen")
    lights = instrument(2, title="Openbare verlichting", text="Slimme straatverlichting")
    results = evaluate_funding(profile(text="Wij willen veilige fietspaden aanleggen"), [lights, bikes])
    assert [r.instrument.id for r in results] == [1, 2]
    texts = {r.instrument.id: r.reasons[-1] for r in results}
    assert (texts[1].outcome, texts[1].code) == (Outcome.MET, "text.match")
    assert (texts[2].outcome, texts[2].code) == (Outcome.UNKNOWN, "text.no_match")
    assert {r.verdict for r in results} == {Verdict.ELIGIBLE}
    no_text = only(profile(text="  "), bikes)
    assert no_text.reasons[-1].code == "text.no_text"


# -- verdicts and ranking ------------------------------------------------------------------------


def test_verdict_rules() -> None:
    assert only(profile(), instrument()).verdict is Verdict.ELIGIBLE
    assert only(profile(), instrument(phases=frozenset())).verdict is Verdict.POSSIBLY_ELIGIBLE
    assert only(profile(), instrument(phases=frozenset(), domains=frozenset({"energy"}))).verdict is Verdict.NOT_ELIGIBLE
    reasons = (Reason(FundingCriterion.TEXT, Outcome.UNKNOWN, "text.no_match"),)
    assert verdict_of(reasons) is Verdict.ELIGIBLE
    assert FundingCriterion.TEXT not in HARD_CRITERIA and FundingCriterion.COFINANCING not in HARD_CRITERIA


def test_ranking_groups_by_verdict_then_score_then_title_then_id() -> None:
    instruments = [
        instrument(1, title="B", domains=frozenset({"energy"})),  # not eligible
        instrument(2, title="B", phases=frozenset()),  # possibly
        instrument(3, title="A", phases=frozenset()),  # possibly, same score, earlier title
        instrument(5, title="Z"),  # eligible
        instrument(4, title="Z"),  # eligible, same score and title: lower id first
        instrument(6, title="Y", domains=frozenset({"mobility"})),  # eligible, targeted: scores higher
    ]
    results = evaluate_funding(profile(), instruments)
    assert [r.instrument.id for r in results] == [6, 4, 5, 3, 2, 1]
    assert [r.verdict for r in results] == [Verdict.ELIGIBLE] * 3 + [Verdict.POSSIBLY_ELIGIBLE] * 2 + [Verdict.NOT_ELIGIBLE]
    assert evaluate_funding(profile(), list(reversed(instruments))) == results
    limited = evaluate_funding(profile(), instruments, limit=2)
    assert [r.instrument.id for r in limited] == [6, 4]
    eligible_only = evaluate_funding(profile(), instruments, include_ineligible=False)
    assert [r.instrument.id for r in eligible_only] == [6, 4, 5, 3, 2]
    assert evaluate_funding(profile(), instruments, limit=0) == []


def test_support_instruments_point_at_the_money_they_support() -> None:
    money = instrument(1, title="EU call")
    closed_money = instrument(2, title="Closed call", closes_on=TODAY - datetime.timedelta(days=1))
    contact_point = instrument(3, title="Contact point", kind="matchmaking", supports=frozenset({1, 2, 99}))
    results = {r.instrument.id: r for r in evaluate_funding(profile(), [money, closed_money, contact_point])}
    assert results[3].support_for == (1,)
    assert results[1].support_for == ()
    # a support instrument that is ruled out itself points at nothing
    ruled_out = replace(contact_point, applicant_types=frozenset({"company"}))
    results = {r.instrument.id: r for r in evaluate_funding(profile(), [money, ruled_out])}
    assert results[3].verdict is Verdict.NOT_ELIGIBLE
    assert results[3].support_for == ()


def test_scores_stay_within_zero_and_one() -> None:
    results = evaluate_funding(
        profile(text="fietspaden"),
        [
            instrument(1, text="fietspaden fietspaden", domains=frozenset({"mobility"}), closes_on=TODAY),
            instrument(2, amount_min=500_000),
        ],
    )
    assert all(0.0 <= r.score <= 1.0 for r in results)
    assert results[0].score > 0.8  # text relevance saturates below 1


# -- messages ------------------------------------------------------------------------------------


def test_message_codes_are_named_after_their_criterion_and_are_sentences() -> None:
    for code, sentence in MESSAGES.items():
        assert code.split(".")[0] in {c.value for c in FundingCriterion}, code
        assert sentence.endswith("."), code


# -- the index agrees with the straightforward rules (property-based) ----------------------------

CODES = st.sampled_from(["a", "b", "c"])
APPLICANT_TYPES = ["municipality", "company", "sme", "start-up", "non-profit"]
TYPES = st.sampled_from([*APPLICANT_TYPES, "consortium"])
SIZES = st.sampled_from(["small", "medium", "large"])
AREAS = st.sampled_from(["10000", "40000", "44021", "kempen"])
PHASES = st.sampled_from(["research", "study", "pilot", "implementation", "operation"])
DATES = st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2026, 6, 1))
AMOUNTS = st.integers(min_value=0, max_value=10).map(lambda x: x * 50_000)
WORDS = st.lists(st.sampled_from(["fiets", "fietsen", "parking", "licht", "data", "water", "energie"]), max_size=5)


@st.composite
def applicants(draw: st.DrawFn) -> Applicant:
    return Applicant(
        applicant_types=frozenset(draw(st.sets(st.sampled_from(APPLICANT_TYPES), min_size=1, max_size=2))),
        size_class=draw(st.none() | SIZES),
        areas=frozenset(draw(st.sets(AREAS, max_size=2))),
        organisation_id=draw(st.none() | st.integers(1, 4)),
        areas_complete=draw(st.booleans()),
    )


@st.composite
def profiles(draw: st.DrawFn) -> FundingProfile:
    return FundingProfile(
        applicants=tuple(draw(st.lists(applicants(), min_size=1, max_size=3))),
        domains=frozenset(draw(st.sets(CODES, max_size=2))),
        phase=draw(st.none() | PHASES),
        budget=draw(st.none() | AMOUNTS),
        text=" ".join(draw(WORDS)),
        today=datetime.date(2026, 3, 1),
    )


@st.composite
def instruments(draw: st.DrawFn, id: int) -> InstrumentProfile:
    lo = draw(st.none() | AMOUNTS)
    hi = draw(st.none() | AMOUNTS)
    return InstrumentProfile(
        id=id,
        slug=f"i{id}",
        title=draw(st.sampled_from(["A", "B", "C"])),
        kind=draw(st.sampled_from(["financial", "financial", "matchmaking"])),
        applicant_types=frozenset(draw(st.sets(TYPES, max_size=2))),
        municipality_sizes=frozenset(draw(st.sets(SIZES, max_size=2))),
        areas=frozenset(draw(st.sets(AREAS, max_size=2))),
        restricted_to=frozenset(draw(st.sets(st.integers(1, 4), max_size=2))),
        consortium_required=draw(st.none() | st.booleans()),
        phases=frozenset(draw(st.sets(PHASES, max_size=2))),
        domains=frozenset(draw(st.sets(CODES, max_size=2))),
        amount_min=lo,
        amount_max=hi,
        cofinancing_rate=draw(st.none() | st.sampled_from([25.0, 50.0, 100.0])),
        opens_on=draw(st.none() | DATES),
        closes_on=draw(st.none() | DATES),
        text=" ".join(draw(WORDS)),
        supports=frozenset(draw(st.sets(st.integers(0, 11), max_size=3))),
    )


@st.composite
def instrument_lists(draw: st.DrawFn) -> list[InstrumentProfile]:
    n = draw(st.integers(min_value=0, max_value=12))
    return [draw(instruments(i)) for i in range(n)]


_GROUP = {Verdict.ELIGIBLE: 0, Verdict.POSSIBLY_ELIGIBLE: 1, Verdict.NOT_ELIGIBLE: 2}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=profiles(), insts=instrument_lists(), limit=st.none() | st.integers(0, 5), include=st.booleans())
def test_index_verdicts_match_the_reasons_and_ranking_is_ordered(
    p: FundingProfile, insts: list[InstrumentProfile], limit: int | None, include: bool
) -> None:
    results = FundingIndex(insts).evaluate(p, limit=limit, include_ineligible=include)
    for result in results:
        # the set-algebra verdict agrees with the per-instrument reasons
        assert result.verdict is verdict_of(result.reasons)
        assert [r.criterion for r in result.reasons] == list(FundingCriterion)
        assert 0.0 <= result.score <= 1.0
        for r in result.reasons:
            render_english(r.code, r.params)  # every code exists and its params fill the sentence
        if not include:
            assert result.verdict is not Verdict.NOT_ELIGIBLE
        if result.support_for:
            assert result.instrument.kind == "matchmaking"
            assert set(result.support_for) <= result.instrument.supports
    keys = [(_GROUP[r.verdict], -r.score, r.instrument.title, r.instrument.id) for r in results]
    assert keys == sorted(keys)
    # the full answer, cut at the limit, is the limited answer
    everything = FundingIndex(insts).evaluate(p, include_ineligible=include)
    assert [r.instrument.id for r in results] == [r.instrument.id for r in everything][: len(results)]
    if limit is not None:
        assert len(results) == min(limit, len(everything))
    assert len(everything) == sum(1 for inst in insts if include or verdict_of(reasons_for(p, inst)) is not Verdict.NOT_ELIGIBLE)


def test_every_message_code_is_reachable() -> None:
    """Evaluate a spread of profiles and instruments: every code in MESSAGES shows up."""
    seen: set[str] = set()
    day = datetime.timedelta(days=1)
    sample_instruments = [
        instrument(1),
        instrument(2, applicant_types=frozenset(), municipality_sizes=frozenset({"small"}), phases=frozenset()),
        instrument(3, applicant_types=frozenset({"consortium"}), areas=frozenset({"10000"}), restricted_to=frozenset({7})),
        instrument(4, applicant_types=frozenset({"company"}), municipality_sizes=frozenset({"large"}), domains=frozenset({"x"})),
        instrument(5, restricted_to=frozenset({99}), consortium_required=True, domains=frozenset({"mobility"})),
        instrument(6, consortium_required=False, amount_min=1_000, amount_max=2_000, cofinancing_rate=50.0),
        instrument(7, amount_min=1_000, amount_max=9_000_000, cofinancing_rate=100.0, closes_on=TODAY - day),
        instrument(8, amount_min=1_000, opens_on=TODAY + day, text="fietsen"),
        instrument(9, amount_max=9_000_000, closes_on=TODAY + day, areas=frozenset({"40000"})),
        instrument(10, amount_min=9_000_000, closes_on=TODAY + 60 * day),
        instrument(11, restricted_to=frozenset({7})),
    ]
    sample_profiles = [
        profile(),
        profile(GHENT, SME, text="fiets"),
        profile(replace(GHENT, size_class=None, areas=frozenset(), organisation_id=None), phase=None, domains=frozenset()),
        profile(SME, budget=None, phase="research", text="water"),
        profile(replace(GHENT, size_class="small"), budget=None),
        profile(replace(SME, areas=frozenset({"20001"}), areas_complete=False)),
    ]
    for p in sample_profiles:
        for result in evaluate_funding(p, sample_instruments):
            seen.update(r.code for r in result.reasons)
    assert seen == set(MESSAGES)

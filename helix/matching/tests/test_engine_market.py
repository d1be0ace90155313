"""The marketplace matcher: signals, explanations, access rules, determinism, and exact top-k."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.matching.engine.market import (
    MODE_CRITERIA,
    Matcher,
    brute_force,
    coverage,
    jaccard,
    ladder,
)
from helix.matching.engine.types import Match, MatchCriterion, MatchMode, Party, Weights

C = MatchCriterion


def ranking(matches: list[Match]) -> list[tuple[str, int, float]]:
    return [(m.party.kind, m.party.id, m.score) for m in matches]


def values(match: Match) -> dict[MatchCriterion, float]:
    return {c.criterion: c.value for c in match.explanation}


# -- value functions --------------------------------------------------------------------------


def test_value_functions() -> None:
    assert jaccard(0, 3, 4) == 0.0
    assert jaccard(2, 2, 2) == 1.0
    assert jaccard(1, 2, 3) == 0.25
    assert coverage(1, 2) == 0.5
    assert coverage(0, 0) == 0.0
    assert [ladder(2, b) for b in (2, 1, 3, 0, 4, -1)] == [1.0, 0.5, 0.5, 0.0, 0.0, 0.0]


# -- a small, readable world --------------------------------------------------------------------

CHALLENGE = Party(
    id=1,
    kind="challenge",
    title="Slimme parkeersensoren",
    text="We zoeken sensoren die vrije parkeerplaatsen tellen en een dashboard voor bewoners.",
    domains=frozenset({"mobility"}),
    sdgs=frozenset({"11"}),
    roles=frozenset({"sensors", "dashboard"}),
    phase="pilot",
    size_class="medium",
    areas=frozenset({"40000"}),
    organisation_id=500,
)
SENSORS = Party(
    id=10,
    kind="solution",
    title="Parking sensors",
    text="Sensors that count free parking places, with a dashboard.",
    domains=frozenset({"mobility"}),
    sdgs=frozenset({"11"}),
    roles=frozenset({"sensors", "dashboard"}),
    phase="implementation",
    references=("medium", "medium", "large"),
    areas=frozenset({"40000"}),
    organisation_id=100,
)
LEDGER = Party(
    id=11,
    kind="solution",
    title="Energy ledger",
    text="A ledger of the energy use of municipal buildings.",
    domains=frozenset({"energy"}),
    roles=frozenset({"platform"}),
    phase="operation",
    organisation_id=101,
)
NEWCOMER = Party(
    id=12,
    kind="solution",
    title="Parkeertellers",
    text="Sensoren tellen parkeerplaatsen.",
    domains=frozenset({"mobility"}),
    roles=frozenset({"sensors"}),
    phase="pilot",
    organisation_id=102,
    is_startup=True,
    open_standards=frozenset({"oslo"}),
)
SOLUTIONS = [SENSORS, LEDGER, NEWCOMER]


def test_challenge_to_solutions_ranks_the_fitting_solution_first_and_explains_it() -> None:
    weights = Weights()
    [first, second, third] = Matcher(SOLUTIONS, weights).match(CHALLENGE, limit=5)
    assert [first.party.id, second.party.id, third.party.id] == [10, 12, 11]
    assert [c.criterion for c in first.explanation] == [
        c for c in MODE_CRITERIA[MatchMode.NEED_OFFER] if getattr(weights, c.value) > 0
    ]
    v = values(first)
    assert v[C.DOMAINS] == 1.0 and v[C.ROLES] == 1.0 and v[C.PROXIMITY] == 1.0
    assert v[C.REFERENCES] == pytest.approx(2 / 3, abs=1e-6)
    assert v[C.MATURITY] == 0.5  # implementation is one step from pilot
    assert 0 < v[C.TEXT] < 1
    assert values(second)[C.ROLES] == 0.5  # offers one of the two roles needed
    assert values(second)[C.REFERENCES] == 0.0  # no references yet
    assert values(third)[C.DOMAINS] == 0.0


def test_explanations_add_up_to_the_score() -> None:
    for match in Matcher(SOLUTIONS, Weights(startup_boost=0.1)).match(CHALLENGE):
        assert sum(c.contribution for c in match.explanation) == pytest.approx(match.score, abs=1e-5)
        for c in match.explanation:
            assert c.contribution == pytest.approx(c.weight * c.value, abs=1e-6)
            assert 0.0 <= c.value <= 1.0
            assert c.weight > 0


def test_criteria_with_weight_zero_are_left_out() -> None:
    [match, *_] = Matcher(SOLUTIONS, Weights(sdgs=0.0, proximity=0.0)).match(CHALLENGE)
    criteria = {c.criterion for c in match.explanation}
    assert C.SDGS not in criteria and C.PROXIMITY not in criteria
    assert C.STARTUP_BOOST not in criteria  # a lever at 0 is off


def test_levers_change_the_ranking_and_appear_in_the_explanation() -> None:
    twin = replace(NEWCOMER, id=13, is_startup=False, open_standards=frozenset())
    plain = Matcher([twin, NEWCOMER], Weights()).match(CHALLENGE)
    assert [m.party.id for m in plain] == [12, 13]
    assert plain[0].score == plain[1].score  # equal without levers: the lower id first
    for lever in ("startup_boost", "open_standards_boost"):
        weights = replace(Weights(), **{lever: 0.2})
        ranked = Matcher([NEWCOMER, twin], weights).match(CHALLENGE)
        assert ranked[0].party.id == 12
        assert ranked[0].score == pytest.approx(ranked[1].score + 0.2, abs=1e-6)
        assert values(ranked[0])[MatchCriterion(lever)] == 1.0
        assert values(ranked[1])[MatchCriterion(lever)] == 0.0
    # a lever can lift a weaker newcomer above an established solution
    assert Matcher(SOLUTIONS, Weights()).match(CHALLENGE)[0].party.id == 10
    assert Matcher(SOLUTIONS, Weights(startup_boost=1.0)).match(CHALLENGE)[0].party.id == 12


def test_access_rules_apply_before_ranking() -> None:
    matcher = Matcher(SOLUTIONS, Weights())
    for allowed in (frozenset({11, 12}), lambda p: p.id != 10):
        ranked = matcher.match(CHALLENGE, limit=2, allowed=allowed)
        # the best candidate is not shown, and the list is still full
        assert [m.party.id for m in ranked] == [12, 11]
    asked: list[int] = []

    def rule(p: Party) -> bool:
        asked.append(p.id)
        return p.id != 10

    matcher.match(CHALLENGE, limit=1, allowed=rule)
    assert 10 in asked  # the rule was consulted for the best candidate before it could be chosen
    assert matcher.match(CHALLENGE, allowed=frozenset()) == []


def test_solution_to_challenges_uses_the_same_signals_the_other_way_round() -> None:
    other = replace(CHALLENGE, id=2, domains=frozenset({"energy"}), roles=frozenset({"platform"}), size_class="small")
    ranked = Matcher([other, CHALLENGE], Weights(startup_boost=0.1)).match(SENSORS, limit=5)
    assert [m.party.id for m in ranked] == [1, 2]
    v = values(ranked[0])
    assert v[C.ROLES] == 1.0  # the solution offers every role the challenge needs
    assert v[C.REFERENCES] == pytest.approx(2 / 3, abs=1e-6)  # of its references, two in medium municipalities
    assert v[C.STARTUP_BOOST] == 0.0  # SENSORS is no start-up


def test_complement_mode_prefers_different_roles_in_a_shared_domain() -> None:
    sensor_maker = Party(
        id=20, kind="organisation", domains=frozenset({"mobility"}), roles=frozenset({"sensors"}), organisation_id=20
    )
    dashboards = Party(
        id=21, kind="organisation", domains=frozenset({"mobility"}), roles=frozenset({"dashboard"}), organisation_id=21
    )
    competitor = Party(
        id=22, kind="organisation", domains=frozenset({"mobility"}), roles=frozenset({"sensors"}), organisation_id=22
    )
    elsewhere = Party(
        id=23, kind="organisation", domains=frozenset({"energy"}), roles=frozenset({"dashboard"}), organisation_id=23
    )
    own_solution = Party(id=24, kind="solution", domains=frozenset({"mobility"}), roles=frozenset({"app"}), organisation_id=20)
    everyone = [sensor_maker, dashboards, competitor, elsewhere, own_solution]
    ranked = Matcher(everyone, Weights(text=0.0)).match(sensor_maker, mode="complement")
    assert [m.party.id for m in ranked] == [21, 22, 23]  # never itself nor its own organisation
    assert values(ranked[0])[C.ROLES] == 1.0
    assert values(ranked[1])[C.ROLES] == 0.0
    assert values(ranked[2])[C.ROLES] == 0.0  # different roles, but no shared domain
    assert C.REFERENCES not in values(ranked[0])


def test_peer_mode_finds_similar_municipalities_nearby_and_never_itself() -> None:
    def town(id: int, size: str, area: str, roles: set[str]) -> Party:
        return Party(
            id=id,
            kind="organisation",
            text="parkeren verkeer",
            domains=frozenset({"mobility"}),
            roles=frozenset(roles),
            size_class=size,
            areas=frozenset({area}),
            organisation_id=id,
        )

    me = town(30, "medium", "40000", {"sensors"})
    twin = town(31, "medium", "40000", {"sensors"})
    far_twin = town(32, "medium", "10000", {"sensors"})
    big = town(33, "large", "40000", {"sensors"})
    other_needs = town(34, "medium", "40000", {"platform"})
    ranked = Matcher([me, twin, far_twin, big, other_needs], Weights()).match(me, mode="peer")
    assert [m.party.id for m in ranked] == [31, 32, 33, 34]
    assert values(ranked[0])[C.SIZE_CLASS] == 1.0
    assert values(ranked[2])[C.SIZE_CLASS] == 0.5
    assert values(ranked[0])[C.SHARED_CHALLENGES] == 1.0
    assert values(ranked[3])[C.SHARED_CHALLENGES] == 0.0
    assert set(values(ranked[0])) == set(MODE_CRITERIA[MatchMode.PEER])


def test_same_input_same_ranking_whatever_the_candidate_order() -> None:
    rng = random.Random(3)
    parties = [random_party(rng, i, "solution") for i in range(300)]
    query = random_party(rng, 10_000, "challenge")
    expected = ranking(Matcher(parties, Weights()).match(query, limit=25))
    rng.shuffle(parties)
    assert ranking(Matcher(parties, Weights()).match(query, limit=25)) == expected
    assert ranking(Matcher(parties, Weights()).match(query, limit=25)) == expected


def test_limits_and_empty_inputs() -> None:
    assert Matcher([], Weights()).match(CHALLENGE) == []
    assert Matcher(SOLUTIONS, Weights()).match(CHALLENGE, limit=0) == []
    assert len(Matcher(SOLUTIONS, Weights()).match(CHALLENGE, limit=1)) == 1
    with pytest.raises(ValueError):
        Matcher(SOLUTIONS, Weights()).match(CHALLENGE, mode="nonsense")


# -- exact top-k: the index gives exactly what scoring everyone gives -----------------------------

WORDS = [
    "slimme",
    "verlichting",
    "sensor",
    "sensoren",
    "parkeren",
    "parking",
    "fiets",
    "fietsen",
    "data",
    "platform",
    "dashboard",
    "water",
    "afval",
    "energie",
]


def random_party(rng: random.Random, id: int, kind: str) -> Party:
    return Party(
        id=id,
        kind=kind,
        title=" ".join(rng.choices(WORDS, k=2)),
        text=" ".join(rng.choices(WORDS, k=rng.randint(0, 12))),
        domains=frozenset(rng.sample(["d1", "d2", "d3", "d4", "d5"], rng.randint(0, 3))),
        sdgs=frozenset(rng.sample(["3", "7", "11", "13"], rng.randint(0, 2))),
        roles=frozenset(rng.sample(["r1", "r2", "r3", "r4"], rng.randint(0, 2))),
        phase=rng.choice([None, "research", "study", "pilot", "implementation", "operation"]),
        references=tuple(rng.choices(["small", "medium", "large"], k=rng.randint(0, 3))),
        size_class=rng.choice([None, "small", "medium", "large"]),
        areas=frozenset(rng.sample(["10000", "40000", "70000"], rng.randint(0, 1))),
        organisation_id=rng.choice([None, rng.randint(1, 20)]),
        is_startup=rng.random() < 0.2,
        open_standards=frozenset({"oslo"}) if rng.random() < 0.3 else frozenset(),
    )


WEIGHTS = st.builds(
    Weights,
    text=st.sampled_from([0.0, 0.3, 1.0]),
    domains=st.sampled_from([0.0, 0.2]),
    sdgs=st.sampled_from([0.0, 0.05]),
    roles=st.sampled_from([0.0, 0.2, 0.5]),
    references=st.sampled_from([0.0, 0.1]),
    maturity=st.sampled_from([0.0, 0.1]),
    proximity=st.sampled_from([0.0, 0.05]),
    startup_boost=st.sampled_from([0.0, 0.1]),
    open_standards_boost=st.sampled_from([0.0, 0.1]),
    shared_challenges=st.sampled_from([0.0, 0.2]),
    size_class=st.sampled_from([0.0, 0.1]),
)
QUERY_KIND = {
    MatchMode.NEED_OFFER: ["challenge", "solution"],
    MatchMode.COMPLEMENT: ["organisation"],
    MatchMode.PEER: ["organisation"],
}


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(0, 120),
    mode=st.sampled_from(list(MatchMode)),
    weights=WEIGHTS,
    limit=st.integers(1, 12),
    access=st.sampled_from(["none", "few", "many", "rule"]),
    defer=st.sampled_from([1.0, 0.2, 0.0]),
    first_batch=st.sampled_from([1, 128]),
)
def test_indexed_top_k_equals_brute_force(
    seed: int, size: int, mode: MatchMode, weights: Weights, limit: int, access: str, defer: float, first_batch: int
) -> None:
    rng = random.Random(seed)
    kinds = ["solution", "organisation"] if mode is MatchMode.NEED_OFFER else ["organisation"]
    candidates = [random_party(rng, rng.randint(1, 60), rng.choice(kinds)) for _ in range(size)]
    query_kind = rng.choice(QUERY_KIND[mode])
    if mode is MatchMode.NEED_OFFER and query_kind == "solution":
        candidates = [replace(c, kind="challenge") for c in candidates]
    query = random_party(rng, rng.randint(1, 60), query_kind)
    if candidates and rng.random() < 0.3:
        query = replace(candidates[0], text=query.text)  # the query is one of the candidates
    allowed: frozenset[int] | object = None
    if access == "few":
        allowed = frozenset(rng.sample(range(1, 61), 3))
    elif access == "many":
        allowed = frozenset(rng.sample(range(1, 61), 45))
    elif access == "rule":
        banned = rng.randint(1, 60)
        allowed = lambda p: p.id != banned  # noqa: E731
    matcher = Matcher(candidates, weights, defer_fraction=defer, defer_min_df=0, first_batch=first_batch)
    fast = matcher.match(query, limit=limit, allowed=allowed, mode=mode)  # type: ignore[arg-type]
    slow = brute_force(query, candidates, weights, limit=limit, allowed=allowed, mode=mode)  # type: ignore[arg-type]
    assert ranking(fast) == ranking(slow)
    assert [m.explanation for m in fast] == [m.explanation for m in slow]
    for match in fast:
        assert not (match.party.id == query.id and match.party.kind == query.kind)
        if isinstance(allowed, frozenset):
            assert match.party.id in allowed
        assert sum(c.contribution for c in match.explanation) == pytest.approx(match.score, abs=1e-5)


def test_exact_top_k_on_a_larger_collection_with_deferred_terms() -> None:
    rng = random.Random(11)
    candidates = [random_party(rng, i, "solution") for i in range(3000)]
    matcher = Matcher(candidates, Weights(startup_boost=0.05), defer_fraction=0.05)
    for mode, kind in [
        (MatchMode.NEED_OFFER, "challenge"),
        (MatchMode.COMPLEMENT, "organisation"),
        (MatchMode.PEER, "organisation"),
    ]:
        for n in range(3):
            query = random_party(rng, 100_000 + n, kind)
            assert ranking(matcher.match(query, limit=20, mode=mode)) == ranking(matcher.brute_force(query, limit=20, mode=mode))


def test_the_fast_scores_equal_the_explained_scores_for_every_candidate() -> None:
    rng = random.Random(5)
    candidates = [random_party(rng, i, "solution") for i in range(200)]
    weights = Weights(startup_boost=0.1, open_standards_boost=0.1)
    matcher = Matcher(candidates, weights)
    for mode, kind in [
        (MatchMode.NEED_OFFER, "challenge"),
        (MatchMode.NEED_OFFER, "solution"),
        (MatchMode.COMPLEMENT, "organisation"),
        (MatchMode.PEER, "organisation"),
    ]:
        query = random_party(rng, 999, kind)
        everyone = matcher.brute_force(query, limit=len(candidates), mode=mode)
        assert len(everyone) == len(candidates) - (mode is not MatchMode.NEED_OFFER and query.organisation_id is not None) * sum(
            1 for c in candidates if c.organisation_id == query.organisation_id
        )
        assert ranking(matcher.match(query, limit=len(candidates), mode=mode)) == ranking(everyone)

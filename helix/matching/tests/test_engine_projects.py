"""Project similarity ("Who did this before?"): signals, elsewhere, links, and exact top-k."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helix.matching.engine.projects import (
    LinkRef,
    ProjectIndex,
    ProjectProfile,
    ProjectWeights,
    SimilarityCriterion,
    SimilarProject,
    brute_force,
    size_value,
    status_value,
)

C = SimilarityCriterion


def ranking(results: list[SimilarProject]) -> list[tuple[int, float]]:
    return [(r.project.id, r.score) for r in results]


def values(result: SimilarProject) -> dict[SimilarityCriterion, float]:
    return {c.criterion: c.value for c in result.explanation}


QUERY = ProjectProfile(
    id=1,
    title="Slimme parkeersensoren",
    text="Sensoren tellen vrije parkeerplaatsen; bewoners zien ze op een dashboard.",
    domains=frozenset({"smart-mobility"}),
    sdgs=frozenset({"11"}),
    phase="pilot",
    status="pilot",
    size_classes=frozenset({"medium"}),
    places=frozenset({100}),
    funding=frozenset({"erdf"}),
    links=(LinkRef(project_id=4, kind="replicates", outgoing=True),),
)
PARKING_ELSEWHERE = ProjectProfile(
    id=2,
    title="Parking sensors",
    text="Sensors count free parking places and show them on a dashboard for residents.",
    domains=frozenset({"smart-mobility"}),
    sdgs=frozenset({"11"}),
    phase="implementation",
    status="scaled",
    size_classes=frozenset({"medium"}),
    places=frozenset({200}),
    funding=frozenset({"erdf"}),
)
PARKING_SAME_TOWN = ProjectProfile(
    id=3,
    title="Parkeersensoren in het centrum",
    text="Sensoren tellen vrije parkeerplaatsen.",
    domains=frozenset({"smart-mobility"}),
    status="completed",
    size_classes=frozenset({"medium"}),
    places=frozenset({100, 300}),
)
ORIGINAL = ProjectProfile(
    id=4,
    title="Energy ledger",
    text="A ledger of the energy use of municipal buildings.",
    domains=frozenset({"smart-energy"}),
    status="running",
    size_classes=frozenset({"large"}),
    places=frozenset({400}),
)
WORLD = [PARKING_ELSEWHERE, PARKING_SAME_TOWN, ORIGINAL, QUERY]


def test_value_functions() -> None:
    assert [status_value(s) for s in ("scaled", "completed", "running", "pilot", "idea", "stopped", None)] == [
        1.0,
        1.0,
        0.5,
        0.25,
        0.0,
        0.0,
        0.0,
    ]
    assert size_value({"medium"}, {"medium", "small"}) == 1.0
    assert size_value({"small"}, {"medium"}) == 0.5
    assert size_value({"small"}, {"large"}) == 0.0
    assert size_value(set(), {"large"}) == 0.0


def test_elsewhere_excludes_the_project_itself_and_projects_in_the_same_place() -> None:
    found = ProjectIndex(WORLD).similar(QUERY, limit=10)
    ids = [r.project.id for r in found]
    assert 1 not in ids  # itself
    assert 3 not in ids  # shares place 100
    assert ids[0] == 2


def test_explanation_per_criterion_adds_up_to_the_score() -> None:
    best = ProjectIndex(WORLD).similar(QUERY, limit=1)[0]
    v = values(best)
    assert list(v) == list(SimilarityCriterion)
    assert v[C.TEXT] > 0
    assert v[C.DOMAINS] == 1.0
    assert v[C.SDGS] == 1.0
    assert v[C.PHASE] == 0.5  # pilot vs implementation: one step apart
    assert v[C.STATUS] == 1.0  # scaled weighs as proven
    assert v[C.SIZE_CLASS] == 1.0
    assert v[C.FUNDING] == 1.0
    assert abs(sum(c.contribution for c in best.explanation) - best.score) < 1e-5
    for c in best.explanation:
        assert abs(c.contribution - c.weight * c.value) < 1e-6


def test_linked_projects_are_shown_as_such() -> None:
    found = {r.project.id: r for r in ProjectIndex(WORLD).similar(QUERY, limit=10)}
    assert found[4].link == LinkRef(project_id=4, kind="replicates", outgoing=True)
    assert found[2].link is None


def test_a_challenge_query_is_not_excluded_by_id_and_scores_no_funding() -> None:
    challenge = ProjectProfile(id=2, kind="challenge", title="Parkeersensoren", domains=frozenset({"smart-mobility"}))
    found = ProjectIndex(WORLD).similar(challenge, limit=10)
    assert found[0].project.id in {2, 3}  # project 2 is not "itself": ids of another kind
    assert all(values(r)[C.FUNDING] == 0.0 for r in found)


def test_access_rule_comes_first() -> None:
    index = ProjectIndex(WORLD)
    assert [r.project.id for r in index.similar(QUERY, allowed={4})] == [4]
    assert [r.project.id for r in index.similar(QUERY, allowed=lambda p: p.status == "running")] == [4]


def test_input_order_does_not_change_the_ranking() -> None:
    shuffled = WORLD[:]
    random.Random(3).shuffle(shuffled)
    assert ranking(ProjectIndex(shuffled).similar(QUERY)) == ranking(ProjectIndex(WORLD).similar(QUERY))


# -- exact top-k: equal to brute force on random worlds ----------------------------------------

WORDS = [f"w{i}" for i in range(40)] + ["sensor", "parking", "energie", "data", "platform", "bewoners"]
DOMAINS = ["d1", "d2", "d3", "d4", "d5"]
SDGS = ["1", "3", "7", "11"]
STATUSES = ["idea", "pilot", "running", "scaled", "completed", "stopped", "unknown", None]
PHASES = [None, "research", "study", "pilot", "implementation", "operation"]
SIZES = ["small", "medium", "large"]


@st.composite
def profiles(draw: st.DrawFn, pid: int) -> ProjectProfile:
    return ProjectProfile(
        id=pid,
        title=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4))),
        text=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=12))),
        domains=frozenset(draw(st.sets(st.sampled_from(DOMAINS), max_size=3))),
        sdgs=frozenset(draw(st.sets(st.sampled_from(SDGS), max_size=2))),
        phase=draw(st.sampled_from(PHASES)),
        status=draw(st.sampled_from(STATUSES)),
        size_classes=frozenset(draw(st.sets(st.sampled_from(SIZES), max_size=2))),
        places=frozenset(draw(st.sets(st.integers(0, 12), max_size=2))),
        funding=frozenset(draw(st.sets(st.sampled_from(["a", "b", "c"]), max_size=2))),
    )


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[ProjectProfile], ProjectProfile, int, ProjectWeights, dict]:
    n = draw(st.integers(0, 40))
    projects = [draw(profiles(pid)) for pid in draw(st.lists(st.integers(1, 60), min_size=n, max_size=n, unique=True))]
    query = draw(profiles(draw(st.integers(1, 60))))
    if draw(st.booleans()):
        query = ProjectProfile(**{**query.__dict__, "kind": "challenge"})
    k = draw(st.integers(1, 12))
    ws = draw(st.lists(st.sampled_from([0.0, 0.05, 0.1, 0.2, 0.35]), min_size=7, max_size=7))
    weights = ProjectWeights(*ws)
    knobs = {
        "chunk": draw(st.integers(1, 8)),
        "first_batch": draw(st.integers(1, 16)),
        "defer_fraction": draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])),
        "defer_min_df": draw(st.integers(0, 3)),
    }
    return projects, query, k, weights, knobs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_top_k_equals_brute_force(world: tuple[list[ProjectProfile], ProjectProfile, int, ProjectWeights, dict]) -> None:
    projects, query, k, weights, knobs = world
    index = ProjectIndex(projects, weights, **knobs)
    fast = index.similar(query, limit=k)
    slow = brute_force(query, projects, weights, limit=k)
    assert ranking(fast) == ranking(slow)
    assert [r.explanation for r in fast] == [r.explanation for r in slow]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.sets(st.integers(1, 60)))
def test_top_k_equals_brute_force_with_access_rules(
    world: tuple[list[ProjectProfile], ProjectProfile, int, ProjectWeights, dict], allowed: set[int]
) -> None:
    projects, query, k, weights, knobs = world
    index = ProjectIndex(projects, weights, **knobs)
    assert ranking(index.similar(query, limit=k, allowed=allowed)) == ranking(index.brute_force(query, limit=k, allowed=allowed))


def test_top_k_equals_brute_force_on_a_larger_random_world() -> None:
    rng = random.Random(7)

    def make(pid: int) -> ProjectProfile:
        return ProjectProfile(
            id=pid,
            title=" ".join(rng.choices(WORDS, k=3)),
            text=" ".join(rng.choices(WORDS, k=rng.randint(0, 20))),
            domains=frozenset(rng.sample(DOMAINS, rng.randint(0, 2))),
            sdgs=frozenset(rng.sample(SDGS, rng.randint(0, 2))),
            phase=rng.choice(PHASES),
            status=rng.choice(STATUSES),
            size_classes=frozenset(rng.sample(SIZES, rng.randint(0, 1))),
            places=frozenset({rng.randint(0, 200)}),
            funding=frozenset(rng.sample(["a", "b", "c"], rng.randint(0, 1))),
        )

    projects = [make(pid) for pid in range(1, 2001)]
    for index in (ProjectIndex(projects), ProjectIndex(projects, defer_min_df=0, defer_fraction=0.05)):
        for _ in range(15):
            query = make(rng.randint(1, 2000))
            assert ranking(index.similar(query, limit=10)) == ranking(index.brute_force(query, limit=10))

"""The strategy monitor against the real seed (load_reference + load_study once per module, rolled back)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from helix.actors.choices import OrganisationKind
from helix.core.history import Channel, history_context
from helix.strategy.choices import ProgressStatus, RoleBasis
from helix.strategy.models import (
    Cluster,
    GovernmentRole,
    OrganisationalOption,
    ProgressUpdate,
    Recommendation,
    RecommendationLink,
    RoleOption,
)
from helix.strategy.roadmap import roadmap, roadmap_item
from helix.strategy.services import add_action, assign_owner, record_progress
from tests.study_data import run_command

STRATEGY_MODELS = [Cluster, GovernmentRole, OrganisationalOption, Recommendation, RecommendationLink, RoleOption]


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> str:
    return study_data["load_study"]


def rec(number: int) -> Recommendation:
    return Recommendation.objects.get(number=number)


def numbers(recs: list[Recommendation]) -> list[int]:
    return [r.number for r in recs]


def event_counts() -> dict[str, int]:
    return {m.__name__: apps.get_model("strategy", f"{m.__name__}Event").objects.count() for m in STRATEGY_MODELS}


# -- loader ----------------------------------------------------------------------------------


def test_the_18_recommendations_are_stored_in_four_clusters_in_order(loaded: Any, db: Any) -> None:
    assert Recommendation.objects.count() == 18
    assert sorted(Recommendation.objects.values_list("number", flat=True)) == list(range(1, 19))
    clusters = list(Cluster.objects.order_by("order"))
    assert [(c.name_nl, c.recommendations.count()) for c in clusters] == [
        ("Fundament", 2),
        ("Prioritaire uitrol", 6),
        ("Secundaire uitrol", 5),
        ("Transversaal", 5),
    ]
    fundament, priority, secondary, transversal = clusters
    assert priority.starts_after == fundament and secondary.starts_after == priority
    assert fundament.starts_after is None and transversal.starts_after is None
    assert rec(1).title_nl == "Een lange termijn strategisch kader uitwerken"
    assert rec(1).source.startswith("KPMG for VLAIO") and rec(1).last_verified == datetime.date(2020, 7, 1)
    assert GovernmentRole.objects.count() == 3 and OrganisationalOption.objects.count() == 20
    assert RoleOption.objects.count() == 54


def test_advised_roles_basis_and_later_role(loaded: Any, db: Any) -> None:
    six, seven = rec(6), rec(7)
    assert six.advised_role.slug == "architect" and six.advised_role_basis == RoleBasis.INFERRED
    assert seven.advised_role.slug == "initiator" and seven.advised_role_basis == RoleBasis.EXPLICIT
    assert seven.advised_role_later.slug == "architect"
    assert Recommendation.objects.filter(advised_role_basis=RoleBasis.INFERRED).count() == 8
    assert Recommendation.objects.filter(advised_role_later__isnull=False).count() == 3


def test_themes_options_and_organisations_resolve(loaded: Any, db: Any) -> None:
    assert rec(17).theme.code == "aankopen-financiering"  # "Financiering" is the building block's alias
    assert rec(3).theme.code == "data-technologie" and "Quadruple Helix" in rec(3).notes
    assert set(rec(2).suggested_lead.values_list("slug", flat=True)) == {"abb"}
    cities = rec(18).benchmark_cities.all()
    assert {c.slug for c in cities} == {"lyon", "vienna", "copenhagen"}
    assert {c.kind for c in cities} == {OrganisationKind.FOREIGN_CITY}
    assert "digitale-bouwmeester" in set(rec(2).options.values_list("slug", flat=True))
    assert set(OrganisationalOption.objects.get(slug="smart-city-office").roles.values_list("slug", flat=True)) == {
        "coordinator",
        "architect",
    }
    assert len(rec(1).critical_success_factors) == 2


def test_dependencies_both_directions(loaded: Any, db: Any) -> None:
    eight = roadmap_item(rec(8))
    assert numbers(eight.waits_for) == [1, 2, 5]  # "depends_on" in the report
    assert 8 in numbers(roadmap_item(rec(1)).enables)
    # Recommendation 10 is a precondition for 5: 5 waits for 10.
    assert 10 in numbers(roadmap_item(rec(5)).waits_for)
    assert 5 in numbers(roadmap_item(rec(10)).enables)
    # 13 follows 6 and 7; its references to 12 and 14 are "see also", not dependencies.
    thirteen = roadmap_item(rec(13))
    assert numbers(thirteen.waits_for) == [6, 7] and numbers(thirteen.see_also) == [12, 14]
    assert rec(16).depends_on_all


def test_second_run_changes_nothing_and_records_no_history(loaded: Any, db: Any) -> None:
    before_events = event_counts()
    before = {m.__name__: m.objects.count() for m in STRATEGY_MODELS}
    versions = list(Recommendation.objects.order_by("pk").values_list("pk", "version", "updated_at"))
    out = run_command("load_study")
    assert event_counts() == before_events
    assert {m.__name__: m.objects.count() for m in STRATEGY_MODELS} == before
    assert list(Recommendation.objects.order_by("pk").values_list("pk", "version", "updated_at")) == versions
    line = next(x for x in out.splitlines() if x.startswith("recommendations "))
    assert line.split()[1:] == ["0", "0", "18"]


def test_a_curator_edit_of_a_recommendation_survives_a_rerun(loaded: Any, db: Any) -> None:
    one = rec(1)
    with history_context(channel=Channel.WEB):
        one.goal = "Curated goal"
        one.save()
    run_command("load_study")
    one.refresh_from_db()
    assert one.goal == "Curated goal"


# -- progress service ------------------------------------------------------------------------


def test_owners_and_curators_record_progress_others_may_not(loaded: Any, cast: Any) -> None:
    eight = rec(8)
    with pytest.raises(PermissionDenied):
        assign_owner(recommendation=eight, organisation=cast.org_a, user=cast.editor_a)
    assign_owner(recommendation=eight, organisation=cast.org_a, user=cast.curator)

    with history_context(channel=Channel.WEB, user=cast.editor_a):
        update = record_progress(
            recommendation=eight,
            status=ProgressStatus.PARTIALLY,
            justification="Two pilots scaled.",
            evidence=["https://example.org/report"],
            user=cast.editor_a,
        )
    assert update.organisation == cast.org_a and update.author == cast.editor_a
    event = update.events.get()  # type: ignore[attr-defined]
    assert event.pgh_label == "insert" and event.pgh_context.metadata["username"] == "editor-a"

    with pytest.raises(PermissionDenied):
        record_progress(recommendation=eight, status=ProgressStatus.FULLY, justification="x", evidence=[], user=cast.editor_b)
    with pytest.raises(PermissionDenied):  # an owner of another recommendation only
        record_progress(recommendation=rec(1), status=ProgressStatus.FULLY, justification="x", evidence=[], user=cast.editor_a)
    curator_update = record_progress(
        recommendation=rec(1), status=ProgressStatus.FULLY, justification="Framework adopted.", evidence=[], user=cast.curator
    )
    assert curator_update.organisation is None
    with pytest.raises(ValidationError):
        record_progress(
            recommendation=eight, status=ProgressStatus.FULLY, justification="ok", evidence=["not a url"], user=cast.editor_a
        )
    assert ProgressUpdate.objects.count() == 2


def test_an_action_owner_may_report_and_a_stranger_may_not_add_actions(loaded: Any, cast: Any) -> None:
    nine = rec(9)
    add_action(recommendation=nine, title="Working group", organisation=cast.org_b, user=cast.curator)
    with pytest.raises(PermissionDenied):
        add_action(recommendation=nine, title="Mine", organisation=cast.org_a, user=cast.editor_a)
    update = record_progress(
        recommendation=nine, status="largely_on_track", justification="Meets.", evidence=[], user=cast.editor_b
    )
    assert update.organisation == cast.org_b


def test_roadmap_blocked_by_follows_progress_and_dates(loaded: Any, cast: Any) -> None:
    def eight() -> Any:
        return next(i for c in roadmap() for i in c.items if i.recommendation.number == 8)

    assert numbers(eight().blocked_by) == [1, 2, 5]
    old = datetime.date(2025, 1, 1)
    for n in (1, 2):
        record_progress(recommendation=rec(n), status=ProgressStatus.FULLY, justification="Done.", evidence=[], user=cast.curator)
    record_progress(
        recommendation=rec(5), status=ProgressStatus.NOT, justification="Stalled.", evidence=[], user=cast.curator, as_of=old
    )
    assert numbers(eight().blocked_by) == [5]
    past = {i.recommendation.number: i for c in roadmap(on=old) for i in c.items}
    assert past[5].status == ProgressStatus.NOT and past[1].latest is None


# -- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        ("", ["Strategie", "Fundament", "Prioritaire uitrol", "Een lange termijn strategisch kader uitwerken"]),
        ("/en", ["Strategy", "Foundation", "Priority roll-out", "Develop a long-term strategic framework"]),
    ],
)
def test_overview_shows_the_clusters_in_order_with_dependencies(loaded: Any, client: Any, prefix: str, texts: list[str]) -> None:
    response = client.get(f"{prefix}/strategie/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in texts:
        assert text in html, text
    positions = [
        html.index(f'id="cluster-{slug}"') for slug in ("fundament", "prioritaire-uitrol", "secundaire-uitrol", "transversaal")
    ]
    assert positions == sorted(positions)
    assert html.count('href="' + prefix + "/strategie/aanbevelingen/rec-") >= 18
    assert 'aria-current="page"' in html


def test_overview_shows_the_latest_status_as_text(loaded: Any, client: Any, cast: Any) -> None:
    record_progress(recommendation=rec(4), status=ProgressStatus.LARGELY, justification="Good.", evidence=[], user=cast.curator)
    assert "Largely on track" in client.get("/en/strategie/").content.decode()
    assert "Grotendeels op schema" in client.get("/strategie/").content.decode()


def test_detail_page_has_roles_dependencies_organisations_and_history(loaded: Any, client: Any, cast: Any) -> None:
    record_progress(
        recommendation=rec(8),
        status=ProgressStatus.PARTIALLY,
        justification="Scaling started.",
        evidence=["https://example.org/e"],
        user=cast.curator,
    )
    response = client.get("/en/strategie/aanbevelingen/rec-08/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Coordinator — <strong>advised</strong>" in html
    for href in ("/en/strategie/aanbevelingen/rec-01/", "/en/strategie/aanbevelingen/rec-05/"):
        assert href in html
    assert "Copenhagen" in html and "/en/organisaties/copenhagen/" in html
    assert "Scaling started." in html and "https://example.org/e" in html
    # Enables: recommendation 1's page links back to 8.
    one = client.get("/strategie/aanbevelingen/rec-01/").content.decode()
    assert "Maakt mogelijk" in one and "/strategie/aanbevelingen/rec-08/" in one
    assert client.get("/strategie/aanbevelingen/rec-99/").status_code == 404


# -- API -------------------------------------------------------------------------------------


def test_api_lists_and_shows_recommendations(loaded: Any, client: Any) -> None:
    response = client.get("/api/v1/recommendations/?page_size=50")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["number"] for r in rows] == list(range(1, 19))
    body = client.get("/api/v1/recommendations/rec-05/").json()
    assert body["cluster"]["name_nl"] == "Prioritaire uitrol"
    assert body["advised_role"] == "coordinator" and body["advised_role_basis"] == "inferred"
    assert body["depends_on"] == ["rec-10"] and body["enables"] == ["rec-08"]
    assert body["theme"]["code"] == "aankopen-financiering"
    assert body["latest_progress"] is None
    cities = client.get("/api/v1/recommendations/rec-18/").json()["benchmark_cities"]
    assert {c["slug"] for c in cities} == {"lyon", "vienna", "copenhagen"}

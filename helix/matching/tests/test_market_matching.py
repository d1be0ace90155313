"""Marketplace matching through the ORM: adapters, use cases, access rules, levers, API, pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from helix.actors.choices import OrganisationKind
from helix.actors.models import Province, Region
from helix.matching import market
from helix.matching.models import MatchingPolicy
from helix.matching.policy import set_policy
from tests.factories import (
    ChallengeFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SchemeFactory,
    SolutionFactory,
    TermFactory,
    make_curator,
    make_editor,
)

pytestmark = pytest.mark.django_db


def term(scheme: str, code: str) -> Any:
    return TermFactory(scheme=SchemeFactory(slug=scheme), code=code, label_nl=code, label_en=code)


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    region = Region.objects.create(refnis="02000", name_nl="Vlaams Gewest")
    ovl = Province.objects.create(refnis="40000", name_nl="Provincie Oost-Vlaanderen", region=region)
    vbr = Province.objects.create(refnis="20001", name_nl="Provincie Vlaams-Brabant", region=region)
    mobility, energy = term("domains", "smart-mobility"), term("domains", "smart-energy")
    sensors, dashboards, platform = (
        term("value-chain-roles", "devices-sensors"),
        term("value-chain-roles", "applications-dashboards"),
        term("value-chain-roles", "data-platform"),
    )
    pilot = term("phases", "pilot")
    gent = MunicipalityFactory(name="Gent", slug="gent", municipality_size="large", province=ovl)
    aalst = MunicipalityFactory(name="Aalst", slug="aalst", municipality_size="large", province=ovl)
    leuven = MunicipalityFactory(name="Leuven", slug="leuven", municipality_size="large", province=vbr)
    sensor_maker = OrganisationFactory(name="Sensor Maker", slug="sensor-maker", description_en="air quality sensors")
    sensor_maker.value_chain_roles.set([sensors])
    sensor_maker.domains.set([mobility])
    dashboard_builder = OrganisationFactory(name="Dashboard Builder", slug="dashboard-builder", description_en="dashboards")
    dashboard_builder.value_chain_roles.set([dashboards])
    dashboard_builder.domains.set([mobility])
    other_sensor_maker = OrganisationFactory(name="Other Sensors", slug="other-sensors", description_en="sensors")
    other_sensor_maker.value_chain_roles.set([sensors])
    other_sensor_maker.domains.set([mobility])
    fitting = SolutionFactory(
        title="Traffic counting sensors",
        slug="traffic-sensors",
        organisation=sensor_maker,
        description_en="traffic counting sensors",
    )
    fitting.domains.set([mobility])
    fitting.value_chain_roles.set([sensors])
    unrelated = SolutionFactory(
        title="Energy ledger", slug="energy-ledger", organisation=dashboard_builder, description_en="ledger"
    )
    unrelated.domains.set([energy])
    unrelated.value_chain_roles.set([platform])
    challenge = ChallengeFactory(
        title="Count bicycles and cars", slug="count-traffic", owners=[gent], description_en="We want traffic counting sensors"
    )
    challenge.domains.set([mobility])
    challenge.value_chain_roles_needed.set([sensors])
    challenge.phase_sought = pilot
    challenge.save()
    similar = ChallengeFactory(
        title="Traffic sensors in Aalst", slug="aalst-traffic", owners=[aalst], description_en="traffic sensors"
    )
    similar.domains.set([mobility])
    draft = ChallengeFactory(
        title="Secret traffic sensors plan", slug="draft-plan", owners=[leuven], status="draft", published_at=None,
        description_en="traffic counting sensors",
    )  # fmt: skip
    draft.domains.set([mobility])
    draft.value_chain_roles_needed.set([sensors])
    return {
        "gent": gent, "aalst": aalst, "leuven": leuven, "sensor_maker": sensor_maker, "dashboard_builder": dashboard_builder,
        "other_sensor_maker": other_sensor_maker, "fitting": fitting, "unrelated": unrelated, "challenge": challenge,
        "similar": similar, "draft": draft,
    }  # fmt: skip


def test_challenge_ranks_the_solution_that_offers_what_it_needs_first(world: dict[str, Any]) -> None:
    ranked = market.challenge_matches(world["challenge"], type="solution")
    assert next(r.object for r in ranked) == world["fitting"]
    top = ranked[0]
    assert pytest.approx(sum(c.contribution for c in top.explanation), abs=1e-5) == top.score
    criteria = {str(c.criterion): c for c in top.explanation}
    assert criteria["roles"].value == 1.0  # the one role needed is offered
    assert criteria["domains"].value > 0
    if len(ranked) > 1:
        assert ranked[1].score < top.score


def test_same_input_gives_the_same_ranking(world: dict[str, Any]) -> None:
    first = [(r.object.pk, r.score) for r in market.challenge_matches(world["challenge"], type="organisation")]
    again = [(r.object.pk, r.score) for r in market.challenge_matches(world["challenge"], type="organisation")]
    assert first == again and first


def test_draft_challenges_are_never_offered_to_a_solution(world: dict[str, Any]) -> None:
    # The draft fits the solution best (same words, same role), yet only its owners may see it.
    shown = [r.object for r in market.solution_matches(world["fitting"], user=None)]
    assert world["draft"] not in shown
    assert world["challenge"] in shown
    editor = make_editor("editor-leuven", world["leuven"])
    # Not even its owners get a draft as a match: only open challenges take responses.
    assert world["draft"] not in [r.object for r in market.solution_matches(world["fitting"], user=editor)]


def test_partners_score_on_complementary_roles_not_on_the_same_role(world: dict[str, Any]) -> None:
    ranked = {r.object: r for r in market.organisation_partners(world["sensor_maker"])}
    assert world["sensor_maker"] not in ranked

    def roles(org: Any) -> float:
        return next(c.value for c in ranked[org].explanation if str(c.criterion) == "roles")

    assert roles(world["dashboard_builder"]) == 1.0  # dashboards and a platform: roles the sensor maker lacks
    assert roles(world["other_sensor_maker"]) == 0.0  # the same role: a competitor gets nothing for roles


def test_peers_share_challenges_and_name_who_could_carry_a_joint_one(world: dict[str, Any]) -> None:
    ranked = [r.object for r in market.municipality_peers(world["gent"])]
    assert ranked[0] == world["aalst"]  # similar challenge, same size, same province
    igean = OrganisationFactory(name="Intercommunale Oost", kind=OrganisationKind.INTERCOMMUNALE, province=world["gent"].province)
    carriers = market.joint_carriers([world["gent"], world["aalst"]])
    assert (igean, "province") in carriers.intercommunales


def test_start_up_lever_lifts_start_ups_and_shows_in_the_explanation(world: dict[str, Any]) -> None:
    world["other_sensor_maker"].subkind = "start-up"
    world["other_sensor_maker"].save()
    before = {r.object.pk: r for r in market.challenge_matches(world["challenge"], type="organisation")}
    set_policy(user=make_curator(), startup_boost=Decimal("0.20"), open_standards_boost=Decimal("0"))
    after = {r.object.pk: r for r in market.challenge_matches(world["challenge"], type="organisation")}
    startup = world["other_sensor_maker"].pk
    assert after[startup].score == pytest.approx(before[startup].score + 0.2, abs=1e-5)
    boost = [c for c in after[startup].explanation if str(c.criterion) == "startup_boost"]
    assert boost and boost[0].contribution == pytest.approx(0.2)
    assert after[world["sensor_maker"].pk].score == pytest.approx(before[world["sensor_maker"].pk].score, abs=1e-6)


def test_only_curators_set_the_levers_and_values_are_bounded(world: dict[str, Any]) -> None:
    editor = make_editor("editor-gent", world["gent"])
    with pytest.raises(PermissionDenied):
        set_policy(user=editor, startup_boost=Decimal("0.1"), open_standards_boost=Decimal("0"))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        set_policy(user=make_curator(), startup_boost=Decimal("0.5"), open_standards_boost=Decimal("0"))
    assert MatchingPolicy.current().startup_boost == 0


def test_policy_page_rights_and_validation(world: dict[str, Any], client_as: Any) -> None:
    url = reverse("matching:policy")
    assert client_as(None).get(url).status_code == 302  # to the login page
    assert client_as(make_editor("editor-gent", world["gent"])).get(url).status_code == 403
    curator = client_as(make_curator())
    assert curator.get(url).status_code == 200
    bad = curator.post(url, {"startup_boost": "0.9", "open_standards_boost": "0"})
    assert bad.status_code == 200 and MatchingPolicy.current().startup_boost == 0
    ok = curator.post(url, {"startup_boost": "0.10", "open_standards_boost": "0.05"})
    assert ok.status_code == 302
    assert MatchingPolicy.current().open_standards_boost == Decimal("0.05")
    assert MatchingPolicy.pgh_event_model.objects.count() >= 1  # the change is in the history


def test_api_challenge_matches_shape_and_validation(world: dict[str, Any], client: Any) -> None:
    url = reverse("api:challenge-matches", kwargs={"slug": "count-traffic"})
    body = client.get(url, {"type": "organisation", "limit": 2}).json()
    assert 1 <= len(body["results"]) <= 2
    first = body["results"][0]
    assert first["object"]["type"] == "organisation" and first["object"]["slug"] == "sensor-maker"
    assert {"criterion", "weight", "value", "contribution"} <= set(first["explanation"][0])
    assert sum(c["contribution"] for c in first["explanation"]) == pytest.approx(first["score"], abs=1e-5)
    assert client.get(url, {"limit": 0}).json()["code"] == "validation_error"
    assert client.get(url, {"type": "bogus"}).status_code == 400


def test_api_hides_draft_challenges_and_peers_need_a_municipality(world: dict[str, Any], client: Any) -> None:
    draft = reverse("api:challenge-matches", kwargs={"slug": "draft-plan"})
    assert client.get(draft).status_code == 404
    client.force_login(make_editor("editor-leuven", world["leuven"]))
    assert client.get(draft).status_code == 200
    client.logout()
    assert client.get(reverse("api:organisation-peers", kwargs={"slug": "sensor-maker"})).status_code == 404
    peers = client.get(reverse("api:organisation-peers", kwargs={"slug": "gent"})).json()["results"]
    assert peers[0]["object"]["slug"] == "aalst"
    partners = client.get(reverse("api:organisation-partners", kwargs={"slug": "sensor-maker"})).json()["results"]
    assert "dashboard-builder" in [p["object"]["slug"] for p in partners]
    challenges = client.get(reverse("api:solution-matches", kwargs={"slug": "traffic-sensors"})).json()["results"]
    assert "draft-plan" not in [c["object"]["slug"] for c in challenges]


def test_match_pages_full_and_fragment(world: dict[str, Any], client: Any) -> None:
    url = reverse("matching:challenge-matches", kwargs={"slug": "count-traffic"})
    with translation.override("en"):
        url_en = reverse("matching:challenge-matches", kwargs={"slug": "count-traffic"})
    page = client.get(url_en)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Traffic counting sensors" in html and "Why this match?" in html and "<html" in html
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Traffic counting sensors" in fragment
    assert client.get(reverse("matching:challenge-matches", kwargs={"slug": "draft-plan"})).status_code == 404
    org = client.get(reverse("matching:organisation-matches", kwargs={"slug": "gent"}))
    assert "Aalst" in org.content.decode()


def test_history_pages_of_challenges_hide_drafts(world: dict[str, Any], client: Any) -> None:
    public = reverse("history:record", kwargs={"model": "challenge", "slug": "count-traffic"})
    draft = reverse("history:record", kwargs={"model": "challenge", "slug": "draft-plan"})
    assert client.get(public).status_code == 200
    assert client.get(draft).status_code == 404
    client.force_login(make_editor("editor-leuven", world["leuven"]))
    assert client.get(draft).status_code == 200
    assert client.get(reverse("history:record", kwargs={"model": "solution", "slug": "traffic-sensors"})).status_code == 200


def test_the_funding_link_of_a_joint_challenge_asks_for_the_consortium(world: dict[str, Any], client: Any) -> None:
    from helix.market.models import ChallengeOwner
    from helix.matching.match_views import funding_url

    ChallengeOwner.objects.create(challenge=world["challenge"], organisation=world["aalst"], role="co_owner")
    challenge = type(world["challenge"]).objects.prefetch_related("ownerships__organisation").get(pk=world["challenge"].pk)
    url = funding_url(challenge)
    assert "organisation=gent" in url and "organisation_2=aalst" in url and "domain=smart-mobility" in url
    with translation.override("en"):
        page = client.get(url).content.decode()
    # The finder reads both owners back as applicants (a consortium).
    assert 'name="organisation" value="gent"' in page
    assert 'name="organisation_2" value="aalst"' in page

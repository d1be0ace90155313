"""Marketplace pages: lists with facets and export, detail pages, forms, responding, reviewing."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

from helix.market.models import Challenge, ChallengeOwner, Response, Solution
from tests.factories import ChallengeFactory, OrganisationFactory, ResponseFactory, SolutionFactory, UserFactory

pytestmark = pytest.mark.django_db
CHALLENGES = "/uitdagingen/"
SOLUTIONS = "/oplossingen/"


def titles(response):
    return [row.title for row, _cells in response.context["rows"]]


@pytest.fixture
def challenges(market):
    parking = ChallengeFactory(slug="smart-parking", title="Smart parking", owners=[market.gent, market.leuven])
    parking.domains.set([market.mobility])
    parking.value_chain_roles_needed.set([market.sensors])
    heat = ChallengeFactory(slug="heat-map", title="Heat map", owners=[market.leuven], status="closed")
    heat.domains.set([market.energy])
    draft = ChallengeFactory(slug="secret-draft", title="Secret draft", owners=[market.gent], status="draft", published_at=None)
    return {"parking": parking, "heat": heat, "draft": draft}


def test_list_shows_published_challenges_and_drafts_only_to_their_owners(client_as, market, cast, challenges):
    assert titles(client_as(None).get(CHALLENGES)) == ["Heat map", "Smart parking"]
    assert titles(client_as(cast.editor_a).get(CHALLENGES, {"sort": "title"})) == ["Heat map", "Smart parking"]
    everything = ["Heat map", "Secret draft", "Smart parking"]
    assert titles(client_as(market.editor_gent).get(CHALLENGES, {"sort": "title"})) == everything
    assert titles(client_as(cast.curator).get(CHALLENGES, {"sort": "title"})) == everything


def test_status_facet_counts_no_draft_for_the_public(client_as, market, cast, challenges):
    public = client_as(None).get(CHALLENGES)
    assert public.context["total"] == 2
    status = next(w for w in public.context["filters"] if w.name == "status")
    assert {o.value: o.count for o in status.options} == {"draft": 0, "open": 1, "closed": 1, "awarded": 0}
    curator = client_as(cast.curator).get(CHALLENGES)
    assert curator.context["total"] == 3
    status = next(w for w in curator.context["filters"] if w.name == "status")
    assert {o.value: o.count for o in status.options}["draft"] == 1


def test_list_filters_and_export(client, market, challenges):
    assert titles(client.get(CHALLENGES, {"domain": "smart-mobility"})) == ["Smart parking"]
    assert titles(client.get(CHALLENGES, {"role": "devices-sensors"})) == ["Smart parking"]
    assert titles(client.get(CHALLENGES, {"status": "closed"})) == ["Heat map"]
    assert titles(client.get(CHALLENGES, {"joint": "true"})) == ["Smart parking"]
    assert titles(client.get(CHALLENGES, {"owner": market.gent.slug})) == ["Smart parking"]
    assert titles(client.get(CHALLENGES, {"accepting": "true"})) == ["Smart parking"]
    assert titles(client.get(CHALLENGES, {"q": "parking"})) == ["Smart parking"]
    export = client.get(CHALLENGES, {"format": "csv", "sort": "title"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(export)))
    assert [r["slug"] for r in rows] == ["heat-map", "smart-parking"]  # no draft
    assert rows[1]["lead_owner"] == market.gent.slug
    assert rows[1]["co_owners"] == market.leuven.slug


def test_counts_cached_for_the_public_never_include_drafts(client_as, market, cast, challenges, monkeypatch):
    """Outside a transaction counts and the filter panel are cached by data version; a curator's
    view (drafts included) must never be served from, or stored in, the public cache."""
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr("helix.core.listing.data_version", lambda using="default": "test-version")
    assert client_as(cast.curator).get(CHALLENGES).context["total"] == 3
    assert client_as(market.editor_gent).get(CHALLENGES).context["total"] == 3
    public = client_as(None).get(CHALLENGES)
    assert public.context["total"] == 2
    assert 'value="draft"' in public.content.decode()
    status = next(w for w in public.context["filters"] if w.name == "status")
    assert {o.value: o.count for o in status.options}["draft"] == 0
    assert client_as(cast.curator).get(CHALLENGES).context["total"] == 3
    cache.clear()


def test_empty_list_has_an_empty_state(client, market):
    response = client.get("/en" + CHALLENGES)
    assert response.context["rows"] == []
    assert "Nothing matches these filters." in response.content.decode()


def test_detail_shows_owners_joint_badge_needs_and_matches_placeholder(client, market, challenges):
    with translation.override("en"):
        response = client.get("/en/uitdagingen/smart-parking/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="joint-badge"' in html and "Joint challenge" in html
    assert "Gent (Lead)" in html and "Leuven (Co-owner)" in html
    assert "Devices and sensors" in html
    assert '<section id="matches"' in html
    assert "Sign in to respond" in html
    assert 'id="joint-badge"' not in client.get("/en/uitdagingen/heat-map/").content.decode()


@pytest.mark.parametrize(("persona", "status"), [(None, 404), ("editor_a", 404), ("editor_gent", 200), ("curator", 200)])
def test_draft_detail_is_404_out_of_scope(client_as, market, cast, challenges, persona, status):
    user = getattr(market, persona, None) or getattr(cast, persona, None) if persona else None
    assert client_as(user).get("/uitdagingen/secret-draft/").status_code == status


def test_archived_challenge_is_404_except_to_curators(client_as, market, cast, challenges):
    Challenge.objects.filter(slug="heat-map").update(archived_at="2026-01-01T00:00:00Z")
    assert client_as(market.editor_leuven).get("/uitdagingen/heat-map/").status_code == 404
    assert client_as(cast.curator).get("/uitdagingen/heat-map/").status_code == 200
    assert "Heat map" not in titles(client_as(cast.curator).get(CHALLENGES))


def test_member_creates_a_challenge_through_the_form(client_as, market):
    client = client_as(market.editor_gent)
    form = client.get("/uitdagingen/nieuw/")
    assert form.status_code == 200
    assert [o.pk for o in form.context["form"].fields["lead"].queryset] == [market.gent.pk]
    response = client.post(
        "/uitdagingen/nieuw/",
        {
            "lead": market.gent.pk,
            "title": "Quiet streets",
            "description_nl": "Te veel lawaai in de binnenstad.",
            "domains": [market.mobility.pk],
            "value_chain_roles_needed": [market.sensors.pk],
            "phase_sought": market.pilot.pk,
            "budget_min": "10000",
            "budget_max": "50000",
            "deadline": "2099-12-31",
        },
    )
    challenge = Challenge.objects.get(title="Quiet streets")
    assert response.status_code == 302 and response["Location"] == challenge.get_absolute_url()
    assert challenge.status == "draft" and challenge.lead_owner == market.gent
    assert challenge.phase_sought == market.pilot

    client.post(f"/uitdagingen/{challenge.slug}/status/publish/")
    challenge.refresh_from_db()
    assert challenge.status == "open"


def test_form_errors_are_shown_and_nothing_is_saved(client_as, market):
    response = client_as(market.editor_gent).post(
        "/uitdagingen/nieuw/", {"lead": market.gent.pk, "title": "", "budget_min": "9", "budget_max": "1"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"title", "budget_max"}
    assert not Challenge.objects.exists()


def test_write_pages_need_sign_in_membership_and_rights(client_as, market, cast, challenges):
    assert client_as(None).get("/uitdagingen/nieuw/").status_code == 302
    assert client_as(UserFactory(username="lonely")).get("/uitdagingen/nieuw/").status_code == 403
    assert client_as(cast.editor_b).get("/uitdagingen/smart-parking/bewerken/").status_code == 403
    assert client_as(cast.editor_b).post("/uitdagingen/smart-parking/status/close/").status_code == 403
    assert client_as(cast.editor_a).get("/uitdagingen/secret-draft/bewerken/").status_code == 404
    assert client_as(market.editor_leuven).get("/uitdagingen/smart-parking/bewerken/").status_code == 200  # co-owner
    response = client_as(cast.editor_b).post("/uitdagingen/smart-parking/bewerken/", {"title": "Hijacked"})
    assert response.status_code == 403
    assert Challenge.objects.get(slug="smart-parking").title == "Smart parking"


def test_lead_adds_a_co_owner_by_name(client_as, market, challenges):
    brugge = OrganisationFactory(name="Brugge", kind="municipality", helix_role="municipality")
    assert client_as(market.editor_leuven).post("/uitdagingen/heat-map/eigenaars/", {"organisation": "Gent"}).status_code == 302
    assert ChallengeOwner.objects.filter(challenge=challenges["heat"], organisation=market.gent, role="co_owner").exists()
    refused = client_as(market.editor_gent).post("/uitdagingen/heat-map/eigenaars/", {"organisation": "Brugge"})
    assert refused.status_code == 403  # a co-owner does not manage owners
    unknown = client_as(market.editor_leuven).post("/uitdagingen/heat-map/eigenaars/", {"organisation": "Atlantis"})
    assert unknown.status_code == 400 and "Atlantis" in unknown.content.decode()
    assert not ChallengeOwner.objects.filter(organisation=brugge).exists()


def test_company_responds_and_owners_shortlist_and_note_the_outcome(client_as, market, cast, challenges):
    solution = SolutionFactory(organisation=cast.org_a, title="Parking sensors")
    SolutionFactory(organisation=cast.org_b, title="Not yours")
    client = client_as(cast.editor_a)
    detail = client.get("/uitdagingen/smart-parking/")
    assert detail.context["may_respond"]
    form = client.get("/uitdagingen/smart-parking/reageren/")
    assert list(form.context["form"].fields["solution"].queryset) == [solution]
    sent = client.post("/uitdagingen/smart-parking/reageren/", {"solution": solution.pk, "proposal": "Sensors in every spot."})
    assert sent.status_code == 302
    response = Response.objects.get()
    assert (response.organisation, response.solution, response.status) == (cast.org_a, solution, "submitted")

    assert client_as(cast.editor_a).get("/uitdagingen/smart-parking/reacties/").status_code == 403
    owners = client_as(market.editor_leuven)
    listing = owners.get("/uitdagingen/smart-parking/reacties/")
    assert listing.status_code == 200 and "Sensors in every spot." in listing.content.decode()
    assert owners.post(f"/markt/reacties/{response.pk}/shortlist/").status_code == 302
    assert owners.post(f"/markt/reacties/{response.pk}/resultaat/", {f"r{response.pk}-outcome": "negotiation"}).status_code == 302
    response.refresh_from_db()
    assert (response.status, response.outcome) == ("shortlisted", "negotiation")

    assert client_as(cast.editor_b).post(f"/markt/reacties/{response.pk}/shortlist/").status_code == 404  # never seen
    assert client_as(cast.editor_a).post(f"/markt/reacties/{response.pk}/reject/").status_code == 403
    client_as(cast.editor_a).post(f"/markt/reacties/{response.pk}/resultaat/", {f"r{response.pk}-outcome": "agreement"})
    response.refresh_from_db()
    assert response.outcome == "agreement"
    page = client_as(cast.editor_a).get("/uitdagingen/smart-parking/")
    assert [r.pk for r in page.context["own_responses"]] == [response.pk]


def test_respond_page_explains_why_one_cannot_respond(client_as, market, cast, challenges):
    closed = client_as(cast.editor_a).get("/uitdagingen/heat-map/reageren/")
    assert closed.status_code == 200 and 'id="respond-form"' not in closed.content.decode()
    assert "does not accept responses" in client_as(cast.editor_a).get("/en/uitdagingen/heat-map/reageren/").content.decode()
    no_solution = client_as(cast.editor_a).get("/en/uitdagingen/smart-parking/reageren/")
    assert "add one first" in no_solution.content.decode()
    refused = client_as(cast.editor_a).post("/uitdagingen/heat-map/reageren/", {"solution": "1", "proposal": "x"})
    assert refused.status_code == 400 and not Response.objects.exists()


def test_solution_pages(client_as, market, cast):
    young = OrganisationFactory(name="Young Sensors", subkind="start-up")
    solution = SolutionFactory(
        slug="parking-sensors", title="Parking sensors", organisation=young, open_standards=["OSLO", "NGSI-LD"]
    )
    solution.references.set([market.gent])
    solution.domains.set([market.mobility])
    SolutionFactory(slug="dashboard", title="Dashboard", organisation=cast.org_a)
    client = client_as(None)
    assert titles(client.get(SOLUTIONS)) == ["Dashboard", "Parking sensors"]
    assert titles(client.get(SOLUTIONS, {"startup": "true"})) == ["Parking sensors"]
    assert titles(client.get(SOLUTIONS, {"standard": "OSLO"})) == ["Parking sensors"]
    assert titles(client.get(SOLUTIONS, {"reference": market.gent.slug})) == ["Parking sensors"]
    assert titles(client.get(SOLUTIONS, {"domain": "smart-mobility"})) == ["Parking sensors"]
    with translation.override("en"):
        html = client.get("/en/oplossingen/parking-sensors/").content.decode()
    assert "Young Sensors" in html and 'id="startup-badge"' in html and "NGSI-LD" in html and "Gent" in html
    assert '<section id="matches"' in html


def test_member_adds_and_edits_a_solution(client_as, market, cast):
    client = client_as(cast.editor_a)
    created = client.post(
        "/oplossingen/nieuw/",
        {
            "organisation": cast.org_a.pk,
            "title": "Noise sensors",
            "references": "Gent\ngemeente-leuven-24062",
            "open_standards": "OSLO\nNGSI-LD",
            "pricing_model": "subscription",
            "maturity": market.operation.pk,
        },
    )
    solution = Solution.objects.get(title="Noise sensors")
    assert created.status_code == 302
    assert set(solution.references.all()) == {market.gent, market.leuven}
    assert solution.open_standards == ["OSLO", "NGSI-LD"]
    bad = client.post(
        "/oplossingen/nieuw/",
        {"organisation": cast.org_a.pk, "title": "X", "references": "Organisation B", "pricing_model": "unknown"},
    )
    assert bad.status_code == 200
    assert "references" in bad.context["form"].errors
    assert client_as(cast.editor_b).get(f"/oplossingen/{solution.slug}/bewerken/").status_code == 403
    client = client_as(cast.editor_a)
    edit = client.get(f"/oplossingen/{solution.slug}/bewerken/")
    assert edit.context["form"]["references"].value()  # prefilled
    client.post(
        f"/oplossingen/{solution.slug}/bewerken/",
        {
            "organisation": cast.org_a.pk,
            "title": "Noise sensors 2",
            "references": "Gent",
            "pricing_model": "license",
            "version": solution.version,
        },
    )
    solution.refresh_from_db()
    assert solution.title == "Noise sensors 2" and list(solution.references.all()) == [market.gent]


def test_market_home_lists_open_challenges_and_the_members_own_work(client_as, market, cast, challenges):
    ResponseFactory(challenge=challenges["parking"], solution=SolutionFactory(organisation=cast.org_a))
    public = client_as(None).get("/markt/")
    assert [c.slug for c in public.context["latest"]] == ["smart-parking"]
    assert "my_challenges" not in public.context
    gent = client_as(market.editor_gent).get("/markt/")
    assert {c.slug for c in gent.context["my_challenges"]} == {"smart-parking", "secret-draft"}
    company = client_as(cast.editor_a).get("/markt/")
    assert [r.challenge.slug for r in company.context["my_responses"]] == ["smart-parking"]


def test_list_pages_cost_the_same_queries_for_10_and_50_rows(client, market, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(55):
        challenge = ChallengeFactory(title=f"Challenge {n:02}", owners=[market.gent, market.leuven])
        challenge.domains.set([market.mobility])
        solution = SolutionFactory(title=f"Solution {n:02}", organisation=cast.org_a)
        solution.references.set([market.gent])
        solution.domains.set([market.energy])
    for url in (CHALLENGES, SOLUTIONS):
        counts = []
        for size in (10, 50):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"size": size}).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (url, counts)

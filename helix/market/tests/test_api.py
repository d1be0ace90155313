"""The marketplace in the REST API: public reads without drafts, token writes with the pages' rights."""

from __future__ import annotations

import pytest
from pghistory.models import Events

from helix.market.models import Challenge, Response, Solution
from tests.factories import ChallengeFactory, ResponseFactory, SolutionFactory

pytestmark = pytest.mark.django_db
CHALLENGES = "/api/v1/challenges/"
SOLUTIONS = "/api/v1/solutions/"
RESPONSES = "/api/v1/responses/"


@pytest.fixture
def listed(market, cast):
    parking = ChallengeFactory(slug="smart-parking", title="Smart parking", owners=[market.gent, market.leuven])
    parking.domains.set([market.mobility])
    draft = ChallengeFactory(slug="secret-draft", title="Secret draft", owners=[market.gent], status="draft", published_at=None)
    solution = SolutionFactory(slug="parking-sensors", title="Parking sensors", organisation=cast.org_a, open_standards=["OSLO"])
    solution.references.set([market.gent])
    return {"parking": parking, "draft": draft, "solution": solution}


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


def test_public_reads_never_show_drafts(api, market, cast, listed):
    assert slugs(api().get(CHALLENGES)) == ["smart-parking"]
    assert api().get(f"{CHALLENGES}secret-draft/").status_code == 404
    assert api(cast.editor_a).get(f"{CHALLENGES}secret-draft/").status_code == 404
    assert sorted(slugs(api(market.editor_gent).get(CHALLENGES))) == ["secret-draft", "smart-parking"]
    assert api(cast.curator).get(f"{CHALLENGES}secret-draft/").status_code == 200

    body = api().get(f"{CHALLENGES}smart-parking/").json()
    assert body["is_joint"] is True
    assert body["lead"]["slug"] == market.gent.slug
    assert [(o["organisation"]["slug"], o["role"]) for o in body["owners"]] == [
        (market.gent.slug, "lead"),
        (market.leuven.slug, "co_owner"),
    ]
    assert body["domains"] == [{"code": "smart-mobility", "label_nl": "Smart mobility", "label_en": "Smart mobility"}]
    assert body["status"] == "open" and body["accepts_responses"] is True

    solution = api().get(f"{SOLUTIONS}parking-sensors/").json()
    assert solution["organisation"]["slug"] == "org-a"
    assert solution["references"][0]["slug"] == market.gent.slug
    assert solution["open_standards"] == ["OSLO"] and solution["is_startup"] is False
    assert slugs(api().get(SOLUTIONS, {"standard": "OSLO"})) == ["parking-sensors"]
    assert slugs(api().get(CHALLENGES, {"domain": "smart-energy"})) == []


def test_editor_creates_a_draft_challenge_and_publishes_it(api, market, cast):
    client = api(market.editor_gent)
    created = client.post(
        CHALLENGES,
        {
            "title": "Quiet streets",
            "lead": market.gent.slug,
            "description_en": "Too much noise downtown.",
            "domains": ["smart-mobility"],
            "value_chain_roles_needed": ["devices-sensors"],
            "phase_sought": "pilot",
            "budget_min": "10000",
            "budget_max": "50000",
            "status": "open",  # read-only: ignored
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["slug"], body["status"], body["lead"]["slug"]) == ("quiet-streets", "draft", market.gent.slug)
    assert api().get(f"{CHALLENGES}quiet-streets/").status_code == 404

    published = client.post(f"{CHALLENGES}quiet-streets/publish/")
    assert published.status_code == 200 and published.json()["status"] == "open"
    assert api().get(f"{CHALLENGES}quiet-streets/").status_code == 200
    again = client.post(f"{CHALLENGES}quiet-streets/publish/")
    assert again.status_code == 400 and again.json()["code"] == "validation_error"
    event = Events.objects.tracks(Challenge.objects.get(slug="quiet-streets")).last()
    assert event.pgh_context["channel"] == "api" and event.pgh_context["username"] == "editor-gent"


@pytest.mark.parametrize(
    ("persona", "lead", "expected"),
    [("editor_a", "gent", 403), ("editor_gent", "leuven", 403), ("editor_gent", None, 400), ("curator", "leuven", 201)],
)
def test_create_rights(api, market, cast, persona, lead, expected):
    user = getattr(market, persona, None) or getattr(cast, persona)
    data = {"title": "Challenge", **({"lead": getattr(market, lead).slug} if lead else {})}
    response = api(user).post(CHALLENGES, data, format="json")
    assert response.status_code == expected, response.content
    assert Challenge.objects.exists() == (expected == 201)


def test_anonymous_writes_are_401(api, market, listed):
    assert api().post(CHALLENGES, {"title": "x", "lead": market.gent.slug}, format="json").status_code == 401
    assert api().patch(f"{CHALLENGES}smart-parking/", {"title": "x"}, format="json").status_code == 401
    assert api().post(RESPONSES, {}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("persona", "slug", "expected"),
    [
        ("editor_gent", "smart-parking", 200),
        ("editor_leuven", "smart-parking", 200),  # co-owner
        ("editor_a", "smart-parking", 403),
        ("editor_a", "secret-draft", 404),
        ("editor_leuven", "secret-draft", 404),
        ("curator", "secret-draft", 200),
    ],
)
def test_patch_rights(api, market, cast, listed, persona, slug, expected):
    user = getattr(market, persona, None) or getattr(cast, persona)
    response = api(user).patch(f"{CHALLENGES}{slug}/", {"title": "Renamed"}, format="json")
    assert response.status_code == expected, response.content
    if expected == 403:
        assert response.json()["code"] == "permission_denied"
    assert (Challenge.objects.get(slug=slug).title == "Renamed") == (expected == 200)


def test_lead_cannot_change_and_stale_writes_are_409(api, market, listed):
    client = api(market.editor_gent)
    moved = client.patch(f"{CHALLENGES}smart-parking/", {"lead": market.leuven.slug}, format="json")
    assert moved.status_code == 400 and "lead" in moved.json()["errors"]
    assert client.patch(f"{CHALLENGES}smart-parking/", {"title": "A", "version": 1}, format="json").status_code == 200
    stale = client.patch(f"{CHALLENGES}smart-parking/", {"title": "B", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"


def test_co_owners_through_the_api(api, market, cast, listed):
    heat = ChallengeFactory(slug="heat", owners=[market.leuven])
    denied = api(market.editor_gent).post(f"{CHALLENGES}heat/owners/", {"organisation": market.gent.slug}, format="json")
    assert denied.status_code == 403
    added = api(market.editor_leuven).post(f"{CHALLENGES}heat/owners/", {"organisation": market.gent.slug}, format="json")
    assert added.status_code == 200 and added.json()["is_joint"] is True
    removed = api(market.editor_leuven).delete(f"{CHALLENGES}heat/owners/{market.gent.slug}/")
    assert removed.status_code == 200 and removed.json()["is_joint"] is False
    assert not heat.ownerships.filter(organisation=market.gent).exists()


def test_solutions_writes(api, market, cast):
    client = api(cast.editor_a)
    created = client.post(
        SOLUTIONS,
        {"title": "Noise sensors", "organisation": "org-a", "references": [market.gent.slug], "open_standards": ["NGSI-LD"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert api(cast.editor_b).post(SOLUTIONS, {"title": "x", "organisation": "org-a"}, format="json").status_code == 403
    not_a_city = client.post(SOLUTIONS, {"title": "y", "organisation": "org-a", "references": ["org-b"]}, format="json")
    assert not_a_city.status_code == 400 and "references" in not_a_city.json()["errors"]
    assert api(cast.editor_b).patch(f"{SOLUTIONS}noise-sensors/", {"title": "Mine"}, format="json").status_code == 403
    assert client.delete(f"{SOLUTIONS}noise-sensors/").status_code == 204
    assert Solution.objects.get(slug="noise-sensors").archived_at is not None


def test_respond_and_follow_up_through_the_api(api, market, cast, listed):
    not_own = api(cast.editor_b).post(
        RESPONSES, {"challenge": "smart-parking", "solution": "parking-sensors", "proposal": "x"}, format="json"
    )
    assert not_own.status_code == 403 and not Response.objects.exists()
    company = api(cast.editor_a)
    sent = company.post(
        RESPONSES, {"challenge": "smart-parking", "solution": "parking-sensors", "proposal": "We can do it."}, format="json"
    )
    assert sent.status_code == 201, sent.content
    pk = sent.json()["id"]
    assert sent.json()["organisation"]["slug"] == "org-a" and sent.json()["status"] == "submitted"
    twice = company.post(RESPONSES, {"challenge": "smart-parking", "solution": "parking-sensors", "proposal": "x"}, format="json")
    assert twice.status_code == 400

    draft = company.post(RESPONSES, {"challenge": "secret-draft", "solution": "parking-sensors", "proposal": "x"}, format="json")
    assert draft.status_code == 400 and "challenge" in draft.json()["errors"]  # indistinguishable from a missing one

    assert company.post(f"{RESPONSES}{pk}/shortlist/").status_code == 403
    assert api(cast.editor_b).post(f"{RESPONSES}{pk}/shortlist/").status_code == 404
    shortlisted = api(market.editor_leuven).post(f"{RESPONSES}{pk}/shortlist/")
    assert shortlisted.status_code == 200 and shortlisted.json()["status"] == "shortlisted"
    outcome = company.post(f"{RESPONSES}{pk}/outcome/", {"outcome": "contact"}, format="json")
    assert outcome.status_code == 200 and outcome.json()["outcome"] == "contact"
    assert company.post(f"{RESPONSES}{pk}/outcome/", {"outcome": "married"}, format="json").status_code == 400
    assert Response.objects.get(pk=pk).outcome == "contact"


def test_responses_list_only_what_the_user_may_see(api, market, cast, listed):
    mine = ResponseFactory(challenge=listed["parking"], solution=listed["solution"])
    other = ResponseFactory(challenge=ChallengeFactory(owners=[market.leuven]), solution=SolutionFactory(organisation=cast.org_b))

    def ids(user):
        return sorted(r["id"] for r in api(user).get(RESPONSES).json()["results"])

    assert ids(None) == []
    assert ids(cast.editor_a) == [mine.pk]
    assert ids(cast.editor_b) == [other.pk]
    assert ids(market.editor_gent) == [mine.pk]
    assert ids(market.editor_leuven) == sorted([mine.pk, other.pk])
    assert ids(cast.curator) == sorted([mine.pk, other.pk])
    assert api().get(f"{RESPONSES}{mine.pk}/").status_code == 404

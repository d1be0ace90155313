"""Knowledge hub: similar projects elsewhere (pages, challenge, API), lighthouses (rights,
history, shared / owed) and the overviews (counts with links, obstacle themes, pilots)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from pghistory.models import Events

from helix.market.models import Challenge
from helix.matching import project_similarity
from helix.projects import overviews
from helix.projects.lighthouses import ledger, save_lighthouse
from helix.projects.models import Lighthouse, LighthouseFollower, ProjectLink
from tests.factories import ChallengeFactory, MunicipalityFactory, SchemeFactory, TermFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def term(scheme: str, code: str):
    return TermFactory(scheme=SchemeFactory(slug=scheme), code=code, label_nl=code.title(), label_en=code.title())


@pytest.fixture
def world():
    mobility, energy = term("domains", "smart-mobility"), term("domains", "smart-energy")
    gent = MunicipalityFactory(slug="gent", name="Gent", municipality_size="large")
    leuven = MunicipalityFactory(slug="leuven", name="Leuven", municipality_size="large")
    genk = MunicipalityFactory(slug="genk", name="Genk", municipality_size="medium")
    query = ProjectFactory(
        slug="parking-gent",
        title="Parking sensors in Gent",
        summary_en="Sensors count free parking places and show them on a dashboard for residents.",
        status="pilot",
    )
    query.places.set([gent])
    query.domains.set([mobility])
    elsewhere = ProjectFactory(
        slug="parking-leuven",
        title="Parking sensors in Leuven",
        summary_en="Sensors count free parking places; a dashboard shows residents where to park.",
        lessons="sensors need a yearly calibration\nresidents did not trust the app at first",
        status="scaled",
    )
    elsewhere.places.set([leuven])
    elsewhere.domains.set([mobility])
    same_town = ProjectFactory(
        slug="parking-gent-centre", title="Parking sensors in the Gent centre", summary_en="Sensors count parking places."
    )
    same_town.places.set([gent])
    same_town.domains.set([mobility])
    unrelated = ProjectFactory(slug="ledger-genk", title="Energy ledger", summary_en="Energy use of buildings.")
    unrelated.places.set([genk])
    unrelated.domains.set([energy])
    ProjectLink.objects.create(from_project=query, to_project=unrelated, kind="inspired_by")
    return {
        "query": query,
        "elsewhere": elsewhere,
        "same_town": same_town,
        "unrelated": unrelated,
        "gent": gent,
        "leuven": leuven,
        "genk": genk,
        "mobility": mobility,
    }


# --- Similar projects -----------------------------------------------------------------------


def test_similar_projects_are_elsewhere_with_reasons_and_links(world):
    found = project_similarity.similar_to_project(world["query"], limit=10)
    ids = [r.object.pk for r in found]
    assert world["query"].pk not in ids and world["same_town"].pk not in ids
    assert ids[0] == world["elsewhere"].pk
    best = {str(c.criterion): c for c in found[0].explanation}
    assert best["domains"].value == 1.0 and best["status"].value == 1.0 and best["size_class"].value == 1.0
    assert best["text"].value > 0
    linked = next(r for r in found if r.object.pk == world["unrelated"].pk)
    assert linked.link is not None and linked.link.kind == "inspired_by" and linked.link.outgoing


def test_large_registries_take_the_scaled_path_with_the_same_explanations(world, settings, monkeypatch):
    from helix.projects import similar_scale

    small = project_similarity.similar_to_project(world["query"], limit=10)
    calls = []
    real = similar_scale.similar_profiles
    monkeypatch.setattr(similar_scale, "similar_profiles", lambda q, limit: calls.append(q.id) or real(q, limit=limit))
    settings.HELIX_SIMILAR_INDEX_MAX = -2  # every registry counts as large (the estimate is >= -1)
    large = project_similarity.similar_to_project(world["query"], limit=10)
    assert calls == [world["query"].pk]
    assert large[0].object.pk == small[0].object.pk == world["elsewhere"].pk
    assert {str(c.criterion) for c in large[0].explanation} == {str(c.criterion) for c in small[0].explanation}
    assert world["same_town"].pk not in [r.object.pk for r in large]


def test_archived_projects_drop_out(world):
    first = project_similarity.similar_to_project(world["query"], limit=10)
    world["elsewhere"].archived_at = datetime.datetime.now(tz=datetime.UTC)
    world["elsewhere"].save()
    after = project_similarity.similar_to_project(world["query"], limit=10)
    assert world["elsewhere"].pk in [r.object.pk for r in first]
    assert world["elsewhere"].pk not in [r.object.pk for r in after]


def test_project_page_loads_similar_section_and_fragment(client, world):
    page = client.get(world["query"].get_absolute_url())
    url = reverse("projects:project-similar", kwargs={"slug": "parking-gent"})
    assert page.status_code == 200 and url.encode() in page.content
    full = client.get(url)
    assert full.status_code == 200
    html = full.content.decode()
    assert "Parking sensors in Leuven" in html and "Parking sensors in the Gent centre" not in html
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b"Parking sensors in Leuven" in fragment.content
    assert b"linked-project" in fragment.content  # the inspired_by link is shown as such


def test_challenge_page_shows_projects_elsewhere_than_its_owners(client, world):
    challenge = ChallengeFactory(
        slug="parking-challenge",
        title="Parking sensors",
        description_en="We want sensors that count free parking places.",
        owners=[world["gent"]],
    )
    challenge.domains.set([world["mobility"]])
    page = client.get(challenge.get_absolute_url())
    url = reverse("projects:challenge-similar", kwargs={"slug": challenge.slug})
    assert url.encode() in page.content
    html = client.get(url).content.decode()
    assert "Parking sensors in Leuven" in html and "Parking sensors in Gent" not in html


def test_draft_challenge_similar_is_404_for_the_public(client, world):
    draft = ChallengeFactory(slug="draft", status="draft", owners=[world["gent"]])
    assert Challenge.objects.get(pk=draft.pk).status == "draft"
    assert client.get(reverse("projects:challenge-similar", kwargs={"slug": "draft"})).status_code == 404


def test_api_similar_with_explanation_per_criterion(client, world):
    response = client.get("/api/v1/projects/parking-gent/similar/?limit=2")
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    first = results[0]
    assert first["object"]["slug"] == "parking-leuven" and first["object"]["places"] == ["leuven"]
    criteria = [line["criterion"] for line in first["explanation"]]
    assert criteria == ["text", "domains", "sdgs", "phase", "status", "size_class", "funding"]
    assert abs(sum(line["contribution"] for line in first["explanation"]) - first["score"]) < 1e-5
    assert client.get("/api/v1/projects/nope/similar/").status_code == 404
    assert client.get("/api/v1/projects/parking-gent/similar/?limit=0").status_code == 400
    linked = client.get("/api/v1/projects/parking-gent/similar/?limit=10").json()["results"]
    assert {"kind": "inspired_by", "direction": "outgoing"} in [r["link"] for r in linked]


# --- Lighthouses ------------------------------------------------------------------------------


def test_lighthouse_shared_and_owed(world, cast):
    lighthouse = save_lighthouse(
        Lighthouse(domain=world["mobility"], municipality=world["leuven"], start_date=datetime.date(2024, 1, 1)),
        [world["gent"], world["genk"]],
        user=cast.curator,
    )
    owed_project = ProjectFactory(slug="bikes-leuven", title="Bike counters Leuven", lead=world["leuven"])
    owed_project.domains.set([world["mobility"]])
    other_domain = ProjectFactory(slug="energy-leuven", title="Energy Leuven")
    other_domain.places.set([world["leuven"]])
    result = ledger(lighthouse)
    assert [p.slug for p in result.shared] == ["parking-leuven"]
    owed = {p.slug: missing for p, missing in result.owed}
    assert owed == {"bikes-leuven": ["lessons", "results"], "parking-leuven": ["results"]}
    assert sorted(LighthouseFollower.objects.values_list("organisation__slug", flat=True)) == ["genk", "gent"]


def test_lighthouse_rights_and_history(client_as, cast, world):
    data = {
        "domain": world["mobility"].pk,
        "municipality": world["leuven"].pk,
        "start_date": "2024-01-01",
        "end_date": "",
        "followers": [world["gent"].pk],
        "note": "",
        "source": "test",
    }
    url = reverse("projects:lighthouse-create")
    assert client_as(None).post(url, data).status_code == 302  # to sign in
    assert not Lighthouse.objects.exists()
    assert client_as(cast.editor_a).post(url, data).status_code == 403
    assert not Lighthouse.objects.exists()
    response = client_as(cast.curator).post(url, data)
    lighthouse = Lighthouse.objects.get()
    assert response.status_code == 302 and response["Location"] == lighthouse.get_absolute_url()
    context = Events.objects.tracks(lighthouse).get(pgh_label="insert").pgh_context
    assert context["channel"] == "web" and context["username"] == "curator"
    # followers replaced on edit; the lighthouse may not follow itself
    edit = reverse("projects:lighthouse-edit", kwargs={"pk": lighthouse.pk})
    bad = client_as(cast.curator).post(edit, {**data, "followers": [world["leuven"].pk]})
    assert bad.status_code == 200 and lighthouse.follower_links.get().organisation == world["gent"]
    client_as(cast.curator).post(edit, {**data, "followers": [world["genk"].pk]})
    assert [f.organisation for f in lighthouse.follower_links.all()] == [world["genk"]]
    assert client_as(cast.editor_a).get(edit).status_code == 403


def test_lighthouse_pages(client, cast, world):
    lighthouse = save_lighthouse(
        Lighthouse(domain=world["mobility"], municipality=world["leuven"], start_date=datetime.date(2024, 1, 1)),
        [world["gent"]],
        user=cast.curator,
    )
    listing = client.get(reverse("projects:lighthouse-list")).content.decode()
    assert "Leuven" in listing and lighthouse.get_absolute_url() in listing
    page = client.get(lighthouse.get_absolute_url()).content.decode()
    assert "sensors need a yearly calibration" in page and "Gent" in page


def test_service_refuses_non_curators(cast, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        save_lighthouse(
            Lighthouse(domain=world["mobility"], municipality=world["leuven"], start_date=datetime.date(2024, 1, 1)),
            [],
            user=cast.editor_a,
        )
    assert not Lighthouse.objects.exists()


# --- Overviews --------------------------------------------------------------------------------


def test_statements_and_obstacle_cues():
    assert overviews.statements("First lesson. Second one; third\n- fourth.") == [
        "First lesson",
        "Second one",
        "third",
        "fourth",
    ]
    assert overviews.is_obstacle("Traditional procurement blocks scaling")
    assert overviews.is_obstacle("Er is geen budget")
    assert not overviews.is_obstacle("Thorough testing raises the success rate")


def test_obstacle_themes_group_statements_of_several_projects(world):
    a, b, c = world["elsewhere"], world["same_town"], world["unrelated"]
    a.risks = "Fragmentation of portals harms reuse"
    b.risks = "Lack of budget\nThe fragmentation of tools confuses companies"
    c.risks = "Lack of budget for maintenance"
    for p in (a, b, c):
        p.domains.add(world["mobility"])
        p.save()
    entry = next(e for e in overviews.knowledge_by_domain() if e.domain == world["mobility"])
    labels = {t.label: sorted(p.slug for p in t.projects) for t in entry.themes}
    assert labels["fragmentation"] == ["parking-gent-centre", "parking-leuven"]
    budget = next(projects for label, projects in labels.items() if "budget" in label)
    assert budget == ["ledger-genk", "parking-gent-centre"]
    # lessons count as obstacles only when they name one
    texts = {s.text for t in entry.themes for s in t.statements} | {s.text for s in entry.other_obstacles}
    assert "residents did not trust the app at first" in texts
    assert "sensors need a yearly calibration" not in texts


def test_pilots_never_scaled(world):
    pilot = world["query"]  # status pilot, nothing scales it up
    replicated = ProjectFactory(slug="replicated-pilot", title="Replicated pilot", status="pilot")
    ProjectLink.objects.create(from_project=world["elsewhere"], to_project=replicated, kind="replicates")
    slugs = [p.slug for p in overviews.pilots_never_scaled()]
    assert pilot.slug in slugs and "replicated-pilot" not in slugs and "parking-leuven" not in slugs


def test_overview_page_counts_link_to_the_filtered_list(client, world):
    response = client.get(reverse("projects:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "?domain=smart-mobility&amp;status=running" in html
    assert "?place=gent&amp;status=pilot" in html
    listed = client.get(reverse("projects:project-list") + "?domain=smart-mobility&status=pilot").content.decode()
    assert "Parking sensors in Gent" in listed and "Parking sensors in Leuven" not in listed
    rows = {r.key: r for r in overviews.by_domain()}
    assert rows["smart-mobility"].counts == {"pilot": 1, "scaled": 1, "running": 1}


@pytest.mark.django_db(transaction=True)
def test_index_is_cached_per_data_version_and_rebuilt_after_a_write():
    from helix.core.listing import data_version

    mobility = term("domains", "smart-mobility")
    a = ProjectFactory(slug="cache-a", title="Parking sensors A")
    a.domains.set([mobility])
    assert data_version() is not None  # outside a transaction: the index may be cached
    first = project_similarity.project_index()
    assert project_similarity.project_index() is first
    b = ProjectFactory(slug="cache-b", title="Parking sensors B")
    b.domains.set([mobility])
    second = project_similarity.project_index()
    assert second is not first and second.get(b.pk) is not None
    assert [r.object.slug for r in project_similarity.similar_to_project(a)] == ["cache-b"]


def test_words_in_most_projects_do_not_pick_text_candidates():
    """The scaled path leaves out title words that PostgreSQL's statistics find in more than
    COMMON_SHARE of the projects (they say little and cost the most to look up)."""
    from django.db import connection

    from helix.projects import similar_scale

    for i in range(40):
        ProjectFactory(slug=f"pilot-{i}", title=f"Pilot {'parking' if i < 2 else 'lighting'} {i}", summary_en="A pilot.")
    assert similar_scale.common_words(["pilot", "parking"]) == set()  # no statistics yet: nothing is common
    with connection.cursor() as cur:
        cur.execute("ANALYZE projects_project")
    assert similar_scale.common_words(["pilot", "parking", "lighting"]) == {"pilot", "lighting"}
    query = project_similarity.project_query(ProjectFactory(slug="q", title="Pilot parking sensors Gent"))
    assert similar_scale._title_words(query) == ["parking", "sensors", "gent"]
    query = project_similarity.project_query(ProjectFactory(slug="r", title="Pilot"))
    assert similar_scale._title_words(query) == ["pilot"]  # only common words: keep them

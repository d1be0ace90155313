"""The knowledge-hub overview at scale: computed SQL-side (the same themes as the per-project
method), kept as a pre-aggregated snapshot, and served with its date when large."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from helix.insights import snapshots
from helix.projects import overviews

from .factories import ProjectFactory
from .test_knowledge import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

OVERVIEW, OVERVIEW_EN = "/kennishub/overzicht/", "/en/kennishub/overzicht/"


@pytest.fixture(autouse=True)
def default_language():
    """Requests under /en/ leave English active in this thread: later tests reverse Dutch URLs."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def obstacles(world):  # noqa: F811
    a, b, c = world["elsewhere"], world["same_town"], world["unrelated"]
    a.risks = "Fragmentation of portals harms reuse"
    b.risks = "Lack of budget\nThe fragmentation of tools confuses companies. Lack of budget"
    b.lessons = "Involve residents early.\nsensors need a yearly calibration"
    c.risks = "Lack of budget for maintenance"
    for p in (a, b, c):
        p.domains.add(world["mobility"])
        p.save()
    for i in range(5):  # one statement made by many projects
        ProjectFactory(slug=f"many-{i}", title=f"Many {i}", risks="Lack of budget").domains.add(world["mobility"])
    return world


def test_the_sql_summary_finds_the_themes_of_the_per_project_method(obstacles):
    reference = {e.domain.pk: e for e in overviews.knowledge_by_domain()}
    summary, examples = overviews.knowledge_summary()
    assert {e["domain"] for e in summary} == set(reference)
    for entry in summary:
        ref = reference[entry["domain"]]
        assert entry["projects"] == ref.projects
        assert [(t["label"], t["projects"]) for t in entry["themes"]] == [(t.label, len(t.projects)) for t in ref.themes]
        for theme, ref_theme in zip(entry["themes"], ref.themes, strict=True):
            assert {i["text"] for i in theme["items"]} == {s.text for s in ref_theme.statements}
        assert {i["text"] for i in entry["other_obstacles"]["items"]} == {s.text for s in ref.other_obstacles}
        assert {i["text"] for i in entry["lessons"]["items"]} == {s.text for s in ref.lessons}
        assert [(t["label"], t["projects"]) for t in entry["lesson_themes"]] == [
            (t.label, len(t.projects)) for t in ref.lesson_themes
        ]
    mobility = next(e for e in summary if e["domain"] == obstacles["mobility"].pk)
    budget = next(t for t in mobility["themes"] if "budget" in t["label"])
    assert budget["projects"] == 7, "b states it twice and counts once"
    lack = next(i for i in budget["items"] if i["text"] == "Lack of budget")
    assert lack["projects"] == 6 and len(lack["examples"]) == overviews.EXAMPLES and set(lack["examples"]) <= examples


def test_the_overview_names_a_few_projects_per_statement_and_counts_the_others(obstacles, client, monkeypatch):
    monkeypatch.setattr(overviews, "EXAMPLES", 2)
    html = client.get(OVERVIEW_EN).content.decode()
    assert "and 4 more projects" in html  # "Lack of budget": 6 projects, 2 named
    assert "Fragmentation of portals harms reuse" in html


def test_a_large_overview_serves_its_stale_snapshot_with_its_date(obstacles, client, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()  # type: ignore[attr-defined]
    monkeypatch.setattr(snapshots, "data_version", lambda: "v1")
    first = client.get(OVERVIEW).content.decode()
    assert "?domain=smart-mobility&amp;status=running" in first
    monkeypatch.setattr(snapshots, "data_version", lambda: "v2")
    monkeypatch.setattr(snapshots, "KNOWLEDGE_ROW_LIMIT", 0)
    monkeypatch.setattr(overviews, "overview_payload", lambda: pytest.fail("computed in the request"))
    html = client.get(OVERVIEW_EN).content.decode()
    assert "The data have changed since" in html and "Computed " in html
    assert "?domain=smart-mobility&amp;status=running" in html
    assert [r.args for r in default_task_backend.results] == [[snapshots.KNOWLEDGE_OVERVIEW]]  # type: ignore[attr-defined]


def test_the_pilots_list_stops_and_says_how_many_there_are(world, client, monkeypatch):  # noqa: F811
    for i in range(3):
        ProjectFactory(slug=f"pilot-{i}", title=f"Pilot {i}", status="pilot")
    monkeypatch.setattr(overviews, "PILOTS_SHOWN", 2)
    response = client.get(OVERVIEW_EN)
    assert len(response.context["pilots"]) == 2
    assert response.context["pilots_total"] == overviews.pilots_never_scaled().count() == 4
    assert "The first 2 of 4 pilots by title." in response.content.decode()

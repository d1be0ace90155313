"""The synthetic project generator (scale tests): labelled, counted, varied, reproducible, refused
next to real projects, purged exactly."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from helix.core import synthetic as synthetic_core
from helix.core.search import ranked_search
from helix.projects import synthetic
from helix.projects.models import Project, ProjectPartner
from tests.factories import MunicipalityFactory, SchemeFactory, TermFactory

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference():
    """Domains (two top-level ones with a sub-topic each), phases, SDGs, municipalities and some
    synthetic organisations: what the generator draws from."""
    domains = SchemeFactory(slug="domains")
    for code in ("smart-mobility", "smart-environment"):
        top = TermFactory(scheme=domains, code=code)
        TermFactory(scheme=domains, code=f"{code}-topic", broader=top)
    for code in ("research", "study", "pilot", "implementation", "operation"):
        TermFactory(scheme=SchemeFactory(slug="phases"), code=code)
    for i in range(1, 4):
        TermFactory(scheme=SchemeFactory(slug="sdgs"), code=f"sdg-{i}")
    towns = [MunicipalityFactory(name=f"Town {i}") for i in range(6)]
    synthetic_core.generate(organisations=40, instruments=5, seed=1)
    return towns


def synthetic_projects():
    return Project.objects.filter(slug__startswith=synthetic.PROJECT_SLUG)


def snapshot():
    rows = synthetic_projects().order_by("slug")
    return [
        (p.slug, p.title, p.summary_nl, p.status, p.lead_id, p.budget, p.lessons, sorted(p.places.values_list("pk", flat=True)))
        for p in rows
    ]


def test_every_project_is_labelled_and_counted(reference):
    result = synthetic.generate_projects(count=120, seed=3)
    assert result.projects == 120 == synthetic_projects().count() == Project.objects.count()
    assert set(Project.objects.values_list("source", flat=True)) == {synthetic_core.SYNTHETIC_SOURCE}
    assert synthetic.synthetic_project_count() == 120
    assert ProjectPartner.objects.count() == result.partners
    assert Project.places.through.objects.count() == result.places
    # Leads and partners are synthetic organisations only, never real ones.
    leads = set(Project.objects.exclude(lead=None).values_list("lead__slug", flat=True))
    partners = set(ProjectPartner.objects.values_list("organisation__slug", flat=True))
    assert leads and all(s.startswith(synthetic_core.SYNTHETIC_PREFIX) for s in leads | partners)


def test_projects_have_a_realistic_spread(reference):
    synthetic.generate_projects(count=300, seed=4)
    assert len(set(Project.objects.values_list("status", flat=True))) >= 5
    assert Project.objects.exclude(phase=None).count() == 300
    assert Project.objects.exclude(lessons="").exists() and Project.objects.filter(lessons="").exists()
    assert Project.objects.exclude(budget=None).exists()
    assert Project.objects.filter(places__in=reference).distinct().count() > 200
    # Places abroad: synthetic foreign cities, labelled, when the database has none.
    assert Project.objects.filter(places__kind="foreign_city", places__source=synthetic_core.SYNTHETIC_SOURCE).exists()
    # Every project has a top-level domain; many also one of its sub-topics.
    assert Project.objects.filter(domains__broader=None).distinct().count() == 300
    assert Project.objects.filter(domains__broader__isnull=False).exists()
    # Dutch and English texts; the search trigger indexed them.
    assert not Project.objects.filter(search_vector__isnull=True).exists()
    assert (
        ranked_search(Project.objects.all(), "laadpalen", "title").exists()
        or ranked_search(Project.objects.all(), "air quality", "title").exists()
    )


def test_same_seed_gives_the_same_projects(reference):
    synthetic.generate_projects(count=60, seed=9)
    first = snapshot()
    assert synthetic.purge_projects() == 60
    synthetic.generate_projects(count=60, seed=9)
    assert snapshot() == first
    synthetic.purge_projects()
    synthetic.generate_projects(count=60, seed=10)
    assert snapshot() != first


def test_chunks_and_deferred_indexes_give_the_same_projects(reference, monkeypatch):
    synthetic.generate_projects(count=50, seed=5)
    first = snapshot()
    synthetic.purge_projects()
    monkeypatch.setattr(synthetic, "CHUNK", 7)
    result = synthetic.generate_projects(count=50, seed=5, defer_indexes=True)
    assert snapshot() == first and result.projects == 50
    # The dropped indexes are back.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'projects_project' AND indexname = 'prj_search_gin'")
        assert cur.fetchone()[0] == 1


def test_refused_next_to_real_projects(reference):
    ProjectFactory(slug="a-real-project", title="A real project")
    with pytest.raises(synthetic.RealProjectsPresent):
        synthetic.generate_projects(count=5, seed=1)
    with pytest.raises(CommandError, match="real projects"):
        call_command("generate_synthetic_projects", "--count", "5")
    assert not synthetic_projects().exists()


def test_history_is_skipped_unless_asked_for(reference):
    ProjectEvent = apps.get_model("projects", "ProjectEvent")
    synthetic.generate_projects(count=10, seed=2)
    assert not ProjectEvent.objects.exists()
    synthetic.generate_projects(count=10, seed=2, with_history=True)
    assert ProjectEvent.objects.count() == 10


def test_command_generates_and_purges(reference, capsys):
    call_command("generate_synthetic_projects", "--count", "25", "--seed", "1")
    assert synthetic_projects().count() == 25
    assert "SYNTHETIC" in capsys.readouterr().out
    call_command("generate_synthetic_projects", "--purge")
    assert not Project.objects.exists()
    with pytest.raises(CommandError):
        call_command("generate_synthetic_projects")

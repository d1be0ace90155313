"""load_study stores the study's 68 projects (data/seed/projects.yaml), idempotently."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from pghistory.models import Event

from helix.core.history import Channel, history_context
from helix.core.loaders.seed import STUDY_CITATION, STUDY_DATE
from helix.projects.choices import LinkKind
from helix.projects.models import Project, ProjectFunding, ProjectLink, ProjectPartner
from tests.study_data import run_command


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> str:
    return study_data["load_study"]


def event_count() -> int:
    return sum(m.objects.count() for m in apps.get_models() if issubclass(m, Event))


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Project, ProjectPartner, ProjectFunding, ProjectLink)}


def test_every_project_is_stored_with_its_status_and_source(loaded: str, db: Any) -> None:
    assert Project.objects.count() == 68
    assert "projects" in loaded
    statuses = Counter(Project.objects.values_list("status", flat=True))
    assert statuses == {"running": 46, "completed": 7, "pilot": 6, "idea": 5, "scaled": 2, "unknown": 2}
    assert not Project.objects.exclude(source__startswith=STUDY_CITATION).exists()
    assert set(Project.objects.values_list("last_verified", flat=True)) == {STUDY_DATE}
    # The study's main domain of every project is among its domains (README counts).
    governance = Project.objects.filter(domains__code="smart-governance").count()
    assert governance >= 40


def test_smart_zone_has_its_lead_partners_places_domains_facts_and_lessons(loaded: str, db: Any) -> None:
    zone = Project.objects.get(slug="smart-zone-antwerpen")
    assert zone.title == "Antwerp Smart Zone (living lab)" and zone.title_nl == "Antwerpse Smart Zone"
    assert zone.lead is not None and zone.lead.slug == "imec"
    antwerpen = zone.places.get()
    assert antwerpen.refnis == "11002"  # the study's Antwerpen merged into the Statbel municipality
    assert [p.organisation for p in zone.partnerships.all()] == [antwerpen]
    assert set(zone.domains.values_list("code", flat=True)) == {"smart-mobility", "smart-environment", "smart-people"}
    assert zone.status == "running" and zone.project_type == "living_lab" and zone.area == "Sint-Andrieswijk"
    assert len(zone.facts) == 5 and len(zone.lesson_lines) == 3
    assert zone.summary_en.startswith("Real-life test environment")


def test_funding_and_links_resolve(loaded: str, db: Any) -> None:
    databroker = Project.objects.get(slug="databroker-gent")
    assert list(databroker.fundings.values_list("instrument__slug", flat=True)) == ["city-of-things-call"]
    assert ProjectFunding.objects.count() == 7
    assert ProjectLink.objects.count() == 35
    assert set(ProjectLink.objects.values_list("kind", flat=True)) == {LinkKind.RELATED}
    twin = ProjectLink.objects.get(from_project__slug="digital-twin-antwerpen", to_project__slug="port-of-antwerp-digital-twin")
    assert twin.note == "second digital twin in Antwerp, for the port"  # the YAML comma artefact repaired
    # A project without a lead in the study has none here.
    assert Project.objects.get(slug="dov").lead is None


def test_second_run_changes_nothing_and_records_no_history(loaded: str, db: Any) -> None:
    before_events, before_counts = event_count(), counts()
    versions = list(Project.objects.order_by("pk").values_list("pk", "version", "updated_at"))
    out = run_command("load_study")
    assert event_count() == before_events
    assert counts() == before_counts
    assert list(Project.objects.order_by("pk").values_list("pk", "version", "updated_at")) == versions
    assert "0 records created or updated" in out


def test_a_curator_edit_of_a_project_survives_a_rerun(loaded: str, db: Any) -> None:
    zone = Project.objects.get(slug="smart-zone-antwerpen")
    with history_context(channel=Channel.WEB):
        zone.lessons = "A curated lesson."
        zone.save()
    out = run_command("load_study")
    zone.refresh_from_db()
    assert zone.lessons == "A curated lesson."
    assert "Project.lessons" in out

"""Factories for the project tests (synthetic values, tests only)."""

from __future__ import annotations

import factory

from helix.projects.choices import ProjectStatus
from helix.projects.models import Project
from tests.factories import OrganisationFactory, SchemeFactory, TermFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    slug = factory.Sequence(lambda n: f"test-project-{n}")
    title = factory.Sequence(lambda n: f"Test Project {n}")
    status = ProjectStatus.RUNNING
    lead = factory.SubFactory(OrganisationFactory)
    source = "test"


def domain(code: str):
    return TermFactory(scheme=SchemeFactory(slug="domains"), code=code, label_nl=code.title(), label_en=code.title())

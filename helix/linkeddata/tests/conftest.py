"""The study data (tests/study_data.py) plus a few marketplace records and personal data, once
per module: the linked-data tests describe real records, not invented ones."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from helix.actors.choices import OrganisationKind
from helix.actors.models import ContactPerson, Organisation
from helix.core.models import Term
from helix.instruments.models import Instrument
from helix.market.models import Challenge, Response, Solution
from helix.projects.models import Project
from tests.factories import ChallengeFactory, SolutionFactory, UserFactory, make_editor

# Personal data planted on the study's records; none of it may appear in any linked data.
PERSONAL = {
    "contact_name": "Zoë Privé-Contactpersoon",
    "contact_email": "zoe.prive@example.org",
    "contact_phone": "+32 470 98 76 54",
    "contact_function": "Hoofd Geheime Zaken",
    "user_username": "ld-editor-username",
    "user_email": "ld.editor.private@example.org",
    "user_first_name": "Quirinus",
    "user_last_name": "Privatissimus",
}
DRAFT_TITLE = "Concept-uitdaging die niemand mag zien"
PROPOSAL = "Vertrouwelijk voorstel van een bedrijf"
NOTES = "Interne notitie van de curator"


@dataclass
class Sample:
    municipality: Organisation
    company: Organisation
    instrument: Instrument
    project: Project
    challenge: Challenge
    draft: Challenge
    solution: Solution
    datasets: list[Any]


@pytest.fixture(scope="module")
def sample(study_data: Any, django_db_blocker: Any) -> Sample:
    """Marketplace records (the study has none) on top of the study, plus personal data."""
    with django_db_blocker.unblock():
        gent = Organisation.objects.get(refnis="44021")
        leuven = Organisation.objects.get(refnis="24062")
        company = Organisation.objects.filter(kind=OrganisationKind.COMPANY).order_by("slug").first()
        assert company is not None
        company.enterprise_number = "0403170701"
        company.notes = NOTES
        company.save()
        for org in (gent, company):
            ContactPerson.objects.create(
                organisation=org,
                name=PERSONAL["contact_name"],
                email=PERSONAL["contact_email"],
                phone=PERSONAL["contact_phone"],
                function=PERSONAL["contact_function"],
            )
        user = make_editor(PERSONAL["user_username"], gent)
        user.email, user.first_name, user.last_name = (
            PERSONAL["user_email"],
            PERSONAL["user_first_name"],
            PERSONAL["user_last_name"],
        )
        user.save()
        UserFactory(username="ld-other-user")
        domain = Term.objects.filter(scheme__slug="domains").order_by("code").first()
        sdg = Term.objects.get(scheme__slug="sdgs", code="11")
        phase = Term.objects.filter(scheme__slug="phases").order_by("code").first()
        challenge = ChallengeFactory(
            slug="ld-open-challenge",
            title="Smart parking",
            title_nl="Slim parkeren",
            owners=[gent, leuven],
            budget_min=Decimal("10000"),
            budget_max=Decimal("50000.50"),
            deadline=datetime.date(2027, 3, 1),
            format="reverse_pitch",
            phase_sought=phase,
        )
        challenge.domains.add(domain)
        challenge.sdgs.add(sdg)
        draft = ChallengeFactory(slug="ld-draft-challenge", title=DRAFT_TITLE, status="draft", published_at=None, owners=[gent])
        solution = SolutionFactory(
            slug="ld-solution",
            title="Parking sensors",
            organisation=company,
            open_standards=["OSLO", "NGSI-LD"],
            website="https://example.com/sensors",
            maturity=phase,
        )
        solution.references.add(gent)
        solution.domains.add(domain)
        Response.objects.create(
            challenge=challenge, solution=solution, organisation=company, proposal=PROPOSAL, created_at=timezone.now()
        )
        datasets = harvest_samples(gent)
        instrument = Instrument.objects.exclude(offered_by=None).order_by("slug").first()
        project = Project.objects.exclude(lead=None).order_by("slug").first()
        assert instrument is not None and project is not None
        return Sample(gent, company, instrument, project, challenge, draft, solution, datasets)


SAMPLES = ("dataset_gov_de.rdf", "dataset_gob_es.ttl")
# The contact point of the Rostock sample: the harvested RDF keeps it, linked data never shows it.
SAMPLE_CONTACT = "geodienste@rostock.de"


def harvest_samples(organisation: Organisation) -> list[Any]:
    """The two real DCAT records of data/spec/samples, stored by the harvester's own extraction
    (helix.opendata.harvest_parse), the first one published by a registry organisation."""
    import rdflib
    from django.conf import settings

    from helix.opendata import harvest_parse
    from helix.opendata.models import Dataset, Distribution, HarvestSource

    source = HarvestSource.objects.create(title="Samples", url="https://example.org/catalog.ttl")
    found = []
    for index, name in enumerate(SAMPLES):
        graph = rdflib.Graph().parse(settings.BASE_DIR / "data" / "spec" / "samples" / name)
        record = harvest_parse.extract_dataset(graph, next(harvest_parse.dataset_nodes(graph)))
        dataset = Dataset.objects.create(
            source=source, uri=record.uri, rdf=record.rdf, organisation=organisation if index == 0 else None, **record.fields
        )
        for distribution in record.distributions:
            Distribution.objects.create(dataset=dataset, **vars(distribution))
        found.append(dataset)
    return found

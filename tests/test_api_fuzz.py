"""API fuzzing: schemathesis generates requests from the committed OpenAPI description
(docs/api/openapi.yaml) and sends them to a live server holding a few records.

Checks: no server error, and every documented response matches its schema (status codes,
content type and body). Writes are sent with a curator's token so they reach the services.
Examples are bounded (FUZZ_MAX_EXAMPLES, default 10 per operation) to keep the run short.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, settings
from pytest_django.live_server_helper import LiveServer
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from helix.core.models import Figure
from tests.factories import (
    ContactPersonFactory,
    InstrumentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SchemeFactory,
    TermFactory,
    make_curator,
)

# django_db: the database is set up for this module; the records are committed once by fuzz_server.
pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.yaml"
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
FIXED = "fuzz"  # every path identifier points at an existing record (organisation, instrument, ...)


def make_data() -> str:
    """A few records of every kind; every path identifier (`fuzz`) names an existing one."""
    domains = SchemeFactory(slug="domains")
    TermFactory(scheme=domains, code="smart-mobility")
    SchemeFactory(slug=FIXED)
    Figure.objects.create(key=FIXED, value=258, what="Companies counted", year=2020)
    municipality = MunicipalityFactory(slug=FIXED, name="Fuzzingen")
    orgs = [OrganisationFactory(located_in=municipality, founded_year=2000 + i) for i in range(4)]
    for org in orgs:
        ContactPersonFactory(organisation=org)
        InstrumentFactory(offered_by=org)
    InstrumentFactory(slug=FIXED, offered_by=orgs[0])
    MembershipFactory(slug=FIXED, subject=orgs[1], object=orgs[0])
    return Token.objects.create(user=make_curator("fuzz-curator")).key


@pytest.fixture(scope="module")
def fuzz_server(django_db_setup, django_db_blocker):
    """One live server and one data set for every operation (the `live_server` fixture would
    flush the database after each of them, which costs seconds per operation)."""
    with django_db_blocker.unblock():
        token = make_data()
        server = LiveServer("localhost")
    try:
        yield server.url, token
    finally:
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


# Loaded from the committed file (the served one is checked against it by scripts/check_openapi.py);
# the live server's address and the token are given per call.
schema = schemathesis.openapi.from_path(SCHEMA_FILE)
schema.config.update(parameters={"slug": FIXED, "key": FIXED})
# The coverage phase enumerates every boundary case of every field (thousands): too slow for CI.
schema.config.phases.update(phases=["examples", "fuzzing"])


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # no example database in the checkout
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_description(case, fuzz_server):
    url, token = fuzz_server
    case.call_and_validate(
        base_url=url,
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )

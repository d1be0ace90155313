"""The fixed cast of personas every test can use: anonymous, editor of org A, editor of org B,
curator and admin. Organisations A and B are companies; each offers one instrument."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import InstrumentFactory, OrganisationFactory, UserFactory, make_curator, make_editor

PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    org_a: Any
    org_b: Any
    instrument_a: Any
    instrument_b: Any
    editor_a: Any
    editor_b: Any
    curator: Any
    admin: Any


@pytest.fixture
def cast(db) -> Cast:
    org_a = OrganisationFactory(slug="org-a", name="Organisation A")
    org_b = OrganisationFactory(slug="org-b", name="Organisation B")
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return Cast(
        org_a=org_a,
        org_b=org_b,
        instrument_a=InstrumentFactory(slug="instrument-a", title="Instrument A", offered_by=org_a),
        instrument_b=InstrumentFactory(slug="instrument-b", title="Instrument B", offered_by=org_b),
        editor_a=make_editor("editor-a", org_a),
        editor_b=make_editor("editor-b", org_b),
        curator=make_curator("curator"),
        admin=admin,
    )


@pytest.fixture
def client_as(client):
    """client_as(user) -> a test client signed in as that user (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in

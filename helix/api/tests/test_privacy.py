"""Contact persons are personal data: never part of any API response, whoever asks."""

from __future__ import annotations

import pytest

from tests.factories import ContactPersonFactory, InstrumentFactory, MembershipFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

SECRETS = ("Zelda Contactperson", "zelda.private@example.org", "+32 470 12 34 56", "Chief Secret Officer")


@pytest.fixture
def contacts(cast):
    municipality = MunicipalityFactory(slug="gent")
    for org in (cast.org_a, cast.org_b, municipality):
        ContactPersonFactory(organisation=org, name=SECRETS[0], email=SECRETS[1], phone=SECRETS[2], function=SECRETS[3])
    MembershipFactory(subject=cast.org_a, object=cast.org_b)
    InstrumentFactory(offered_by=municipality)
    return cast


def urls() -> list[str]:
    return [
        "/api/v1/",
        "/api/v1/organisations/",
        "/api/v1/organisations/org-a/",
        "/api/v1/organisations/?q=Zelda",
        "/api/v1/municipalities/",
        "/api/v1/municipalities/gent/",
        "/api/v1/instruments/",
        "/api/v1/instruments/instrument-a/",
        "/api/v1/memberships/",
        "/api/v1/schemes/",
        "/api/v1/figures/",
        "/api/schema/",
    ]


@pytest.mark.parametrize("persona", [None, "editor_a", "curator", "admin"])
def test_no_contact_data_in_any_api_response(api, contacts, persona):
    client = api(getattr(contacts, persona) if persona else None)
    for url in urls():
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked in {url}"
        assert '"contacts"' not in text  # no contacts field or endpoint either


def test_writes_do_not_echo_contact_data(api, contacts):
    response = api(contacts.editor_a).patch("/api/v1/organisations/org-a/", {"name": "A"}, format="json")
    assert response.status_code == 200
    assert not any(secret in response.content.decode() for secret in SECRETS)

"""Shared fixtures of the marketplace tests: the personas (tests/conftest.py) plus two
municipalities with an editor each, the taxonomies a challenge uses, and an API client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import Cast, cast, client_as  # noqa: F401
from tests.factories import MunicipalityFactory, SchemeFactory, TermFactory, make_editor


@dataclass
class Market:
    gent: Any
    leuven: Any
    editor_gent: Any
    editor_leuven: Any
    mobility: Any
    energy: Any
    sdg11: Any
    platform: Any
    sensors: Any
    pilot: Any
    operation: Any


def term(scheme: str, code: str, label: str) -> Any:
    return TermFactory(scheme=SchemeFactory(slug=scheme), code=code, label_nl=label, label_en=label)


@pytest.fixture
def market(db) -> Market:
    gent = MunicipalityFactory(slug="gemeente-gent-44021", name="Gent")
    leuven = MunicipalityFactory(slug="gemeente-leuven-24062", name="Leuven")
    return Market(
        gent=gent,
        leuven=leuven,
        editor_gent=make_editor("editor-gent", gent),
        editor_leuven=make_editor("editor-leuven", leuven),
        mobility=term("domains", "smart-mobility", "Smart mobility"),
        energy=term("domains", "smart-energy", "Smart energy"),
        sdg11=term("sdgs", "11", "Sustainable cities and communities"),
        platform=term("value-chain-roles", "data-platform", "Data platform"),
        sensors=term("value-chain-roles", "devices-sensors", "Devices and sensors"),
        pilot=term("phases", "pilot", "Pilot"),
        operation=term("phases", "operation", "Operation"),
    )


@pytest.fixture
def api():
    """api(user) -> an APIClient authenticated with the user's token (None: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make

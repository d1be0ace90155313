"""Fixtures of the harvesting tests: a local catalogue server on 127.0.0.1 (loopback allowed
for the test), tasks run inline, link checks off unless a test turns them on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helix.opendata.tests.catalogue_server import CatalogueServer
from tests.conftest import Cast, cast, client_as  # noqa: F401

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "spec" / "samples"


@pytest.fixture
def harvest_settings(settings):
    settings.HELIX_HARVEST_ALLOW_LOOPBACK = True
    settings.HELIX_LINKCHECK_ENABLED = False
    settings.HELIX_LINKCHECK_HOST_INTERVAL = 0.0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings


@pytest.fixture
def catalogue(harvest_settings) -> Iterator[CatalogueServer]:
    server = CatalogueServer()
    server.routes["/de.rdf"] = (200, "application/rdf+xml", (SAMPLES / "dataset_gov_de.rdf").read_bytes())
    server.routes["/es.ttl"] = (200, "text/turtle", (SAMPLES / "dataset_gob_es.ttl").read_bytes())
    server.start()
    yield server
    server.stop()

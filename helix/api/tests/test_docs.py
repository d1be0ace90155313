"""The OpenAPI description and the documentation pages work offline."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_schema_lists_the_v1_endpoints_and_error_codes(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    for path in ("/api/v1/organisations/", "/api/v1/organisations/{slug}/", "/api/v1/instruments/", "/api/v1/auth/token/"):
        assert path in schema["paths"]
    assert "stale_version" in schema["info"]["description"]
    patch = schema["paths"]["/api/v1/organisations/{slug}/"]["patch"]
    assert {"400", "401", "403", "404", "409"} <= set(patch["responses"])


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_vendored_assets_not_a_cdn(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html

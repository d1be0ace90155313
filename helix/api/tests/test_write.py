"""Writing through the API: rights matrix, optimistic concurrency, history context, archive."""

from __future__ import annotations

import pytest
from pghistory.models import Events

from helix.actors.models import Organisation
from helix.instruments.models import Instrument

pytestmark = pytest.mark.django_db

ORG_A = "/api/v1/organisations/org-a/"
ORG_B = "/api/v1/organisations/org-b/"


def test_anonymous_writes_are_refused_with_401(api, cast):
    client = api()
    assert client.patch(ORG_A, {"name": "x"}, format="json").status_code == 401
    assert client.post("/api/v1/organisations/", {"name": "x"}, format="json").status_code == 401
    assert client.delete(ORG_A).status_code == 401
    assert api().patch(ORG_A, {"name": "x"}, format="json").json()["code"] == "not_authenticated"
    cast.org_a.refresh_from_db()
    assert cast.org_a.name == "Organisation A"


def test_bad_token_is_401(api, cast):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("editor_a", ORG_A, 200),
        ("editor_a", ORG_B, 403),
        ("editor_b", ORG_A, 403),
        ("curator", ORG_B, 200),
        ("admin", ORG_A, 200),
        ("editor_a", "/api/v1/instruments/instrument-a/", 200),
        ("editor_a", "/api/v1/instruments/instrument-b/", 403),
        ("curator", "/api/v1/instruments/instrument-b/", 200),
    ],
)
def test_rights_matrix_for_patch(api, cast, persona, url, expected):
    field = "title" if "instruments" in url else "name"
    response = api(getattr(cast, persona)).patch(url, {field: "Renamed"}, format="json")
    assert response.status_code == expected, response.content
    if expected == 403:
        assert response.json()["code"] == "permission_denied"
    else:
        assert response.json()[field] == "Renamed"


def test_patch_bumps_version_and_etag(api, cast):
    response = api(cast.editor_a).patch(ORG_A, {"name": "A2", "founded_year": 2001}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    cast.org_a.refresh_from_db()
    assert (cast.org_a.name, cast.org_a.founded_year, cast.org_a.version) == ("A2", 2001, 2)


def test_stale_version_is_a_409_via_field_or_if_match(api, cast):
    client = api(cast.editor_a)
    assert client.patch(ORG_A, {"name": "First", "version": 1}, format="json").status_code == 200

    stale = client.patch(ORG_A, {"name": "Second", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert stale.json()["current_version"] == 2

    stale_header = client.patch(ORG_A, {"name": "Second"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale_header.status_code == 409
    cast.org_a.refresh_from_db()
    assert cast.org_a.name == "First"

    fresh = client.patch(ORG_A, {"name": "Second"}, format="json", HTTP_IF_MATCH='"2"')
    assert fresh.status_code == 200
    assert client.patch(ORG_A, {"name": "x"}, format="json", HTTP_IF_MATCH="yesterday").json()["code"] == "invalid_if_match"


def test_archived_record_is_404_for_writes_except_curators(api, cast):
    assert api(cast.curator).delete(ORG_A).status_code == 204
    assert api(cast.editor_a).patch(ORG_A, {"name": "x"}, format="json").status_code == 404
    assert api(cast.curator).patch(ORG_A, {"name": "Curated"}, format="json").status_code == 200


def test_delete_archives_and_curator_restores(api, cast):
    response = api(cast.editor_a).delete("/api/v1/instruments/instrument-a/")
    assert response.status_code == 204
    instrument = Instrument.objects.get(slug="instrument-a")
    assert instrument.archived_at is not None
    assert api().get("/api/v1/instruments/instrument-a/").status_code == 404
    assert api(cast.editor_a).post("/api/v1/instruments/instrument-a/restore/").status_code == 404

    restored = api(cast.curator).post("/api/v1/instruments/instrument-a/restore/")
    assert restored.status_code == 200
    assert restored.json()["archived_at"] is None
    assert api().get("/api/v1/instruments/instrument-a/").status_code == 200


def test_editor_cannot_delete_another_organisations_record(api, cast):
    assert api(cast.editor_a).delete(ORG_B).status_code == 403
    assert Organisation.objects.get(slug="org-b").archived_at is None


def test_only_curators_create_organisations(api, cast):
    payload = {"name": "New Co", "kind": "company", "helix_role": "business", "enterprise_number": "0403.170.701"}
    assert api(cast.editor_a).post("/api/v1/organisations/", payload, format="json").status_code == 403
    response = api(cast.curator).post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "new-co"
    assert body["enterprise_number"] == "0403170701"
    assert response["Location"] == body["url"]


def test_members_create_instruments_only_for_their_organisation(api, cast):
    own = {"title": "Our call", "kind": "financial", "offered_by": "org-a"}
    other = {"title": "Their call", "kind": "financial", "offered_by": "org-b"}
    created = api(cast.editor_a).post("/api/v1/instruments/", own, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["offered_by"]["slug"] == "org-a"
    assert api(cast.editor_a).post("/api/v1/instruments/", other, format="json").status_code == 403
    assert api(cast.editor_a).post("/api/v1/instruments/", {"title": "x", "kind": "financial"}, format="json").status_code == 403


def test_editor_cannot_move_an_instrument_to_another_organisation(api, cast):
    response = api(cast.editor_a).patch("/api/v1/instruments/instrument-a/", {"offered_by": "org-b"}, format="json")
    assert response.status_code == 403
    assert Instrument.objects.get(slug="instrument-a").offered_by == cast.org_a


def test_validation_errors_are_400_with_codes_per_field(api, cast):
    response = api(cast.curator).patch(
        ORG_A, {"enterprise_number": "0123.456.789", "kind": "spaceship", "domains": ["nope"]}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert set(body["errors"]) == {"enterprise_number", "kind", "domains"}
    assert body["errors"]["kind"][0]["code"] == "invalid_choice"
    assert body["errors"]["domains"][0]["code"] == "does_not_exist"


def test_model_validation_errors_from_the_service_are_400(api, cast):
    response = api(cast.curator).patch(
        "/api/v1/instruments/instrument-a/", {"amount_min": "100.00", "amount_max": "10.00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_slug_never_changes(api, cast):
    response = api(cast.curator).patch(ORG_A, {"slug": "renamed"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["slug"][0]["code"] == "immutable"


def test_terms_are_written_by_code(api, cast):
    from tests.factories import SchemeFactory, TermFactory

    TermFactory(scheme=SchemeFactory(slug="domains"), code="smart-mobility")
    response = api(cast.editor_a).patch(ORG_A, {"domains": ["smart-mobility"]}, format="json")
    assert response.status_code == 200
    assert [t["code"] for t in response.json()["domains"]] == ["smart-mobility"]
    assert list(cast.org_a.domains.values_list("code", flat=True)) == ["smart-mobility"]


def test_writes_are_recorded_with_channel_api_and_the_token_user(api, cast):
    response = api(cast.editor_a).patch(ORG_A, {"name": "Tracked"}, format="json", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 200
    event = Events.objects.tracks(cast.org_a).order_by("-pgh_id").first()
    assert event.pgh_data["name"] == "Tracked"
    context = event.pgh_context
    assert context["channel"] == "api"
    assert context["user"] == cast.editor_a.pk
    assert context["username"] == "editor-a"
    assert context["request_id"] == "req-42"


def test_token_endpoint_gives_a_working_token(api, cast):
    from tests.conftest import PASSWORD

    response = api().post("/api/v1/auth/token/", {"username": "editor-a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.patch(ORG_A, {"name": "Via token"}, format="json").status_code == 200


def test_token_endpoint_refuses_wrong_password_and_locks(api, cast, settings):
    settings.HELIX_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        wrong = api().post("/api/v1/auth/token/", {"username": "editor-a", "password": "wrong"}, format="json")
        assert wrong.status_code == 400
        assert wrong.json()["code"] == "validation_error"
    from tests.conftest import PASSWORD

    locked = api().post("/api/v1/auth/token/", {"username": "editor-a", "password": PASSWORD}, format="json")
    assert locked.status_code == 400
    assert locked.json()["errors"]["non_field_errors"][0]["code"] == "locked"


def test_nested_field_errors_are_flattened_to_paths(api, cast):
    response = api(cast.curator).patch(
        "/api/v1/instruments/instrument-a/", {"deadlines": ["2024-01-01", "someday"]}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["deadlines.1"]
    assert errors["deadlines.1"][0]["code"] == "invalid"


def test_only_json_is_accepted(api, cast):
    response = api(cast.editor_a).patch(ORG_A, {"name": "Form"})  # multipart
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_null_characters_are_a_400_not_a_crash(api, cast):
    client = api(cast.curator)
    response = client.patch(
        "/api/v1/instruments/instrument-a/", {"offered_by": "org\x00a", "amounts": [{"what": "\x00"}]}, format="json"
    )
    assert response.status_code == 400
    assert {e["code"] for errors in response.json()["errors"].values() for e in errors} == {"null_characters_not_allowed"}

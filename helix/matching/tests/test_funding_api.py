"""`POST /api/v1/funding-finder/`: the documented shape, on the study's data, and clear 400s."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from helix.matching.engine.types import FundingCriterion

URL = "/api/v1/funding-finder/"


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> str:
    return study_data["load_study"]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def post(api: APIClient, body: Any, language: str = "en") -> Any:
    return api.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def test_results_have_the_documented_shape(loaded: str, db: Any, api: APIClient) -> None:
    response = post(api, {"applicants": [{"municipality": "44021"}], "phase": "study", "domains": ["smart-mobility"]})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "results"} and body["count"] == len(body["results"]) <= 50
    first = body["results"][0]
    assert set(first) >= {"instrument", "score", "verdict", "reasons"}
    assert set(first["instrument"]) >= {"id", "slug", "title"}
    assert first["instrument"]["slug"] == "city-of-things-call" and first["verdict"] == "eligible"
    assert first["instrument"]["url"].endswith("/api/v1/instruments/city-of-things-call/")
    assert isinstance(first["score"], float) and 0 <= first["score"] <= 1
    assert [r["criterion"] for r in first["reasons"]] == [c.value for c in FundingCriterion]
    phase = next(r for r in first["reasons"] if r["criterion"] == "phase")
    assert phase == {
        "criterion": "phase",
        "outcome": "met",
        "detail": "Funds the study phase.",
        "code": "phase.met",
        "params": {"phase": "study"},
    }
    assert {r["verdict"] for r in body["results"]} <= {"eligible", "possibly_eligible"}
    helper = next(r for r in body["results"] if r["instrument"]["slug"] == "smart-city-marktplaats-database")
    assert helper["support_for"] == ["city-of-things-call"] and helper["instrument"]["kind"] == "matchmaking"


def test_reasons_follow_the_request_language(loaded: str, db: Any, api: APIClient) -> None:
    body = {"applicants": [{"municipality": "44021"}], "phase": "study", "limit": 1}
    english = post(api, body, "en")
    dutch = post(api, body, "nl")
    assert english["Content-Language"] == "en" and dutch["Content-Language"] == "nl"
    english_type = english.json()["results"][0]["reasons"][0]
    dutch_type = dutch.json()["results"][0]["reasons"][0]
    assert "city or municipality" in english_type["detail"]
    assert "stad of gemeente" in dutch_type["detail"]  # the term's Dutch label
    assert english_type["code"] == dutch_type["code"] and english_type["params"] == dutch_type["params"]


def test_ineligible_instruments_only_when_asked(loaded: str, db: Any, api: APIClient) -> None:
    body = {"applicants": [{"municipality": "44021"}], "include_ineligible": True, "limit": 200}
    results = post(api, body).json()["results"]
    kempen = next(r for r in results if r["instrument"]["slug"] == "efro-pa3-stedelijke-mobiliteit-gti-kempen")
    assert kempen["verdict"] == "not_eligible"
    territory = next(r for r in kempen["reasons"] if r["criterion"] == "territory")
    assert territory["outcome"] == "unmet" and territory["params"] == {"areas": "kempen"}
    assert len(results) == 69
    assert post(api, {**body, "limit": 5}).json()["count"] == 5


def test_a_consortium_of_an_organisation_and_a_typed_applicant(loaded: str, db: Any, api: APIClient) -> None:
    body = {"applicants": [{"organisation": "imec"}, {"applicant_type": "sme", "municipality": "13008"}], "limit": 200}
    response = post(api, body)
    assert response.status_code == 200
    results = {r["instrument"]["slug"]: r for r in response.json()["results"]}
    # The SME in Geel is in the Kempen: the Kempen SME call is not ruled out by its territory.
    territory = next(r for r in results["gti-kempen"]["reasons"] if r["criterion"] == "territory")
    assert territory["outcome"] == "met"


def error_codes(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    return {field: [e["code"] for e in errors] for field, errors in body["errors"].items()}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {"applicants": ["required"]}),
        ({"applicants": []}, {"applicants.non_field_errors": ["min_length"]}),
        ({"applicants": [{}]}, {"applicants.0.non_field_errors": ["applicant_required"]}),
        (
            {"applicants": [{"organisation": "imec", "applicant_type": "sme"}]},
            {"applicants.0.non_field_errors": ["organisation_alone"]},
        ),
        ({"applicants": [{"applicant_type": "martian"}]}, {"applicants.0.applicant_type": ["unknown_applicant_type"]}),
        ({"applicants": [{"municipality": "99999"}]}, {"applicants.0.municipality": ["unknown_municipality"]}),
        ({"applicants": [{"organisation": "No Such Org"}]}, {"applicants.0.organisation": ["unknown_organisation"]}),
        ({"applicants": [{"municipality": "44021"}], "domains": ["smart-mobility", "fishing"]}, {"domains": ["unknown_domain"]}),
        ({"applicants": [{"municipality": "44021"}], "phase": "dreaming"}, {"phase": ["unknown_phase"]}),
        ({"applicants": [{"municipality": "44021"}], "limit": 201}, {"limit": ["max_value"]}),
        ({"applicants": [{"municipality": "44021"}], "budget": -1}, {"budget": ["min_value"]}),
        ({"applicants": [{"municipality": "44021"}], "text": "x" * 2001}, {"text": ["max_length"]}),
        ({"applicants": [{"municipality": "44021"}] * 21}, {"applicants.non_field_errors": ["max_length"]}),
        ({"applicants": [{"municipality": "44\u0000021"}]}, {"applicants.0.municipality": ["null_characters_not_allowed"]}),
    ],
)
def test_bad_profiles_answer_400_with_a_code_per_field(
    loaded: str, db: Any, api: APIClient, body: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    assert error_codes(post(api, body)) == expected


def test_bodies_that_are_not_a_profile(loaded: str, db: Any, api: APIClient) -> None:
    assert error_codes(post(api, [1, 2])) == {"non_field_errors": ["invalid"]}
    broken = api.post(URL, "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    assert api.get(URL).status_code == 405


def test_public_without_token_or_csrf(loaded: str, db: Any) -> None:
    from tests.factories import UserFactory

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(UserFactory())  # a signed-in browser session does not need a CSRF token here
    response = client.post(URL, {"applicants": [{"applicant_type": "sme"}], "limit": 1}, format="json")
    assert response.status_code == 200

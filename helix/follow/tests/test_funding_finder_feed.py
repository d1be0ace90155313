"""A saved funding-finder search on the study's data: its feed shows what the finder finds."""

from __future__ import annotations

from typing import Any

import pytest

from helix.follow.choices import Target
from helix.follow.models import SavedSearch
from helix.matching.services import ApplicantChoice, find_funding, find_municipality
from tests.factories import UserFactory

from .test_feeds import entries

QUERY = "municipality=44021&phase=pilot&text=ons+geheime+projectplan"


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> None:
    return None


def test_the_feed_lists_the_instruments_the_finder_ranks_as_fitting(loaded: Any, db: Any, client: Any) -> None:
    owner = UserFactory(username="coordinator-gent", email="coordinator@example.org")
    search = SavedSearch.objects.create(user=owner, name="Pilots for Gent", target=Target.FUNDING_FINDER, query=QUERY)
    response = client.get(f"/en/feeds/{search.feed_token}/")
    assert response.status_code == 200
    answer = find_funding(
        applicants=[ApplicantChoice(municipality=find_municipality("44021"))],
        phase="pilot",
        text="ons geheime projectplan",
        limit=50,
    )
    fitting = [r for r in answer.results if r.verdict != "not_eligible"]
    got = entries(response)
    assert fitting and [e["title"] for e in got] == [r.title for r in fitting]
    assert [e["id"].rsplit("/", 1)[-1] for e in got] == [str(r.id) for r in fitting]
    body = response.content.decode()
    assert "Municipality: 44021" in body and "Phase of the project: pilot" in body
    assert "geheime" not in body  # the project description stays with its author
    assert "coordinator" not in body and "Pilots for Gent" not in body


def test_a_profile_without_applicant_gives_an_empty_feed_not_an_error(loaded: Any, db: Any, client: Any) -> None:
    owner = UserFactory(username="someone")
    search = SavedSearch.objects.create(user=owner, name="x", target=Target.FUNDING_FINDER, query="phase=pilot")
    response = client.get(f"/feeds/{search.feed_token}/")
    assert response.status_code == 200
    assert entries(response) == []

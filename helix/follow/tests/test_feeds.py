"""The Atom feed of a saved search: current results, no login, public objects only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from defusedxml import ElementTree as ET
from django.test import override_settings
from django.utils import timezone

from helix.core.services import archive_record, save_record
from helix.follow import sources
from helix.follow.choices import Target
from helix.follow.models import SavedSearch
from helix.instruments.filters import InstrumentFilter
from helix.instruments.models import Instrument
from tests.factories import ChallengeFactory, ContactPersonFactory, InstrumentFactory, MunicipalityFactory, UserFactory

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = timezone.localdate()


def entries(response: Any) -> list[dict[str, str]]:
    root = ET.fromstring(response.content)
    return [
        {
            "id": e.findtext(f"{ATOM}id"),
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "updated": e.findtext(f"{ATOM}updated"),
            "summary": e.findtext(f"{ATOM}summary") or "",
        }
        for e in root.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def owner(db: Any) -> Any:
    return UserFactory(username="jan.peeters", email="jan.peeters@example.org", first_name="Jan")


def follow(owner: Any, query: str, target: str = Target.INSTRUMENTS, name: str = "Jan's private name") -> SavedSearch:
    return SavedSearch.objects.create(user=owner, name=name, target=target, query=query)


@override_settings(HELIX_BASE_URL="https://helix.example.org")
def test_feed_lists_the_current_results_of_the_query_without_login(owner: Any, client: Any) -> None:
    day = datetime.timedelta(days=1)
    open_one = InstrumentFactory(title="Open call", opens_on=TODAY - 10 * day, closes_on=TODAY + 30 * day)
    permanent = InstrumentFactory(title="Always there")
    closed = InstrumentFactory(title="Closed call", closes_on=TODAY - day)
    search = follow(owner, "status=open")
    response = client.get(f"/feeds/{search.feed_token}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    got = entries(response)
    expected = InstrumentFilter(data={"status": "open"}, queryset=Instrument.objects.live()).qs
    assert {e["title"] for e in got} == {i.display_title for i in expected} == {"Open call"}
    assert permanent.display_title not in response.content.decode() and closed.title not in response.content.decode()
    entry = got[0]
    assert entry["id"] == f"tag:helix.example.org,2026:instrument/{open_one.pk}"
    assert entry["link"] == f"http://testserver/instrumenten/{open_one.slug}/"
    assert datetime.datetime.fromisoformat(entry["updated"]) == open_one.updated_at
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title").startswith("Helix: ")
    assert "open" in root.findtext(f"{ATOM}subtitle")


def test_entries_follow_changes_and_ids_stay_stable(owner: Any, client: Any) -> None:
    first = InstrumentFactory(title="First")
    second = InstrumentFactory(title="Second")
    search = follow(owner, "")
    before = {e["title"]: e for e in entries(client.get(f"/feeds/{search.feed_token}/"))}
    save_record(first, changes={"title": "First, renamed", "slug": "first-renamed"})
    after = entries(client.get(f"/feeds/{search.feed_token}/"))
    assert [e["title"] for e in after] == ["First, renamed", "Second"]  # most recently changed first
    assert after[0]["id"] == before["First"]["id"]  # same entry, new title and address
    assert after[0]["link"].endswith("/instrumenten/first-renamed/")
    assert after[1]["id"] == before["Second"]["id"] and second.pk


def test_english_feed_under_en(owner: Any, client: Any) -> None:
    InstrumentFactory(title="English title", title_nl="Nederlandse titel")
    search = follow(owner, "")
    assert entries(client.get(f"/feeds/{search.feed_token}/"))[0]["title"] == "Nederlandse titel"
    english = entries(client.get(f"/en/feeds/{search.feed_token}/"))[0]
    assert english["title"] == "English title"
    assert "/en/instrumenten/" in english["link"]


def test_a_feed_never_shows_anything_non_public(owner: Any, client: Any) -> None:
    organisation = MunicipalityFactory(name="Gemeente Voorbeeld")
    ContactPersonFactory(organisation=organisation, name="Griet Geheim", email="griet.geheim@example.org")
    InstrumentFactory(title="Visible instrument", offered_by=organisation)
    hidden = InstrumentFactory(title="Archived instrument", offered_by=organisation)
    archive_record(hidden)
    search = follow(owner, "")
    body = client.get(f"/feeds/{search.feed_token}/").content.decode()
    assert "Visible instrument" in body
    assert "Archived instrument" not in body
    # Contact persons, the owner's user name and e-mail, the search's name: never.
    for private in ("Griet Geheim", "griet.geheim", "jan.peeters", "private name"):
        assert private not in body

    published = ChallengeFactory(title="Published challenge", owners=[organisation])
    ChallengeFactory(title="Draft challenge", owners=[organisation], status="draft", published_at=None)
    archived = ChallengeFactory(title="Archived challenge", owners=[organisation])
    archived.archived_at = timezone.now()
    archived.save(update_fields=["archived_at"])
    challenges = follow(owner, "", target=Target.CHALLENGES, name="Challenges of Jan")
    got = entries(client.get(f"/feeds/{challenges.feed_token}/"))
    assert [e["title"] for e in got] == [published.title]


def test_unknown_token_and_unavailable_targets_are_404(owner: Any, client: Any, monkeypatch: Any) -> None:
    assert client.get("/feeds/not-a-token/").status_code == 404
    search = follow(owner, "", target=Target.CHALLENGES)
    assert client.get(f"/feeds/{search.feed_token}/").status_code == 200
    monkeypatch.delitem(sources._REGISTRY, Target.CHALLENGES)
    assert client.get(f"/feeds/{search.feed_token}/").status_code == 404
    # A source whose page does not exist (yet) is unavailable too.
    monkeypatch.setitem(
        sources._REGISTRY,
        Target.CHALLENGES,
        sources.Source(target="market:no-such-page", label="x", fetch=lambda q, n: []),
    )
    assert client.get(f"/feeds/{search.feed_token}/").status_code == 404


@override_settings(HELIX_FEED_MAX_ENTRIES=2)
def test_the_feed_is_capped(owner: Any, client: Any) -> None:
    for n in range(4):
        InstrumentFactory(title=f"Instrument {n}")
    search = follow(owner, "")
    assert len(entries(client.get(f"/feeds/{search.feed_token}/"))) == 2

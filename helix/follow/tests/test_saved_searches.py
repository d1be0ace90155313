"""Saving a search from a list page, the "My followed searches" pages, and who may see what."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from helix.follow import sources
from helix.follow.choices import DigestFrequency, Target
from helix.follow.models import SavedSearch
from helix.follow.sources import normalise_query
from tests.factories import InstrumentFactory

SAVE_URL = "/zoekopdrachten/bewaren/"
LIST_URL = "/mijn-zoekopdrachten/"


def save(client: Any, query: str, *, target: str = Target.INSTRUMENTS, name: str = "", digest: str = "weekly") -> Any:
    return client.post(
        SAVE_URL,
        {"target": target, "query": query, "name": name, "digest": digest, "next": f"/instrumenten/?{query}"},
    )


def test_normalised_query_drops_paging_empty_values_and_order() -> None:
    assert normalise_query("?status=open&kind=financial&after=abc&size=50&q=&sort=-title") == "kind=financial&status=open"
    assert normalise_query("domain=b&domain=a&kind=financial") == "domain=a&domain=b&kind=financial"
    assert normalise_query({"q": " mobiliteit ", "status": ["open"]}) == "q=mobiliteit&status=open"


def test_a_signed_in_user_saves_a_search_once(cast: Any, client_as: Any) -> None:
    client = client_as(cast.editor_a)
    response = save(client, "status=open&kind=financial&after=xyz", name="Open grants")
    assert response.status_code == 302
    assert response["Location"] == "/instrumenten/?status=open&kind=financial&after=xyz"
    search = SavedSearch.objects.get()
    assert (search.user, search.name, search.target) == (cast.editor_a, "Open grants", Target.INSTRUMENTS)
    assert search.query == "kind=financial&status=open"
    assert search.digest == DigestFrequency.WEEKLY
    assert search.language == "nl"
    assert len(search.feed_token) >= 32
    # The same filters in another order are the same search.
    response = save(client, "kind=financial&status=open", name="Again")
    assert SavedSearch.objects.count() == 1
    assert "volgt deze zoekopdracht al" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    # Another user saving the same filters has their own search.
    save(client_as(cast.editor_b), "kind=financial&status=open")
    assert SavedSearch.objects.count() == 2


def test_without_a_name_the_search_is_named_after_its_filters_and_language_is_remembered(cast: Any, client_as: Any) -> None:
    client = client_as(cast.editor_a)
    client.post("/en" + SAVE_URL, {"target": Target.INSTRUMENTS, "query": "status=open", "digest": "daily"})
    search = SavedSearch.objects.get()
    assert search.name == "Instruments: open"
    assert search.language == "en"
    assert search.digest == DigestFrequency.DAILY


def test_saving_remembers_the_current_results_as_seen(cast: Any, client_as: Any) -> None:
    save(client_as(cast.editor_a), "")
    search = SavedSearch.objects.get()
    assert set(search.last_seen) == {f"instrument:{cast.instrument_a.pk}", f"instrument:{cast.instrument_b.pk}"}


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_saved(db: Any, client: Any) -> None:
    response = save(client, "status=open")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/instrumenten/%3Fstatus%3Dopen"
    assert not SavedSearch.objects.exists()
    assert client.get(SAVE_URL).status_code in (302, 405)


def test_an_unavailable_target_cannot_be_saved(cast: Any, client_as: Any, monkeypatch: Any) -> None:
    monkeypatch.delitem(sources._REGISTRY, Target.CHALLENGES)
    response = save(client_as(cast.editor_a), "status=open", target=Target.CHALLENGES)
    assert response.status_code == 302
    assert not SavedSearch.objects.exists()
    assert "niet gevolgd worden" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    response = save(client_as(cast.editor_a), "x=1", target="helix:nonsense")
    assert not SavedSearch.objects.exists()


def test_next_never_leads_off_site(cast: Any, client_as: Any) -> None:
    client = client_as(cast.editor_a)
    response = client.post(SAVE_URL, {"target": Target.INSTRUMENTS, "query": "", "next": "https://evil.example/"})
    assert response["Location"] == LIST_URL


def test_the_instrument_list_offers_the_save_form(cast: Any, client_as: Any) -> None:
    html = client_as(cast.editor_a).get("/instrumenten/?status=open&kind=financial").content.decode()
    assert 'action="/zoekopdrachten/bewaren/"' in html
    assert 'name="target" value="instruments:instrument-list"' in html
    assert 'name="query" value="status=open&amp;kind=financial"' in html
    anonymous = client_as(None).get("/instrumenten/").content.decode()
    assert 'action="/zoekopdrachten/bewaren/"' not in anonymous
    assert "/accounts/login/?next=/instrumenten/" in anonymous


@pytest.fixture
def searches(cast: Any) -> dict[str, SavedSearch]:
    mine = SavedSearch.objects.create(user=cast.editor_a, name="Mine", target=Target.INSTRUMENTS, query="status=open")
    theirs = SavedSearch.objects.create(user=cast.editor_b, name="Theirs", target=Target.INSTRUMENTS, query="kind=financial")
    return {"mine": mine, "theirs": theirs}


def test_my_followed_searches_lists_only_my_own(searches: Any, cast: Any, client_as: Any) -> None:
    response = client_as(cast.editor_a).get("/en" + LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mine" in html and "Theirs" not in html
    assert searches["mine"].feed_token in html and searches["theirs"].feed_token not in html
    assert 'href="/en/instrumenten/?status=open"' in html
    assert f"http://testserver/en/feeds/{searches['mine'].feed_token}/" in html
    # The account menu leads here.
    assert f'href="/en{LIST_URL}"' in client_as(cast.editor_a).get("/en/").content.decode()
    assert client_as(None).get(LIST_URL).status_code == 302


def test_rename_and_change_the_digest(searches: Any, cast: Any, client_as: Any) -> None:
    client = client_as(cast.editor_a)
    url = f"{LIST_URL}{searches['mine'].pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Open calls", "digest": "off"})
    assert response.status_code == 302
    searches["mine"].refresh_from_db()
    assert (searches["mine"].name, searches["mine"].digest) == ("Open calls", DigestFrequency.OFF)
    # An empty name is refused.
    response = client.post(url, {"name": "", "digest": "daily"})
    assert response.status_code == 200
    searches["mine"].refresh_from_db()
    assert searches["mine"].name == "Open calls"


def test_delete(searches: Any, cast: Any, client_as: Any) -> None:
    client = client_as(cast.editor_a)
    url = f"{LIST_URL}{searches['mine'].pk}/verwijderen/"
    assert client.get(url).status_code == 200
    assert SavedSearch.objects.filter(pk=searches["mine"].pk).exists()
    assert client.post(url).status_code == 302
    assert not SavedSearch.objects.filter(pk=searches["mine"].pk).exists()


def test_other_users_get_404_for_every_action(searches: Any, cast: Any, client_as: Any) -> None:
    theirs = searches["theirs"]
    for user in (cast.editor_a, cast.curator):
        client = client_as(user)
        assert client.get(f"{LIST_URL}{theirs.pk}/").status_code == 404
        assert client.post(f"{LIST_URL}{theirs.pk}/", {"name": "Hijacked", "digest": "off"}).status_code == 404
        assert client.get(f"{LIST_URL}{theirs.pk}/verwijderen/").status_code == 404
        assert client.post(f"{LIST_URL}{theirs.pk}/verwijderen/").status_code == 404
        assert client.post(f"{LIST_URL}{theirs.pk}/nieuwe-feed/").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.digest) == ("Theirs", DigestFrequency.WEEKLY)
    anonymous = client_as(None)
    assert anonymous.post(f"{LIST_URL}{theirs.pk}/verwijderen/").status_code == 302
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


def test_a_new_feed_address_retires_the_old_one(searches: Any, cast: Any, client_as: Any) -> None:
    mine = searches["mine"]
    old = mine.feed_token
    InstrumentFactory(title="Something open", opens_on="2020-01-01")
    assert client_as(None).get(f"/feeds/{old}/").status_code == 200
    client_as(cast.editor_a).post(f"{LIST_URL}{mine.pk}/nieuwe-feed/")
    mine.refresh_from_db()
    assert mine.feed_token != old
    assert client_as(None).get(f"/feeds/{old}/").status_code == 404
    assert client_as(None).get(f"/feeds/{mine.feed_token}/").status_code == 200

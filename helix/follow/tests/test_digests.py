"""E-mail digests: one e-mail per user with what is new or changed, never twice; unsubscribing."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from helix.core.services import save_record
from helix.follow.choices import DigestFrequency, Target
from helix.follow.digests import period_key, send_digests
from helix.follow.models import DigestSend, SavedSearch
from helix.follow.services import save_search, unsubscribe_token
from tests.factories import InstrumentFactory, UserFactory

NOW = timezone.now()
NEXT_WEEK = NOW + datetime.timedelta(days=7)


@pytest.fixture
def reader(db: Any) -> Any:
    return UserFactory(username="reader", email="reader@example.org")


@pytest.fixture
def existing(db: Any) -> Any:
    return InstrumentFactory(title="Existing grant", kind="financial")


def follow(user: Any, query: str = "kind=financial", **kwargs: Any) -> SavedSearch:
    search, created = save_search(user=user, target=Target.INSTRUMENTS, query=query, **kwargs)
    assert created
    return search


def links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_one_email_with_new_and_changed_results_then_nothing(reader: Any, existing: Any) -> None:
    untouched = InstrumentFactory(title="Untouched grant", kind="financial")
    follow(reader, name="Grants", language="en")
    follow(reader, query="kind=matchmaking", name="Matchmaking", language="en")
    new = InstrumentFactory(title="Brand new grant", kind="financial")
    save_record(existing, changes={"closes_on": datetime.date(2031, 1, 1)})
    InstrumentFactory(title="A new matchmaking day", kind="matchmaking")
    InstrumentFactory(title="Not followed: archived", kind="financial", archived_at=NOW)

    report = send_digests(frequency=DigestFrequency.WEEKLY, now=NOW)
    assert len(mail.outbox) == 1  # one e-mail for both searches
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "3" in message.subject
    body = message.body
    assert "Brand new grant" in body and "Existing grant" in body and "A new matchmaking day" in body
    assert "Untouched grant" not in body and "archived" not in body
    assert body.index("New:") < body.index("Brand new grant") < body.index("Changed:") < body.index("Existing grant")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000/en/instrumenten/{new.slug}/"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/en/zoekopdrachten/uitschrijven/")
    assert report.sent == [("weekly", "reader@example.org", 3)]
    sent = DigestSend.objects.get()
    week = period_key("weekly", timezone.localdate(NOW))
    assert (sent.user, sent.frequency, sent.period_key, sent.item_count) == (reader, "weekly", week, 3)
    assert untouched.pk

    # Running it again (same week, or later without changes) sends nothing.
    send_digests(frequency=DigestFrequency.WEEKLY, now=NOW)
    send_digests(frequency=DigestFrequency.WEEKLY, now=NEXT_WEEK)
    assert len(mail.outbox) == 1
    assert DigestSend.objects.count() == 1


def test_a_later_digest_reports_only_what_changed_since_the_last(reader: Any, existing: Any) -> None:
    follow(reader)
    InstrumentFactory(title="First news", kind="financial")
    send_digests(frequency=DigestFrequency.WEEKLY, now=NOW)
    InstrumentFactory(title="Second news", kind="financial")
    # Same week: already sent; the news waits for next week.
    send_digests(frequency=DigestFrequency.WEEKLY, now=NOW)
    assert len(mail.outbox) == 1
    send_digests(frequency=DigestFrequency.WEEKLY, now=NEXT_WEEK)
    assert len(mail.outbox) == 2
    assert "Second news" in mail.outbox[1].body
    assert "First news" not in mail.outbox[1].body
    assert SavedSearch.objects.get().last_digest_at == NEXT_WEEK


def test_daily_and_weekly_searches_go_out_with_their_own_run(reader: Any, existing: Any) -> None:
    follow(reader, digest=DigestFrequency.DAILY)
    other = UserFactory(username="weekly-reader", email="weekly@example.org")
    follow(other)
    follow(UserFactory(username="no-mail", email="nomail@example.org"), digest=DigestFrequency.OFF)
    InstrumentFactory(title="News", kind="financial")
    send_digests(frequency=DigestFrequency.DAILY, now=NOW)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    send_digests(frequency=DigestFrequency.WEEKLY, now=NOW)
    assert [m.to for m in mail.outbox] == [["reader@example.org"], ["weekly@example.org"]]
    # The next day the daily reader would get a new digest, but nothing changed since.
    send_digests(now=NOW + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_dry_run_sends_and_records_nothing(reader: Any, existing: Any) -> None:
    search = follow(reader)
    seen = dict(search.last_seen)
    InstrumentFactory(title="News", kind="financial")
    out = io.StringIO()
    call_command("send_digests", "--frequency", "weekly", "--dry-run", stdout=out)
    assert "would send to reader@example.org: 1 new or changed" in out.getvalue()
    assert mail.outbox == []
    assert not DigestSend.objects.exists()
    search.refresh_from_db()
    assert search.last_seen == seen and search.last_digest_at is None
    call_command("send_digests", "--frequency", "weekly", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_users_without_an_email_address_are_skipped(existing: Any) -> None:
    user = UserFactory(username="nomail", email="")
    follow(user)
    InstrumentFactory(title="News", kind="financial")
    report = send_digests(frequency=DigestFrequency.WEEKLY, now=NOW)
    assert mail.outbox == []
    assert report.skipped == [("weekly", "nomail", "no e-mail address")]


def test_the_email_is_in_the_users_language(reader: Any, existing: Any) -> None:
    english = UserFactory(username="english", email="english@example.org")
    follow(english, language="en")
    follow(reader, language="nl")
    InstrumentFactory(title="Grant", title_nl="Subsidie", kind="financial")
    send_digests(frequency=DigestFrequency.WEEKLY, now=NOW)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    en, nl = by_recipient["english@example.org"], by_recipient["reader@example.org"]
    assert en.subject == "Helix: 1 new or changed result in your saved searches"
    assert en.extra_headers["Content-Language"] == "en"
    assert "- Grant\n" in en.body and "Subsidie" not in en.body
    assert "http://127.0.0.1:8000/en/mijn-zoekopdrachten/" in en.body
    assert nl.extra_headers["Content-Language"] == "nl"
    assert "- Subsidie\n" in nl.body
    assert "http://127.0.0.1:8000/mijn-zoekopdrachten/" in nl.body


def test_unsubscribe_link_stops_the_digest_without_login(reader: Any, existing: Any) -> None:
    search = follow(reader)
    kept = follow(reader, query="kind=matchmaking", name="Matchmaking")
    InstrumentFactory(title="News", kind="financial")
    send_digests(frequency=DigestFrequency.WEEKLY, now=NOW)
    body = mail.outbox[0].body
    one = next(link for link in links(body) if "/uitschrijven/" in link and unsubscribe_token(saved_search=search) in link)
    path = one.replace("http://127.0.0.1:8000", "")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)  # a link scanner opening it changes nothing
    assert page.status_code == 200
    search.refresh_from_db()
    assert search.digest == DigestFrequency.WEEKLY
    # One click on the button (or the mail client's RFC 8058 POST, without a CSRF token).
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    search.refresh_from_db()
    kept.refresh_from_db()
    assert search.digest == DigestFrequency.OFF
    assert kept.digest == DigestFrequency.WEEKLY
    InstrumentFactory(title="More news", kind="financial")
    send_digests(frequency=DigestFrequency.WEEKLY, now=NEXT_WEEK)
    assert len(mail.outbox) == 1  # the only other search has no news


def test_unsubscribe_from_all_and_forged_tokens(reader: Any, existing: Any) -> None:
    first, second = follow(reader), follow(reader, query="kind=matchmaking")
    other = follow(UserFactory(username="other", email="other@example.org"))
    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(user=reader)
    assert client.post(f"/zoekopdrachten/uitschrijven/{token}/").status_code == 200
    assert {s.digest for s in SavedSearch.objects.filter(pk__in=[first.pk, second.pk])} == {DigestFrequency.OFF}
    other.refresh_from_db()
    assert other.digest == DigestFrequency.WEEKLY
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    assert client.get(f"/zoekopdrachten/uitschrijven/{forged}/").status_code == 404
    assert client.post(f"/zoekopdrachten/uitschrijven/{forged}/").status_code == 404
    assert client.post("/zoekopdrachten/uitschrijven/nonsense/").status_code == 404

"""E-mail digests: per user, one e-mail with what is new or changed in their saved searches.

`send_digests` is the use case behind `python manage.py send_digests`. For each user with
searches of the frequency, it compares the searches' current results with what the last digest
saw (`SavedSearch.last_seen`), and sends one e-mail (plain text and HTML) in the user's language
with a one-click unsubscribe link. Each send is recorded as a `DigestSend`, unique per user,
frequency and period (the day, or the ISO week): a second run in the same period sends nothing,
and what a digest reported is never reported again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from .choices import DigestFrequency
from .models import DigestSend, SavedSearch
from .services import DIGEST_RESULT_LIMIT, unsubscribe_token
from .sources import Item, get_source

ITEMS_PER_SEARCH = 20  # an e-mail lists at most this many results per search ("and N more")


def base_url() -> str:
    return str(getattr(settings, "HELIX_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else base_url() + path


def period_key(frequency: str, day: datetime.date) -> str:
    if frequency == DigestFrequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


@dataclass
class SearchNews:
    search: SavedSearch
    new: list[Item]
    changed: list[Item]
    markers: dict[str, str]

    @property
    def count(self) -> int:
        return len(self.new) + len(self.changed)


def news_for(search: SavedSearch) -> SearchNews | None:
    """What is new or changed in a search since its last digest (None: its source is unavailable)."""
    source = get_source(search.target)
    if source is None:
        return None
    items = source.results(search.query, limit=DIGEST_RESULT_LIMIT)
    seen = search.last_seen or {}
    new = [i for i in items if i.key not in seen]
    changed = [i for i in items if i.key in seen and seen[i.key] != i.marker]
    return SearchNews(search, new, changed, {i.key: i.marker for i in items})


@dataclass
class DigestReport:
    dry_run: bool
    sent: list[tuple[str, str, int]] = field(default_factory=list)  # (frequency, recipient, results)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (frequency, username, reason)

    def lines(self) -> list[str]:
        verb = "would send" if self.dry_run else "sent"
        out = [f"{frequency}: {verb} to {recipient}: {count} new or changed results" for frequency, recipient, count in self.sent]
        out += [f"{frequency}: skipped {username}: {reason}" for frequency, username, reason in self.skipped]
        return out


def send_digests(*, frequency: str | None = None, dry_run: bool = False, now: datetime.datetime | None = None) -> DigestReport:
    """Send the due digests of one frequency (or of both). Safe to run as often as cron likes."""
    now = now or timezone.now()
    report = DigestReport(dry_run=dry_run)
    frequencies = [frequency] if frequency else [DigestFrequency.DAILY, DigestFrequency.WEEKLY]
    for freq in frequencies:
        if freq not in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
            raise ValueError(f"Unknown digest frequency {freq!r}")
        key = period_key(freq, timezone.localdate(now))
        users = get_user_model().objects.filter(saved_searches__digest=freq, is_active=True).distinct().order_by("pk")
        done = set(DigestSend.objects.filter(frequency=freq, period_key=key).values_list("user_id", flat=True))
        for user in users:
            if user.pk in done:
                report.skipped.append((freq, user.get_username(), "already sent in this period"))
            elif not user.email:
                report.skipped.append((freq, user.get_username(), "no e-mail address"))
            else:
                _digest_for_user(user, freq, key, now=now, report=report)
    return report


def _digest_for_user(user: Any, frequency: str, key: str, *, now: datetime.datetime, report: DigestReport) -> None:
    with transaction.atomic():
        searches = list(SavedSearch.objects.select_for_update().filter(user=user, digest=frequency).order_by("name", "id"))
        language = max(searches, key=lambda s: (s.created_at, s.pk)).language if searches else settings.LANGUAGE_CODE
        with translation.override(language):
            news = [n for n in (news_for(s) for s in searches) if n is not None]
            total = sum(n.count for n in news)
            if total == 0:
                report.skipped.append((frequency, user.get_username(), "nothing new"))
                return
            message = compose(user, [n for n in news if n.count], frequency=frequency)
        if report.dry_run:
            report.sent.append((frequency, user.email, total))
            return
        try:
            with transaction.atomic():
                DigestSend.objects.create(
                    user=user,
                    frequency=frequency,
                    period_key=key,
                    sent_at=now,
                    recipient=user.email,
                    item_count=total,
                    details=[
                        {"search": n.search.pk, "new": [i.key for i in n.new], "changed": [i.key for i in n.changed]}
                        for n in news
                        if n.count
                    ],
                )
        except IntegrityError:  # another run sent it meanwhile
            report.skipped.append((frequency, user.get_username(), "already sent in this period"))
            return
        for n in news:
            n.search.last_seen = n.markers
            if n.count:
                n.search.last_digest_at = now
            n.search.save(update_fields=["last_seen", "last_digest_at"])
        # Inside the transaction: if the mail cannot be handed over, nothing is recorded as sent.
        message.send(fail_silently=False)
        report.sent.append((frequency, user.email, total))


def compose(user: Any, news: list[SearchNews], *, frequency: str) -> EmailMultiAlternatives:
    """The digest e-mail (text and HTML) in the active language."""
    total = sum(n.count for n in news)
    unsubscribe_all = absolute(reverse("follow:unsubscribe", kwargs={"token": unsubscribe_token(user=user)}))
    context = {
        "user": user,
        "frequency": str(DigestFrequency(frequency).label).lower(),
        "total": total,
        "searches": [
            {
                "name": n.search.name,
                "url": absolute(n.search.results_url()) if n.search.results_url() else "",
                "new": [_item(i) for i in n.new[:ITEMS_PER_SEARCH]],
                "changed": [_item(i) for i in n.changed[:ITEMS_PER_SEARCH]],
                "more": max(0, len(n.new) - ITEMS_PER_SEARCH) + max(0, len(n.changed) - ITEMS_PER_SEARCH),
                "unsubscribe_url": absolute(
                    reverse("follow:unsubscribe", kwargs={"token": unsubscribe_token(saved_search=n.search)})
                ),
            }
            for n in news
        ],
        "manage_url": absolute(reverse("follow:saved-search-list")),
        "unsubscribe_all_url": unsubscribe_all,
    }
    subject = ngettext(
        "Helix: %(count)d new or changed result in your saved searches",
        "Helix: %(count)d new or changed results in your saved searches",
        total,
    ) % {"count": total}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("follow/email/digest.txt", context),
        to=[user.email],
        headers={
            # RFC 8058: mail clients offer their own one-click unsubscribe button.
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )
    message.attach_alternative(render_to_string("follow/email/digest.html", context), "text/html")
    return message


def _item(item: Item) -> dict[str, str]:
    return {"title": item.title, "url": absolute(item.url), "summary": item.summary}

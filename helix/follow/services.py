"""Write use cases of the follow app: overviews, saved searches, feed tokens, unsubscribing.

Every entry point (page, command) calls these inside `helix.core.history.history_context`
(web requests through the middleware). The digest use case is `helix.follow.digests.send_digests`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .choices import DigestFrequency, OverviewPeriod, TargetGroup
from .models import Overview, SavedSearch, new_feed_token
from .overviews import build_snapshot, period_bounds
from .sources import describe_query, get_source, normalise_query

# How many results of a search a digest compares (most recently changed first).
DIGEST_RESULT_LIMIT = 500
UNSUBSCRIBE_SALT = "helix.follow.unsubscribe"


# --- Overviews ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewOutcome:
    group: str
    overview: Overview
    created: bool


@transaction.atomic
def generate_overviews(
    *, day: datetime.date, period: str = OverviewPeriod.MONTHLY, groups: Iterable[str] | None = None
) -> list[OverviewOutcome]:
    """Store the overview of each target group for the period containing `day`.

    Idempotent per period: a group that already has an overview for that period keeps it
    (created=False). The status (open, closing soon, ...) is computed for `day`.
    """
    start, end = period_bounds(day, period)
    outcomes = []
    for group in groups or TargetGroup.values:
        existing = Overview.objects.filter(target_group=group, period_start=start, period_end=end).first()
        if existing is not None:
            outcomes.append(OverviewOutcome(group, existing, False))
            continue
        snapshot = build_snapshot(group, day)
        overview = Overview.objects.create(
            target_group=group, period=period, period_start=start, period_end=end, as_of=day, snapshot=snapshot.to_json()
        )
        outcomes.append(OverviewOutcome(group, overview, True))
    return outcomes


# --- Saved searches -----------------------------------------------------------------------------


def _check_owner(saved_search: SavedSearch, user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or saved_search.user_id != user.pk:
        raise PermissionDenied(_("This is not your saved search."))


def default_name(target: str, query: str) -> str:
    from .choices import Target

    label = str(Target(target).label)
    filters = ", ".join(value for _label, value in describe_query(target, query))
    return Truncator(f"{label}: {filters}" if filters else label).chars(200)


def current_markers(saved_search: SavedSearch) -> dict[str, str]:
    """Result key -> change marker of the search's current results (empty when unavailable)."""
    source = get_source(saved_search.target)
    if source is None:
        return {}
    return {item.key: item.marker for item in source.results(saved_search.query, limit=DIGEST_RESULT_LIMIT)}


@transaction.atomic
def save_search(
    *,
    user: Any,
    target: str,
    query: str,
    name: str = "",
    digest: str = DigestFrequency.WEEKLY,
    language: str = "nl",
) -> tuple[SavedSearch, bool]:
    """Save a search for a signed-in user; (search, created). Saving the same filters again
    returns the existing search. The current results count as seen: the first digest reports
    only what is new or changed after saving."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to save a search."))
    if get_source(target) is None:
        raise ValidationError(_("This kind of search cannot be followed (yet)."), code="unavailable")
    normal = normalise_query(query)
    existing = SavedSearch.objects.filter(user=user, target=target, query=normal).first()
    if existing is not None:
        return existing, False
    search = SavedSearch(
        user=user,
        target=target,
        query=normal,
        name=(name or "").strip()[:200] or default_name(target, normal),
        digest=digest,
        language=(language or "nl")[:8],
    )
    search.last_seen = current_markers(search)
    search.full_clean(exclude=["user"], validate_unique=False)
    try:
        with transaction.atomic():
            search.save()
    except IntegrityError:  # saved at the same moment by a second request
        return SavedSearch.objects.get(user=user, target=target, query=normal), False
    return search, True


@transaction.atomic
def update_saved_search(*, saved_search: SavedSearch, user: Any, name: str, digest: str) -> SavedSearch:
    """Rename a saved search and/or change its digest frequency (owner only)."""
    _check_owner(saved_search, user)
    saved_search.name = name.strip()
    saved_search.digest = digest
    saved_search.full_clean(exclude=["user"], validate_unique=False)
    saved_search.save(update_fields=["name", "digest"])
    return saved_search


@transaction.atomic
def delete_saved_search(*, saved_search: SavedSearch, user: Any) -> None:
    _check_owner(saved_search, user)
    saved_search.delete()


@transaction.atomic
def renew_feed_token(*, saved_search: SavedSearch, user: Any) -> SavedSearch:
    """A new feed address; the old one answers 404 from now on (e.g. after it leaked)."""
    _check_owner(saved_search, user)
    saved_search.feed_token = new_feed_token()
    saved_search.save(update_fields=["feed_token"])
    return saved_search


# --- Unsubscribing (token in the e-mail, no login) ----------------------------------------------


def unsubscribe_token(*, saved_search: SavedSearch | None = None, user: Any = None) -> str:
    """A signed token that stops the digest of one saved search, or of all a user's searches."""
    if saved_search is not None:
        return signing.dumps({"s": saved_search.pk}, salt=UNSUBSCRIBE_SALT)
    if user is not None:
        return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)
    raise ValueError("unsubscribe_token needs a saved search or a user")


@dataclass(frozen=True)
class UnsubscribeScope:
    searches: list[SavedSearch]
    all_of_user: bool


def read_unsubscribe_token(token: str) -> UnsubscribeScope | None:
    """The saved searches a token stops, or None for a token that is forged or points nowhere."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("s"), int):
        searches = list(SavedSearch.objects.filter(pk=data["s"]))
        return UnsubscribeScope(searches, False) if searches else None
    if isinstance(data.get("u"), int):
        return UnsubscribeScope(list(SavedSearch.objects.filter(user_id=data["u"]).order_by("name", "id")), True)
    return None


@transaction.atomic
def unsubscribe(*, token: str) -> UnsubscribeScope | None:
    """Turn the digest off for what the token names; None when the token is not valid."""
    scope = read_unsubscribe_token(token)
    if scope is None:
        return None
    SavedSearch.objects.filter(pk__in=[s.pk for s in scope.searches]).update(digest=DigestFrequency.OFF)
    for search in scope.searches:
        search.digest = DigestFrequency.OFF
    return scope

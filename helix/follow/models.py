"""Following the registry over time: stored overviews, saved searches and the digests sent.

An `Overview` freezes, per target group and period, which instruments were open, upcoming or
closing soon (with their version), so the next overview can say what is new, changed or gone.
A `SavedSearch` is a user's list or finder query; its feed token opens an Atom feed without a
login and `last_seen` remembers what the last digest reported. A `DigestSend` records every
e-mail sent, one per user, frequency and period at most.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DigestFrequency, OverviewPeriod, Target, TargetGroup

FEED_TOKEN_BYTES = 24


def new_feed_token() -> str:
    """A random, unguessable token (32 URL-safe characters) for a feed address."""
    return secrets.token_urlsafe(FEED_TOKEN_BYTES)


class Overview(models.Model):
    """One generated overview of a target group for one period (see helix.follow.overviews)."""

    target_group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)
    period = models.CharField(_("period"), max_length=10, choices=OverviewPeriod.choices, default=OverviewPeriod.MONTHLY)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    as_of = models.DateField(_("status on"), help_text=_("The day the open/closed status was computed for."))
    generated_at = models.DateTimeField(_("generated"), default=timezone.now, editable=False)
    # {"closing_days": 60, "instruments": [{"id", "slug", "title", "title_nl", "kind", "version",
    #  "updated_at", "status", "opens_on", "closes_on", "offered_by_en", "offered_by_nl"}, ...]}
    snapshot = models.JSONField(_("snapshot"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["target_group", "-period_start"]
        verbose_name = _("overview")
        verbose_name_plural = _("overviews")
        constraints = [
            models.UniqueConstraint(fields=["target_group", "period_start", "period_end"], name="follow_overview_one_per_period"),
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")), name="follow_overview_period"),
        ]
        indexes = [models.Index(fields=["target_group", "-period_start"], name="follow_overview_latest")]

    def __str__(self) -> str:
        return f"{self.get_target_group_display()} {self.period_start:%Y-%m-%d} to {self.period_end:%Y-%m-%d}"


class SavedSearch(models.Model):
    """A signed-in user's search, followed by e-mail digest and/or an Atom feed.

    `query` is the normalised query string (helix.follow.sources.normalise_query): the same
    filters in another order or with paging parameters are the same search.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=200)
    target = models.CharField(_("searches in"), max_length=60, choices=Target.choices)
    query = models.TextField(_("filters"), blank=True, max_length=2000)
    language = models.CharField(_("language of e-mails"), max_length=8, default="nl")
    digest = models.CharField(_("e-mail digest"), max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True, editable=False)
    # Result key -> change marker of every result the last digest (or the save) saw.
    last_seen = models.JSONField(_("results last seen"), default=dict, blank=True, editable=False)
    feed_token = models.CharField(_("feed token"), max_length=64, unique=True, default=new_feed_token, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [models.UniqueConstraint(fields=["user", "target", "query"], name="follow_search_unique_per_user")]
        indexes = [models.Index(fields=["digest", "user"], name="follow_search_digest")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("follow:saved-search-edit", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        """Whether its feed may be served without a login: its source shows only public objects."""
        from .sources import get_source

        source = get_source(self.target)
        return source is not None and source.public

    @property
    def is_available(self) -> bool:
        from .sources import get_source

        return get_source(self.target) is not None

    def results_url(self) -> str:
        """The list or finder page showing this search's results now ("" when it has no page)."""
        try:
            path = reverse(self.target)
        except NoReverseMatch:
            return ""
        return f"{path}?{self.query}" if self.query else path

    def feed_url(self) -> str:
        return reverse("follow:feed", kwargs={"token": self.feed_token})


class DigestSend(models.Model):
    """One digest e-mail: who, when, for which period and which searches (never sent twice)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    frequency = models.CharField(_("frequency"), max_length=10, choices=DigestFrequency.choices)
    period_key = models.CharField(_("period"), max_length=20, help_text=_("The day (daily) or ISO week (weekly)."))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipient = models.EmailField(_("sent to"))
    item_count = models.PositiveIntegerField(_("results reported"), default=0)
    # [{"search": id, "new": [keys], "changed": [keys]}, ...]
    details = models.JSONField(_("details"), default=list, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [models.UniqueConstraint(fields=["user", "frequency", "period_key"], name="follow_digest_once_per_period")]

    def __str__(self) -> str:
        return f"{self.frequency} {self.period_key} → {self.recipient}"

    def searches(self) -> list[Any]:
        return [d.get("search") for d in self.details]

"""Values the follow app's code branches on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetGroup(models.TextChoices):
    """The target groups of the periodic funding overviews (issue 3, M3)."""

    SMALL = "small", _("Small municipalities")
    MEDIUM = "medium", _("Medium-sized municipalities")
    LARGE = "large", _("Large municipalities")
    CONSORTIUM = "consortium", _("Consortia")


# Dutch URL segments of the target groups (/overzichten/<segment>/), in both languages.
TARGET_GROUP_SLUGS: dict[str, str] = {
    TargetGroup.SMALL: "kleine-gemeenten",
    TargetGroup.MEDIUM: "middelgrote-gemeenten",
    TargetGroup.LARGE: "grote-gemeenten",
    TargetGroup.CONSORTIUM: "consortia",
}
TARGET_GROUP_BY_SLUG: dict[str, str] = {slug: group for group, slug in TARGET_GROUP_SLUGS.items()}


class OverviewPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    WEEKLY = "weekly", _("Weekly")


class Target(models.TextChoices):
    """What a saved search searches: the URL name of the list or finder page it repeats."""

    INSTRUMENTS = "instruments:instrument-list", _("Instruments")
    FUNDING_FINDER = "matching:funding-finder", _("Funding finder")
    CHALLENGES = "market:challenge-list", _("Challenges")


class DigestFrequency(models.TextChoices):
    OFF = "off", _("No e-mail")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class OverviewSection(models.TextChoices):
    """The sections of an overview, in the order pages and exports show them."""

    NEW = "new", _("New since the previous overview")
    CHANGED = "changed", _("Changed since the previous overview")
    REMOVED = "removed", _("Closed or removed since the previous overview")
    CLOSING_SOON = "closing_soon", _("Closes soon")
    OPEN = "open", _("Open now")
    UPCOMING = "upcoming", _("Opens later")
    MATCHMAKING = "matchmaking", _("Matchmaking and support")

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleBasis(models.TextChoices):
    """How the advised government role is known: named in the report's motivation, or inferred from it."""

    EXPLICIT = "explicit", _("Named explicitly in the report")
    INFERRED = "inferred", _("Inferred from the report's motivation")


class LinkRelation(models.TextChoices):
    """A cross-reference between two recommendations, as the report states it (from -> to)."""

    DEPENDS_ON = "depends_on", _("depends on")
    FOLLOWS = "follows", _("follows")
    PRECONDITION_FOR = "precondition_for", _("is a precondition for")
    REFERENCES = "references", _("refers to")


# Relations that make `from` wait for `to` (and the reverse one: `from` is a precondition for `to`).
WAITS_FOR = (LinkRelation.DEPENDS_ON, LinkRelation.FOLLOWS)
ENABLES = (LinkRelation.PRECONDITION_FOR,)


class ProgressStatus(models.TextChoices):
    """The four-step scale of the study's best-practice city (Vienna's monitoring)."""

    FULLY = "fully_on_track", _("Fully on track")
    LARGELY = "largely_on_track", _("Largely on track")
    PARTIALLY = "partially_on_track", _("Partially on track")
    NOT = "not_on_track", _("Not on track")

    @property
    def step(self) -> int:
        """4 (fully) down to 1 (not on track): shown as text and as a count of filled steps."""
        return {"fully_on_track": 4, "largely_on_track": 3, "partially_on_track": 2, "not_on_track": 1}[self.value]


class IndicatorKind(models.TextChoices):
    """Manual indicators get measurements from curators and owners; computed ones from Helix's own data."""

    MANUAL = "manual", _("Manual")
    COMPUTED = "computed", _("Computed from Helix")

"""The matcher's policy levers, set by curators and shown in every explanation they affect."""

from __future__ import annotations

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from helix.matching.engine.types import Weights

LEVER_MAX = Decimal("0.20")
"""A lever adds at most this much to a score in [0, 1]: a nudge, not an override."""


@pghistory.track()
class MatchingPolicy(models.Model):
    """One row (pk 1): the "buy from start-ups" and open-standards boosts of the marketplace matcher."""

    startup_boost = models.DecimalField(
        _("start-up boost"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(LEVER_MAX)],
        help_text=_("Added to the score of solutions and companies of start-ups (0 to 0.20)."),
    )
    open_standards_boost = models.DecimalField(
        _("open-standards boost"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(LEVER_MAX)],
        help_text=_("Added to the score of solutions that support an open standard (0 to 0.20)."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("matching policy")
        verbose_name_plural = _("matching policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="matching_policy_single_row"),
            models.CheckConstraint(
                condition=models.Q(startup_boost__gte=0, startup_boost__lte=LEVER_MAX)
                & models.Q(open_standards_boost__gte=0, open_standards_boost__lte=LEVER_MAX),
                name="matching_policy_lever_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("matching policy"))

    @classmethod
    def current(cls) -> MatchingPolicy:
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def weights(self) -> Weights:
        return Weights(startup_boost=float(self.startup_boost), open_standards_boost=float(self.open_standards_boost))

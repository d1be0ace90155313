from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from helix.core.models import RecordQuerySet

from .choices import InstrumentStatus


def status_q(status: str, day: datetime.date) -> Q:
    """The SQL condition for a derived status; mirrors Instrument.status_on."""
    upcoming = Q(opens_on__gt=day)
    if status == InstrumentStatus.UPCOMING:
        return upcoming
    if status == InstrumentStatus.OPEN:
        return ~upcoming & (Q(closes_on__gte=day) | (Q(closes_on__isnull=True) & Q(opens_on__isnull=False)))
    if status == InstrumentStatus.CLOSED:
        return ~upcoming & Q(closes_on__lt=day)
    return Q(opens_on__isnull=True, closes_on__isnull=True)


class InstrumentQuerySet(RecordQuerySet):
    def with_status(self, day: datetime.date | None = None) -> InstrumentQuerySet:
        day = day or timezone.localdate()
        return self.annotate(
            derived_status=Case(
                *(When(status_q(s, day), then=Value(s.value)) for s in InstrumentStatus),
                output_field=models.CharField(),
            )
        )

    def with_status_filter(self, status: str, day: datetime.date | None = None) -> InstrumentQuerySet:
        return self.filter(status_q(status, day or timezone.localdate()))

    def closing_within(self, days: int, day: datetime.date | None = None) -> InstrumentQuerySet:
        day = day or timezone.localdate()
        return self.filter(closes_on__gte=day, closes_on__lte=day + datetime.timedelta(days=days))

"""Pre-aggregated results of analyses too slow for a request at scale (helix/insights/snapshots.py).

Not domain data: a snapshot is a cache that survives restarts and is shared by processes. It
records the registry data version it was computed from, so a page can tell fresh from stale.
A row without `computed_at` is a placeholder holding only the claim of a queued refresh.
"""

from __future__ import annotations

from django.db import models


class Snapshot(models.Model):
    key = models.CharField(max_length=60, unique=True)
    data_version = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    payload = models.JSONField(default=dict)
    refresh_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} @ {self.data_version}"

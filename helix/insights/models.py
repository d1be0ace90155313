"""Pre-aggregated results of analyses too slow for a request at scale (the network's brokers).

Not domain data: a snapshot is a cache that survives restarts and is shared by processes. It
records the registry data version it was computed from, so a page can tell fresh from stale.
"""

from __future__ import annotations

from django.db import models


class Snapshot(models.Model):
    key = models.CharField(max_length=60, unique=True)
    data_version = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} @ {self.data_version}"

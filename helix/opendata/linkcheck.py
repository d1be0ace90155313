"""Background checks of the access and download URLs of distributions.

HEAD first, GET (headers only, body not read) when HEAD is refused; every request goes
through the address guard of helix.opendata.fetch; requests to the same host are spaced by
HELIX_LINKCHECK_HOST_INTERVAL seconds. Status 0 means unreachable or refused by the guard.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from helix.core.history import Channel, history_context

from .fetch import FetchError, fetch
from .models import Distribution

UNREACHABLE = 0


class HostPacer:
    """Waits so that two requests to one host are at least `interval` seconds apart."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.last: dict[str, float] = {}

    def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        now = time.monotonic()
        ready = self.last.get(host, 0.0) + self.interval
        if ready > now:
            time.sleep(ready - now)
        self.last[host] = time.monotonic()


def check_url(url: str, pacer: HostPacer) -> int:
    if not url:
        return UNREACHABLE
    timeout = float(getattr(settings, "HELIX_LINKCHECK_TIMEOUT", 15))
    try:
        pacer.wait(url)
        status = fetch(url, method="HEAD", timeout=timeout, read_body=False).status
        if status in (403, 405, 501) or status >= 500:
            pacer.wait(url)
            status = fetch(url, method="GET", timeout=timeout, read_body=False).status
        return status
    except FetchError:
        return UNREACHABLE


def check_links(dataset_ids: Iterable[int]) -> int:
    """Check the distributions of these datasets, then score them again (the accessibility
    indicators depend on the answers); returns how many distributions were checked."""
    ids = list(dataset_ids)
    pacer = HostPacer(float(getattr(settings, "HELIX_LINKCHECK_HOST_INTERVAL", 1.0)))
    checked = 0
    with history_context(channel=Channel.IMPORT, link_check=True):
        for dist in Distribution.objects.filter(dataset_id__in=ids).order_by("pk"):
            access = check_url(dist.access_url, pacer) if dist.access_url else None
            download = check_url(dist.download_urls[0], pacer) if dist.download_urls else None
            Distribution.objects.filter(pk=dist.pk).update(
                access_url_status=access, download_url_status=download, link_checked_at=timezone.now()
            )
            checked += 1
    from .scoring import score_datasets

    score_datasets(ids)
    return checked


def queue_link_checks(dataset_ids: list[int]) -> None:
    """Queue a background link check unless HELIX_LINKCHECK_ENABLED is false."""
    if not dataset_ids or not getattr(settings, "HELIX_LINKCHECK_ENABLED", True):
        return
    from .tasks import check_links_task

    for start in range(0, len(dataset_ids), 500):
        check_links_task.enqueue(dataset_ids[start : start + 500])

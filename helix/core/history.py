"""History context: every write says who made it, through which channel and in which batch.

pghistory's triggers record every row change in the database (bulk updates and imports too).
Each entry point wraps its work in `history_context(...)` so the change log can answer
who / when / what / channel / batch. Channels: web, admin, api, import, command.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pghistory
import pgtrigger
from django.http import HttpRequest, HttpResponse


class Channel:
    WEB = "web"
    ADMIN = "admin"
    API = "api"
    IMPORT = "import"
    COMMAND = "command"


@contextmanager
def history_context(*, channel: str, user: Any = None, batch: str | None = None, **extra: Any) -> Iterator[str]:
    """Group the writes inside under one context; yields the batch id."""
    batch_id = batch or str(uuid.uuid4())
    meta: dict[str, Any] = {"channel": channel, "batch": batch_id, **extra}
    if user is not None and getattr(user, "is_authenticated", False):
        meta["user"] = user.pk
        meta["username"] = user.get_username()
    with pghistory.context(**meta):
        yield batch_id


class HistoryContextMiddleware:
    """Attach user, channel and request id to every write made while serving a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        path = request.path
        channel = Channel.API if path.startswith("/api/") else Channel.ADMIN if path.startswith("/admin/") else Channel.WEB
        request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        with history_context(channel=channel, user=getattr(request, "user", None), request_id=request_id, url=path):
            # The user may only be known after authentication inside the view (API tokens);
            # DRF views add it to the context themselves (helix.api.views).
            return self.get_response(request)


def track_record() -> Any:
    """pghistory tracking for a registry's records (organisations, instruments, projects, ...):
    a snapshot of every insert and update, the search vector left out.

    The insert trigger is statement-level (one call per statement, the new rows read from its
    transition table): an import copies thousands of records in one COPY, and a row-level
    trigger (pghistory's context look-up per row) cost ~100 µs a row, two thirds of that COPY.
    Updates stay row-level: their snapshot is taken only when a tracked field changed.
    """
    return pghistory.track(
        pghistory.InsertEvent(level=pgtrigger.Statement),
        pghistory.UpdateEvent(),
        exclude=["search_vector"],
    )

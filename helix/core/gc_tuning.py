"""Short garbage collections in long-running server processes.

A Django process holds a few hundred thousand long-lived objects (modules, classes, URL
patterns, templates, translation catalogues, caches built by the first requests). Python's
full (generation 2) collection walks all of them: about 150 ms on the benchmark machine, every
dozen list requests or so, which showed as the p95 of otherwise ~30 ms pages. `gc.freeze()`
moves the objects alive at that moment to a permanent generation that collections skip
(the technique Instagram described for its Django servers; Python's docs recommend it for
forking servers too).

The freeze happens when the process has warmed up: after its first request (which loads what
Django loads lazily) and again after `FREEZE_AGAIN` requests (caches filled by the first few).
A full collection runs just before each freeze, so no garbage is frozen. Setting
`HELIX_GC_FREEZE=false` turns it off; the test suite does (a test process is no server, and
frozen objects that die later are never collected: a thread's database connection among them
would stay open and keep the test database from being dropped).
"""

from __future__ import annotations

import gc
import threading
from typing import Any

from django.conf import settings
from django.db import connections

FREEZE_AFTER = (1, 50)
"""Freeze after the first request and again after the 50th."""

_lock = threading.Lock()
_requests = 0


def freeze_when_warm(**_kwargs: Any) -> None:
    """`request_finished` receiver: collect and freeze after the FREEZE_AFTER-th requests."""
    global _requests
    if not getattr(settings, "HELIX_GC_FREEZE", True):
        return
    with _lock:
        _requests += 1
        count = _requests
    if count in FREEZE_AFTER:
        # This thread's database connections would be frozen with everything else and, once
        # the thread ends, never collected: close them first (the next request reconnects).
        connections.close_all()
        gc.collect()
        gc.freeze()

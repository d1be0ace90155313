"""Server processes freeze their warmed-up objects out of full garbage collections."""

from __future__ import annotations

import gc

from django.core.signals import request_finished

from helix.core import gc_tuning


def test_freeze_after_the_first_request_and_the_fiftieth(monkeypatch, settings):
    settings.HELIX_GC_FREEZE = True  # off for the rest of the suite (conftest.py)
    monkeypatch.setattr(gc_tuning, "_requests", 0)
    gc.unfreeze()
    try:
        gc_tuning.freeze_when_warm()
        after_first = gc.get_freeze_count()
        assert after_first > 0
        for _ in range(48):
            gc_tuning.freeze_when_warm()
        assert gc.get_freeze_count() == after_first  # requests 2-49 freeze nothing
        kept = [[] for _ in range(1000)]  # alive at the 50th request (and tracked): frozen then
        gc_tuning.freeze_when_warm()
        assert gc.get_freeze_count() >= after_first + len(kept)
    finally:
        gc.unfreeze()


def test_the_receiver_is_connected_to_request_finished():
    receivers = [r() if callable(r) else r for _key, r, *_ in request_finished.receivers]
    assert gc_tuning.freeze_when_warm in receivers


def test_off_when_the_setting_says_so(monkeypatch, settings):
    settings.HELIX_GC_FREEZE = False
    monkeypatch.setattr(gc_tuning, "_requests", 0)
    gc.unfreeze()
    gc_tuning.freeze_when_warm()
    assert gc.get_freeze_count() == 0

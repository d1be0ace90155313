"""Loaders of Helix's data: reference data (Statbel municipalities, taxonomies) and the 2020 study.

Both are idempotent: a second run writes nothing, so pghistory records no event. Each run is one
transaction inside one history context (channel `command`, one batch id). Curator edits are kept:
see `helix.core.loaders.base`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from helix.core.history import Channel, history_context

from .base import Loader, LoadStats
from .reference import apply_size_classes, load_taxonomies, load_territory
from .study import MissingReferenceData, StudyLoader


class _DryRun(Exception):
    pass


def _run(command: str, work: Callable[[Loader], None], *, dry_run: bool) -> LoadStats:
    loader = Loader()
    try:
        with history_context(channel=Channel.COMMAND, command=command) as batch, transaction.atomic():
            loader.stats.batch = batch
            work(loader)
            if dry_run:
                raise _DryRun
    except _DryRun:
        loader.stats.dry_run = True
    return loader.stats


def load_reference(*, dry_run: bool = False, seed: Path | None = None) -> LoadStats:
    """Regions, provinces, municipalities and every taxonomy scheme."""

    def work(loader: Loader) -> None:
        load_taxonomies(loader, seed)
        load_territory(loader, seed)

    return _run("load_reference", work, dry_run=dry_run)


def load_study(*, dry_run: bool = False, seed: Path | None = None) -> LoadStats:
    """The study's organisations, memberships, instruments and figures (needs load_reference)."""
    return _run("load_study", lambda loader: StudyLoader(loader, seed).run(), dry_run=dry_run)


def set_size_classes(*, dry_run: bool = False) -> LoadStats:
    """Derive every municipality's size class from its population (curator edits are kept)."""
    return _run("set_size_classes", apply_size_classes, dry_run=dry_run)


__all__ = ["LoadStats", "MissingReferenceData", "load_reference", "load_study", "set_size_classes"]

"""Harvest one source: fetch every page through the address guard, parse, and write what
changed, inside one history context whose batch is the run's batch.

- A record whose content hash (its normalised triples) is unchanged is not written at all:
  re-harvesting an unchanged source writes no history rows.
- Datasets missing from the source are removed only after a complete run without errors.
- Any failure is caught and written to the run's report; one broken source fails alone.
See docs/opendata-harvesting.md.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from helix.core.history import Channel, history_context

from . import harvest_parse as parse
from . import normalise
from .fetch import FetchError, fetch
from .harvest_publishers import PublisherMatcher
from .models import Dataset, Distribution, HarvestPage, HarvestRun, HarvestSource, PublisherMatch, RunStatus

logger = logging.getLogger(__name__)

ACCEPT = "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, application/json;q=0.5, */*;q=0.1"
COUNTERS = ("pages_done", "seen", "created", "updated", "unchanged", "removed", "errors")
MAX_REPORT = 200


class RunState:
    """Counters and report of a run in progress, written to the run row after every page."""

    def __init__(self, run: HarvestRun) -> None:
        self.run = run
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.report: list[str] = []
        self.seen_ids: set[int] = set()
        self.seen_uris: set[str] = set()
        self.changed_ids: list[int] = []
        self.complete = True

    def note(self, message: str) -> None:
        if len(self.report) < MAX_REPORT:
            self.report.append(message)
        elif len(self.report) == MAX_REPORT:
            self.report.append(_("More messages were left out."))

    def error(self, message: str) -> None:
        self.counts["errors"] += 1
        self.note(message)

    def save(self, **extra: Any) -> None:
        HarvestRun.objects.filter(pk=self.run.pk).update(report=self.report, **self.counts, **extra)


def _context_fetcher(state: RunState) -> Any:
    cache: dict[str, bytes] = {}

    def fetch_context(url: str) -> bytes:
        if url not in cache:
            if len(cache) >= 10:
                raise parse.ParseError(_("Too many remote JSON-LD contexts."))
            response = fetch(url, accept="application/ld+json, application/json", limit=1024 * 1024)
            if response.status >= 400:
                raise parse.ParseError(
                    _("JSON-LD context %(url)s answered %(status)s.") % {"url": url, "status": response.status}
                )
            cache[url] = response.body
        return cache[url]

    return fetch_context


def _write_distributions(dataset_id: int, records: list[parse.DistributionRecord], *, replace: bool) -> None:
    existing: dict[str, Distribution] = {}
    if replace:
        for dist in Distribution.objects.filter(dataset_id=dataset_id):
            key = dist.uri or dist.access_url or (dist.download_urls[0] if dist.download_urls else "") or dist.title
            if key in existing:
                dist.delete()
            else:
                existing[key] = dist
    new = []
    kept: set[int] = set()
    for record in records:
        values = record.values()
        current = existing.get(record.key())
        if current is None or current.pk in kept:
            new.append(Distribution(dataset_id=dataset_id, **values))
            continue
        kept.add(current.pk)
        changed = {k: v for k, v in values.items() if getattr(current, k) != v}
        if changed:
            if "access_url" in changed or "download_urls" in changed:
                changed.update(access_url_status=None, download_url_status=None, link_checked_at=None)
            Distribution.objects.filter(pk=current.pk).update(**changed)
    if new:
        Distribution.objects.bulk_create(new)
    stale = [d.pk for d in existing.values() if d.pk not in kept]
    if stale:
        Distribution.objects.filter(pk__in=stale).delete()


def _apply_page(state: RunState, source: HarvestSource, records: list[parse.DatasetRecord], matcher: PublisherMatcher) -> None:
    existing = {
        uri: (pk, content_hash)
        for pk, uri, content_hash in Dataset.objects.filter(source=source, uri__in=[r.uri for r in records]).values_list(
            "pk", "uri", "content_hash"
        )
    }
    now = timezone.now()
    to_create: list[tuple[Dataset, parse.DatasetRecord]] = []
    for record in records:
        found = existing.get(record.uri)
        if found is not None and found[1] == record.content_hash:
            state.counts["unchanged"] += 1
            state.seen_ids.add(found[0])
            continue
        match = matcher.match(record.fields["publisher_uri"], record.fields["publisher_name"], record.publisher_identifiers)
        values = {
            **record.fields,
            "rdf": record.rdf,
            "content_hash": record.content_hash,
            "harvested_at": now,
            "organisation_id": match.organisation_id,
            "publisher_match": match.status,
        }
        if found is None:
            to_create.append((Dataset(source=source, uri=record.uri, **values), record))
            continue
        Dataset.objects.filter(pk=found[0]).update(**values)
        _write_distributions(found[0], record.distributions, replace=True)
        state.counts["updated"] += 1
        state.seen_ids.add(found[0])
        state.changed_ids.append(found[0])
    if to_create:
        created = Dataset.objects.bulk_create([d for d, _r in to_create])
        Distribution.objects.bulk_create(
            [
                Distribution(dataset_id=d.pk, **dist.values())
                for d, (_d, r) in zip(created, to_create, strict=True)
                for dist in r.distributions
            ]
        )
        for dataset in created:
            state.seen_ids.add(dataset.pk)
            state.changed_ids.append(dataset.pk)
        state.counts["created"] += len(created)


def _skip_unchanged_page(
    state: RunState, source: HarvestSource, page: HarvestPage | None, body_hash: str, max_items: int
) -> bool:
    """When the page is byte for byte what the last clean reading saw and all its datasets are
    still there, count them unchanged without parsing; False when the page must be read."""
    if page is None or page.body_hash != body_hash:
        return False
    uris = [uri for uri in page.dataset_uris if uri not in state.seen_uris]
    if state.counts["seen"] + len(uris) > max_items:
        return False
    ids = dict(Dataset.objects.filter(source=source, uri__in=uris).values_list("uri", "pk"))
    if len(ids) != len(uris):
        return False
    state.counts["seen"] += len(uris)
    state.counts["unchanged"] += len(uris)
    state.seen_uris.update(uris)
    state.seen_ids.update(ids.values())
    return True


def _harvest_pages(state: RunState, source: HarvestSource) -> None:
    max_items = parse.limit("HELIX_HARVEST_MAX_ITEMS", 10000)
    max_pages = parse.limit("HELIX_HARVEST_MAX_PAGES", 1000)
    matcher: PublisherMatcher | None = None
    fetch_context = _context_fetcher(state)
    known_pages = {page.url: page for page in HarvestPage.objects.filter(source=source)}
    url: str | None = source.url
    visited: set[str] = set()
    while url:
        if url in visited:
            state.note(_("Page %(url)s was already read; paging stopped.") % {"url": url})
            break
        if len(visited) >= max_pages:
            state.complete = False
            state.note(_("Stopped after %(n)s pages (limit).") % {"n": max_pages})
            break
        visited.add(url)
        response = fetch(url, accept=ACCEPT)
        if response.status >= 400:
            raise FetchError(_("%(url)s answered with HTTP status %(status)s.") % {"url": url, "status": response.status})
        fmt = parse.detect_format(source.format, response.content_type, response.url, response.body)
        body_hash = hashlib.sha256(f"{normalise.NORMALISER_VERSION}\n{fmt}\n".encode() + response.body).hexdigest()
        known = known_pages.get(url)
        if _skip_unchanged_page(state, source, known, body_hash, max_items):
            state.counts["pages_done"] += 1
            state.save()
            url = (known.next_url or None) if known is not None else None
            continue
        graph = parse.parse_document(response.body, fmt, response.url, fetch_context=fetch_context)
        del response
        records: list[parse.DatasetRecord] = []
        clean = True  # every dataset of the page read without error and within the limit
        limit_reached = False
        for node in parse.dataset_nodes(graph):
            if str(node) in state.seen_uris:
                continue
            if state.counts["seen"] >= max_items:
                state.complete = False
                state.note(_("Stopped at %(n)s datasets (limit per source).") % {"n": max_items})
                clean = False
                limit_reached = True
                break
            state.counts["seen"] += 1
            state.seen_uris.add(str(node))
            try:
                record = parse.extract_dataset(graph, node)
            except Exception as exc:
                state.error(_("Dataset %(uri)s skipped: %(error)s") % {"uri": str(node)[:300], "error": exc})
                clean = False
                continue
            for warning in record.warnings:
                state.note(f"{record.uri}: {warning}")
            records.append(record)
        next_url = None if limit_reached else parse.next_page(graph, url)
        del graph
        if matcher is None:
            matcher = PublisherMatcher()
        with transaction.atomic():
            _apply_page(state, source, records, matcher)
            if clean:
                HarvestPage.objects.update_or_create(
                    source=source,
                    url=url,
                    defaults={"body_hash": body_hash, "next_url": next_url or "", "dataset_uris": [r.uri for r in records]},
                )
            else:
                HarvestPage.objects.filter(source=source, url=url).delete()
        state.counts["pages_done"] += 1
        state.save()
        url = next_url


def _remove_missing(state: RunState, source: HarvestSource) -> None:
    stale = [pk for pk in Dataset.objects.filter(source=source).values_list("pk", flat=True) if pk not in state.seen_ids]
    for start in range(0, len(stale), 1000):
        chunk = stale[start : start + 1000]
        with transaction.atomic():
            Dataset.objects.filter(pk__in=chunk).delete()
        state.counts["removed"] += len(chunk)


def run_harvest(run_id: int) -> HarvestRun:
    """Carry out a queued run (in the worker, or inline with --sync / the immediate backend)."""
    run = HarvestRun.objects.select_related("source").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run
    source = run.source
    if run.batch is None:
        run.batch = uuid.uuid4()
    HarvestRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(), batch=run.batch)
    state = RunState(run)
    with override("nl"), history_context(channel=Channel.IMPORT, batch=str(run.batch), harvest_run=run.pk, source=source.pk):
        try:
            _harvest_pages(state, source)
            if state.complete and state.counts["errors"] == 0:
                _remove_missing(state, source)
            elif state.counts["pages_done"]:
                state.note(_("Not every record was read without errors: nothing was removed."))
            status = RunStatus.SUCCEEDED if state.complete and state.counts["errors"] == 0 else RunStatus.PARTIAL
        except (FetchError, parse.ParseError) as exc:
            state.error(str(exc))
            status = RunStatus.PARTIAL if state.counts["pages_done"] else RunStatus.FAILED
        except Exception as exc:  # one broken source fails alone, with a readable report
            logger.exception("Harvest of source %s failed", source.pk)
            state.error(_("Unexpected error: %(error)s") % {"error": exc.__class__.__name__})
            status = RunStatus.PARTIAL if state.counts["pages_done"] else RunStatus.FAILED
        if status == RunStatus.PARTIAL and not state.complete:
            state.note(_("The run was not complete: nothing was removed."))
        state.save(status=status, finished_at=timezone.now())
        HarvestSource.objects.filter(pk=source.pk).update(last_run=run)
        _after_run(state, source)
    run.refresh_from_db()
    return run


def _after_run(state: RunState, source: HarvestSource) -> None:
    """Score what changed (and what was never scored), then queue link checks."""
    score = getattr(settings, "HELIX_HARVEST_SCORE_AFTER_RUN", True)
    ids: set[int] = set()
    if score:
        ids = set(state.changed_ids)
        ids |= set(Dataset.objects.filter(source=source, scored_at__isnull=True).values_list("pk", flat=True))
    if ids:
        try:
            from helix.opendata.scoring import score_datasets  # written by the quality checks

            score_datasets(sorted(ids))
        except ImportError:
            pass
        except Exception as exc:
            logger.exception("Scoring after run %s failed", state.run.pk)
            state.note(_("Scoring failed: %(error)s") % {"error": exc.__class__.__name__})
            state.save()
    if state.changed_ids:
        from .linkcheck import queue_link_checks

        queue_link_checks(state.changed_ids)


def counts_text(run: HarvestRun) -> dict[str, int]:
    return {name: getattr(run, name) for name in COUNTERS}


__all__ = ["PublisherMatch", "run_harvest"]

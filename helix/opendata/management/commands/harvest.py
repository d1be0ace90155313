"""Harvest DCAT-AP sources: queue runs for the worker, or run them here with --sync."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.core.history import Channel, history_context
from helix.opendata.harvest import run_harvest
from helix.opendata.harvest_services import start_run
from helix.opendata.models import HarvestSource


class Command(BaseCommand):
    help = (
        "Harvest DCAT-AP catalogues registered as harvest sources. Without --sync the runs are "
        "queued for the background worker (`manage.py db_worker`); with --sync they run here, one "
        "after the other, and the command prints each run's counts and report. Exit status 1 when "
        "a run failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--source", type=int, action="append", metavar="ID", help="the id of a source (repeatable)")
        target.add_argument("--all", action="store_true", help="every enabled source")
        parser.add_argument("--sync", action="store_true", help="run here and wait instead of queueing for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            sources = list(HarvestSource.objects.filter(enabled=True).order_by("pk"))
        else:
            sources = list(HarvestSource.objects.filter(pk__in=options["source"]).order_by("pk"))
            missing = set(options["source"]) - {s.pk for s in sources}
            if missing:
                raise CommandError(f"No harvest source with id {', '.join(map(str, sorted(missing)))}.")
        failed = False
        for source in sources:
            with history_context(channel=Channel.COMMAND):
                run = start_run(source, enqueue=not options["sync"])
            if not options["sync"]:
                self.stdout.write(f"{source.pk} {source.title}: run {run.pk} queued ({run.status})")
                continue
            run = run_harvest(run.pk)
            self.stdout.write(
                f"{source.pk} {source.title}: {run.status} — pages {run.pages_done}, seen {run.seen}, "
                f"new {run.created}, changed {run.updated}, unchanged {run.unchanged}, removed {run.removed}, "
                f"errors {run.errors}"
            )
            for line in run.report:
                self.stdout.write(f"  {line}")
            failed = failed or run.status == "failed"
        if failed:
            raise CommandError("At least one harvest failed.")

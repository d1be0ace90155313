"""Store the periodic funding overview of every target group (idempotent per period).

    python manage.py make_overviews [--date 2026-12-01] [--period monthly|weekly] [--group small ...]

Run it from cron on the first day of each month (see docs/follow.md).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from helix.core.history import Channel, history_context
from helix.follow.choices import OverviewPeriod, TargetGroup
from helix.follow.services import generate_overviews


class Command(BaseCommand):
    help = "Store the funding overview of each target group for the period containing --date (default: today)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="day the overview is made for (YYYY-MM-DD); default today")
        parser.add_argument(
            "--period",
            choices=OverviewPeriod.values,
            default=getattr(settings, "HELIX_OVERVIEW_PERIOD", OverviewPeriod.MONTHLY),
            help="length of a period (default: HELIX_OVERVIEW_PERIOD, monthly)",
        )
        parser.add_argument("--group", action="append", choices=TargetGroup.values, help="only this target group (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        with history_context(channel=Channel.COMMAND, command="make_overviews"):
            outcomes = generate_overviews(day=day, period=options["period"], groups=options["group"])
        for outcome in outcomes:
            o = outcome.overview
            count = len(o.snapshot.get("instruments", []))
            verb = "created" if outcome.created else "exists, unchanged"
            self.stdout.write(f"{outcome.group}: {o.period_start} to {o.period_end} {verb} ({count} instruments)")

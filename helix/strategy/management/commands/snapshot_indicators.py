"""python manage.py snapshot_indicators [--date YYYY-MM-DD] — record the computed indicators.

Creates the computed indicators that are missing (helix.strategy.indicators.COMPUTATIONS) and
records each one's current value as a measurement of the day. Idempotent per date: a second
run the same day changes nothing unless the value changed. Run it daily or before a
steering-group report. History: channel "command".
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.core.history import Channel, history_context
from helix.strategy.services import snapshot_indicators


class Command(BaseCommand):
    help = "Record today's value of every computed indicator of the strategy monitor (idempotent per date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The date of the measurements (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("date"):
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("--date must be YYYY-MM-DD") from error
        with history_context(channel=Channel.COMMAND):
            outcome = snapshot_indicators(on=day)
        for slug, result in outcome.items():
            self.stdout.write(f"{slug} {result}")

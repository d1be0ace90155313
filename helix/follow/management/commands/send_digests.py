"""Send the e-mail digests of saved searches (one e-mail per user; never twice per period).

    python manage.py send_digests [--frequency daily|weekly] [--dry-run]

Run it from cron, e.g. every morning (see docs/follow.md); weekly digests go out once per ISO week.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helix.core.history import Channel, history_context
from helix.follow.choices import DigestFrequency
from helix.follow.digests import send_digests


class Command(BaseCommand):
    help = "Send what is new or changed in saved searches by e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--frequency",
            choices=[DigestFrequency.DAILY.value, DigestFrequency.WEEKLY.value],
            help="only digests of this frequency (default: both)",
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would be sent; send and record nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        with history_context(channel=Channel.COMMAND, command="send_digests"):
            report = send_digests(frequency=options["frequency"], dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        verb = "would be sent" if report.dry_run else "sent"
        self.stdout.write(f"{len(report.sent)} digests {verb}, {len(report.skipped)} skipped.")

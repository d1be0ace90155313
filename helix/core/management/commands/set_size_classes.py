from __future__ import annotations

import textwrap
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helix.core.loaders import set_size_classes
from helix.core.loaders.reference import LARGE_FROM, SMALL_BELOW


def _paragraphs(text: str) -> str:
    """Wrap each paragraph of the help text for an 88-column terminal."""
    return "\n\n".join(textwrap.fill(p, 88) for p in text.split("\n\n"))


class Command(BaseCommand):
    # Data commands: independent of URL/template checks (like `migrate`).
    requires_system_checks: list[str] = []
    help = _paragraphs(
        "Derive the size class of every Statbel municipality from its population: centrumsteden are large; "
        f"otherwise small below {SMALL_BELOW:,} inhabitants, medium below {LARGE_FROM:,}, large from "
        f"{LARGE_FROM:,}; empty when the population is unknown. Run it after entering populations. "
        "A size class a curator set by hand is never overwritten. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="show what would change, then roll everything back")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = set_size_classes(dry_run=options["dry_run"])
        for line in stats.lines():
            self.stdout.write(line)
        done = "Dry run, rolled back" if stats.dry_run else "Size classes set"
        self.stdout.write(self.style.SUCCESS(f"{done}: {stats.changed} municipalities updated."))

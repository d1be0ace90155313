from __future__ import annotations

import textwrap
from argparse import RawDescriptionHelpFormatter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.core.loaders import MissingReferenceData, load_study
from helix.core.loaders.seed import STUDY_DATE


def _paragraphs(text: str) -> str:
    """Wrap each paragraph of the help text for an 88-column terminal."""
    return "\n\n".join(textwrap.fill(p, 88) for p in text.split("\n\n"))


class Command(BaseCommand):
    # Data commands: independent of URL/template checks (like `migrate`).
    requires_system_checks: list[str] = []
    help = _paragraphs(
        "Load the facts of the 2020 smart-city landscape study (KPMG for VLAIO) from data/seed/ in this "
        "repository. Requires `python manage.py load_reference` first (it stops with a clear message "
        "otherwise). Safe to run again: a second run changes nothing.\n\n"
        "What it loads: every organisation the study names (data/seed/organisations.yaml; the study's "
        "municipalities are merged into the Statbel municipality records, sub-municipalities such as "
        "Zwijnaarde stay separate), the memberships between them (memberships.yaml), the funding and "
        "support instruments with their parent tree ERDF > Flemish ERDF programme > priority axis > call "
        "(instruments.yaml), the study's figures (figures.yaml), its projects with partners, places, funding "
        "and links (projects.yaml) and the 18 recommendations with clusters, government roles and "
        "organisational options (recommendations.yaml). Every record gets the study section as "
        f"its source and last_verified = {STUDY_DATE.isoformat()} (the study's cover date, July 2020). "
        "\n\n"
        "Curator edits are kept: a field last changed through the web, admin, API or an import is never "
        "overwritten. Everything runs in one transaction and is recorded in the history with channel "
        "'command'. Prints created / updated / unchanged counts per kind of record."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="show what would change, then roll everything back")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            stats = load_study(dry_run=options["dry_run"])
        except MissingReferenceData as exc:
            raise CommandError(str(exc)) from exc
        for line in stats.lines():
            self.stdout.write(line)
        done = "Dry run, rolled back" if stats.dry_run else "Study data loaded"
        self.stdout.write(self.style.SUCCESS(f"{done}: {stats.changed} records created or updated (batch {stats.batch})."))

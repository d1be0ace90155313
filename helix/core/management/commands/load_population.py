"""python manage.py load_population PATH [--dry-run] [--format json] [--year YYYY] [--user U]

Statbel's population per municipality → `population` and the derived `municipality_size`.
A refused file or any row error writes nothing and exits non-zero.
"""

from __future__ import annotations

import argparse
import datetime
import json
import textwrap
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from helix.core.importing import ImportRefused
from helix.core.importing.command import ImportCommand
from helix.core.loaders.population import PopulationReport, load_population
from helix.core.loaders.reference import LARGE_FROM, SMALL_BELOW

FIRST_YEAR = 1990


def _paragraphs(text: str) -> str:
    """Wrap each paragraph of the help text for an 88-column terminal (indented lines stay)."""
    return "\n\n".join(p if p.startswith("  ") else textwrap.fill(p, 88) for p in text.split("\n\n"))


def _year(value: str) -> int:
    last = datetime.date.today().year + 1
    if not value.isdigit() or not FIRST_YEAR <= int(value) <= last:
        raise argparse.ArgumentTypeError(f"a year from {FIRST_YEAR} to {last}, e.g. 2025")
    return int(value)


class Command(ImportCommand):
    # Data commands: independent of URL/template checks (like `migrate`).
    requires_system_checks: list[str] = []
    help = "Load the population of every municipality from Statbel's open-data file and derive the size classes."
    description = _paragraphs(
        "Load the population of every Belgian municipality from Statbel's open data and derive each "
        "municipality's size class from it.\n\n"
        "Where to get the file: on Statbel's website (statbel.fgov.be), Open data, the dataset "
        "'Bevolking naar woonplaats, nationaliteit, burgerlijke staat, leeftijd en geslacht' (French: "
        "'Population par lieu de résidence, nationalité, état civil, âge et sexe'; it gives the population "
        "per municipality). Download the year you want, e.g. TF_SOC_POP_STRUCT_2025.zip: the population "
        "on 1 January 2025. Give the .zip as downloaded, the .txt inside it, or the .xlsx version. Statbel's "
        "open data may be reused with attribution (compatible with CC BY 4.0). Use a file of 2025 or later: "
        "older files use the municipalities from before the 2025 mergers.\n\n"
        "Also accepted: a .csv file whose first line is the header refnis,population and that has one "
        "line per municipality (5-digit REFNIS code, whole number), for figures from elsewhere.\n\n"
        "What it does: it checks the whole file first (type, size, every row's REFNIS code and number) "
        "and writes nothing when anything is wrong. Then, in one transaction, every municipality in the "
        "file gets its population (the sum of its rows) and a size class derived from it: centrumsteden "
        f"are large; otherwise small below {SMALL_BELOW:,} inhabitants, medium below {LARGE_FROM:,}, large "
        f"from {LARGE_FROM:,}. A size class a curator set by hand is kept. The changes are recorded in the "
        "history (channel 'command', one batch id). REFNIS codes Helix does not know are reported with "
        "their rows and skipped; municipalities missing from the file are listed and left as they are. "
        "Safe to run again: a second run with the same file changes nothing. Needs the municipalities: "
        "run load_reference first."
    )
    epilog = (
        "examples:\n"
        "  python manage.py load_population ~/Downloads/TF_SOC_POP_STRUCT_2025.zip --dry-run\n"
        "  python manage.py load_population ~/Downloads/TF_SOC_POP_STRUCT_2025.zip\n"
        "  python manage.py load_population populations.csv --year 2025 --format json\n\n"
        "Layout and limits: docs/import-formats.md, 'Population per municipality (Statbel)'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            help="Statbel's TF_SOC_POP_STRUCT_<year> file (.zip, .txt or .xlsx) or a refnis,population .csv file.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show the changes; write nothing.")
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="How to print the report: readable text (default) or JSON for scripts.",
        )
        parser.add_argument(
            "--year",
            type=_year,
            metavar="YYYY",
            help="The year of the figures (population on 1 January), recorded with them. Default: the file's "
            "CD_YEAR column or the year in its name (TF_SOC_POP_STRUCT_2025); refused when the file's "
            "CD_YEAR says another year.",
        )
        parser.add_argument("--user", help="Username recorded in the history as the one who loaded the file.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options.get("user"))
        as_json = options["format"] == "json"
        dry_run = bool(options["dry_run"])
        path = Path(options["path"])
        try:
            report = load_population(path, year=options.get("year"), dry_run=dry_run, user=user)
        except ImportRefused as error:
            if as_json:
                data = {"file": path.name, "errors": [{"row": None, "column": None, "message": str(error)}]}
                self.stdout.write(json.dumps({**data, "committed": False, "batch": None, "refused": True}, indent=2))
            raise CommandError(f"Refused: {error}") from None
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self._summary(report, verbosity=int(options.get("verbosity", 1)))
        if report.file.error_count:
            raise CommandError(f"{report.file.error_count} error(s); nothing was changed.")

    def _summary(self, report: PopulationReport, *, verbosity: int) -> None:
        f = report.file
        layout = "Statbel layout" if f.layout == "statbel" else "refnis,population layout"
        year = f", population on 1 January {f.year}" if f.year and f.layout == "statbel" else f", year {f.year}" if f.year else ""
        self.stdout.write(f"File {f.name}: {layout}{year}; {f.rows:,} rows, {len(f.totals)} municipalities.")
        if verbosity >= 1:
            for c in report.changes:
                old = "-" if c.old_population is None else f"{c.old_population:,}"
                size = f"{c.old_size or '-'} -> {c.new_size or '-'}" if c.old_size != c.new_size else f"{c.new_size or '-'}"
                kept = " (set by hand, kept)" if c.size_kept else ""
                self.stdout.write(f"  {c.name} ({c.refnis}): population {old} -> {c.new_population:,}; size class {size}{kept}")
            for c in report.kept:
                self.stdout.write(f"  {c.name} ({c.refnis}): size class {c.old_size} set by hand, kept")
        for u in report.unknown:
            rows = f"row {u.first_row}" if u.rows == 1 else f"rows {u.first_row}-{u.last_row}, {u.rows} rows"
            named = f" {u.name!r}" if u.name else ""
            self.stdout.write(f"  warning: REFNIS {u.refnis}{named} ({rows}) is not a municipality in Helix; skipped.")
        if report.unknown:
            self.stdout.write("  (Files from before 2025 use the municipalities from before the 2025 mergers.)")
        if report.not_in_file and verbosity >= 1:
            listed = ", ".join(f"{name} ({refnis})" for refnis, name in report.not_in_file[:20])
            more = f" and {len(report.not_in_file) - 20} more" if len(report.not_in_file) > 20 else ""
            self.stdout.write(f"  not in the file (left as they are): {listed}{more}")
        for warning in f.warnings:
            self.stdout.write(f"  warning: {warning}")
        for error in f.errors:
            self.stderr.write(f"  error: {error}")
        if f.error_count > len(f.errors):
            self.stderr.write(f"  ... and {f.error_count - len(f.errors)} more errors")
        verb = "would be updated" if report.dry_run or f.error_count else "updated"
        self.stdout.write(
            f"{len(report.changes)} {verb}, {report.unchanged} unchanged, {len(report.unknown)} unknown REFNIS, "
            f"{len(report.not_in_file)} not in the file, {f.error_count} errors."
        )
        if report.batch:
            self.stdout.write(f"History batch: {report.batch}")

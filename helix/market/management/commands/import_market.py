"""python manage.py import_market PATH [--dry-run] [--format json] — bulk load challenges and solutions.

`--undo BATCH` reverts an earlier import_market run instead (helix.market.importers.undo_market_import).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from helix.core.importing import CommitFailed, ImportPlan, ImportRefused, RevertRefused, Status
from helix.core.importing.command import ImportCommand
from helix.market.importers import commit_market_import, plan_market_import, undo_market_import

DESCRIPTION = """\
Load marketplace challenges and solutions from a file, for example after a reverse-pitching
event. Every row is checked first; if any row has an error, nothing is written. Otherwise all
rows are written in one transaction, recorded in the history as one batch (channel "import").

The file is an Excel workbook (.xlsx) with a sheet "challenges" and/or a sheet "solutions", or a
JSON file {"challenges": [{...}, ...], "solutions": [{...}, ...]}. The first row of a sheet (or
the keys of a JSON object) name the columns:

  challenges: title and lead_owner are required for a new challenge; optional: slug, title_nl,
              description_nl, description_en, co_owners, format, status (draft, open, closed,
              awarded; default draft), domains, sdgs, roles_needed, phase_sought, budget_min,
              budget_max, deadline, source, last_verified
  solutions:  title and organisation are required for a new solution; optional: slug, title_nl,
              description_nl, description_en, domains, sdgs, value_chain_roles, maturity,
              references (municipalities), open_standards, pricing_model, website, source,
              last_verified

Organisations (lead_owner, co_owners, organisation, references) are given by their Helix
identifier (e.g. gemeente-gent-44021), their Belgian enterprise number or their exact name.
Lists (co_owners, domains, references, ...) are separated by ";" (or are JSON lists). Taxonomy
values are codes or labels (e.g. smart-mobility). A row with a slug that exists, or with the
title of an existing record of the same owner, updates that record; an empty cell changes
nothing. The full description is in docs/import-formats.md, section "Marketplace".

A committed run prints its history batch id. `--undo BATCH` reverts that run in one transaction
(itself recorded as a batch, channel "import"): the challenges, solutions and owners it created
are deleted (archived when something else, such as a response, now refers to them), and the
records it updated get back their earlier values, lists and owners. The undo is refused, and
changes nothing, when one of those records was changed after the import or was already undone.
"""

EPILOG = """\
examples:
  python manage.py import_market pitch-day.xlsx --dry-run      # check and show what would change
  python manage.py import_market pitch-day.xlsx --user curator # write; history names the curator
  python manage.py import_market market.json --format json     # machine-readable report
  python manage.py import_market --undo 3f0c...e1               # revert the run with this batch id

exit status: 0 when the file was imported (or would be, with --dry-run) or the batch was undone;
non-zero when the file was refused, a row has an error or the undo was refused (then nothing
was written).
"""


class Command(ImportCommand):
    help = "Import marketplace challenges and solutions from an .xlsx or .json file (all rows or none)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = DESCRIPTION
        parser.epilog = EPILOG
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="The file to import: an .xlsx workbook or a .json file.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and show the changes; write nothing.")
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="How to print the report: readable text (default) or JSON for scripts.",
        )
        parser.add_argument("--user", help="Username recorded in the history as the importer (e.g. the curator).")
        parser.add_argument(
            "--undo",
            metavar="BATCH",
            help="Revert the import_market run with this history batch id (printed at the end of the run) instead.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options.get("user"))
        as_json = options["format"] == "json"
        dry_run = bool(options["dry_run"])
        if options.get("undo"):
            if options.get("path") or dry_run:
                raise CommandError("--undo BATCH takes no PATH and no --dry-run.")
            self._undo(options["undo"], user=user, as_json=as_json)
            return
        if not options.get("path"):
            raise CommandError("Give the PATH of the file to import (or --undo BATCH).")
        try:
            plan = plan_market_import(self._check(Path(options["path"])))
        except ImportRefused as error:
            self._refused(str(error), as_json=as_json)
            raise CommandError(f"Refused: {error}") from None
        if not plan.errors and not dry_run:
            try:
                commit_market_import(plan, user=user)
            except CommitFailed as error:
                plan.file_errors.extend(error.issues)
        self._summary(plan, as_json=as_json, dry_run=dry_run)
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} error(s); nothing was imported.")

    def _summary(self, plan: ImportPlan, *, as_json: bool, dry_run: bool) -> None:
        if as_json:
            data = plan.as_json(dry_run=dry_run)
            data["rows"] = [
                {
                    "sheet": row.sheet,
                    "row": row.row,
                    "kind": row.target,
                    "label": row.label,
                    "status": row.status,
                    "slug": getattr(row.instance, "slug", None) if row.instance is not None else None,
                    "changes": [{"column": c.column, "old": c.old, "new": c.new} for c in row.changes],
                }
                for row in plan.rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        for sheet in plan.sheets:
            what = f"{sheet.layout} (header row {sheet.header_row})" if sheet.layout else ""
            self.stdout.write(f"Sheet {sheet.name!r}: {what} {sheet.note}".rstrip())
        for row in plan.rows:
            if row.status in (Status.NEW, Status.CHANGED):
                verb = "new" if row.status == Status.NEW else "changed"
                fields = ", ".join(c.column for c in row.changes)
                self.stdout.write(f"  {row.sheet} row {row.row}: {verb} {row.target} {row.label!r} ({fields})")
        for issue in plan.errors:
            self.stderr.write(f"  error: {issue}")
        verb = "would be" if dry_run or plan.errors else "were"
        self.stdout.write(
            f"{plan.count(Status.NEW)} {verb} created, {plan.count(Status.CHANGED)} {verb} updated, "
            f"{plan.count(Status.UNCHANGED)} unchanged, {len(plan.errors)} errors."
        )
        if plan.batch:
            self.stdout.write(f"History batch: {plan.batch} (undo: manage.py import_market --undo {plan.batch})")

    def _undo(self, batch: str, *, user: Any, as_json: bool) -> None:
        try:
            report = undo_market_import(batch, user=user)
        except RevertRefused as error:
            if as_json:
                self.stdout.write(json.dumps({"batch": batch, "reverted": False, "error": str(error)}, indent=2))
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps({**report.as_json(), "reverted": True}, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Undid batch {batch}: {len(report.deleted)} deleted, {len(report.archived)} archived, "
            f"{len(report.restored)} restored (history batch of the undo: {report.revert_batch})."
        )

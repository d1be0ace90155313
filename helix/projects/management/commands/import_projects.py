"""python manage.py import_projects PATH [--dry-run] [--format json] — bulk load projects.

`--undo BATCH` reverts an earlier import_projects run instead (helix.projects.importers.undo_project_import).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from helix.core.importing import CommitFailed, ImportPlan, ImportRefused, RevertRefused, Status
from helix.core.importing.command import ImportCommand
from helix.projects.importers import commit_project_import, plan_project_import, undo_project_import

DESCRIPTION = """\
Load projects (knowledge hub) from a file in Helix's own export layout: the xlsx or json
download of the project list (/projecten/?format=xlsx). Every row is checked first; if any row
has an error, nothing is written. Otherwise all rows are written in one transaction through the
project services, recorded in the history as one batch (channel "import").

Columns (the export's keys; only title is required for a new project): slug, title, title_nl,
project_type, lead, partners, places, area, domains, sdgs, status, phase, start_date, end_date,
period_text, budget, funding, summary_nl, summary_en, objectives, success_factors, lessons,
risks, results, links, links_to, facts, notes, source, last_verified.

Lists are JSON arrays (json) or separated by ";" (xlsx). Relation items carry details after a
vertical bar: partners "organisation | role", funding "instrument | amount", results
"indicator | value | unit", links "url | title", links_to "kind | project | note".
Organisations, instruments and projects are given by identifier (slug) or exact name; taxonomy
values by code or label. A row whose slug exists (or, without a slug, whose title matches a
project of the same lead) updates that project; an empty cell changes nothing. The contact
person is never exported and never imported. See docs/projects-editing.md.

A committed run prints its history batch id. `--undo BATCH` reverts that run in one transaction
(itself a batch, channel "import"): projects it created are deleted (archived when something
else now refers to them), updated ones get back their fields, lists, partners, funding and
links. The undo is refused, and changes nothing, when a project changed after the import or the
batch was already undone.
"""

EPILOG = """\
examples:
  python manage.py import_projects projects.xlsx --dry-run      # check and show what would change
  python manage.py import_projects projects.json --user curator # write; history names the curator
  python manage.py import_projects projects.json --format json  # machine-readable report
  python manage.py import_projects --undo 3f0c...e1              # revert the run with this batch id

exit status: 0 when the file was imported (or would be, with --dry-run) or the batch was undone;
non-zero when the file was refused, a row has an error or the undo was refused (then nothing
was written).
"""


class Command(ImportCommand):
    help = "Import projects from an .xlsx or .json file in Helix's export layout (all rows or none)."

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
            help="Revert the import_projects run with this history batch id (printed at the end of the run) instead.",
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
            plan = plan_project_import(self._check(Path(options["path"])))
        except ImportRefused as error:
            self._refused(str(error), as_json=as_json)
            raise CommandError(f"Refused: {error}") from None
        if not plan.errors and not dry_run:
            try:
                commit_project_import(plan, user=user)
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
            self.stdout.write(f"History batch: {plan.batch} (undo: manage.py import_projects --undo {plan.batch})")

    def _undo(self, batch: str, *, user: Any, as_json: bool) -> None:
        try:
            report = undo_project_import(batch, user=user)
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

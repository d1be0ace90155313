"""python manage.py import_inventory PATH [--dry-run] [--format json] — the import pipeline from a shell.

Any error (refused file, invalid row) commits nothing and exits non-zero.
`--revert BATCH` undoes an earlier import instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from helix.core.importing import (
    CommitFailed,
    Decision,
    ImportPlan,
    ImportRefused,
    RevertRefused,
    Status,
    commit_import,
    plan_import,
    revert_batch,
)
from helix.core.importing.command import ImportCommand


class Command(ImportCommand):
    help = "Import an inventory workbook (xlsx), CSV or JSON file; prints a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="The file to import (.xlsx, .csv or .json).")
        parser.add_argument("--dry-run", action="store_true", help="Validate and show the changes; write nothing.")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="Output format of the summary.")
        parser.add_argument(
            "--duplicates",
            choices=[Decision.SKIP, Decision.CREATE],
            default=Decision.SKIP,
            help="Rows flagged as possible duplicates: skip them (default) or create them anyway.",
        )
        parser.add_argument("--user", help="Username recorded in history as the importer.")
        parser.add_argument("--revert", metavar="BATCH", help="Revert the import with this history batch id.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options.get("user"))
        as_json = options["format"] == "json"
        if options.get("revert"):
            self._revert(options["revert"], user=user, as_json=as_json)
            return
        if not options.get("path"):
            raise CommandError("Give the PATH of the file to import (or --revert BATCH).")
        path = Path(options["path"])
        try:
            checked = self._check(path)
            plan = plan_import(checked)
            if options["duplicates"] == Decision.CREATE:
                decisions = {row.ref: Decision.CREATE for row in plan.rows if row.status == Status.DUPLICATE}
                if decisions:
                    plan = plan_import(checked, decisions=decisions)
        except ImportRefused as error:
            self._refused(str(error), as_json=as_json)
            raise CommandError(f"Refused: {error}") from None
        if not plan.errors and not options["dry_run"]:
            try:
                commit_import(plan, user=user)
            except CommitFailed as error:
                plan.file_errors.extend(error.issues)
        self._summary(plan, as_json=as_json, dry_run=options["dry_run"])
        if plan.errors:
            raise CommandError(f"{len(plan.errors)} error(s); nothing was imported.")

    def _summary(self, plan: ImportPlan, *, as_json: bool, dry_run: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(plan.as_json(dry_run=dry_run), ensure_ascii=False, indent=2, default=str))
            return
        for sheet in plan.sheets:
            what = f"{sheet.layout} (header row {sheet.header_row})" if sheet.layout else sheet.note
            self.stdout.write(f"Sheet {sheet.name!r}: {what}")
        for row in plan.rows:
            if row.status == Status.DUPLICATE:
                names = ", ".join(f"{label} ({sim:.2f})" for _pk, label, sim in row.duplicates)
                self.stdout.write(f"  {row.sheet} row {row.row}: possible duplicate of {names}; skipped")
        for warning in plan.warnings:
            self.stdout.write(f"  warning: {warning}")
        for issue in plan.errors:
            self.stderr.write(f"  error: {issue}")
        verb = "would be" if dry_run or plan.errors else "were"
        self.stdout.write(
            f"{plan.count(Status.NEW)} {verb} created, {plan.count(Status.CHANGED)} {verb} updated, "
            f"{plan.count(Status.UNCHANGED)} unchanged, {plan.count(Status.DUPLICATE)} possible duplicates, "
            f"{len(plan.errors)} errors."
        )
        if plan.batch:
            self.stdout.write(f"History batch: {plan.batch} (undo: manage.py import_inventory --revert {plan.batch})")

    def _revert(self, batch: str, *, user: Any, as_json: bool) -> None:
        try:
            report = revert_batch(batch, user=user)
        except RevertRefused as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), indent=2))
            return
        self.stdout.write(
            f"Reverted batch {batch}: {len(report.deleted)} deleted, {len(report.archived)} archived, "
            f"{len(report.restored)} restored (history batch {report.revert_batch})."
        )

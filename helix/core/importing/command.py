"""What the import commands share (import_inventory, import_market, import_projects): the acting
user, the file guards before anything is parsed, and the JSON answer of a refused file;
PlannedImportCommand is the whole command for an importer made of plan / commit / undo."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from .guards import ImportRefused, check_upload
from .pipeline import CommitFailed, ImportPlan, Status
from .revert import RevertRefused


class ImportCommand(BaseCommand):
    description = ""
    epilog = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = self.description or parser.description  # else Django's: `help`
        parser.epilog = self.epilog or parser.epilog
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Unknown user {username!r}.") from None

    def _check(self, path: Path) -> Any:
        if not path.is_file():
            raise ImportRefused(f"No file at {path}.")
        if path.stat().st_size > settings.HELIX_IMPORT_MAX_BYTES:
            # Refused by the size guard without reading the file into memory.
            return check_upload(b"\0" * (settings.HELIX_IMPORT_MAX_BYTES + 1), name=path.name)
        return check_upload(path.read_bytes(), name=path.name)

    def _refused(self, message: str, *, as_json: bool) -> None:
        if as_json:
            error = {"sheet": None, "row": None, "column": None, "message": message}
            data = {"sheets": [], "created": 0, "updated": 0, "unchanged": 0, "errors": [error], "refused": True}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))


class PlannedImportCommand(ImportCommand):
    """`PATH [--dry-run] [--format json] [--user U]` or `--undo BATCH` for an importer that plans
    (checks every row), commits (one transaction, one history batch) and undoes a batch.
    Subclasses set the texts and the three functions."""

    command_name = ""
    description = ""
    epilog = ""
    plan_import: Callable[[Any], ImportPlan]
    commit_import: Callable[..., Any]
    undo_import: Callable[..., Any]

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
            help=f"Revert the {self.command_name} run with this history batch id (printed at the end of the run) instead.",
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
            plan = self.plan_import(self._check(Path(options["path"])))
        except ImportRefused as error:
            self._refused(str(error), as_json=as_json)
            raise CommandError(f"Refused: {error}") from None
        if not plan.errors and not dry_run:
            try:
                self.commit_import(plan, user=user)
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
            self.stdout.write(f"History batch: {plan.batch} (undo: manage.py {self.command_name} --undo {plan.batch})")

    def _undo(self, batch: str, *, user: Any, as_json: bool) -> None:
        try:
            report = self.undo_import(batch, user=user)
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

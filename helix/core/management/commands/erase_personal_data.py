from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.core.erasure import PERSONAL_DATA, erase_personal_data
from helix.core.management.commands.set_size_classes import _paragraphs


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = _paragraphs(
        "Erase a person's personal data for good (GDPR right to erasure): delete the contact "
        "records with that e-mail address (or the given record ids) AND blank the name, function, "
        "e-mail and phone in every earlier version kept by the change history. The history still "
        "shows that a change happened (who, when), never whose data it was.\n\n"
        "Examples: `manage.py erase_personal_data --email jan@example.org --dry-run`, then without "
        "--dry-run; `manage.py erase_personal_data --contact 42`. Models covered: " + ", ".join(sorted(PERSONAL_DATA)) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="erase everyone with this e-mail address (case-insensitive)")
        parser.add_argument(
            "--contact",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="erase the contact person with this id (repeatable)",
        )
        parser.add_argument("--dry-run", action="store_true", help="show what would be erased, then roll back")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["email"] and not options["contact"]:
            raise CommandError("Give --email ADDRESS or --contact ID (see --help).")
        pks = {"actors.ContactPerson": options["contact"]} if options["contact"] else None
        report = erase_personal_data(email=options["email"], pks=pks, dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        if not report.total:
            self.stdout.write("Nothing found: no record or history row holds that person.")
            return
        done = "Dry run, rolled back" if report.dry_run else "Erased"
        self.stdout.write(self.style.SUCCESS(f"{done}: {report.total} rows."))

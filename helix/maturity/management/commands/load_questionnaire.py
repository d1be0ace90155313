from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.core.history import Channel, history_context
from helix.maturity.loaders import QuestionnaireProblem, default_file, load_questionnaire


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Load Helix's maturity questionnaire (data/maturity/questionnaire-v1.yaml: Helix's own questions, "
        "drafted from the 2020 landscape study's building blocks). Requires `load_reference` first. Creates the "
        "version when it is missing and leaves an existing one alone (curators may have edited it), unless "
        "--update is given; a version an assessment uses is never changed. Safe to run again. Recorded in the "
        "history with channel 'command'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=None, help=f"YAML file (default {default_file()})")
        parser.add_argument("--update", action="store_true", help="refresh an existing version that no assessment uses")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with history_context(channel=Channel.COMMAND, command="load_questionnaire") as batch:
                result = load_questionnaire(options["file"], update=options["update"])
        except (QuestionnaireProblem, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        for change in result.changes:
            self.stdout.write(f"  {change}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Questionnaire v{result.version.number} ({result.questions} questions): {result.status} (batch {batch})."
            )
        )

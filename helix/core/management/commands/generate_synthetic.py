from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.core import synthetic
from helix.core.history import Channel, history_context
from helix.core.synthetic_market import generate_market


class Command(BaseCommand):
    help = (
        "Generate SYNTHETIC organisations and instruments for scale tests. Every record is labelled "
        f"(slug prefix '{synthetic.SYNTHETIC_PREFIX}', source '{synthetic.SYNTHETIC_SOURCE}'); "
        "--purge deletes exactly those records. Use a separate database for scale tests."
    )
    # A data command: it needs the models, not the URLconf or templates.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--orgs", type=int, default=0, help="number of organisations to add")
        parser.add_argument("--instruments", type=int, default=0, help="number of instruments to add")
        parser.add_argument(
            "--solutions", type=int, default=0, help="number of marketplace solutions to add (of synthetic companies)"
        )
        parser.add_argument(
            "--challenges", type=int, default=0, help="number of open challenges to add (owned by synthetic governments)"
        )
        parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same data)")
        parser.add_argument("--purge", action="store_true", help="delete all synthetic records first")
        parser.add_argument(
            "--with-history",
            action="store_true",
            help="keep pghistory's insert triggers (slower; synthetic data needs no history by default)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        orgs, instruments = int(options["orgs"]), int(options["instruments"])
        solutions, challenges = int(options["solutions"]), int(options["challenges"])
        if min(orgs, instruments, solutions, challenges) < 0:
            raise CommandError("counts must be >= 0")
        if not (orgs or instruments or solutions or challenges or options["purge"]):
            raise CommandError("nothing to do: give --orgs, --instruments, --solutions and/or --challenges, or --purge")
        with history_context(channel=Channel.COMMAND, command="generate_synthetic"):
            if options["purge"]:
                removed = synthetic.purge(with_history=options["with_history"])
                self.stdout.write(
                    f"Purged {removed['organisations']} synthetic organisations, {removed['instruments']} instruments "
                    f"and {removed['memberships']} memberships."
                )
            if orgs or instruments:
                result = synthetic.generate(
                    organisations=orgs,
                    instruments=instruments,
                    seed=int(options["seed"]),
                    with_history=bool(options["with_history"]),
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Generated {result.organisations} synthetic organisations, {result.instruments} instruments and "
                        f"{result.memberships} memberships in {result.seconds:.1f} s (labelled '{synthetic.SYNTHETIC_SOURCE}')."
                    )
                )
            if solutions or challenges:
                try:
                    made = generate_market(solutions=solutions, challenges=challenges, seed=int(options["seed"]))
                except ValueError as error:
                    raise CommandError(str(error)) from error
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Generated {made['solutions']} synthetic solutions and {made['challenges']} challenges "
                        f"(labelled '{synthetic.SYNTHETIC_SOURCE}')."
                    )
                )

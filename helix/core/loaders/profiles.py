"""Value-chain roles and domains of the study's organisations (data/interpretations/organisation_profiles.yaml).

The study gives no domains and no value-chain roles for its companies and knowledge institutions;
the marketplace matcher needs both. The interpretations file adds them, per seed organisation
id, only where the study's text supports them, each entry with the `basis` it rests on. Applied by
`load_study` right after the organisations: terms are only ever added (`Loader.add_m2m`), so a
second run changes nothing and a curator's extra terms stay.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from helix.actors.models import Organisation
from helix.core.models import Term

from .base import UNCHANGED, UPDATED, Loader

PROFILES_FILE = "organisation_profiles.yaml"
KIND = "organisation profiles"


def interpretations_dir(seed: Path | None = None) -> Path:
    """data/interpretations beside the seed directory (tests may pass their own seed directory)."""
    if seed is not None:
        return seed.parent / "interpretations"
    default = settings.BASE_DIR / "data" / "interpretations"
    return Path(getattr(settings, "HELIX_INTERPRETATIONS_DIR", default))


def read_profiles(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        records = yaml.safe_load(fh)
    if not isinstance(records, list):
        raise ValueError(f"{path.name}: expected a list of entries")
    return records


def check_profiles(records: list[dict[str, Any]], orgs: dict[str, Any], roles: set[str], domains: set[str]) -> list[str]:
    """Every problem of the file, as readable lines (empty: the file is fine)."""
    problems: list[str] = []
    seen: set[str] = set()
    for i, record in enumerate(records, start=1):
        seed_id = str(record.get("organisation") or "")
        where = f"{PROFILES_FILE} entry {i} ({seed_id or 'no organisation'})"
        if not seed_id:
            problems.append(f"{where}: `organisation` (a seed id) is missing")
        elif seed_id not in orgs:
            problems.append(f"{where}: unknown organisation {seed_id!r} (not in data/seed/organisations.yaml)")
        elif seed_id in seen:
            problems.append(f"{where}: organisation listed twice")
        seen.add(seed_id)
        basis = record.get("basis")
        if not basis or not all(str(b).strip() for b in basis):
            problems.append(f"{where}: every entry needs a `basis` citing the study field it rests on")
        problems += [f"{where}: unknown value-chain role {c!r}" for c in record.get("value_chain_roles") or [] if c not in roles]
        problems += [f"{where}: unknown domain {c!r}" for c in record.get("domains") or [] if c not in domains]
        if not (record.get("value_chain_roles") or record.get("domains")):
            problems.append(f"{where}: neither value_chain_roles nor domains: leave the organisation out instead")
    return problems


def apply_organisation_profiles(loader: Loader, orgs: dict[str, Organisation], seed: Path | None = None) -> None:
    """Add the file's roles and domains to the organisations (by seed id). No file: nothing to do."""
    path = interpretations_dir(seed) / PROFILES_FILE
    if not path.exists():
        return
    records = read_profiles(path)
    roles = {t.code: t for t in Term.objects.filter(scheme__slug="value-chain-roles")}
    domains = {t.code: t for t in Term.objects.filter(scheme__slug="domains")}
    problems = check_profiles(records, orgs, set(roles), set(domains))
    if problems:
        raise ValueError("Organisation profiles are inconsistent:\n" + "\n".join(problems))
    for record in records:
        org = orgs[record["organisation"]]
        added = loader.add_m2m(org, "value_chain_roles", [roles[c] for c in record.get("value_chain_roles") or []])
        added = loader.add_m2m(org, "domains", [domains[c] for c in record.get("domains") or []]) or added
        loader.stats.add(KIND, UPDATED if added else UNCHANGED)

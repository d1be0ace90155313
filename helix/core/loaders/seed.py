"""Reading the study's seed files (data/seed/*.yaml) inside the repository."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from .base import repair_split_scalars

# The study: KPMG for VLAIO, "De verdere ontwikkeling en animeren van een Vlaams ecosysteem inzake
# Smart Cities - Landschapsanalyse en aanbevelingen", cover date July 2020. Its facts reflect 2019.
STUDY_CITATION = "KPMG for VLAIO, Vlaams ecosysteem inzake Smart Cities (July 2020)"
# `last_verified` of every study record: the study's cover date (July 2020, first day of the month).
STUDY_DATE = datetime.date(2020, 7, 1)


def seed_dir() -> Path:
    return Path(getattr(settings, "HELIX_SEED_DIR", settings.BASE_DIR / "data" / "seed"))


# libyaml's safe loader when available: the seed parses 10x faster than with the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(name: str, directory: Path | None = None) -> Any:
    path = (directory or seed_dir()) / name
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_SafeLoader)  # noqa: S506 - a safe loader


def read_records(name: str, directory: Path | None = None) -> list[dict[str, Any]]:
    """A list of records from a seed file, with split flow scalars repaired (see repair_split_scalars).

    A key is "known" when at least two records of the file use it; the artefact keys are
    one-off fragments of text.
    """
    records = read_yaml(name, directory)
    if not isinstance(records, list):
        raise ValueError(f"{name}: expected a list of records")
    usage = Counter(key for r in records for key in r)
    known = {key for key, n in usage.items() if n >= 2} | {"id"}
    return [repair_split_scalars(r, known) for r in records]


def study_source(section: str | None) -> str:
    """The `source` of a study record: the study, then the section path(s) of the report."""
    return f"{STUDY_CITATION}: {section}" if section else STUDY_CITATION

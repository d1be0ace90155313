"""The study's projects (data/seed/projects.yaml), loaded by `load_study` (helix.core.loaders.study).

Idempotent and respectful of curators like every loader (helix.core.loaders.base): a re-run
writes nothing; a field last changed by a curator is kept; partners, places, domains, funding
and links are only added, never removed.

Mapping: `id` -> slug, `name` -> title, `name_nl` -> title_nl, `summary` -> summary_en,
`project_type`, `lead`, `partners` (ProjectPartner without role: the study names none),
`places`, `area`, `domain` + `secondary_domains` -> domains, `status`, `facts`, `lessons` (one
per line), `funded_by` -> ProjectFunding (no amount stated), `notes`, `source` (the report
section). `replicates_or_related` -> ProjectLink of kind `related` with its note: the study does
not say whether a project replicates, scales up or follows up the other one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helix.actors.models import Organisation
from helix.core.loaders.base import Loader, repair_split_scalars
from helix.core.loaders.seed import STUDY_DATE, read_records, study_source
from helix.core.models import Term
from helix.instruments.models import Instrument

from .choices import LinkKind, ProjectStatus
from .models import Project, ProjectFunding, ProjectLink, ProjectPartner

SEED_FILE = "projects.yaml"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _lines(values: Any) -> str:
    return "\n".join(_text(v) for v in values or [] if _text(v))


def check_references(records: list[dict[str, Any]], orgs: dict[str, Organisation]) -> list[str]:
    """Problems with the organisations, instruments and projects the records refer to."""
    ids = {r["id"] for r in records}
    instruments = set(
        Instrument.objects.filter(slug__in=[i for r in records for i in r.get("funded_by") or []]).values_list("slug", flat=True)
    )
    problems = []
    for r in records:
        for ref in [r.get("lead"), *(r.get("partners") or []), *(r.get("places") or [])]:
            if ref and ref not in orgs:
                problems.append(f"project {r['id']}: unknown organisation {ref}")
        problems += [f"project {r['id']}: unknown instrument {i}" for i in r.get("funded_by") or [] if i not in instruments]
        problems += [
            f"project {r['id']}: unknown project {link['id']}"
            for link in r.get("replicates_or_related") or []
            if link["id"] not in ids
        ]
    return problems


def load_projects(loader: Loader, *, orgs: dict[str, Organisation], seed: Path | None = None) -> None:
    """Store the study's projects; `orgs` maps the seed's organisation ids to their records."""
    records = read_records(SEED_FILE, seed)
    problems = check_references(records, orgs)
    if problems:
        raise ValueError(f"{SEED_FILE} is inconsistent:\n" + "\n".join(problems))
    domains = {t.code: t for t in Term.objects.filter(scheme__slug="domains")}
    instruments = Instrument.objects.in_bulk([i for r in records for i in r.get("funded_by") or []], field_name="slug")
    existing = Project.objects.in_bulk([r["id"] for r in records], field_name="slug")
    projects: dict[str, Project] = {}
    for record in records:
        project, _ = loader.upsert(
            "projects",
            Project,
            lookup={"slug": record["id"]},
            instance=existing.get(record["id"]),
            values={
                "title": _text(record["name"]),
                "title_nl": _text(record.get("name_nl")),
                "summary_en": _text(record.get("summary")),
                "project_type": _text(record.get("project_type")),
                "lead": orgs[record["lead"]] if record.get("lead") else None,
                "area": _text(record.get("area")),
                "status": ProjectStatus(record.get("status") or ProjectStatus.UNKNOWN),
                "facts": [_text(f) for f in record.get("facts") or []],
                "lessons": _lines(record.get("lessons")),
                "notes": _text(record.get("notes")),
                "source": study_source(record.get("source")),
                "last_verified": STUDY_DATE,
            },
        )
        projects[record["id"]] = project
        codes = [record.get("domain"), *(record.get("secondary_domains") or [])]
        loader.add_m2m(project, "domains", [domains[c] for c in codes if c])
        loader.add_m2m(project, "places", [orgs[p] for p in record.get("places") or []])
        for partner in record.get("partners") or []:
            loader.upsert(
                "project partners", ProjectPartner, lookup={"project": project, "organisation": orgs[partner]}, values={}
            )
        for slug in record.get("funded_by") or []:
            loader.upsert(
                "project funding", ProjectFunding, lookup={"project": project, "instrument": instruments[slug]}, values={}
            )
    for record in records:
        for raw in record.get("replicates_or_related") or []:
            link = repair_split_scalars(raw, ("id", "note"))
            loader.upsert(
                "project links",
                ProjectLink,
                lookup={"from_project": projects[record["id"]], "to_project": projects[link["id"]], "kind": LinkKind.RELATED},
                values={"note": _text(link.get("note"))},
            )

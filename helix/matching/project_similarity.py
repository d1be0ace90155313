""" "Who did this before?": the projects most similar to a project or a challenge, elsewhere.

The Django side of `helix.matching.engine.projects`: live projects become `ProjectProfile`s in
bulk (one query per table), the `ProjectIndex` is kept per process under the registry's data
version (`helix.core.listing.data_version`, bumped by a statement trigger on every projects,
actors and market table), and the ranked profiles become `RankedProject`s with their ORM objects
(read fresh, so a project archived since the index was built drops out).

What a profile holds:

- text: title (English and Dutch), summaries (both languages), objectives and lessons;
- domains: the term codes plus the broader domain of every sub-topic (as the matcher does);
- sdgs, phase (term code), status;
- places: the ids of the organisations where the project runs; size_classes: their
  municipality size classes (small / medium / large, where known);
- funding: the slugs of the instruments that funded it;
- links (for the query only): its typed links with other projects, in both directions.

A challenge as a query: its title and description, domains, SDGs, the phase sought, and its
owners as its places (so projects in the owners' own municipalities are not "elsewhere").
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.listing import data_version
from helix.market.models import Challenge, ChallengeOwner
from helix.matching.engine.projects import (
    LinkRef,
    ProjectIndex,
    ProjectProfile,
    ProjectWeights,
    SimilarityContribution,
    SimilarProject,
)
from helix.projects.models import Project, ProjectFunding, ProjectLink

from .parties import _Terms, _text

MAX_LIMIT = 100
WEIGHTS = ProjectWeights()


@dataclass(frozen=True)
class RankedProject:
    """A similar project with its ORM object, its score, explanation and link with the query."""

    object: Project
    score: float
    explanation: tuple[SimilarityContribution, ...]
    link: LinkRef | None


_cache: dict[str, tuple[str, ProjectIndex]] = {}
_lock = threading.Lock()


def _size_classes() -> dict[int, str]:
    towns = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).exclude(municipality_size="")
    return dict(towns.values_list("pk", "municipality_size"))


def project_profiles(ids: Iterable[int] | None = None) -> list[ProjectProfile]:
    """Every live project (or those ids) as a profile, in one query per table."""
    terms = _Terms()
    qs = Project.objects.live()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = list(
        qs.values_list(
            "pk", "title", "title_nl", "summary_nl", "summary_en", "objectives", "lessons", "status", "phase__code"
        ).order_by("pk")
    )
    scope = [r[0] for r in rows] if ids is not None else None
    domains = terms.group(Project.domains, scope, with_broader=True)
    sdgs = terms.group(Project.sdgs, scope)
    sizes = _size_classes()
    places: dict[int, set[int]] = defaultdict(set)
    place_rows = Project.places.through._default_manager.all()
    if scope is not None:
        place_rows = place_rows.filter(project_id__in=scope)
    for project, place in place_rows.values_list("project_id", "organisation_id").iterator(chunk_size=20000):
        places[project].add(place)
    funding: dict[int, set[str]] = defaultdict(set)
    funding_rows = ProjectFunding.objects.filter(instrument__archived_at=None)
    if scope is not None:
        funding_rows = funding_rows.filter(project_id__in=scope)
    for project, slug in funding_rows.values_list("project_id", "instrument__slug").iterator(chunk_size=20000):
        funding[project].add(slug)
    return [
        ProjectProfile(
            id=pk,
            kind="project",
            title=title_nl or title,
            text=_text(title, title_nl, s_nl, s_en, objectives, lessons),
            domains=frozenset(domains.get(pk, ())),
            sdgs=frozenset(sdgs.get(pk, ())),
            phase=phase,
            status=status,
            size_classes=frozenset(sizes[p] for p in places.get(pk, ()) if p in sizes),
            places=frozenset(places.get(pk, ())),
            funding=frozenset(funding.get(pk, ())),
        )
        for pk, title, title_nl, s_nl, s_en, objectives, lessons, status, phase in rows
    ]


def project_index(*, using: str = "default") -> ProjectIndex:
    """The index over every live project, built once per data version (small sets: in the request)."""
    version = data_version(using)
    if version is None:  # inside a transaction: never cache what may be rolled back
        return ProjectIndex(project_profiles(), WEIGHTS)
    hit = _cache.get(using)
    if hit and hit[0] == version:
        return hit[1]
    with _lock:
        built = ProjectIndex(project_profiles(), WEIGHTS)
        _cache[using] = (version, built)
    return built


def _links(project: Project) -> tuple[LinkRef, ...]:
    out = [
        LinkRef(project_id=to_id, kind=kind, outgoing=True)
        for to_id, kind in ProjectLink.objects.filter(from_project=project).values_list("to_project_id", "kind")
    ]
    seen = {ref.project_id for ref in out}
    out += [
        LinkRef(project_id=from_id, kind=kind, outgoing=False)
        for from_id, kind in ProjectLink.objects.filter(to_project=project).values_list("from_project_id", "kind")
        if from_id not in seen
    ]
    return tuple(sorted(out, key=lambda ref: (ref.project_id, not ref.outgoing, ref.kind)))


def project_query(project: Project) -> ProjectProfile:
    """A project as a query: its profile (also when archived) with its typed links."""
    found = project_profiles([project.pk]) if project.archived_at is None else []
    if not found:
        found = _archived_profile(project)
    profile = found[0]
    return ProjectProfile(**{**profile.__dict__, "links": _links(project)})


def _archived_profile(project: Project) -> list[ProjectProfile]:
    return [
        ProjectProfile(
            id=project.pk,
            title=project.display_title,
            text=_text(project.title, project.title_nl, project.summary_nl, project.summary_en, project.objectives),
            status=project.status,
            places=frozenset(project.places.values_list("pk", flat=True)),
        )
    ]


def challenge_query(challenge: Challenge) -> ProjectProfile:
    """A challenge as a query: its owners are its places (their own projects are not elsewhere)."""
    terms = _Terms()
    domains = terms.group(Challenge.domains, [challenge.pk], with_broader=True).get(challenge.pk, set())
    sdgs = terms.group(Challenge.sdgs, [challenge.pk]).get(challenge.pk, set())
    owners = list(
        ChallengeOwner.objects.filter(challenge=challenge).values_list("organisation_id", "organisation__municipality_size")
    )
    return ProjectProfile(
        id=challenge.pk,
        kind="challenge",
        title=challenge.title_nl or challenge.title,
        text=_text(challenge.title, challenge.title_nl, challenge.description_nl, challenge.description_en),
        domains=frozenset(domains),
        sdgs=frozenset(sdgs),
        phase=challenge.phase_sought.code if challenge.phase_sought_id else None,  # type: ignore[union-attr]
        size_classes=frozenset(size for _, size in owners if size),
        places=frozenset(org for org, _ in owners),
    )


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _ranked(found: list[SimilarProject]) -> list[RankedProject]:
    by_id = Project.objects.live().select_related("lead").prefetch_related("places").in_bulk([r.project.id for r in found])
    return [RankedProject(by_id[r.project.id], r.score, r.explanation, r.link) for r in found if r.project.id in by_id]


def _estimated_projects() -> int:
    """PostgreSQL's row estimate of the project table (no count over a large table)."""
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'projects_project'::regclass")
        row = cur.fetchone()
    return int(row[0]) if row else 0


def _similar(query: ProjectProfile, limit: int) -> list[SimilarProject]:
    """The in-memory index while the registry is small; above `HELIX_SIMILAR_INDEX_MAX` projects
    the scaled path (PostgreSQL candidates re-ranked by the same engine, same explanations)."""
    if _estimated_projects() > settings.HELIX_SIMILAR_INDEX_MAX:
        from helix.projects.similar_scale import similar_profiles

        return similar_profiles(query, limit=limit)
    return project_index().similar(query, limit=limit)


def similar_to_project(project: Project, *, limit: int = 10, user: Any = None) -> list[RankedProject]:
    """The projects most similar to `project` that ran elsewhere (not in any of its places)."""
    return _ranked(_similar(project_query(project), _limit(limit)))


def similar_to_challenge(challenge: Challenge, *, limit: int = 10, user: Any = None) -> list[RankedProject]:
    """Projects that did what a challenge asks for, elsewhere than its owners."""
    return _ranked(_similar(challenge_query(challenge), _limit(limit)))

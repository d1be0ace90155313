"""Lighthouse model: per domain, a lighthouse municipality for a period, with its followers.

The lighthouse shares what it learns: its projects in the domain (led, joined, or run in it) with
lessons filled in count as *shared*; those without lessons or without results are *still owed*.
A project in a sub-topic of the domain counts for the domain.

Writes go through `save_lighthouse` / `delete_lighthouse` (curators only), each inside a history
context, so pghistory records who changed what through which channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.core.models import Term
from helix.core.permissions import is_curator

from .models import Lighthouse, LighthouseFollower, Project
from .querysets import ProjectQuerySet


def _check(user: Any) -> None:
    if not is_curator(user):
        raise PermissionDenied


def save_lighthouse(
    lighthouse: Lighthouse, followers: Iterable[Organisation], *, user: Any, channel: str = Channel.WEB
) -> Lighthouse:
    """Create or update a lighthouse and set its followers (curators only)."""
    _check(user)
    wanted = {o.pk for o in followers if o.pk != lighthouse.municipality_id}
    with history_context(channel=channel, user=user), transaction.atomic():
        lighthouse.full_clean()
        lighthouse.save()
        current = set(lighthouse.follower_links.values_list("organisation_id", flat=True))
        lighthouse.follower_links.filter(organisation_id__in=current - wanted).delete()
        LighthouseFollower.objects.bulk_create(
            [LighthouseFollower(lighthouse=lighthouse, organisation_id=pk) for pk in sorted(wanted - current)]
        )
    return lighthouse


def delete_lighthouse(lighthouse: Lighthouse, *, user: Any, channel: str = Channel.WEB) -> None:
    _check(user)
    with history_context(channel=channel, user=user), transaction.atomic():
        lighthouse.delete()


def domain_with_narrower(domain: Term) -> list[int]:
    """The domain's term id and those of its sub-topics (any depth)."""
    ids = [domain.pk]
    frontier = [domain.pk]
    while frontier:
        frontier = list(Term.objects.filter(broader_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def lighthouse_projects(lighthouse: Lighthouse) -> QuerySet[Project]:
    """The live projects the lighthouse municipality leads, joins or hosts, in the domain."""
    live: ProjectQuerySet = Project.objects.live()  # type: ignore[assignment]
    return (
        live.involving(lighthouse.municipality)
        .filter(domains__in=domain_with_narrower(lighthouse.domain))
        .distinct()
        .select_related("lead")
        .order_by("title", "id")
    )


def _has_results(project: Project) -> bool:
    results = project.results
    if isinstance(results, list):
        return any(item not in (None, "", {}) for item in results)
    return bool(results)


@dataclass
class Ledger:
    """What a lighthouse has shared and what it still owes."""

    shared: list[Project] = field(default_factory=list)
    owed: list[tuple[Project, list[str]]] = field(default_factory=list)  # (project, what is missing)


def ledger(lighthouse: Lighthouse) -> Ledger:
    out = Ledger()
    for project in lighthouse_projects(lighthouse):
        missing = []
        if project.lesson_lines:
            out.shared.append(project)
        else:
            missing.append("lessons")
        if not _has_results(project):
            missing.append("results")
        if missing:
            out.owed.append((project, missing))
    return out

"""The roadmap: clusters in implementation order, what depends on what, the latest progress.

Read-only helpers shared by the pages and the API. A recommendation *waits for* another when
the report says it depends on or follows it, or when the other is stated to be a precondition
for it; plain references are shown as "see also".
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from .choices import ENABLES, WAITS_FOR, LinkRelation, ProgressStatus
from .models import Cluster, ProgressUpdate, Recommendation, RecommendationLink


def latest_updates(*, on: datetime.date | None = None) -> dict[int, ProgressUpdate]:
    """The latest progress update of every recommendation (as known on `on`, default: today)."""
    qs = ProgressUpdate.objects.select_related("organisation")
    if on is not None:
        qs = qs.filter(as_of__lte=on)
    latest = qs.order_by("recommendation_id", "-as_of", "-created_at", "-id").distinct("recommendation_id")
    return {u.recommendation_id: u for u in latest}


@dataclass
class Dependencies:
    waits_for: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    enables: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    see_also: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def dependencies(links: list[RecommendationLink] | None = None) -> Dependencies:
    deps = Dependencies()
    for link in links if links is not None else RecommendationLink.objects.all():
        a, b = link.from_recommendation_id, link.to_recommendation_id
        if link.relation in WAITS_FOR:
            deps.waits_for[a].add(b)
            deps.enables[b].add(a)
        elif link.relation in ENABLES:
            deps.waits_for[b].add(a)
            deps.enables[a].add(b)
        elif link.relation == LinkRelation.REFERENCES:
            deps.see_also[a].add(b)
            deps.see_also[b].add(a)
    return deps


@dataclass
class RoadmapItem:
    recommendation: Recommendation
    latest: ProgressUpdate | None
    waits_for: list[Recommendation]
    enables: list[Recommendation]
    see_also: list[Recommendation]
    blocked_by: list[Recommendation]

    @property
    def status(self) -> ProgressStatus | None:
        return self.latest.status_choice if self.latest else None


@dataclass
class RoadmapCluster:
    cluster: Cluster
    items: list[RoadmapItem]


def _done(latest: dict[int, ProgressUpdate], rec_id: int) -> bool:
    update = latest.get(rec_id)
    return update is not None and update.status == ProgressStatus.FULLY


def roadmap(*, on: datetime.date | None = None) -> list[RoadmapCluster]:
    """Every live recommendation by cluster in implementation order (two queries plus prefetches).

    `blocked_by` lists the recommendations it waits for that are not fully on track yet.
    """
    recs = list(Recommendation.objects.live().select_related("cluster", "theme", "advised_role", "advised_role_later"))
    by_id = {r.pk: r for r in recs}
    latest = latest_updates(on=on)
    deps = dependencies()

    def pick(ids: set[int]) -> list[Recommendation]:
        return sorted((by_id[i] for i in ids if i in by_id), key=lambda r: r.number)

    clusters: dict[int, RoadmapCluster] = {}
    for rec in sorted(recs, key=lambda r: (r.cluster.order, r.number)):
        waits = pick(deps.waits_for[rec.pk])
        item = RoadmapItem(
            recommendation=rec,
            latest=latest.get(rec.pk),
            waits_for=waits,
            enables=pick(deps.enables[rec.pk]),
            see_also=pick(deps.see_also[rec.pk]),
            blocked_by=[w for w in waits if not _done(latest, w.pk)],
        )
        clusters.setdefault(rec.cluster_id, RoadmapCluster(rec.cluster, [])).items.append(item)
    return list(clusters.values())


def roadmap_item(rec: Recommendation, *, on: datetime.date | None = None) -> RoadmapItem:
    """One recommendation's place in the roadmap (for its detail page)."""
    links = list(RecommendationLink.objects.filter(Q(from_recommendation=rec) | Q(to_recommendation=rec)))
    deps = dependencies(links)
    ids = {rec.pk} | {lk.from_recommendation_id for lk in links} | {lk.to_recommendation_id for lk in links}
    by_id = Recommendation.objects.live().in_bulk(list(ids))
    latest = latest_updates(on=on)

    def pick(found: set[int]) -> list[Recommendation]:
        return sorted((by_id[i] for i in found if i in by_id), key=lambda r: r.number)

    waits = pick(deps.waits_for[rec.pk])
    return RoadmapItem(
        recommendation=rec,
        latest=latest.get(rec.pk),
        waits_for=waits,
        enables=pick(deps.enables[rec.pk]),
        see_also=pick(deps.see_also[rec.pk]),
        blocked_by=[w for w in waits if not _done(latest, w.pk)],
    )

"""Read-only analysis of submitted assessments: peer comparison, change over time, next steps
and the region-wide distribution.

Privacy rule (every function here keeps it): a figure about other municipalities is an
aggregate of at least `HELIX_MATURITY_MIN_GROUP` municipalities (default 5); smaller groups
are suppressed, and their exact size is not shown either. Each municipality counts once, with
its latest submitted assessment. Individual results of others appear only when shared.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.actors.choices import MunicipalitySize, OrganisationKind
from helix.actors.models import Organisation, Province
from helix.core.models import Term
from helix.strategy.models import Recommendation

from .choices import AssessmentStatus
from .models import MAX_LEVEL, Assessment

BUILDING_BLOCKS = "building-blocks"
HIGH_SCORE = 3.0  # "scored high": established or leading on average
WEAKEST = 2  # next steps for this many weakest building blocks


def min_group() -> int:
    return int(getattr(settings, "HELIX_MATURITY_MIN_GROUP", 5))


def building_blocks() -> list[Term]:
    return list(Term.objects.filter(scheme__slug=BUILDING_BLOCKS, broader__isnull=True).order_by("order", "code"))


def latest_submitted(qs: QuerySet[Assessment] | None = None) -> QuerySet[Assessment]:
    """The latest submitted assessment of each municipality (one row per municipality)."""
    qs = qs if qs is not None else Assessment.objects.all()
    latest = (
        qs.filter(status=AssessmentStatus.SUBMITTED, organisation__kind=OrganisationKind.MUNICIPALITY)
        .order_by("organisation_id", "-submitted_at")
        .distinct("organisation_id")
        .values("pk")
    )
    return Assessment.objects.filter(pk__in=latest).select_related("organisation", "organisation__province")


@dataclass
class GroupFigure:
    """An aggregate over a group of municipalities; `mean` is None when the group is too small."""

    label: str
    n: int
    mean: float | None
    suppressed: bool

    @property
    def percent(self) -> float | None:
        return None if self.mean is None else round(100 * self.mean / MAX_LEVEL, 1)


def aggregate(label: str, values: Sequence[float]) -> GroupFigure:
    if len(values) < min_group():
        return GroupFigure(label, len(values), None, True)
    return GroupFigure(label, len(values), round(statistics.fmean(values), 2), False)


@dataclass
class BlockRow:
    block: Term
    own: float | None
    previous: float | None
    groups: list[GroupFigure]

    @property
    def change(self) -> float | None:
        if self.own is None or self.previous is None:
            return None
        return round(self.own - self.previous, 2)

    @property
    def own_percent(self) -> float | None:
        return None if self.own is None else round(100 * self.own / MAX_LEVEL, 1)


@dataclass
class Profile:
    rows: list[BlockRow]
    group_labels: list[str]
    previous: Assessment | None
    question_changes: list[dict[str, Any]] = field(default_factory=list)


def _peer_groups(assessment: Assessment) -> list[tuple[str, Callable[[Organisation], bool]]]:
    org = assessment.organisation
    groups: list[tuple[str, Callable[[Organisation], bool]]] = []
    if org.municipality_size:
        size = org.municipality_size
        groups.append(
            (_("Same size class (%(size)s)") % {"size": MunicipalitySize(size).label}, lambda o: o.municipality_size == size)
        )
    if org.province_id:
        province = org.province_id
        name = org.province.name_nl if org.province else ""
        groups.append((_("Same province (%(name)s)") % {"name": name}, lambda o: o.province_id == province))
    return groups


def profile(assessment: Assessment) -> Profile:
    """The assessment's score per building block, against peers of the same size class and of
    the same province (other municipalities only, aggregates of at least min_group()), and the
    change since the municipality's previous submitted assessment."""
    from .services import last_submitted

    others = list(latest_submitted().exclude(organisation=assessment.organisation))
    groups = _peer_groups(assessment)
    members = {label: [a for a in others if test(a.organisation)] for label, test in groups}
    previous = last_submitted(assessment.organisation, before=assessment) if assessment.is_submitted else None
    previous = previous or (None if assessment.is_submitted else last_submitted(assessment.organisation))
    rows = []
    for block in building_blocks():
        figures = [
            aggregate(label, [a.scores[block.code] for a in members[label] if block.code in a.scores]) for label, _t in groups
        ]
        rows.append(
            BlockRow(
                block=block,
                own=assessment.scores.get(block.code),
                previous=previous.scores.get(block.code) if previous else None,
                groups=figures,
            )
        )
    return Profile(rows, [label for label, _t in groups], previous, question_changes(previous, assessment))


def question_changes(previous: Assessment | None, current: Assessment) -> list[dict[str, Any]]:
    """Per question key asked in both: the level before and now (only where it changed)."""
    if previous is None:
        return []
    before = {a.question.key: a.level for a in previous.answers.select_related("question")}
    out = []
    for answer in current.answers.select_related("question").order_by("question__order"):
        key = answer.question.key
        if key in before and before[key] != answer.level:
            out.append({"question": answer.question, "before": before[key], "now": answer.level})
    return out


# --- next steps ---------------------------------------------------------------------------------


@dataclass
class Link:
    label: str
    url: str


@dataclass
class NextStep:
    block: Term
    score: float | None
    recommendations: list[Recommendation]
    projects: list[Link]
    lighthouses: list[Link]
    peers: list[tuple[Organisation, float, int]]  # shared peers that scored high: org, score, assessment pk


def weakest_blocks(assessment: Assessment, limit: int = WEAKEST) -> list[tuple[Term, float | None]]:
    scored = [(b, assessment.scores.get(b.code)) for b in building_blocks()]
    scored.sort(key=lambda pair: (pair[1] if pair[1] is not None else -1, pair[0].order))
    return scored[:limit]


def funding_finder_url(organisation: Organisation) -> str:
    """The funding finder for this municipality: it derives the size class from the registry."""
    base = reverse("matching:funding-finder")
    if organisation.refnis:
        return f"{base}?{urlencode({'municipality': organisation.refnis})}"
    return f"{base}?{urlencode({'applicant_type': 'municipality'})}"


def lighthouses_for(domain: Term) -> list[Link]:
    """The running lighthouses of a domain (knowledge hub), else its lighthouse list.

    Written defensively: the knowledge hub's lighthouses (helix.projects) are optional here, so
    Helix works with or without them."""
    try:
        model = apps.get_model("projects", "Lighthouse")
        list_url = reverse("projects:lighthouse-list")
    except (LookupError, NoReverseMatch):
        return []
    today = timezone.localdate()
    running = (
        model.objects.filter(domain=domain, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("municipality")
        .order_by("-start_date")
    )
    links = [
        Link(
            _("Lighthouse %(municipality)s for %(domain)s")
            % {"municipality": lh.municipality.name_nl or lh.municipality.name, "domain": domain.label},
            lh.get_absolute_url(),
        )
        for lh in running[:3]
    ]
    return links or [Link(_("Lighthouses (none yet for %(domain)s)") % {"domain": domain.label}, list_url)]


def domains_for(organisation: Organisation, chosen: Iterable[str] = ()) -> list[Term]:
    chosen = [c for c in chosen if c]
    qs = Term.objects.filter(scheme__slug="domains", broader__isnull=True)
    if chosen:
        return list(qs.filter(code__in=chosen).order_by("order"))
    own = list(organisation.domains.filter(broader__isnull=True).order_by("order"))
    return own


def next_steps(assessment: Assessment, *, domains: Sequence[Term] = ()) -> list[NextStep]:
    """For the weakest building blocks: the study's recommendations on that building block
    (theme; Fundament cluster first), projects and lighthouses for the municipality's domains,
    and peer municipalities that shared a result with a high score on that building block."""
    project_list = reverse("projects:project-list")
    shared_peers = list(latest_submitted().filter(shared=True).exclude(organisation=assessment.organisation))
    steps = []
    for block, score in weakest_blocks(assessment):
        recs = list(
            Recommendation.objects.live().filter(theme=block).select_related("cluster").order_by("cluster__order", "number")
        )
        projects = [Link(d.label, f"{project_list}?{urlencode({'domain': d.code})}") for d in domains]
        lighthouses = [link for d in domains for link in lighthouses_for(d)]
        peers = sorted(
            (
                (a.organisation, a.scores[block.code], a.pk)
                for a in shared_peers
                if a.scores.get(block.code, 0) >= HIGH_SCORE and a.scores[block.code] > (score or 0)
            ),
            key=lambda p: (-p[1], p[0].name),
        )[:5]
        steps.append(NextStep(block, score, recs, projects, lighthouses, peers))
    return steps


# --- region-wide --------------------------------------------------------------------------------


@dataclass
class DistributionRow:
    dimension: str
    group: str
    n: int
    suppressed: bool
    means: dict[str, float | None]
    bands: dict[str, list[int]]  # block code -> count of municipalities per rounded level 0..4


def _row(dimension: str, group: str, assessments: Sequence[Assessment], blocks: Sequence[Term]) -> DistributionRow:
    n = len(assessments)
    if n < min_group():
        return DistributionRow(dimension, group, n, True, {}, {})
    means: dict[str, float | None] = {}
    bands: dict[str, list[int]] = {}
    for block in blocks:
        values = [a.scores[block.code] for a in assessments if block.code in a.scores]
        means[block.code] = round(statistics.fmean(values), 2) if len(values) >= min_group() else None
        counts = [0] * (MAX_LEVEL + 1)
        for v in values:
            counts[min(MAX_LEVEL, round(v))] += 1
        bands[block.code] = counts if len(values) >= min_group() else []
    return DistributionRow(dimension, group, n, False, means, bands)


def _complementary(groups: list[tuple[str, list[Assessment]]]) -> set[str]:
    """Groups to suppress in one dimension. Besides the groups below the threshold, when
    exactly one non-empty group is suppressed the smallest shown group is suppressed too:
    otherwise the region's total minus the shown groups would reveal the hidden one."""
    hidden = {g for g, members in groups if len(members) < min_group()}
    small_nonempty = [g for g, members in groups if 0 < len(members) < min_group()]
    shown = sorted(((len(m), g) for g, m in groups if g not in hidden))
    if len(small_nonempty) == 1 and shown:
        hidden.add(shown[0][1])
    return hidden


def region_distribution() -> tuple[list[Term], list[DistributionRow]]:
    """Distribution by building block: the whole region, per size class and per province."""
    blocks = building_blocks()
    latest = list(latest_submitted())
    rows = [_row(_("Region"), _("All municipalities"), latest, blocks)]
    sizes: list[tuple[str, list[Assessment]]] = [
        (str(size.label), [a for a in latest if a.organisation.municipality_size == size]) for size in MunicipalitySize
    ]
    unknown = [a for a in latest if not a.organisation.municipality_size]
    if unknown:
        sizes.append((_("Size class unknown"), unknown))
    province_ids = {a.organisation.province_id for a in latest if a.organisation.province_id}
    provinces: list[tuple[str, list[Assessment]]] = [
        (p.name_nl, [a for a in latest if a.organisation.province_id == p.pk])
        for p in Province.objects.filter(pk__in=province_ids).order_by("name_nl")
    ]
    no_province = [a for a in latest if not a.organisation.province_id]
    if no_province:
        provinces.append((_("Province unknown"), no_province))
    for dimension, groups in ((_("Size class"), sizes), (_("Province"), provinces)):
        hidden = _complementary(groups)
        for group, members in groups:
            if not members:
                continue
            row = _row(dimension, group, [] if group in hidden else members, blocks)
            row.n = len(members)
            rows.append(row)
    return blocks, rows

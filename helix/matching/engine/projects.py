"""Project similarity (M4, "Who did this before?"): the most similar projects elsewhere, and why.

PURE PYTHON (no Django). The same conventions as the marketplace matcher (`market.py`):
`ProjectIndex(projects, weights)` indexes the candidate projects once;
`ProjectIndex.similar(query, limit=..., allowed=...)` returns the exact top-k `SimilarProject`s,
each with its explanation: one `SimilarityContribution` (criterion, weight, value in [0, 1],
contribution = weight * value) per criterion with a weight > 0. The score is the sum of the
contributions, added in the order of `SimilarityCriterion`, rounded to 6 decimals. Ties are
broken by id: the same input always gives the same ranking.

The query is a project or a challenge (`ProjectProfile.kind`), the candidates are projects.

Signals
-------

* text: BM25 relevance (`text.TextIndex`) of the query's title and text against the
  candidate's (title, summaries, objectives, lessons), normalised to [0, 1] as in the matcher;
* domains, sdgs: Jaccard overlap |A & B| / |A | B|;
* phase: the ladder research < study < pilot < implementation < operation (same step 1, one step
  apart 0.5, else 0; unknown on either side 0);
* status: how *proven* the candidate is, whatever the query: scaled or completed 1, running 0.5,
  pilot 0.25, idea / stopped / unknown 0. A project that was carried through is the better
  answer to "who did this before?";
* size_class: the municipality size classes of the two sides' places, the best pair on the
  ladder small < medium < large (same class 1, adjacent 0.5, else 0; no class known 0);
* funding: Jaccard overlap of the funding instruments (codes of the instruments that funded a
  project; a challenge has none, so it scores 0 here).

"Elsewhere": a candidate that shares a place (a municipality id) with the query is excluded,
and so is the query project itself. Linked projects (replicates, scales up, ...) are not
excluded by their link; the query lists its links (`ProjectProfile.links`) and every result
carries the link it has with the query (`SimilarProject.link`) so the page can say so.

Exact top-k
-----------

Every contribution lies in [0, weight]. The set signals are 0 for a candidate that shares no code
with the query, and the text is 0 for a candidate without a query term. `similar` therefore

1. accumulates integer BM25 scores term-at-a-time from the posting lists of the query's terms;
   terms found in more than ``defer_fraction`` of the projects are *deferred* (not accumulated;
   the sum Dt of their per-term maxima bounds what they can add), as in the matcher;
2. bounds every candidate touched by a text term or a shared code: ``w_text * value(acc + Dt)``
   plus, per set signal, ``w * s / |query codes|`` for s shared codes (Jaccard <= s /
   |query codes|) plus its exact static signals (phase, status, size class), priced once per
   *static profile* (the few distinct combinations of phase, status and size classes);
3. scores the `first_batch` best-bounded candidates (exact text from the forward index), which
   gives the k-th best score theta, then every candidate whose bound reaches theta, in decreasing
   order of the bound, in chunks, until the next bound is below the k-th best score by more than
   EPS;
4. untouched candidates can only score their static signals plus ``w_text * value(Dt)``: their
   static profiles are taken in decreasing order of that value while it can still reach the
   k-th best score.

Exact scores are computed by one function (`profile_values` + `combine`) in both the indexed path
and `brute_force`, with integer text scores, so both return the same projects with the same scores.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .market import EPS, PHASES, SIZE_CLASSES, combine, jaccard, ladder
from .text import TextIndex, TextQuery

__all__ = [
    "STATUS_VALUES",
    "LinkRef",
    "ProjectIndex",
    "ProjectProfile",
    "ProjectWeights",
    "SimilarProject",
    "SimilarityContribution",
    "SimilarityCriterion",
    "brute_force",
    "profile_values",
]


class SimilarityCriterion(StrEnum):
    """The signals of project similarity, in the order the explanation lists them."""

    TEXT = "text"
    DOMAINS = "domains"
    SDGS = "sdgs"
    PHASE = "phase"
    STATUS = "status"  # how proven the candidate is (scaled / completed weigh most)
    SIZE_CLASS = "size_class"  # municipality size classes of the places
    FUNDING = "funding"  # funding instruments in common


C = SimilarityCriterion

STATUS_VALUES: dict[str, float] = {"scaled": 1.0, "completed": 1.0, "running": 0.5, "pilot": 0.25}
"""Status -> the "proven" value; every other status (idea, stopped, unknown) is 0."""


@dataclass(frozen=True)
class ProjectWeights:
    text: float = 0.35
    domains: float = 0.20
    sdgs: float = 0.05
    phase: float = 0.05
    status: float = 0.15
    size_class: float = 0.10
    funding: float = 0.10


@dataclass(frozen=True)
class LinkRef:
    """A typed link of the query project with another project: `kind` is a link kind
    (replicates, scales_up, ...); `outgoing` says whether the query states it ("this project
    replicates that one") or the other project does ("that one replicates this one")."""

    project_id: int
    kind: str
    outgoing: bool


@dataclass(frozen=True)
class ProjectProfile:
    """A project (or, as a query, a challenge) as the similarity index sees it.

    `places` are the ids of the municipalities (or places abroad) where it runs; `size_classes`
    the size classes of those municipalities; `funding` the codes of the instruments that fund
    it; `links` (queries only) its typed links with other projects.
    """

    id: int
    kind: str = "project"
    title: str = ""
    text: str = ""
    domains: frozenset[str] = frozenset()
    sdgs: frozenset[str] = frozenset()
    phase: str | None = None
    status: str | None = None
    size_classes: frozenset[str] = frozenset()
    places: frozenset[int] = frozenset()
    funding: frozenset[str] = frozenset()
    links: tuple[LinkRef, ...] = ()


@dataclass(frozen=True)
class SimilarityContribution:
    criterion: SimilarityCriterion
    weight: float
    value: float
    contribution: float


@dataclass(frozen=True)
class SimilarProject:
    project: ProjectProfile
    score: float
    explanation: tuple[SimilarityContribution, ...]
    link: LinkRef | None = None


Allowed = Callable[[ProjectProfile], bool] | Collection[int] | None

_PHASE_INDEX = {code: i for i, code in enumerate(PHASES)}
_SIZE_INDEX = {code: i for i, code in enumerate(SIZE_CLASSES)}
_SET_CRITERIA = (C.DOMAINS, C.SDGS, C.FUNDING)


def _text_of(profile: ProjectProfile) -> str:
    return f"{profile.title} {profile.text}"


def _phase(code: str | None) -> int:
    return _PHASE_INDEX.get(code, -1) if code else -1


def size_value(a: Iterable[str], b: Iterable[str]) -> float:
    """The best pair of size classes on the ladder (0 when either side has none)."""
    xs = [_SIZE_INDEX[c] for c in a if c in _SIZE_INDEX]
    ys = [_SIZE_INDEX[c] for c in b if c in _SIZE_INDEX]
    return max((ladder(x, y) for x in xs for y in ys), default=0.0)


def status_value(status: str | None) -> float:
    return STATUS_VALUES.get(status or "", 0.0)


def profile_values(
    query: ProjectProfile, candidate: ProjectProfile, text_value: float, criteria: Iterable[SimilarityCriterion]
) -> list[float]:
    """The values of `criteria` for one candidate, straight from the two profiles."""
    out: list[float] = []
    for criterion in criteria:
        if criterion is C.TEXT:
            value = text_value
        elif criterion is C.DOMAINS:
            value = jaccard(len(query.domains & candidate.domains), len(query.domains), len(candidate.domains))
        elif criterion is C.SDGS:
            value = jaccard(len(query.sdgs & candidate.sdgs), len(query.sdgs), len(candidate.sdgs))
        elif criterion is C.PHASE:
            value = ladder(_phase(query.phase), _phase(candidate.phase))
        elif criterion is C.STATUS:
            value = status_value(candidate.status)
        elif criterion is C.SIZE_CLASS:
            value = size_value(query.size_classes, candidate.size_classes)
        elif criterion is C.FUNDING:
            value = jaccard(len(query.funding & candidate.funding), len(query.funding), len(candidate.funding))
        else:  # pragma: no cover - every criterion is handled above
            raise ValueError(criterion)
        out.append(value)
    return out


@dataclass
class _Query:
    profile: ProjectProfile
    criteria: tuple[SimilarityCriterion, ...]
    weights: tuple[float, ...]
    w_text: float
    text: TextQuery
    links: dict[int, LinkRef]


class ProjectIndex:
    """Candidate projects indexed once for many exact top-k queries (read-only after construction).

    `chunk` is how many candidates are scored between two checks of the bound (speed only).
    """

    def __init__(
        self,
        projects: Sequence[ProjectProfile],
        weights: ProjectWeights | None = None,
        *,
        chunk: int = 32,
        first_batch: int = 128,
        defer_fraction: float = 0.1,
        defer_min_df: int = 64,
    ):
        order = sorted(range(len(projects)), key=lambda i: (projects[i].id, i))
        self.projects: tuple[ProjectProfile, ...] = tuple(projects[i] for i in order)
        self.weights = weights or ProjectWeights()
        self.chunk = max(1, chunk)
        self.first_batch = max(1, first_batch)
        self.defer_fraction = defer_fraction
        self.defer_min_df = defer_min_df
        self._n = len(self.projects)
        self._positions: dict[int, list[int]] = {}
        for i, p in enumerate(self.projects):
            self._positions.setdefault(p.id, []).append(i)
        self._place_post = self._postings(lambda p: p.places)
        self._set_post: dict[SimilarityCriterion, dict[object, list[int]]] = {
            C.DOMAINS: self._postings(lambda p: p.domains),
            C.SDGS: self._postings(lambda p: p.sdgs),
            C.FUNDING: self._postings(lambda p: p.funding),
        }
        # Static profile: what the query-independent-by-candidate signals depend on.
        profiles: dict[tuple[object, ...], int] = {}
        self._profile_of: list[int] = []
        self._profile_reps: list[int] = []
        self._profile_members: list[list[int]] = []
        for i, p in enumerate(self.projects):
            key = (p.phase or "", p.status or "", tuple(sorted(p.size_classes)))
            profile = profiles.get(key)
            if profile is None:
                profile = profiles[key] = len(self._profile_reps)
                self._profile_reps.append(i)
                self._profile_members.append([])
            self._profile_of.append(profile)
            self._profile_members[profile].append(i)
        self._text = TextIndex(_text_of(p) for p in self.projects)

    def _postings(self, codes: Callable[[ProjectProfile], Iterable[object]]) -> dict[object, list[int]]:
        out: dict[object, list[int]] = {}
        for i, p in enumerate(self.projects):
            for code in codes(p):
                out.setdefault(code, []).append(i)
        return out

    def __len__(self) -> int:
        return self._n

    def get(self, project_id: int) -> ProjectProfile | None:
        positions = self._positions.get(project_id)
        return self.projects[positions[0]] if positions else None

    # -- query preparation ------------------------------------------------------------------

    def _query(self, profile: ProjectProfile) -> _Query:
        criteria = tuple(c for c in SimilarityCriterion if float(getattr(self.weights, c.value)) > 0)
        weights = tuple(float(getattr(self.weights, c.value)) for c in criteria)
        return _Query(
            profile=profile,
            criteria=criteria,
            weights=weights,
            w_text=float(self.weights.text) if C.TEXT in criteria else 0.0,
            text=self._text.query(_text_of(profile)),
            links={link.project_id: link for link in profile.links},
        )

    def _excluded(self, q: _Query) -> set[int]:
        """The query project itself and every project sharing a place with the query."""
        profile = q.profile
        out: set[int] = set()
        if profile.kind == "project":
            out.update(self._positions.get(profile.id, ()))
        for place in profile.places:
            out.update(self._place_post.get(place, ()))
        return out

    def _filter(self, allowed: Allowed, excluded: set[int]) -> Callable[[int], bool]:
        if allowed is None:
            return lambda i: i not in excluded
        projects = self.projects
        if callable(allowed):
            predicate = allowed
            return lambda i: i not in excluded and bool(predicate(projects[i]))
        ids = frozenset(allowed)
        return lambda i: i not in excluded and projects[i].id in ids

    def _score(self, q: _Query, i: int, text_total: int) -> float:
        text_value = q.text.value(text_total) if q.w_text else 0.0
        return combine(q.weights, profile_values(q.profile, self.projects[i], text_value, q.criteria))

    def _result(self, q: _Query, i: int, text_total: int) -> SimilarProject:
        project = self.projects[i]
        text_value = q.text.value(text_total) if q.w_text else 0.0
        values = profile_values(q.profile, project, text_value, q.criteria)
        explanation = tuple(
            SimilarityContribution(criterion=c, weight=w, value=round(v, 6), contribution=round(w * v, 6))
            for c, w, v in zip(q.criteria, q.weights, values, strict=True)
        )
        return SimilarProject(
            project=project, score=combine(q.weights, values), explanation=explanation, link=q.links.get(project.id)
        )

    # -- public API -------------------------------------------------------------------------

    def similar(self, query: ProjectProfile, *, limit: int = 10, allowed: Allowed = None) -> list[SimilarProject]:
        """The exact top-`limit` projects elsewhere for `query`, best first, each explained."""
        if limit <= 0 or not self._n:
            return []
        q = self._query(query)
        ok = self._filter(allowed, self._excluded(q))
        weight = dict(zip(q.criteria, q.weights, strict=True))
        # 1. text, term at a time; terms in very many projects are deferred and only bounded
        nondeferred: list[int] = []
        deferred_total = 0
        if q.w_text:
            max_df = max(self.defer_min_df, int(self.defer_fraction * self._n))
            for j, term in enumerate(q.text.terms):
                df = self._text.df(term)
                if df > max_df:
                    deferred_total += q.text.bounds[j]
                elif df:
                    nondeferred.append(j)
        acc, touched = self._text.accumulate(q.text, nondeferred)
        if deferred_total:

            def full_text(ps: list[int]) -> list[int]:
                return self._text.forward_totals(q.text, ps)
        else:

            def full_text(ps: list[int]) -> list[int]:
                return [acc[i] for i in ps]

        # 2. static signals per static profile, and set-signal bounds by shared codes
        static_criteria = [(c, w) for c, w in weight.items() if c in (C.PHASE, C.STATUS, C.SIZE_CLASS)]
        static = [
            sum(
                w * v
                for (_, w), v in zip(
                    static_criteria, profile_values(query, self.projects[rep], 0.0, [c for c, _ in static_criteria]), strict=True
                )
            )
            for rep in self._profile_reps
        ]
        bonus: dict[int, float] = {}
        for criterion in _SET_CRITERIA:
            codes: frozenset[object] = getattr(query, criterion.value)
            w = weight.get(criterion, 0.0)
            if not codes or not w:
                continue
            per_code = w / len(codes)
            postings = self._set_post[criterion]
            for code in codes:
                for i in postings.get(code, ()):
                    bonus[i] = bonus.get(i, 0.0) + per_code
        touched |= bonus.keys()
        w_text, value, profile_of = q.w_text, q.text.value, self._profile_of
        order = sorted(touched)
        uppers = [w_text * value(acc[i] + deferred_total) + bonus.get(i, 0.0) + static[profile_of[i]] + EPS for i in order]
        # 3. touched projects, best bound first, in chunks, until a bound cannot reach the k-th best
        heap: list[tuple[float, int]] = []  # (score, -position): heap[0] is the k-th best

        def score_in_order(ranked: list[int]) -> None:
            for start in range(0, len(ranked), self.chunk):
                if len(heap) >= limit and uppers[ranked[start]] < heap[0][0] - EPS:
                    return
                batch = [order[j] for j in ranked[start : start + self.chunk] if ok(order[j])]
                for i, total in zip(batch, full_text(batch), strict=True):
                    _offer(heap, limit, i, self._score(q, i, total))

        def by_bound(j: int) -> tuple[float, int]:
            return (-uppers[j], j)

        first = sorted(heapq.nsmallest(max(self.first_batch, 4 * limit), range(len(order)), key=by_bound), key=by_bound)
        score_in_order(first)
        if len(first) < len(order):
            taken = set(first)
            theta = heap[0][0] - EPS if len(heap) >= limit else float("-inf")
            score_in_order(sorted((j for j, u in enumerate(uppers) if u >= theta and j not in taken), key=by_bound))
        # 4. untouched projects score their static signals and at most the deferred text bound
        untouched_text = w_text * value(deferred_total) if deferred_total else 0.0
        for profile in sorted(range(len(static)), key=lambda p: -static[p]):
            if len(heap) >= limit and static[profile] + untouched_text + EPS < heap[0][0] - EPS:
                break
            batch = [i for i in self._profile_members[profile] if i not in touched and ok(i)]
            for i, total in zip(batch, full_text(batch), strict=True):
                _offer(heap, limit, i, self._score(q, i, total))
        positions = [-neg for _, neg in sorted(heap, key=lambda item: (-item[0], -item[1]))]
        return [self._result(q, i, total) for i, total in zip(positions, full_text(positions), strict=True)]

    def brute_force(self, query: ProjectProfile, *, limit: int = 10, allowed: Allowed = None) -> list[SimilarProject]:
        """Score every allowed candidate straight from the profiles and sort (the reference)."""
        if limit <= 0:
            return []
        q = self._query(query)
        ok = self._filter(allowed, self._excluded(q))
        scored = sorted((-self._score(q, i, self._text.doc_total(q.text, i)), i) for i in range(self._n) if ok(i))
        return [self._result(q, i, self._text.doc_total(q.text, i)) for _, i in scored[:limit]]


def _offer(heap: list[tuple[float, int]], k: int, i: int, score: float) -> None:
    """Keep the k best (score, -position) pairs: higher score, then lower position, wins."""
    item = (score, -i)
    if len(heap) < k:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


def brute_force(
    query: ProjectProfile,
    projects: Sequence[ProjectProfile],
    weights: ProjectWeights | None = None,
    *,
    limit: int = 10,
    allowed: Allowed = None,
) -> list[SimilarProject]:
    """Score every candidate the straightforward way (for tests and the benchmark)."""
    return ProjectIndex(projects, weights).brute_force(query, limit=limit, allowed=allowed)

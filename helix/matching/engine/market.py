"""The marketplace matcher (M5): rank challenges, solutions and organisations, and say why.

PURE PYTHON (no Django). `Matcher(candidates, weights)` indexes the candidates once;
`Matcher.match(query, limit=..., allowed=..., mode=...)` returns the exact top-k `Match`es, each
with its explanation: one `Contribution` (criterion, weight, value in [0, 1], contribution =
weight * value) per criterion that applies to the mode and has a weight > 0. The score is the sum
of the contributions (added in the order of `MatchCriterion`), rounded to 6 decimals. Ties are
broken by id, then kind: the same input always gives the same ranking.

Modes and signals
-----------------

``need_offer`` (challenge -> solutions or organisations; solution -> challenges)
    The side that needs is the challenge: the query if ``query.kind == "challenge"``, otherwise
    the candidate. The other side offers.

    * text: BM25 relevance of the query's title and text against the candidate's, normalised to
      [0, 1] by the query's maximum attainable score (`text.TextIndex`);
    * domains, sdgs: Jaccard overlap |A & B| / |A | B| (chosen over the overlap coefficient so a
      party that claims every domain does not match everything at full strength);
    * roles: the share of the needed value-chain roles that the offering side offers;
    * references: the share of the offering side's references that are in municipalities of
      the needing side's size class (0 without references: a small weight keeps newcomers in);
    * maturity: the offering side's maturity against the phase sought, on the ladder research <
      study < pilot < implementation < operation: the same step 1, one step apart 0.5, else 0;
    * proximity: 1 when the two share an area code (province, region), else 0 - never a wall;
    * startup_boost, open_standards_boost: policy levers, 1 when the offering side is a start-up /
      supports an open standard.

``complement`` (company -> complementary companies: the sensor maker and the dashboard builder)
    text, domains, sdgs, proximity and the two levers as above; roles: when the two share a
    domain, the share of the candidate's roles that the query does not have (different roles in
    the same field), else 0. references and maturity do not apply.

``peer`` (municipality -> peer municipalities, for a joint challenge or a group purchase)
    text, domains, sdgs (of their challenges) and proximity as above; shared_challenges: Jaccard
    overlap of the value-chain roles their challenges ask the market for; size_class: the same
    size class 1, adjacent classes (small-medium, medium-large) 0.5, else 0.

In ``complement`` and ``peer`` mode the query never matches itself nor a party of its own
organisation; in every mode a party never matches itself (same kind and id).

Access rules come first: `allowed` (a set of candidate ids, or a predicate on the `Party`) removes
candidates before anything is scored or selected. Text statistics (idf, average length) are those
of the whole candidate set, so a filter never changes the score of the candidates it keeps.

Exact top-k
-----------

A candidate's score is a sum of contributions that each lie in [0, weight]. Set signals (domains,
SDGs, roles, shared challenges) are zero for a candidate that shares no code with the query
(complementary roles need a shared domain); the text is zero for a candidate without a query
term. `match` therefore

1. accumulates integer BM25 scores term-at-a-time from the posting lists of the query's terms.
   Terms found in more than ``defer_fraction`` of the candidates are *deferred*: not
   accumulated; their summed per-term maxima Dt bound what they can add to any candidate;
2. computes, for every candidate touched by a text term or a set signal, an upper bound of its
   score: ``w_text * value(accumulated + Dt)`` (the text value is increasing) plus its exact
   static signals (references, maturity, size class, levers: priced once per *static profile*,
   the few distinct combinations of those features) plus proximity plus, per set signal, a bound
   from the number s of query codes it shares (Jaccard <= s / |query codes|; needed roles
   covered = s / |needed|; otherwise the weight);
3. scores exactly the 128 best-bounded candidates, which gives theta, the k-th best score so
   far; then takes every candidate whose bound reaches theta, in decreasing order of the bound,
   and scores them in chunks until the next bound falls below the k-th best score. With deferred
   terms a candidate is first scored without them and rescored with its full text (from a
   forward index) only if ``value(its text + Dt)`` could still lift it into the top-k;
4. candidates touched by nothing can only reach ``w_text * value(Dt)`` plus the highest static
   contribution; if the k-th best score does not exceed that, they are all scored too (the
   fallback that keeps the answer exact, e.g. for a query that shares nothing with anyone).

A candidate is skipped only when an upper bound of its score is below the k-th best exact score
by more than 2e-6, so it can reach the top-k neither after rounding to 6 decimals nor on a tie.
Exact scores are computed by the same arithmetic in the indexed path and in `brute_force`
(integer text scores, so their order of addition does not matter; the same value functions on the
same integers; contributions added in criterion order), so both return the same parties with the
same scores; `helix/matching/tests/test_engine_market.py` checks that on random data.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from .text import TextIndex, TextQuery
from .types import Contribution, Match, MatchCriterion, MatchMode, Party, Weights

__all__ = [
    "MODE_CRITERIA",
    "PHASES",
    "SIZE_CLASSES",
    "Matcher",
    "brute_force",
]

PHASES: tuple[str, ...] = ("research", "study", "pilot", "implementation", "operation")
SIZE_CLASSES: tuple[str, ...] = ("small", "medium", "large")
_PHASE_INDEX = {code: i for i, code in enumerate(PHASES)}
_SIZE_INDEX = {code: i for i, code in enumerate(SIZE_CLASSES)}
_CHALLENGE = "challenge"
EPS = 2e-6  # pruning margin: rounding to 6 decimals (5e-7 each side) plus float noise

C = MatchCriterion
MODE_CRITERIA: dict[MatchMode, tuple[MatchCriterion, ...]] = {
    MatchMode.NEED_OFFER: (
        C.TEXT,
        C.DOMAINS,
        C.SDGS,
        C.ROLES,
        C.REFERENCES,
        C.MATURITY,
        C.PROXIMITY,
        C.STARTUP_BOOST,
        C.OPEN_STANDARDS_BOOST,
    ),
    MatchMode.COMPLEMENT: (C.TEXT, C.DOMAINS, C.SDGS, C.ROLES, C.PROXIMITY, C.STARTUP_BOOST, C.OPEN_STANDARDS_BOOST),
    MatchMode.PEER: (C.TEXT, C.DOMAINS, C.SDGS, C.PROXIMITY, C.SHARED_CHALLENGES, C.SIZE_CLASS),
}

Allowed = Callable[[Party], bool] | Collection[int] | None
_STATIC = frozenset({C.REFERENCES, C.MATURITY, C.SIZE_CLASS, C.STARTUP_BOOST, C.OPEN_STANDARDS_BOOST})


# ------------------------------------------------------------------------------------------
# Value functions: the single definition of every signal, on plain integers
# ------------------------------------------------------------------------------------------


def jaccard(inter: int, size_a: int, size_b: int) -> float:
    return inter / (size_a + size_b - inter) if inter else 0.0


def coverage(inter: int, needed: int) -> float:
    return inter / needed if inter else 0.0


def complement(candidate_roles: int, shared_roles: int, shared_domains: int) -> float:
    if not shared_domains or not candidate_roles:
        return 0.0
    return (candidate_roles - shared_roles) / candidate_roles


def share(count: int, total: int) -> float:
    return count / total if count else 0.0


def ladder(a: int, b: int) -> float:
    """1 for the same step, 0.5 one step apart, else 0; -1 means unknown."""
    if a < 0 or b < 0:
        return 0.0
    distance = abs(a - b)
    return 1.0 if distance == 0 else 0.5 if distance == 1 else 0.0


def _flag(value: bool) -> float:
    return 1.0 if value else 0.0


def combine(weights: Sequence[float], values: Sequence[float]) -> float:
    """The score: contributions added in criterion order, rounded to 6 decimals."""
    total = 0.0
    for weight, value in zip(weights, values, strict=True):
        total += weight * value
    return round(total, 6)


def _weight(weights: Weights, criterion: MatchCriterion) -> float:
    return float(getattr(weights, criterion.value))


def _party_text(party: Party) -> str:
    return f"{party.title} {party.text}"


def _phase(code: str | None) -> int:
    return _PHASE_INDEX.get(code, -1) if code else -1


def _size(code: str | None) -> int:
    return _SIZE_INDEX.get(code, -1) if code else -1


def _reference_share(references: tuple[str, ...], size_class: str | None) -> float:
    if not size_class:
        return 0.0
    return share(references.count(size_class), len(references))


def party_values(
    query: Party, candidate: Party, mode: MatchMode, text_value: float, criteria: Iterable[MatchCriterion]
) -> list[float]:
    """The values of `criteria` for one candidate, straight from the two parties (reference path)."""
    need_is_query = query.kind == _CHALLENGE
    offer = candidate if need_is_query else query
    need = query if need_is_query else candidate
    out: list[float] = []
    for criterion in criteria:
        if criterion is C.TEXT:
            value = text_value
        elif criterion is C.DOMAINS:
            value = jaccard(len(query.domains & candidate.domains), len(query.domains), len(candidate.domains))
        elif criterion is C.SDGS:
            value = jaccard(len(query.sdgs & candidate.sdgs), len(query.sdgs), len(candidate.sdgs))
        elif criterion is C.ROLES:
            shared_roles = len(query.roles & candidate.roles)
            if mode is MatchMode.COMPLEMENT:
                value = complement(len(candidate.roles), shared_roles, len(query.domains & candidate.domains))
            else:
                value = coverage(shared_roles, len(need.roles))
        elif criterion is C.REFERENCES:
            value = _reference_share(offer.references, need.size_class)
        elif criterion is C.MATURITY:
            value = ladder(_phase(query.phase), _phase(candidate.phase))
        elif criterion is C.PROXIMITY:
            value = _flag(bool(query.areas & candidate.areas))
        elif criterion is C.STARTUP_BOOST:
            value = _flag(offer.is_startup)
        elif criterion is C.OPEN_STANDARDS_BOOST:
            value = _flag(bool(offer.open_standards))
        elif criterion is C.SHARED_CHALLENGES:
            value = jaccard(len(query.roles & candidate.roles), len(query.roles), len(candidate.roles))
        elif criterion is C.SIZE_CLASS:
            value = ladder(_size(query.size_class), _size(candidate.size_class))
        else:  # pragma: no cover - every criterion is handled above
            raise ValueError(criterion)
        out.append(value)
    return out


# ------------------------------------------------------------------------------------------
# The index
# ------------------------------------------------------------------------------------------


def _bits(codes: Iterable[str], vocabulary: dict[str, int]) -> int:
    mask = 0
    for code in codes:
        bit = vocabulary.get(code)
        if bit is not None:
            mask |= 1 << bit
    return mask


def _vocabulary(sets: Iterable[Iterable[str]]) -> dict[str, int]:
    return {code: i for i, code in enumerate(sorted(set().union(*sets)))}


@dataclass
class _Query:
    """Everything about one query that the scorers need (built once per `match` call)."""

    party: Party
    mode: MatchMode
    criteria: tuple[MatchCriterion, ...]  # active: applicable to the mode, weight > 0
    weights: tuple[float, ...]
    text: TextQuery
    w_text: float
    dom: int
    sdg: int
    role: int
    area: int
    phase: int
    size: int
    need_is_query: bool


@dataclass
class _Group:
    """A set signal for the pruning: candidates sharing a query code, and what that can be worth.

    A candidate sharing s of the group's codes gets at most ``s * per_code + once`` from it.
    """

    postings: list[list[int]]  # one posting list per query code
    per_code: float
    once: float


class Matcher:
    """Candidates indexed once for many exact top-k queries (read-only after construction).

    Tuning knobs, which change the speed and never the result: query terms found in more than
    `defer_fraction` of the candidates (and in more than `defer_min_df`) are not accumulated but
    bounded; `first_batch` is how many of the best-bounded candidates are scored before the
    k-th best score is used to cut the rest (they are scored in chunks of a quarter of that).
    """

    def __init__(
        self,
        candidates: Sequence[Party],
        weights: Weights,
        *,
        defer_fraction: float = 0.1,
        defer_min_df: int = 64,
        first_batch: int = 128,
    ) -> None:
        order = sorted(range(len(candidates)), key=lambda i: (candidates[i].id, candidates[i].kind, i))
        self.parties: tuple[Party, ...] = tuple(candidates[i] for i in order)
        self.weights = weights
        self.defer_fraction = defer_fraction
        self.defer_min_df = defer_min_df
        self.first_batch = first_batch
        parties = self.parties
        self._n = len(parties)
        self._ids = [p.id for p in parties]
        self._positions: dict[int, list[int]] = {}
        self._org_positions: dict[int, list[int]] = {}
        for i, p in enumerate(parties):
            self._positions.setdefault(p.id, []).append(i)
            if p.organisation_id is not None:
                self._org_positions.setdefault(p.organisation_id, []).append(i)
        self._dom_vocab = _vocabulary(p.domains for p in parties)
        self._sdg_vocab = _vocabulary(p.sdgs for p in parties)
        self._role_vocab = _vocabulary(p.roles for p in parties)
        self._area_vocab = _vocabulary(p.areas for p in parties)
        self._dom = [_bits(p.domains, self._dom_vocab) for p in parties]
        self._sdg = [_bits(p.sdgs, self._sdg_vocab) for p in parties]
        self._role = [_bits(p.roles, self._role_vocab) for p in parties]
        self._area = [_bits(p.areas, self._area_vocab) for p in parties]
        self._n_dom = [len(p.domains) for p in parties]
        self._n_sdg = [len(p.sdgs) for p in parties]
        self._n_role = [len(p.roles) for p in parties]
        self._phase_of = [_phase(p.phase) + 1 for p in parties]  # 0 = unknown
        self._size_of = [_size(p.size_class) + 1 for p in parties]  # 0 = unknown
        self._size_class = [p.size_class or "" for p in parties]
        self._startup = [_flag(p.is_startup) for p in parties]
        self._open = [_flag(bool(p.open_standards)) for p in parties]
        self._n_refs = [len(p.references) for p in parties]
        classes = sorted({code for p in parties for code in p.references})
        self._ref_counts: dict[str, list[int]] = {c: [p.references.count(c) for p in parties] for c in classes}
        # Candidates with the same static profile get the same static values from any query:
        # one representative per profile lets a query price them all at once.
        profiles: dict[tuple[object, ...], int] = {}
        self._profile_of: list[int] = []
        self._profile_reps: list[int] = []
        for i, p in enumerate(parties):
            key = (
                self._phase_of[i],
                p.size_class or "",
                p.is_startup,
                bool(p.open_standards),
                tuple(sorted(Counter(p.references).items())),
            )
            profile = profiles.get(key)
            if profile is None:
                profile = profiles[key] = len(self._profile_reps)
                self._profile_reps.append(i)
            self._profile_of.append(profile)
        self._area_post = self._postings(lambda p: p.areas)
        self._dom_post = self._postings(lambda p: p.domains)
        self._sdg_post = self._postings(lambda p: p.sdgs)
        self._role_post = self._postings(lambda p: p.roles)
        self._text = TextIndex(_party_text(p) for p in parties)

    def _postings(self, codes: Callable[[Party], frozenset[str]]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, party in enumerate(self.parties):
            for code in codes(party):
                out.setdefault(code, []).append(i)
        return out

    def __len__(self) -> int:
        return self._n

    # -- query preparation ------------------------------------------------------------------

    def _query(self, party: Party, mode: MatchMode) -> _Query:
        criteria = tuple(c for c in MODE_CRITERIA[mode] if _weight(self.weights, c) > 0)
        return _Query(
            party=party,
            mode=mode,
            criteria=criteria,
            weights=tuple(_weight(self.weights, c) for c in criteria),
            text=self._text.query(_party_text(party)),
            w_text=_weight(self.weights, C.TEXT) if C.TEXT in criteria else 0.0,
            dom=_bits(party.domains, self._dom_vocab),
            sdg=_bits(party.sdgs, self._sdg_vocab),
            role=_bits(party.roles, self._role_vocab),
            area=_bits(party.areas, self._area_vocab),
            phase=_phase(party.phase),
            size=_size(party.size_class),
            need_is_query=party.kind == _CHALLENGE,
        )

    def _excluded(self, q: _Query) -> set[int]:
        party = q.party
        out = {i for i in self._positions.get(party.id, ()) if self.parties[i].kind == party.kind}
        if q.mode is not MatchMode.NEED_OFFER and party.organisation_id is not None:
            out.update(self._org_positions.get(party.organisation_id, ()))
        return out

    def _filter(self, allowed: Allowed, excluded: set[int]) -> Callable[[int], bool]:
        """A predicate on positions: allowed by the access rules and not the query itself."""
        if allowed is None:
            return lambda i: i not in excluded
        if callable(allowed):
            parties = self.parties
            verdicts: dict[int, bool] = {}
            predicate = allowed

            def check(i: int) -> bool:
                ok = verdicts.get(i)
                if ok is None:
                    ok = verdicts[i] = i not in excluded and bool(predicate(parties[i]))
                return ok

            return check
        ids = self._ids
        ids_allowed = allowed
        return lambda i: i not in excluded and ids[i] in ids_allowed

    # -- exact scoring ----------------------------------------------------------------------

    def _values_many(self, q: _Query, criterion: MatchCriterion, ps: list[int], totals: list[int]) -> list[float]:
        """The values of one criterion for the candidates at positions `ps` (the fast path).

        Every expression repeats the arithmetic of the value functions above on the same
        integers, so the results are bit-identical to `party_values`.
        """
        if criterion is C.TEXT:
            half = q.text.half
            return [t / (t + half) if t else 0.0 for t in totals]
        if criterion is C.DOMAINS:
            return self._jaccard_many(q.dom, len(q.party.domains), self._dom, self._n_dom, ps)
        if criterion is C.SDGS:
            return self._jaccard_many(q.sdg, len(q.party.sdgs), self._sdg, self._n_sdg, ps)
        if criterion is C.SHARED_CHALLENGES:
            return self._jaccard_many(q.role, len(q.party.roles), self._role, self._n_role, ps)
        if criterion is C.ROLES:
            qr, role, n_role = q.role, self._role, self._n_role
            if q.mode is MatchMode.COMPLEMENT:
                qd, dom = q.dom, self._dom
                return [(n_role[i] - (qr & role[i]).bit_count()) / n_role[i] if (qd & dom[i]) and n_role[i] else 0.0 for i in ps]
            if q.need_is_query:
                needed = len(q.party.roles)
                return [s / needed if s else 0.0 for i in ps for s in [(qr & role[i]).bit_count()]]
            return [s / n_role[i] if s else 0.0 for i in ps for s in [(qr & role[i]).bit_count()]]
        if criterion is C.REFERENCES:
            if q.need_is_query:
                size_class = q.party.size_class
                counts = self._ref_counts.get(size_class) if size_class else None
                if counts is None:
                    return [0.0] * len(ps)
                n_refs = self._n_refs
                return [counts[i] / n_refs[i] if counts[i] else 0.0 for i in ps]
            refs = q.party.references
            table = {c: _reference_share(refs, c or None) for c in set(self._size_class)}
            size_class_of = self._size_class
            return [table[size_class_of[i]] for i in ps]
        if criterion is C.MATURITY:
            steps = [ladder(q.phase, p - 1) for p in range(len(PHASES) + 1)]
            phase_of = self._phase_of
            return [steps[phase_of[i]] for i in ps]
        if criterion is C.SIZE_CLASS:
            steps = [ladder(q.size, s - 1) for s in range(len(SIZE_CLASSES) + 1)]
            size_of = self._size_of
            return [steps[size_of[i]] for i in ps]
        if criterion is C.PROXIMITY:
            qa, area = q.area, self._area
            return [1.0 if qa & area[i] else 0.0 for i in ps]
        if criterion is C.STARTUP_BOOST:
            if q.need_is_query:
                startup = self._startup
                return [startup[i] for i in ps]
            return [_flag(q.party.is_startup)] * len(ps)
        if criterion is C.OPEN_STANDARDS_BOOST:
            if q.need_is_query:
                open_ = self._open
                return [open_[i] for i in ps]
            return [_flag(bool(q.party.open_standards))] * len(ps)
        raise ValueError(criterion)  # pragma: no cover

    @staticmethod
    def _jaccard_many(qmask: int, n_q: int, masks: list[int], sizes: list[int], ps: list[int]) -> list[float]:
        return [s / (n_q + sizes[i] - s) if s else 0.0 for i in ps for s in [(qmask & masks[i]).bit_count()]]

    def _scores(self, q: _Query, ps: list[int], totals: list[int]) -> list[float]:
        """Exact scores of the candidates at `ps` with integer text scores `totals` (as `combine`)."""
        if not ps:
            return []
        sums: list[float] | None = None
        for criterion, weight in zip(q.criteria, q.weights, strict=True):
            values = self._values_many(q, criterion, ps, totals)
            if sums is None:
                sums = [0.0 + weight * v for v in values]
            else:
                sums = [s + weight * v for s, v in zip(sums, values, strict=True)]
        if sums is None:
            return [0.0] * len(ps)
        return [round(s, 6) for s in sums]

    def _match(self, q: _Query, i: int, text_total: int) -> Match:
        """The result for candidate i, explained from the parties themselves (reference path)."""
        party = self.parties[i]
        values = party_values(q.party, party, q.mode, q.text.value(text_total), q.criteria)
        explanation = tuple(
            Contribution(criterion=c, weight=w, value=round(v, 6), contribution=round(w * v, 6))
            for c, w, v in zip(q.criteria, q.weights, values, strict=True)
        )
        return Match(party=party, score=combine(q.weights, values), explanation=explanation)

    # -- bounds -----------------------------------------------------------------------------

    def _static_table(self, q: _Query) -> tuple[list[float], float]:
        """(static contribution per static profile, proximity weight if the query has areas).

        The static signals of a candidate (references, maturity, size class, the levers) depend
        only on its static profile, so one representative per profile prices them all.
        """
        reps = self._profile_reps
        table = [0.0] * len(reps)
        zeros = [0] * len(reps)
        w_proximity = 0.0
        for criterion, weight in zip(q.criteria, q.weights, strict=True):
            if criterion in _STATIC:
                values = self._values_many(q, criterion, reps, zeros)
                table = [t + weight * v for t, v in zip(table, values, strict=True)]
            elif criterion is C.PROXIMITY and q.area:
                w_proximity = weight
        return table, w_proximity

    def _groups(self, q: _Query) -> list[_Group]:
        """The set signals of the mode, each with an upper bound of its contribution.

        Jaccard with s shared codes is at most s / |query codes| (the candidate has at least s
        codes); needed roles covered by the candidate are exactly s / |needed|; the share of a
        challenge's needed roles a query solution covers, and complementary roles (which need a
        shared domain), are at most 1.
        """
        weight = dict(zip(q.criteria, q.weights, strict=True))
        party = q.party
        out: list[_Group] = []

        def add(postings: dict[str, list[int]], codes: frozenset[str], per_code: float, once: float) -> None:
            lists = [postings[code] for code in sorted(codes) if code in postings]
            if lists and (per_code > 0 or once > 0):
                out.append(_Group(postings=lists, per_code=per_code, once=once))

        w_dom = weight.get(C.DOMAINS, 0.0)
        per_domain = w_dom / len(party.domains) if party.domains else 0.0
        if q.mode is MatchMode.COMPLEMENT:
            add(self._dom_post, party.domains, per_domain, weight.get(C.ROLES, 0.0))
        else:
            add(self._dom_post, party.domains, per_domain, 0.0)
        if party.sdgs:
            add(self._sdg_post, party.sdgs, weight.get(C.SDGS, 0.0) / len(party.sdgs), 0.0)
        if party.roles:
            if q.mode is MatchMode.PEER:
                add(self._role_post, party.roles, weight.get(C.SHARED_CHALLENGES, 0.0) / len(party.roles), 0.0)
            elif q.mode is MatchMode.NEED_OFFER and q.need_is_query:
                add(self._role_post, party.roles, weight.get(C.ROLES, 0.0) / len(party.roles), 0.0)
            elif q.mode is MatchMode.NEED_OFFER:
                add(self._role_post, party.roles, 0.0, weight.get(C.ROLES, 0.0))
        return out

    # -- public API -------------------------------------------------------------------------

    def match(
        self,
        query: Party,
        *,
        limit: int = 20,
        allowed: Allowed = None,
        mode: str = MatchMode.NEED_OFFER,
    ) -> list[Match]:
        """The exact top-`limit` candidates for `query`, best first, each with its explanation.

        `allowed`: the access rule, applied before anything is ranked - a collection of candidate
        ids, or a predicate on the candidate `Party` (called at most once per candidate, only for
        candidates that could still reach the top). `mode`: a `MatchMode` value (see above).
        """
        q = self._query(query, MatchMode(mode))
        if limit <= 0 or not self._n:
            return []
        excluded = self._excluded(q)
        ok = self._filter(allowed, excluded)
        if allowed is not None and not callable(allowed) and len(allowed) * 16 < self._n:
            # Few candidates are allowed: scoring them directly is cheaper than any pruning.
            positions = sorted({i for pid in allowed for i in self._positions.get(pid, ())})
            return self._rank_all(q, [i for i in positions if ok(i)], limit)
        return self._top_k(q, limit, ok, excluded if allowed is None else None)

    def brute_force(
        self,
        query: Party,
        *,
        limit: int = 20,
        allowed: Allowed = None,
        mode: str = MatchMode.NEED_OFFER,
    ) -> list[Match]:
        """Score every allowed candidate straight from the parties and sort (the reference)."""
        q = self._query(query, MatchMode(mode))
        if limit <= 0:
            return []
        ok = self._filter(allowed, self._excluded(q))
        scored: list[tuple[float, int]] = []
        for i, party in enumerate(self.parties):
            if not ok(i):
                continue
            text_value = q.text.value(self._text.doc_total(q.text, i)) if q.w_text else 0.0
            score = combine(q.weights, party_values(q.party, party, q.mode, text_value, q.criteria))
            scored.append((-score, i))
        scored.sort()
        return [self._match(q, i, self._text.doc_total(q.text, i)) for _, i in scored[:limit]]

    # -- the indexed path -------------------------------------------------------------------

    def _rank_all(self, q: _Query, positions: list[int], limit: int) -> list[Match]:
        totals = self._text.forward_totals(q.text, positions) if q.w_text else [0] * len(positions)
        scores = self._scores(q, positions, totals)
        best = heapq.nsmallest(limit, zip((-s for s in scores), positions, totals, strict=True))
        return [self._match(q, i, t) for _, i, t in best]

    def _top_k(self, q: _Query, k: int, ok: Callable[[int], bool], excluded: set[int] | None) -> list[Match]:
        """Exact top-k by upper bounds (see the module docstring for the argument).

        `excluded` is given when no access filter applies (then `ok` is "not excluded").
        """
        tq = q.text
        w_text = q.w_text if tq.norm else 0.0
        half = tq.half
        # 1. text, term at a time; terms in very many candidates are deferred and only bounded
        nondeferred: list[int] = []
        deferred: list[int] = []
        if w_text:
            max_df = max(self.defer_min_df, int(self.defer_fraction * self._n))
            for j, term in enumerate(tq.terms):
                df = self._text.df(term)
                if df:
                    (deferred if df > max_df else nondeferred).append(j)
        acc, touched = self._text.accumulate(tq, nondeferred)
        # a candidate's full text score is at most its accumulated score plus the deferred bounds;
        # the value is increasing and subadditive, so w * value(a + d) <= w * value(a) + w * value(d)
        deferred_total = sum(tq.bounds[j] for j in deferred)
        deferred_bound = w_text * tq.value(deferred_total)
        full_text = self._full_text_fn(q, acc, deferred)
        # 2. per candidate, an upper bound of everything but the text: exact static signals
        # (priced per static profile), proximity, and the set signals by shared codes
        table, w_proximity = self._static_table(q)
        static_max = max(table, default=0.0) + w_proximity
        rest = [table[p] for p in self._profile_of]
        if w_proximity:
            near: set[int] = set()
            for code in q.party.areas:
                near.update(self._area_post.get(code, ()))
            for i in near:
                rest[i] += w_proximity
        for group in self._groups(q):
            if group.per_code:
                per_code = group.per_code
                for postings in group.postings:
                    for i in postings:
                        rest[i] += per_code
            members: set[int] = set()
            for postings in group.postings:
                members.update(postings)
            if group.once:
                once = group.once
                for i in members:
                    rest[i] += once
            touched |= members
        order = list(touched)
        if w_text:
            uppers = [w_text * ((t / (t + half)) if (t := acc[i] + deferred_total) else 0.0) + rest[i] for i in order]
        else:
            uppers = [rest[i] for i in order]
        # 3. score exactly in decreasing order of the bound until it falls below the k-th best:
        # first the best few (which gives a k-th best score, theta), then all that can beat theta
        heap: list[tuple[float, int]] = []  # (score, -position); heap[0] is the k-th best

        def score_in_order(ranked: list[int]) -> bool:
            """Score `ranked` (indexes into `order`, best bound first); True when the rest cannot matter."""
            for start in range(0, len(ranked), chunk):
                if len(heap) >= k and uppers[ranked[start]] < heap[0][0] - EPS:
                    return True
                batch = [order[j] for j in ranked[start : start + chunk] if len(heap) < k or uppers[j] >= heap[0][0] - EPS]
                batch = [i for i in batch if i not in excluded] if excluded is not None else [i for i in batch if ok(i)]
                if deferred:
                    # exact without the deferred terms, plus their bound: rescore only the hopeful
                    partial = self._scores(q, batch, [acc[i] for i in batch])
                    if len(heap) >= k:
                        floor = heap[0][0] - EPS
                        batch = [
                            i
                            for i, s in zip(batch, partial, strict=True)
                            if s - w_text * tq.value(acc[i]) + w_text * tq.value(acc[i] + deferred_total) >= floor
                        ]
                _offer(heap, k, batch, self._scores(q, batch, full_text(batch)))
            return False

        chunk = max(k, self.first_batch // 4)
        first = heapq.nlargest(max(4 * k, self.first_batch), range(len(order)), key=uppers.__getitem__)
        if not score_in_order(first) and len(first) < len(order):
            taken = set(first)
            theta = heap[0][0] - EPS if len(heap) >= k else float("-inf")
            later = [j for j, u in enumerate(uppers) if u >= theta and j not in taken]
            later.sort(key=uppers.__getitem__, reverse=True)
            score_in_order(later)
        # 4. the untouched score at most D + the static maximum; if that could matter, score them
        if len(heap) < k or heap[0][0] - EPS <= deferred_bound + static_max:
            untouched = [i for i in range(self._n) if i not in touched and ok(i)]
            _offer(heap, k, untouched, self._scores(q, untouched, full_text(untouched)))
        ranked_heap = sorted(heap, key=lambda item: (-item[0], -item[1]))
        positions = [-neg_i for _, neg_i in ranked_heap]
        return [self._match(q, i, t) for i, t in zip(positions, full_text(positions), strict=True)]

    def _full_text_fn(self, q: _Query, acc: list[int], deferred: list[int]) -> Callable[[list[int]], list[int]]:
        """Candidate positions -> their full integer text scores."""
        if not q.w_text:
            return lambda ps: [0] * len(ps)
        if not deferred:
            return lambda ps: [acc[i] for i in ps]
        return lambda ps: self._text.forward_totals(q.text, ps)


def _offer(heap: list[tuple[float, int]], k: int, positions: Iterable[int], scores: Iterable[float]) -> None:
    """Keep the k best (score, -position) pairs in a min-heap: higher score, then lower position, wins."""
    for i, score in zip(positions, scores, strict=True):
        item = (score, -i)
        if len(heap) < k:
            heapq.heappush(heap, item)
        elif item > heap[0]:
            heapq.heapreplace(heap, item)


def brute_force(
    query: Party,
    candidates: Sequence[Party],
    weights: Weights,
    *,
    limit: int = 20,
    allowed: Allowed = None,
    mode: str = MatchMode.NEED_OFFER,
) -> list[Match]:
    """Score every candidate the straightforward way (for tests and the benchmark)."""
    return Matcher(candidates, weights).brute_force(query, limit=limit, allowed=allowed, mode=mode)

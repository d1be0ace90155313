"""Similar projects at scale ("Who did this before?" over 1.5M projects).

`helix.matching.project_similarity` keeps one in-memory `ProjectIndex` of every live project per
process. That is right for the real registry (hundreds of projects) but not at EU
cohesion-policy scale: 1.5M profiles with their BM25 postings take minutes and gigabytes to
build in each process (bench/projects.py measures the build on a sample). This module serves
the same question from PostgreSQL's indexes instead:

1. **Candidates in PostgreSQL** (index-served, each branch capped):
   - text: the query's title terms (at most TITLE_TERMS, stop words dropped, and terms found in
     more than COMMON_SHARE of all projects dropped too, see `common_words`) searched in the
     full-text GIN index as "at least m of the k terms", m from k down to 1, until
     TEXT_CANDIDATES projects elsewhere are found; each level reads at most TEXT_POOL matching
     rows and keeps the best by `ts_rank`. Projects sharing more title terms come first;
   - domains: up to DOMAIN_CANDIDATES projects sharing one of the query's domains, the proven
     ones first (scaled or completed), as the status signal weighs them most.
   Projects sharing a place with the query (and the query itself) are left out here already.
2. **Re-ranking by the engine**: the candidates become `ProjectProfile`s through the adapter
   (`project_profiles`) and are ranked by `ProjectIndex(candidates, WEIGHTS).similar(query)`, so
   results carry the same explanation per criterion (text, domains, SDGs, phase, status, size
   class, funding) as on the small registry.

What differs from the exact in-memory index: (a) a project outside the candidate pool is never
returned (recall < 1 by construction: a project that shares no title term and no domain with the
query, or was cut by a cap); (b) the text value is BM25 with the document frequencies of the
candidate pool, not of all projects, so text scores (not the other criteria) differ slightly
from the full index. The benchmark (bench/projects.py) reports its latency beside a brute-force
SQL baseline that scores every project.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

from django.db import connection

from helix.core.models import Term
from helix.matching.engine.projects import ProjectIndex, ProjectProfile, SimilarProject
from helix.matching.engine.text import tokenize
from helix.matching.project_similarity import WEIGHTS, RankedProject, _limit, _ranked, project_profiles, project_query
from helix.projects.models import Project

TITLE_TERMS = 5
COMMON_SHARE = 0.10
"""A title term found in more projects than this share is not used to find text candidates."""
TEXT_CANDIDATES = 150
TEXT_POOL = 500
DOMAIN_CANDIDATES = 75
PROVEN = ("scaled", "completed")


TERM_SQL = "(plainto_tsquery('helix_nl', %s) || plainto_tsquery('helix_en', %s))"


def _at_least(words: Sequence[str], m: int) -> tuple[str, list[str]]:
    """A tsquery SQL expression: at least `m` of `words` (an OR of the AND of every m-subset)."""
    parts, params = [], []
    for combo in combinations(words, m):
        parts.append("(" + " && ".join(TERM_SQL for _ in combo) + ")")
        for word in combo:
            params += [word, word]
    return " || ".join(parts), params


COMMON_SQL = """
SELECT w.word FROM unnest(%s::text[]) AS w(word)
CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('helix_nl', w.word) || to_tsvector('helix_en', w.word))) AS l(lexeme)
JOIN (
    SELECT x.lexeme, x.share FROM pg_stats,
      unnest(most_common_elems::text::text[], most_common_elem_freqs) AS x(lexeme, share)
    WHERE schemaname = current_schema() AND tablename = 'projects_project' AND attname = 'search_vector'
) AS stats ON stats.lexeme = l.lexeme
WHERE stats.share > %s
"""


def common_words(words: Sequence[str]) -> set[str]:
    """The words whose stem (Dutch or English) occurs in more than COMMON_SHARE of the projects,
    by PostgreSQL's own statistics of the search vectors (`pg_stats.most_common_elems`, kept by
    ANALYZE; no statistics yet: nothing is common). Such a word ("pilot", "living lab" in a
    registry of pilots) says little about similarity, and its posting list is the largest part
    of the index scan: at 1.5M projects "pilot" alone is 216,000 entries, read for each
    "at least m of k" level."""
    if not words:
        return set()
    with connection.cursor() as cur:
        cur.execute(COMMON_SQL, [list(words), COMMON_SHARE])
        return {row[0] for row in cur.fetchall()}


def _title_words(query: ProjectProfile) -> list[str]:
    words = list(dict.fromkeys(tokenize(query.title)))
    common = common_words(words)
    return ([w for w in words if w not in common] or words)[:TITLE_TERMS]


ELSEWHERE = (
    "p.archived_at IS NULL AND p.id <> %s AND NOT EXISTS (SELECT 1 FROM projects_project_places pp"
    " WHERE pp.project_id = p.id AND pp.organisation_id = ANY(%s))"
)


def text_candidates(query: ProjectProfile, limit: int = TEXT_CANDIDATES) -> list[int]:
    """Projects elsewhere sharing the most title terms with the query, best `ts_rank` first."""
    words = _title_words(query)
    self_id = query.id if query.kind == "project" else -1
    places = sorted(query.places)
    found: list[int] = []
    with connection.cursor() as cur:
        for m in range(len(words), 0, -1):
            if len(found) >= limit:
                break
            if m < len(words) - 2 and found:
                break  # projects sharing only a few common words add little: domains fill the rest
            tsq, params = _at_least(words, m)
            cur.execute(
                f"SELECT id FROM (SELECT p.id, p.search_vector FROM projects_project p"  # noqa: S608 (built from constants)
                f" WHERE p.search_vector @@ ({tsq}) AND {ELSEWHERE} AND NOT (p.id = ANY(%s)) LIMIT %s) c"
                f" ORDER BY ts_rank(c.search_vector, ({tsq})) DESC, c.id LIMIT %s",
                [*params, self_id, places, found, TEXT_POOL, *params, limit - len(found)],
            )
            found += [row[0] for row in cur.fetchall()]
    return found


def domain_candidates(query: ProjectProfile, exclude: Sequence[int], limit: int = DOMAIN_CANDIDATES) -> list[int]:
    """Projects elsewhere sharing a domain with the query, proven ones (scaled, completed) first."""
    if not query.domains:
        return []
    terms = list(Term.objects.filter(scheme__slug="domains", code__in=query.domains).values_list("pk", flat=True))
    self_id = query.id if query.kind == "project" else -1
    found: list[int] = []
    with connection.cursor() as cur:
        for statuses in (PROVEN, None):
            if len(found) >= limit:
                break
            status_sql = "p.status = ANY(%s) AND" if statuses else ""
            # Probes projects (by status) until `limit` share a domain: no join over a whole domain.
            cur.execute(
                f"SELECT p.id FROM projects_project p WHERE {status_sql} EXISTS (SELECT 1 FROM projects_project_domains d"  # noqa: S608
                f" WHERE d.project_id = p.id AND d.term_id = ANY(%s)) AND {ELSEWHERE} AND NOT (p.id = ANY(%s)) LIMIT %s",
                [
                    *([list(statuses)] if statuses else []),
                    terms,
                    self_id,
                    sorted(query.places),
                    [*exclude, *found],
                    limit - len(found),
                ],
            )
            found += [row[0] for row in cur.fetchall()]
    return found


def candidates(query: ProjectProfile) -> list[int]:
    text = text_candidates(query)
    return text + domain_candidates(query, text)


def similar_profiles(query: ProjectProfile, *, limit: int = 10) -> list[SimilarProject]:
    """The engine's top-`limit` among the PostgreSQL candidates, each explained."""
    pool = project_profiles(candidates(query))
    return ProjectIndex(pool, WEIGHTS).similar(query, limit=limit)


def similar_to_project_at_scale(project: Project, *, limit: int = 10, user: Any = None) -> list[RankedProject]:
    """`project_similarity.similar_to_project` for registries too large for the in-memory index."""
    return _ranked(similar_profiles(project_query(project), limit=_limit(limit)))


def brute_force_sql(query: ProjectProfile, *, limit: int = 10) -> list[tuple[int, float]]:
    """The baseline: score EVERY project elsewhere in one SQL statement (no candidate index):
    the engine's weights for text (`ts_rank` of the title terms, any of them), domains (Jaccard)
    and status, ORDER BY the score. What a straightforward implementation would do."""
    words = _title_words(query) or [query.title or "-"]
    tsq, params = _at_least(words, 1)
    terms = list(Term.objects.filter(scheme__slug="domains", code__in=query.domains).values_list("pk", flat=True))
    w = WEIGHTS
    sql = f"""
        SELECT p.id,
          {w.text} * ts_rank(p.search_vector, ({tsq}))
          + {w.domains} * coalesce((SELECT count(*) FILTER (WHERE d.term_id = ANY(%s))::float
                / nullif(count(*) + %s - count(*) FILTER (WHERE d.term_id = ANY(%s)), 0)
              FROM projects_project_domains d WHERE d.project_id = p.id), 0)
          + {w.status} * CASE WHEN p.status IN ('scaled', 'completed') THEN 1 WHEN p.status = 'running' THEN 0.5
                             WHEN p.status = 'pilot' THEN 0.25 ELSE 0 END AS score
        FROM projects_project p
        WHERE {ELSEWHERE}
        ORDER BY score DESC, p.id LIMIT %s
    """  # noqa: S608 (built from constants)
    self_id = query.id if query.kind == "project" else -1
    with connection.cursor() as cur:
        cur.execute(sql, [*params, terms, len(terms), terms, self_id, sorted(query.places), limit])
        return [(int(pk), float(score)) for pk, score in cur.fetchall()]

"""Full-text and fuzzy search helpers shared by every searchable registry.

Records carry a `search_vector` kept current by a database trigger (so imports and bulk
updates are indexed too). Text is indexed twice: with the accent-free Dutch configuration
(`helix_nl`) and the accent-free English one (`helix_en`), so "gemeenten" finds "gemeente" and
"municipalities" finds "municipality". Names are also indexed as trigrams of `helix_fold(name)`
(lower-case, accents removed) for typo tolerance.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import models
from django.db.models import F, Func, Q, QuerySet, Value

M = TypeVar("M", bound=models.Model)


class Fold(Func):
    """helix_fold(text): lower-case and accent-free; immutable, so it can be indexed."""

    function = "helix_fold"
    output_field = models.TextField()


def search_trigger_sql(table: str, weighted: dict[str, str]) -> tuple[str, str]:
    """SQL that maintains `table.search_vector` from weighted expressions over NEW.

    `weighted` maps a weight (A-D) to a text expression using NEW (e.g. "NEW.name").
    """
    parts = []
    for weight, expr in weighted.items():
        for config in ("helix_nl", "helix_en"):
            parts.append(f"setweight(to_tsvector('{config}', coalesce({expr}, '')), '{weight}')")
    body = " || ".join(parts)
    fn = f"{table}_search_update"
    sql = f"""
    CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search_vector := {body};
      RETURN NEW;
    END $$;
    CREATE TRIGGER {fn} BEFORE INSERT OR UPDATE ON {table}
      FOR EACH ROW EXECUTE FUNCTION {fn}();
    """
    reverse = f"DROP TRIGGER IF EXISTS {fn} ON {table}; DROP FUNCTION IF EXISTS {fn}();"
    return sql, reverse


def search_query(text: str) -> SearchQuery:
    """The user's words as a query in both languages (websearch syntax: "quotes", -not, or)."""
    return SearchQuery(text, config="helix_nl", search_type="websearch") | SearchQuery(
        text, config="helix_en", search_type="websearch"
    )


def ranked_search(qs: QuerySet[M], text: str, name_field: str) -> QuerySet[M]:
    """Filter `qs` to records matching `text` and order them by relevance.

    Matches the full-text vector (stemmed, accent-free, nl + en) or, for typos, a trigram
    similarity on the folded name. Annotates `rank` (higher is better).
    """
    text = text.strip()[:200]
    if not text:
        return qs
    query = search_query(text)
    folded = Fold(Value(text))
    return (
        qs.annotate(
            text_rank=SearchRank(F("search_vector"), query, normalization=Value(1)),
            name_similarity=TrigramWordSimilarity(folded, Fold(name_field)),  # type: ignore[arg-type]
        )
        .filter(Q(search_vector=query) | Q(name_similarity__gte=TYPO_THRESHOLD))
        .annotate(rank=F("text_rank") + F("name_similarity"))
        .order_by("-rank", "pk")
    )


TYPO_THRESHOLD = 0.5

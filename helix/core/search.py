"""Full-text and fuzzy search helpers shared by every searchable registry.

Records carry a `search_vector` kept current by a database trigger (so imports and bulk
updates are indexed too). Text is indexed twice: with the accent-free Dutch configuration
(`helix_nl`) and the accent-free English one (`helix_en`), so "gemeenten" finds "gemeente" and
"municipalities" finds "municipality". Names are also indexed as trigrams of `helix_fold(name)`
(lower-case, accents removed) for typo tolerance.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramWordSimilarity
from django.db import models
from django.db.models import Case, F, Func, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

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


class NamePart(Func):
    """ts_filter(vector, '{a}'): the lexemes of weight A, i.e. those of the record's names."""

    template = "ts_filter(%(expressions)s, '{a}')"
    output_field = SearchVectorField()


NAME_CANDIDATES = 250
"""Most records taken from each name branch (name lexemes; typo match on the name)."""
TEXT_CANDIDATES = 250
"""Most records taken from the full-text branch (a word anywhere in the record)."""
TYPO_GATE = 20
"""The typo branch runs only while fewer records than this (a first page) have the words in
their name: when a page of exact name matches exists, the words are not a typo."""


def ranked_search(qs: QuerySet[M], text: str, name_field: str) -> QuerySet[M]:
    """Filter `qs` to records matching `text` and order them by relevance.

    Matches the full-text vector (stemmed, accent-free, nl + en) or, for typos, the folded name
    by trigram word similarity (`helix_fold(name) %> helix_fold(text)`: the text is similar to
    a part of the name at PostgreSQL's `pg_trgm.word_similarity_threshold`, default 0.6).

    **Candidate cap.** Exact ranking must read every matching row, and a common word matches a
    third of 100k records. So the records are taken from three index-served branches, each
    capped: name lexemes (`ts_filter(search_vector, '{a}')`, GIN index `*_name_lexemes`), the
    typo match on the name (GIN trigram index) and the full text (GIN `search_vector`). Only
    these candidates are ranked. When a branch has more matches than its cap, the ones beyond
    are left out (for the full-text branch: records where the word occurs only in a
    description), so a very common word returns at most NAME_CANDIDATES + TEXT_CANDIDATES
    records, name matches first. `qs` should already carry the other filters
    (SearchFilterSet applies `q` last) so that the cap applies within them.

    `rank` (higher is better) = ts_rank + the name's trigram word similarity. The similarity is
    computed only where the name is what matched (a weight-A lexeme or a typo match).
    """
    text = text.strip()[:200]
    if not text:
        return qs
    query = search_query(text)
    folded = Fold(Value(text))
    branches = qs.order_by().alias(folded_name=Fold(name_field), name_lexemes=NamePart(F("search_vector")))
    names = _sql(branches.filter(name_lexemes=query).values("pk")[:NAME_CANDIDATES])
    typos = _sql(branches.filter(folded_name__trigram_word_similar=folded).values("pk")[:NAME_CANDIDATES])
    words = _sql(branches.filter(search_vector=query).values("pk")[:TEXT_CANDIDATES])
    # Compiled by Django with every user value as a parameter: no text of the query is pasted in.
    candidates = RawSQL(  # noqa: S611
        f"WITH names AS MATERIALIZED ({names[0]}) SELECT * FROM names"  # noqa: S608
        f" UNION SELECT * FROM ({typos[0]}) AS typos WHERE (SELECT count(*) FROM names) < %s"
        f" UNION SELECT * FROM ({words[0]}) AS words",
        (*names[1], *typos[1], TYPO_GATE, *words[1]),
    )
    name_matters = Q(name_lexemes=query) | ~Q(search_vector=query)
    return (
        qs.alias(folded_name=Fold(name_field), name_lexemes=NamePart(F("search_vector")))
        .filter(pk__in=candidates)  # one semi-join on the primary key, no table scan
        .annotate(
            rank=SearchRank(F("search_vector"), query, normalization=Value(1))
            + Case(
                When(name_matters, then=TrigramWordSimilarity(folded, "folded_name")),  # type: ignore[arg-type]
                default=Value(0.0),
                output_field=models.FloatField(),
            )
        )
        .order_by("-rank", "pk")
    )


def _sql(qs: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """A queryset's SQL and parameters, compiled for its database, to compose into raw SQL."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    return sql, tuple(params)


TYPO_THRESHOLD = 0.6
"""pg_trgm's default `word_similarity_threshold`, which the `%>` operator applies."""

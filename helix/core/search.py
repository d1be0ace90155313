"""Full-text and fuzzy search helpers shared by every searchable registry.

Records carry a `search_vector` kept current by a database trigger (so imports and bulk
updates are indexed too). Text is indexed twice: with the accent-free Dutch configuration
(`helix_nl`) and the accent-free English one (`helix_en`), so "gemeenten" finds "gemeente" and
"municipalities" finds "municipality". Names are also indexed as trigrams of `helix_fold(name)`
(lower-case, accents removed) for typo tolerance.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Func


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

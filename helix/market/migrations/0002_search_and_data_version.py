"""Search for challenges and solutions: the triggers that keep `search_vector` current, the
title-lexeme indexes of ranked search (see instruments 0004), and the statement triggers that
advance the data version of cached list counts (see instruments 0003) on every market write."""

from django.db import migrations

from helix.core.search import search_trigger_sql

CHALLENGE_SQL, CHALLENGE_REVERSE = search_trigger_sql(
    "market_challenge",
    {"A": "NEW.title || ' ' || NEW.title_nl", "C": "NEW.description_nl || ' ' || NEW.description_en"},
)
SOLUTION_SQL, SOLUTION_REVERSE = search_trigger_sql(
    "market_solution",
    {
        "A": "NEW.title || ' ' || NEW.title_nl",
        "B": "array_to_string(NEW.open_standards, ' ')",
        "C": "NEW.description_nl || ' ' || NEW.description_en",
    },
)

TABLES = (
    "market_challenge",
    "market_challengeowner",
    "market_challenge_domains",
    "market_challenge_sdgs",
    "market_challenge_value_chain_roles_needed",
    "market_solution",
    "market_solution_domains",
    "market_solution_sdgs",
    "market_solution_value_chain_roles",
    "market_solution_references",
)
TRIGGER = "helix_data_version_bump"  # the function helix_bump_data_version() comes from instruments 0003

DATA_VERSION = "".join(
    f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
    "FOR EACH STATEMENT EXECUTE FUNCTION helix_bump_data_version();"
    for table in TABLES
)
DATA_VERSION_REVERSE = "".join(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}";' for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial"), ("instruments", "0003_list_data_version")]
    operations = [
        migrations.RunSQL(CHALLENGE_SQL, CHALLENGE_REVERSE),
        migrations.RunSQL(SOLUTION_SQL, SOLUTION_REVERSE),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS chl_title_lexemes ON market_challenge USING gin (ts_filter(search_vector, '{a}'));"
            "CREATE INDEX IF NOT EXISTS sol_title_lexemes ON market_solution USING gin (ts_filter(search_vector, '{a}'));",
            "DROP INDEX IF EXISTS chl_title_lexemes; DROP INDEX IF EXISTS sol_title_lexemes;",
        ),
        migrations.RunSQL(DATA_VERSION, DATA_VERSION_REVERSE),
    ]

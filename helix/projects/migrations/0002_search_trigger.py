"""Search for projects: the trigger that keeps `search_vector` current, the title-lexeme index of
ranked search (see instruments 0004), and the statement trigger that advances the data version of
cached list counts (see instruments 0003) on every write to a projects table."""

from django.db import migrations

from helix.core.search import search_trigger_sql

SQL, REVERSE = search_trigger_sql(
    "projects_project",
    {
        "A": "NEW.title || ' ' || NEW.title_nl",
        "B": "NEW.project_type || ' ' || NEW.area",
        "C": "NEW.summary_nl || ' ' || NEW.summary_en || ' ' || NEW.objectives || ' ' || NEW.lessons",
        "D": "NEW.success_factors || ' ' || NEW.risks || ' ' || NEW.facts::text || ' ' || NEW.notes",
    },
)

TABLES = (
    "projects_project",
    "projects_projectpartner",
    "projects_projectfunding",
    "projects_projectlink",
    "projects_project_places",
    "projects_project_domains",
    "projects_project_sdgs",
)
TRIGGER = "helix_data_version_bump"  # the function helix_bump_data_version() comes from instruments 0003

DATA_VERSION = "".join(
    f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
    "FOR EACH STATEMENT EXECUTE FUNCTION helix_bump_data_version();"
    for table in TABLES
)
DATA_VERSION_REVERSE = "".join(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}";' for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial"), ("instruments", "0003_list_data_version")]
    operations = [
        migrations.RunSQL(SQL, REVERSE),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS prj_title_lexemes ON projects_project USING gin (ts_filter(search_vector, '{a}'))",
            "DROP INDEX IF EXISTS prj_title_lexemes",
        ),
        migrations.RunSQL(DATA_VERSION, DATA_VERSION_REVERSE),
    ]

"""A data version for cached list counts (helix.core.listing.data_version).

Every statement that writes an actors or instruments table (INSERT, UPDATE, DELETE, TRUNCATE;
also COPY and bulk operations, which fire statement triggers) advances the sequence
`helix_data_version`. Cached facet counts, result counts and choice lists are stored under its
value, so a write makes the next list page compute them afresh. A sequence is not rolled back,
so a value is never reused for other data. One nextval() per statement, not per row.
"""

from django.db import migrations

SEQUENCE = "helix_data_version"
FUNCTION = "helix_bump_data_version"
TRIGGER = "helix_data_version_bump"


def tables(apps):
    names = []
    for label in ("actors", "instruments"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                names.append(model._meta.db_table)
    return sorted(set(names))


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM nextval('{SEQUENCE}'); RETURN NULL; END $$"
        )
        for table in tables(apps):
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for table in tables(apps):
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_search_trigger"), ("instruments", "0002_search_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]

from django.db import migrations

from helix.core.search import search_trigger_sql

SQL, REVERSE = search_trigger_sql(
    "instruments_instrument",
    {
        "A": "NEW.title || ' ' || NEW.title_nl",
        "B": "NEW.umbrella_programme || ' ' || array_to_string(NEW.target_groups, ' ')",
        "C": "NEW.description_nl || ' ' || NEW.description_en",
        "D": "NEW.territory || ' ' || NEW.notes",
    },
)


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]

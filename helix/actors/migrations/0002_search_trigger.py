from django.db import migrations

from helix.core.search import search_trigger_sql

SQL, REVERSE = search_trigger_sql(
    "actors_organisation",
    {
        "A": "NEW.name || ' ' || coalesce(NEW.name_nl, '') || ' ' || array_to_string(NEW.alternative_names, ' ')",
        "B": "NEW.subkind || ' ' || NEW.sector || ' ' || coalesce(NEW.refnis, '') || ' ' || NEW.enterprise_number",
        "C": "NEW.description_nl || ' ' || NEW.description_en",
        "D": "array_to_string(NEW.roles, ' ')",
    },
)


class Migration(migrations.Migration):
    dependencies = [("actors", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]

"""GIN index on the name lexemes (weight A) of the search vector, for ranked search.

helix.core.search.ranked_search finds name matches first through this index
(`ts_filter(search_vector, '{a}') @@ query`) without reading every row that matches in a
description. The expression must stay identical to helix.core.search.NamePart.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_search_trigger")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS org_name_lexemes ON actors_organisation USING gin (ts_filter(search_vector, '{a}'))",
            "DROP INDEX IF EXISTS org_name_lexemes",
        )
    ]

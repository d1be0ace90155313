"""GIN index on the title lexemes (weight A) of the search vector, for ranked search.

See actors 0003: helix.core.search.ranked_search finds title matches first through it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("instruments", "0003_list_data_version")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS ins_title_lexemes ON instruments_instrument USING gin (ts_filter(search_vector, '{a}'))",
            "DROP INDEX IF EXISTS ins_title_lexemes",
        )
    ]

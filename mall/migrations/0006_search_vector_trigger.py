# Written by hand on 2026-11-30: the search index's tsvector is filled by a trigger as the row is
# written (core.search.vector_trigger_migration), not by a second UPDATE.

from django.db import migrations

from core.search import vector_trigger_migration


class Migration(migrations.Migration):
    dependencies = [
        ("mall", "0005_foreign_key_indexes_covered"),
    ]

    operations = [
        vector_trigger_migration("ProductSearch", "mall_productsearch"),
    ]

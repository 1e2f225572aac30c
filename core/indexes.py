"""For migrations: drop a foreign key's own index where a composite index or unique constraint
already starts with its column.

Django gives every ForeignKey (and a field with db_index=True) a single-column index. Where
(note, user) is unique, that index already answers every lookup by note, so the single one only
costs: it is written with every like, bookmark and impression, and competes for the cache.
tests/integration/test_indexes.py finds such fields; they are declared db_index=False.

AlterField from db_index=True to False would also drop and re-add the foreign key constraint,
which checks every row again (seconds over millions of likes, under lock). These operations
change the state as AlterField does, but in the database only drop the index, by the name
Django gave it.
"""

from collections.abc import Sequence

from django.db import migrations


def covered_indexes_drop(
    app_label: str, fields: Sequence[tuple[str, str]], state_operations: Sequence
) -> migrations.SeparateDatabaseAndState:
    """`state_operations`: the AlterFields makemigrations wrote for `fields` ((model, field)
    pairs of `app_label`); the database only loses their indexes (put back when reversed)."""

    def forwards(apps, schema_editor) -> None:
        for model_name, field_name in fields:
            model = apps.get_model(app_label, model_name)
            column, table = model._meta.get_field(field_name).column, model._meta.db_table
            for suffix in ("", "_like"):  # PostgreSQL's pattern-ops twin of a text index
                name = schema_editor._create_index_name(table, [column], suffix=suffix)
                schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def backwards(apps, schema_editor) -> None:
        for model_name, field_name in fields:
            model = apps.get_model(app_label, model_name)
            for statement in schema_editor._field_indexes_sql(
                model, model._meta.get_field(field_name)
            ):
                schema_editor.execute(statement)

    return migrations.SeparateDatabaseAndState(
        state_operations=list(state_operations),
        database_operations=[migrations.RunPython(forwards, backwards)],
    )

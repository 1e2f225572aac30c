"""No table keeps an index that another one already covers (core.indexes)."""

import pytest
from django.apps import apps
from django.db import connection, models

OUR_APPS = ("users", "notes", "mall")
# Declared by a library's abstract model (taggit's TaggedItemBase), not by us.
NOT_OURS = {("TaggedNote", "tag")}


def _leading_columns(model: type[models.Model]) -> set[str]:
    """The fields that lead a composite index or unique constraint of the whole table."""
    leads = set()
    for constraint in model._meta.constraints:
        unique = isinstance(constraint, models.UniqueConstraint)
        if unique and constraint.fields and constraint.condition is None:
            leads.add(constraint.fields[0])
    for index in model._meta.indexes:
        if index.fields and index.condition is None:
            leads.add(index.fields[0].lstrip("-"))
    return leads


def test_no_field_keeps_an_index_a_composite_one_already_covers():
    covered = [
        f"{model.__name__}.{field.name}"
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.local_fields
        if field.db_index
        and not field.unique
        and field.name in _leading_columns(model)
        and (model.__name__, field.name) not in NOT_OURS
    ]

    assert covered == [], "declare these db_index=False (see core.indexes)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "column"),
    [("notes_like", "note_id"), ("notes_like", "user_id"), ("notes_noteimpressionday", "note_id")],
)
def test_the_migrations_leave_no_single_column_index_on_a_covered_column(table, column):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)

    single = [
        name
        for name, details in constraints.items()
        if details["index"] and details["columns"] == [column] and not details["primary_key"]
    ]

    assert single == []

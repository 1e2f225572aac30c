"""Keyset (cursor) pagination for every list: no OFFSET, so page 50 costs what page 1 costs.

A cursor is the sort key of the last item shown, signed for the one list it came from: a cursor
from another list, a forged one or one whose values do not fit the keys raises InvalidCursor.
Pages answer it with their first page (core.middleware), the API with a 400.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Field, Func, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

_SALT = "hongshu.cursor."
_ROW_ALIAS = "keyset_row"


class InvalidCursor(ValidationError):
    """The cursor was not made by this list, or no longer fits it."""

    def __init__(self) -> None:
        super().__init__(
            {"cursor": [_("This page link has expired or belongs to another list.")]},
        )


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _value(item: Any, key: str) -> Any:
    value = getattr(item, key)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _key_field(queryset: QuerySet, name: str) -> Field:
    try:
        return queryset.model._meta.get_field(name)
    except FieldDoesNotExist:
        return queryset.query.annotations[name].output_field


def _decoded(queryset: QuerySet, keys: Sequence[str], cursor: str, list_name: str) -> list[Any]:
    """The cursor's values, each checked against its key's field; InvalidCursor otherwise."""
    try:
        values = signing.loads(cursor, salt=_SALT + list_name)
    except signing.BadSignature:
        raise InvalidCursor from None
    if not isinstance(values, list) or len(values) != len(keys):
        raise InvalidCursor
    checked = []
    for key, value in zip(keys, values, strict=True):
        if value is None or isinstance(value, bool | dict | list):
            raise InvalidCursor
        try:
            checked.append(_key_field(queryset, key.lstrip("-")).to_python(value))
        except (ValidationError, TypeError, ValueError):
            raise InvalidCursor from None
    return checked


def cursor_values(
    queryset: QuerySet, *, keys: Sequence[str], cursor: str, list_name: str
) -> list[Any]:
    """The sort key a cursor of `list_name` holds (checked as keyset_page checks it), for a
    list that chooses how to read its next page from where it stands. InvalidCursor if bad."""
    return _decoded(queryset, keys, cursor, list_name)


class _Row(Func):
    """A row value `(a, b, …)`: compared as a whole, it lets the database walk an index."""

    template = "(%(expressions)s)"
    output_field = Field()


def _after(queryset: QuerySet, keys: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the ordering `keys` ("-ces", "-id"…), lexicographically.

    When every key sorts the same way this is one row comparison, `(a, id) < (x, y)`, which
    PostgreSQL uses as an index condition; `a < x OR (a = x AND id < y)` is only a filter.
    Mixed directions (Nearby's ring up, CES down) need the expanded form.
    """
    descending = {key.startswith("-") for key in keys}
    if len(keys) > 1 and len(descending) == 1:
        names = [key.lstrip("-") for key in keys]
        right = _Row(
            *(
                Value(value, output_field=_key_field(queryset, name))
                for name, value in zip(names, values, strict=True)
            )
        )
        lookup = "lt" if descending == {True} else "gt"
        return Q(**{f"{_ROW_ALIAS}__{lookup}": right})
    condition = Q()
    for index, key in enumerate(keys):
        name = key.lstrip("-")
        lookup = "lt" if key.startswith("-") else "gt"
        step = Q(**{f"{name}__{lookup}": values[index]})
        for earlier_key, earlier_value in zip(keys[:index], values[:index], strict=True):
            step &= Q(**{earlier_key.lstrip("-"): earlier_value})
        condition |= step
    return condition


def cursor_after(item: Any, *, keys: Sequence[str], list_name: str) -> str:
    """The cursor of the page of `list_name` that starts right after `item`.

    For a list whose first rows were read another way (e.g. a thread's first replies).
    """
    values = [_value(item, key.lstrip("-")) for key in keys]
    return signing.dumps(values, salt=_SALT + list_name)


def keyset_page(
    queryset: QuerySet, *, keys: Sequence[str], cursor: str | None, size: int, list_name: str
) -> Page:
    """One page of `queryset` ordered by `keys`; the last key must be unique (e.g. "-id").

    `list_name` names the list ("feed.discover", "user.followers"…): its cursors fit only it.
    Raises InvalidCursor for a cursor that does not.
    """
    if cursor:
        values = _decoded(queryset, keys, cursor, list_name)
        names = [key.lstrip("-") for key in keys]
        queryset = queryset.alias(**{_ROW_ALIAS: _Row(*(F(name) for name in names))}).filter(
            _after(queryset, keys, values)
        )
    rows = list(queryset.order_by(*keys)[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        next_cursor = cursor_after(items[-1], keys=keys, list_name=list_name)
    return Page(items=items, next_cursor=next_cursor)

"""Keyset (cursor) pagination for feeds: no OFFSET, so page 50 costs what page 1 costs.

A cursor is the sort key of the last item shown, signed so readers cannot forge one.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

_SALT = "hongshu.feed.cursor"


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


def _after(keys: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the ordering `keys` ("-ces", "-id"…), lexicographically."""
    condition = Q()
    for index, key in enumerate(keys):
        name = key.lstrip("-")
        lookup = "lt" if key.startswith("-") else "gt"
        step = Q(**{f"{name}__{lookup}": values[index]})
        for earlier_key, earlier_value in zip(keys[:index], values[:index], strict=True):
            step &= Q(**{earlier_key.lstrip("-"): earlier_value})
        condition |= step
    return condition


def keyset_page(queryset: QuerySet, *, keys: Sequence[str], cursor: str | None, size: int) -> Page:
    """One page of `queryset` ordered by `keys`; the last key must be unique (e.g. "-id").

    A cursor that does not verify is treated as the first page.
    """
    if cursor:
        try:
            values = signing.loads(cursor, salt=_SALT)
        except signing.BadSignature:
            values = None
        if isinstance(values, list) and len(values) == len(keys):
            queryset = queryset.filter(_after(keys, values))
    rows = list(queryset.order_by(*keys)[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = signing.dumps([_value(last, key.lstrip("-")) for key in keys], salt=_SALT)
    return Page(items=items, next_cursor=next_cursor)

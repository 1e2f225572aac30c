"""The two lock helpers every app uses: row locks inside a transaction, and job locks.

Row locks are always taken in primary-key order, so two transactions that lock the same rows
queue instead of deadlocking. `of=("self",)` locks only the named table's rows even when the
query joins others. Both are no-ops on SQLite, whose writers queue on the whole database.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def lock_rows(queryset: QuerySet[M]) -> list[M]:
    """Lock every row of `queryset`, in primary-key order, until the transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("lock_rows needs an open transaction.")
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def lock_row(queryset: QuerySet[M], *, pk: object) -> M:
    """Lock one row and return it fresh from the database; DoesNotExist when it is gone."""
    rows = lock_rows(queryset.filter(pk=pk))
    if not rows:
        raise queryset.model.DoesNotExist
    return rows[0]


@contextmanager
def job_lock(name: str, *, timeout: int) -> Iterator[bool]:
    """Yield True to the one holder of `name` (in the shared cache: Redis in production), else
    False at once. The lock lapses after `timeout` seconds even if its holder died.
    """
    key = f"job-lock:{name}"
    acquired = cache.add(key, "1", timeout=timeout)
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(key)

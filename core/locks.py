"""The two lock helpers every app uses: row locks inside a transaction, and job locks (one run of
a job at a time, a lock that dies with its holder).

Row locks are always taken in primary-key order, so two transactions that lock the same rows
queue instead of deadlocking. `of=("self",)` locks only the named table's rows even when the
query joins others. Row locks are no-ops on SQLite, whose writers queue on the whole database.
"""

import hashlib
import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)
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
    """Yield True to the one holder of `name` across every process, else False at once (and log
    who holds it). The lock dies with its holder, so a job killed mid-run never blocks the next.

    On PostgreSQL a session advisory lock on a connection of its own: the server releases it
    when that session ends, however the process ended. Elsewhere (SQLite, tests) a cache key,
    which a killed holder leaves behind for `timeout` seconds.
    """
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        with _advisory_lock(name) as acquired:
            yield acquired
    else:
        with _cache_lock(name, timeout=timeout) as acquired:
            yield acquired


def advisory_lock_key(name: str) -> int:
    """The signed 64-bit number PostgreSQL's advisory locks take, the same in every process."""
    digest = hashlib.blake2b(f"job-lock:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def _advisory_lock(name: str) -> Iterator[bool]:
    key = advisory_lock_key(name)
    session = connections.create_connection(DEFAULT_DB_ALIAS)  # not shared, not pooled
    try:
        with session.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
            if not acquired:
                cursor.execute(
                    "SELECT activity.pid, activity.backend_start FROM pg_locks AS lock"
                    " JOIN pg_stat_activity AS activity ON activity.pid = lock.pid"
                    " WHERE lock.locktype = 'advisory' AND lock.granted"
                    " AND lock.classid = %s::bigint::oid AND lock.objid = %s::bigint::oid"
                    " AND lock.objsubid = 1",
                    [(key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF],
                )
                holder = cursor.fetchone()
                logger.info(
                    "Job %r skipped: another run holds its lock (PostgreSQL session %s).",
                    name,
                    f"pid {holder[0]} since {holder[1]:%Y-%m-%d %H:%M:%S %Z}" if holder else "?",
                )
        yield acquired
    finally:
        session.close()  # ends the session, and with it the lock


@contextmanager
def _cache_lock(name: str, *, timeout: int) -> Iterator[bool]:
    key = f"job-lock:{name}"
    holder = f"{socket.gethostname()} pid {os.getpid()} since {timezone.now():%Y-%m-%d %H:%M:%S %Z}"
    acquired = cache.add(key, holder, timeout=timeout)
    if not acquired:
        logger.info("Job %r skipped: another run holds its lock (%s).", name, cache.get(key))
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(key)

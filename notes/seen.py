"""The seen set: which notes each reader was shown in the last settings.DISCOVER_SEEN_DAYS.

Discover never shows a note again within that window, and an impression counts once per reader
per note within it. Kept in Redis when REDIS_URL is set (a sorted set per reader, note id →
when, trimmed on every write), else in the database (notes.models.SeenNote, purged nightly):
settings.DISCOVER_SEEN_STORE.
A reader is a key: "u<user id>", or "a<id>" for a signed-out reader's signed cookie.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Protocol

from django.conf import settings

from notes.models import SeenNote

SEEN_MAX = 5_000  # per reader: a week of heavy scrolling, and a bound on the set


def seen_window() -> timedelta:
    return timedelta(days=settings.DISCOVER_SEEN_DAYS)


class SeenStore(Protocol):
    def recent(self, reader_key: str, *, now: datetime) -> set[int]:
        """Every note the reader was shown within the window."""

    def among(self, reader_key: str, note_ids: Iterable[int], *, now: datetime) -> set[int]:
        """Which of `note_ids` the reader was shown within the window."""

    def add(self, reader_key: str, note_ids: Iterable[int], *, now: datetime) -> None:
        """Mark the notes seen now: one write, whatever their number."""

    def purge(self, *, now: datetime) -> int:
        """Forget what is older than the window; returns how many entries went."""


class DatabaseSeenStore:
    def recent(self, reader_key: str, *, now: datetime) -> set[int]:
        rows = SeenNote.objects.filter(reader_key=reader_key, seen_at__gt=now - seen_window())
        return set(rows.values_list("note_id", flat=True)[:SEEN_MAX])

    def among(self, reader_key: str, note_ids: Iterable[int], *, now: datetime) -> set[int]:
        note_ids = list(note_ids)
        if not note_ids:
            return set()
        rows = SeenNote.objects.filter(
            reader_key=reader_key, note_id__in=note_ids, seen_at__gt=now - seen_window()
        )
        return set(rows.values_list("note_id", flat=True))

    def add(self, reader_key: str, note_ids: Iterable[int], *, now: datetime) -> None:
        rows = [SeenNote(reader_key=reader_key, note_id=pk, seen_at=now) for pk in note_ids]
        if rows:
            SeenNote.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["reader_key", "note_id"],
                update_fields=["seen_at"],
            )

    def purge(self, *, now: datetime) -> int:
        deleted, _by_model = SeenNote.objects.filter(seen_at__lte=now - seen_window()).delete()
        return deleted


class RedisSeenStore:
    PREFIX = "hongshu:seen:"

    def __init__(self, url: str) -> None:
        import redis  # only where Redis is configured

        self.client = redis.Redis.from_url(url)

    def _key(self, reader_key: str) -> str:
        return self.PREFIX + reader_key

    def recent(self, reader_key: str, *, now: datetime) -> set[int]:
        since = (now - seen_window()).timestamp()
        members = self.client.zrangebyscore(self._key(reader_key), f"({since}", "+inf")
        return {int(member) for member in members}

    def among(self, reader_key: str, note_ids: Iterable[int], *, now: datetime) -> set[int]:
        note_ids = list(note_ids)
        if not note_ids:
            return set()
        since = (now - seen_window()).timestamp()
        scores = self.client.zmscore(self._key(reader_key), note_ids)
        return {pk for pk, score in zip(note_ids, scores, strict=True) if score and score > since}

    def add(self, reader_key: str, note_ids: Iterable[int], *, now: datetime) -> None:
        note_ids = list(note_ids)
        if not note_ids:
            return
        key = self._key(reader_key)
        pipeline = self.client.pipeline(transaction=False)
        pipeline.zadd(key, dict.fromkeys(note_ids, now.timestamp()))
        pipeline.zremrangebyscore(key, "-inf", (now - seen_window()).timestamp())
        pipeline.zremrangebyrank(key, 0, -SEEN_MAX - 1)
        pipeline.expire(key, seen_window() + timedelta(days=1))
        pipeline.execute()

    def purge(self, *, now: datetime) -> int:
        """Nothing to do: every write trims its reader's set, and idle sets expire."""
        return 0


@cache
def _redis_store(url: str) -> RedisSeenStore:
    return RedisSeenStore(url)


def seen_store() -> SeenStore:
    if settings.DISCOVER_SEEN_STORE == "redis":
        return _redis_store(settings.REDIS_URL)
    return DatabaseSeenStore()

"""Jobs the bench times once per run: each takes the run's Context and returns a Result."""

import time
from typing import Any

from django.db import connection

from bench import report
from bench.report import Result


def seed_large(context: Any) -> Result:
    """The last `seed_large` run on this database (the seeding itself is not repeated)."""
    seeding = report.last_seeding()
    if seeding is None:
        return Result("seed_large", "job", note="no timing kept: seeded before timings were kept")
    milliseconds = seeding["seconds"] * 1000
    rows = sum(seeding["rows"].values())
    return Result(
        "seed_large",
        "job",
        p50_ms=milliseconds,
        p95_ms=milliseconds,
        max_ms=milliseconds,
        note=f"scale {seeding['scale']}: {rows:,} rows in {seeding['seconds']:.0f} s",
    )


# The numbers the nightly recount computes, read with plain GROUP BYs: the floor of that job.
FLOOR_QUERIES = (
    "SELECT note_id, COUNT(*) FROM notes_like GROUP BY note_id",
    "SELECT note_id, COUNT(*) FROM notes_bookmark GROUP BY note_id",
    "SELECT note_id, COUNT(*) FROM notes_comment GROUP BY note_id",
    "SELECT note_id, COUNT(*) FROM notes_repost GROUP BY note_id",
    "SELECT note_id, COUNT(*) FROM notes_followfromnote GROUP BY note_id",
    "SELECT follower_id, COUNT(*) FROM users_follow GROUP BY follower_id",
    "SELECT followee_id, COUNT(*) FROM users_follow GROUP BY followee_id",
    "SELECT author_id, SUM(likes_count), SUM(bookmarks_count) FROM notes_note GROUP BY author_id",
)


def _floor_seconds() -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in FLOOR_QUERIES:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - started


def ces_job(context: Any) -> Result:
    """The nightly recount (notes.tasks.note_counters_recount_task) against its GROUP BY floor.

    The hook for the recount's own bench: replace the floor or the job call here, keep the name.
    """
    from notes.tasks import note_counters_recount_task

    started = time.perf_counter()
    corrected = note_counters_recount_task()
    seconds = time.perf_counter() - started
    floor = _floor_seconds()
    return Result(
        "ces_job",
        "job",
        p50_ms=seconds * 1000,
        p95_ms=seconds * 1000,
        max_ms=seconds * 1000,
        ratio_to_floor=seconds / floor if floor else None,
        note=f"one run, {corrected} notes corrected; GROUP BY floor {floor * 1000:.0f} ms",
    )


def _pool_floor_queries() -> tuple[str, str]:
    """What the pools' job must read at the least: the offered notes with their numbers, and
    their tags (for the candidate lists), by plain joins."""
    from notes.models import Note

    through = Note.tags.through
    note_column = (
        "object_id"
        if any(f.name == "content_type" for f in through._meta.fields)
        else ("content_object_id")
    )
    return (
        "SELECT t.note_id, t.pool, t.impressions_at_entry, t.ces_at_entry, n.impressions, n.ces, "
        "n.author_id, n.published_at FROM notes_notetraffic t "
        "JOIN notes_note n ON n.id = t.note_id WHERE t.state = 'offered'",
        f"SELECT g.{note_column}, g.tag_id FROM {through._meta.db_table} g "  # noqa: S608
        f"JOIN notes_notetraffic t ON t.note_id = g.{note_column} WHERE t.state = 'offered'",
    )


def pool_job(context: Any) -> Result:
    """The few-minutes discovery pass (notes.tasks.discovery_refresh_task): today's impressions,
    the pools' promotions, Discover's candidate lists; against a floor of the reads it needs."""
    from notes.services.discovery import discovery_refresh

    started = time.perf_counter()
    run = discovery_refresh()
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in _pool_floor_queries():
            cursor.execute(sql)
            cursor.fetchall()
    floor = time.perf_counter() - started
    return Result(
        "pool_job",
        "job",
        p50_ms=seconds * 1000,
        p95_ms=seconds * 1000,
        max_ms=seconds * 1000,
        ratio_to_floor=seconds / floor if floor else None,
        note=(
            f"one run: {run.impressions_changed} notes' impressions, {run.pools.promoted} "
            f"promoted, {run.pools.settled} settled, {run.candidates} candidates; "
            f"floor {floor * 1000:.0f} ms"
        ),
    )

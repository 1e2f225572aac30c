"""The batched recount on PostgreSQL: real commits per batch, and row locks against live likes."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from core import counters
from notes import services
from notes.models import Note
from tests.factories import NoteFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def likes_and_ces(notes: list[Note]) -> list[tuple[int, int]]:
    rows = Note.objects.filter(pk__in=[note.pk for note in notes]).order_by("pk")
    return list(rows.values_list("likes_count", "ces"))


def in_a_thread(work):
    """Run `work` on its own database connection, as another worker process would."""

    def call():
        try:
            return work()
        finally:
            connection.close()

    return call


def wait_for_a_lock_wait() -> None:
    """Return once some session of the test database waits for a row lock."""
    with connection.cursor() as cursor:
        for _ in range(400):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.025)
    pytest.fail("no session ever waited for a row lock")


def test_a_killed_recount_keeps_its_committed_batches_and_a_rerun_finishes(settings, monkeypatch):
    settings.COUNTER_RECOUNT_BATCH_SIZE = 2
    author, reader = UserFactory(), UserFactory()
    notes = [NoteFactory(author=author, images=0) for _ in range(5)]
    for note in notes:
        services.note_like(actor=author, note_id=note.pk)
        services.note_like(actor=reader, note_id=note.pk)
    Note.objects.update(likes_count=9, ces=9)
    write, batches_written = counters.counters_write, []

    def write_once_then_die(model, values):
        if batches_written:
            raise RuntimeError("worker killed")
        write(model, values)
        batches_written.append(sorted(values))

    monkeypatch.setattr(counters, "counters_write", write_once_then_die)
    with pytest.raises(RuntimeError):
        services.note_counters_recount()
    assert likes_and_ces(notes) == [(2, 1)] * 2 + [(9, 9)] * 3
    monkeypatch.setattr(counters, "counters_write", write)

    corrected = services.note_counters_recount()

    assert corrected == 3
    assert likes_and_ces(notes) == [(2, 1)] * 5


def test_a_like_committed_while_the_recount_runs_is_neither_lost_nor_counted_twice():
    note = NoteFactory(images=0)
    early, late = UserFactory(), UserFactory()
    services.note_like(actor=early, note_id=note.pk)
    Note.objects.filter(pk=note.pk).update(likes_count=5, ces=5)
    liked, release = threading.Event(), threading.Event()

    def like_and_hold():
        with transaction.atomic():
            services.note_like(actor=late, note_id=note.pk)
            liked.set()
            release.wait(timeout=30)

    with ThreadPoolExecutor(max_workers=2) as pool:
        like = pool.submit(in_a_thread(like_and_hold))
        liked.wait(timeout=30)
        recount = pool.submit(in_a_thread(services.note_counters_recount))
        wait_for_a_lock_wait()  # the recount found the drift and waits for the like's row lock
        release.set()
        like.result(timeout=30)
        corrected = recount.result(timeout=30)

    assert corrected == 1
    assert likes_and_ces([note]) == [(2, 2)]

"""The nightly recount runs on a real Celery worker through Redis, and its lock lives in Redis."""

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from community.celery import app
from core.locks import job_lock
from notes.models import Note
from notes.tasks import RECOUNT_LOCK, note_counters_recount_task
from tests.factories import NoteFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker():
    """A real worker thread consuming from the Redis broker of REDIS_URL."""
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as worker:
        yield worker


def test_recount_task_runs_on_a_worker_through_redis(celery_worker):
    note = NoteFactory()
    Note.objects.filter(pk=note.pk).update(likes_count=3, ces=3)

    corrected = note_counters_recount_task.delay().get(timeout=30)

    note.refresh_from_db()
    assert corrected == 1
    assert note.likes_count == 0


def test_recount_lock_is_visible_to_every_process_through_redis(settings):
    other_process = redis.Redis.from_url(settings.REDIS_URL)
    with job_lock(RECOUNT_LOCK, timeout=30) as acquired:
        assert acquired
        assert other_process.keys(f"*{RECOUNT_LOCK}")
        assert note_counters_recount_task.apply().get() is None

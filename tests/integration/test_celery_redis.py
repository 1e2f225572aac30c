"""The nightly recount runs on a real Celery worker through Redis."""

import pytest
from celery.contrib.testing.worker import start_worker

from community.celery import app
from notes.models import Note
from notes.tasks import note_counters_recount_task
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

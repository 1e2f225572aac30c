"""A job lock dies with its holder: a recount killed mid-run never blocks the next one."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from core.locks import advisory_lock_key, job_lock
from notes.models import Note
from notes.tasks import RECOUNT_LOCK, note_counters_recount_task
from tests.factories import NoteFactory

# Transactional: the other process commits what it writes (the run's CesRun row), and the
# tables must be emptied after each test, not left for the tests that follow.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]

# A worker process in the middle of the nightly recount: the lock taken, the counting under way.
RECOUNT_IN_ANOTHER_PROCESS = """
import time
import django

django.setup()
from notes import tasks
from notes.services import recalculation

def recount_that_takes_long(**options):
    print("recounting", flush=True)
    time.sleep(600)

recalculation.note_counters_recount = recount_that_takes_long
tasks.note_counters_recount_task.apply()
"""


def this_runs_database_url() -> str:
    """This test run's database, for another process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def recount_in_another_process():
    """Starts the recount in a process of its own; yields it once it is counting."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "DATABASE_URL": this_runs_database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", RECOUNT_IN_ANOTHER_PROCESS],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline() == "recounting\n"
        yield process
    finally:
        process.kill()
        process.wait(timeout=30)


def run_recount_within(seconds: float) -> int | None:
    """Runs the recount until it is not skipped, for `seconds` at most: PostgreSQL ends a dead
    client's session as soon as it sees the connection closed, not always before we ask."""
    deadline = time.monotonic() + seconds
    while True:
        result = note_counters_recount_task.apply().get()
        if result is not None or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def test_a_recount_killed_mid_run_does_not_block_the_next(recount_in_another_process):
    note = NoteFactory()
    Note.objects.filter(pk=note.pk).update(likes_count=5)
    assert note_counters_recount_task.apply().get() is None  # the other run holds the lock

    recount_in_another_process.send_signal(signal.SIGKILL)
    recount_in_another_process.wait(timeout=30)
    corrected = run_recount_within(seconds=10)

    note.refresh_from_db()
    assert corrected == 1
    assert note.likes_count == 0


def test_a_held_job_lock_is_a_postgresql_advisory_lock_every_process_sees():
    key = advisory_lock_key(RECOUNT_LOCK)
    with job_lock(RECOUNT_LOCK, timeout=30) as acquired:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND objid = %s::bigint::oid",
                [key & 0xFFFFFFFF],
            )
            held = cursor.fetchone()[0]

        assert acquired
        assert held == 1
        assert note_counters_recount_task.apply().get() is None

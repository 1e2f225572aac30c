"""Celery tasks of notes: thin callers of services, idempotent, safe to run twice."""

import logging

from celery import shared_task

from core.locks import job_lock
from notes import growth, services
from users import services as user_services

logger = logging.getLogger(__name__)
RECOUNT_LOCK = "notes:counters-recount:lock"
RECOUNT_LOCK_SECONDS = 60 * 60


@shared_task(name="notes.note_counters_recount_task")
def note_counters_recount_task() -> int | None:
    """Nightly: recompute every counter from the source rows: notes (with CES), then the
    accounts' followers, following, and likes and bookmarks received.

    A job lock (Redis in production) keeps two workers from running it at once; each
    recount is idempotent and commits batch by batch, so a rerun after a crash keeps what was
    done and finishes the rest. Returns how many notes were corrected.
    """
    with job_lock(RECOUNT_LOCK, timeout=RECOUNT_LOCK_SECONDS) as acquired:
        if not acquired:
            logger.info("Counter recount already running; skipped.")
            return None
        notes_corrected = services.note_counters_recount()
        follows_corrected = user_services.user_follow_counters_recount()
        authors_corrected = services.author_counters_recount()
    logger.info(
        "Counter recount corrected %d notes, %d follow counters, %d authors' received counts.",
        notes_corrected,
        follows_corrected,
        authors_corrected,
    )
    return notes_corrected


GROWTH_RECOUNT_LOCK = "notes:growth-recount:lock"


@shared_task(name="notes.growth_counters_recount_task")
def growth_counters_recount_task() -> int | None:
    """Nightly, after the counter recount: recompute the accounts' level-task counters from the
    source rows (users', and notes' in notes.growth), and raise the levels they reach.

    Its own job lock; batched and idempotent in users.services. Returns how many accounts were
    corrected.
    """
    with job_lock(GROWTH_RECOUNT_LOCK, timeout=RECOUNT_LOCK_SECONDS) as acquired:
        if not acquired:
            logger.info("Growth recount already running; skipped.")
            return None
        corrected, raised = user_services.growth_counters_recount(sources=growth.progress_sources())
    logger.info("Growth recount corrected %d accounts and raised %d levels.", corrected, raised)
    return corrected

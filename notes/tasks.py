"""Celery tasks of notes: thin callers of services, idempotent, safe to run twice."""

import logging

from celery import shared_task
from django.core.cache import cache

from notes import services

logger = logging.getLogger(__name__)
RECOUNT_LOCK = "notes:counters-recount:lock"
RECOUNT_LOCK_SECONDS = 60 * 60


@shared_task(name="notes.note_counters_recount_task")
def note_counters_recount_task() -> int | None:
    """Nightly: recompute every note counter and CES from the source rows.

    A cache lock (Redis in production) keeps two workers from running it at once; the
    recount itself is idempotent, so a rerun after a crash is harmless.
    """
    if not cache.add(RECOUNT_LOCK, "1", timeout=RECOUNT_LOCK_SECONDS):
        logger.info("Note counter recount already running; skipped.")
        return None
    try:
        corrected = services.note_counters_recount()
    finally:
        cache.delete(RECOUNT_LOCK)
    logger.info("Note counter recount corrected %d notes.", corrected)
    return corrected

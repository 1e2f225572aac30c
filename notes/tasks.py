"""Celery tasks of notes: thin callers of services, idempotent, safe to run twice."""

import logging
from dataclasses import asdict

from celery import shared_task
from django.conf import settings

from core.locks import job_lock
from notes import growth, services
from notes.models import CesRun
from notes.services import discovery, hot, interests, recalculation, search
from notes.services.recalculation import (
    DISCOVERY_LOCK,
    DISCOVERY_LOCK_SECONDS,
    RECOUNT_LOCK,  # noqa: F401 - tests and callers know it as notes.tasks.RECOUNT_LOCK
    RECOUNT_LOCK_SECONDS,
)
from users import services as user_services

logger = logging.getLogger(__name__)


@shared_task(name="notes.note_counters_recount_task")
def note_counters_recount_task() -> int | None:
    """Nightly: the CES recalculation (notes.services.recalculation): every counter recomputed
    from the source rows (notes with CES, then accounts), then the nightly discovery pass;
    the run leaves a summary row staff see in the admin.

    A job lock (Redis in production) keeps two runs apart, whether the other is this task or
    `manage.py recalculate_ces`; each recount is idempotent and commits batch by batch, so a
    rerun after a crash keeps what was done and finishes the rest. Returns how many notes were
    corrected (None: another run held the lock).
    """
    run = recalculation.ces_recalculate(trigger=CesRun.Trigger.NIGHTLY)
    if run is None:
        logger.info("Counter recount already running; skipped.")
        return None
    logger.info(
        "Counter recount corrected %d notes (largest CES drift %d) and %d accounts' counters; "
        "%d promoted, %d settled.",
        run.notes_changed,
        run.largest_drift,
        run.accounts_changed,
        run.promoted,
        run.settled,
    )
    return run.notes_changed


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


INTERESTS_LOCK = "notes:reader-interests:lock"
INTERESTS_LOCK_SECONDS = 30 * 60


@shared_task(name="notes.discovery_refresh_task")
def discovery_refresh_task() -> dict | None:
    """Every few minutes: impressions, pool promotions, Discover's candidate lists.

    One run at a time (a job lock that dies with its holder); idempotent, so a run skipped
    because another holds the lock loses nothing. Returns what changed, for the logs.
    """
    with job_lock(DISCOVERY_LOCK, timeout=DISCOVERY_LOCK_SECONDS) as acquired:
        if not acquired:
            logger.info("Discovery refresh already running; skipped.")
            return None
        run = discovery.discovery_refresh()
    logger.info(
        "Discovery refresh: %d notes' impressions, %d search rows' quality and likes, %d promoted, "
        "%d settled, %d candidates.",
        run.impressions_changed,
        run.search_ranks_changed,
        run.pools.promoted,
        run.pools.settled,
        run.candidates,
    )
    return asdict(run)


@shared_task(name="notes.discovery_nightly_task")
def discovery_nightly_task() -> dict | None:
    """The nightly discovery pass alone: impressions rebuilt, pools, lists, seen sets. The
    nightly CES recalculation (note_counters_recount_task) runs it after the counters; this
    task is for running it again by hand."""
    with job_lock(DISCOVERY_LOCK, timeout=DISCOVERY_LOCK_SECONDS) as acquired:
        if not acquired:
            logger.info("Discovery run already in progress; nightly pass skipped.")
            return None
        run = discovery.discovery_nightly()
    logger.info(
        "Discovery nightly: %d notes' impressions rebuilt, %d search rows' quality and likes, "
        "%d promoted, %d settled, %d seen entries purged.",
        run.impressions_changed,
        run.search_ranks_changed,
        run.pools.promoted,
        run.pools.settled,
        run.seen_purged,
    )
    return asdict(run)


@shared_task(name="notes.reader_interests_update_task")
def reader_interests_update_task() -> int | None:
    """Every few minutes: fold new likes, bookmarks, comments and long reads into interests.

    Resumes from each stream's checkpoint, so it is idempotent; one run at a time.
    """
    with job_lock(INTERESTS_LOCK, timeout=INTERESTS_LOCK_SECONDS) as acquired:
        if not acquired:
            return None
        readers = interests.reader_interests_update()
    logger.info("Reader interests updated for %d readers.", readers)
    return readers


HOT_LIST_LOCK = "notes:hot-list:lock"
HOT_LIST_LOCK_SECONDS = 10 * 60


@shared_task(name="notes.hot_list_refresh_task")
def hot_list_refresh_task() -> int | None:
    """Every few minutes: the hot list recomputed (one run at a time; idempotent)."""
    with job_lock(HOT_LIST_LOCK, timeout=HOT_LIST_LOCK_SECONDS) as acquired:
        if not acquired:
            return None
        places = hot.hot_list_refresh()
    logger.info("Hot list refreshed: %d places.", places)
    return places


@shared_task(name="notes.tag_counts_refresh_task")
def tag_counts_refresh_task() -> int:
    """Every five minutes: every tag's count of published notes, for the tag page (one GROUP
    BY; idempotent, and two runs at once only write the same numbers twice)."""
    tags = services.tag_counts_refresh()
    logger.info("Tag counts refreshed: %d tags.", tags)
    return tags


HOT_QUERIES_LOCK = "notes:hot-searches:lock"


@shared_task(name="notes.hot_queries_refresh_task")
def hot_queries_refresh_task() -> int | None:
    """Every few minutes: the hot searches recomputed (one run at a time; idempotent)."""
    with job_lock(HOT_QUERIES_LOCK, timeout=HOT_LIST_LOCK_SECONDS) as acquired:
        if not acquired:
            return None
        places = search.hot_queries_refresh()
    logger.info("Hot searches refreshed: %d places.", places)
    return places


@shared_task(name="notes.note_media_process_task")
def note_media_process_task(note_id: int) -> bool:
    """After an upload commits: the note's photo variants, video poster and MP4.

    Idempotent (notes.services.media skips what is done); a failure is recorded on the note,
    not raised, so the worker does not retry a file that will never decode.
    """
    return services.note_media_process(note_id=note_id)


ACCOUNT_LEAVE_LOCK = "notes:account-leave:{account_id}"


@shared_task(name="notes.account_community_leave_task")
def account_community_leave_task(account_id: int) -> bool:
    """After an account is closed (community.services.account_close): its notes, comments and
    everything it gave go, and the counters they fed are recounted. Its content is hidden from
    the moment it closed (an inactive author's), so this may run a little later.

    One run per account at a time. Returns whether it ran: not for an account that is not
    closed (services.account_community_leave), nor while another run holds the lock.
    """
    lock = ACCOUNT_LEAVE_LOCK.format(account_id=account_id)
    with job_lock(lock, timeout=settings.JOB_TIME_LIMIT_SECONDS) as acquired:
        return acquired and services.account_community_leave(account_id=account_id)


@shared_task(name="notes.account_engagement_undo_task")
def account_engagement_undo_task(account_id: int) -> bool:
    """After an account is banned for fake engagement
    (community.services.account_ban_for_fake_engagement): its likes, saves, reposts and
    comments are taken back and the counters they fed recounted. Shares the leaving job's
    per-account lock, as both take back the same rows. Returns whether it ran."""
    lock = ACCOUNT_LEAVE_LOCK.format(account_id=account_id)
    with job_lock(lock, timeout=settings.JOB_TIME_LIMIT_SECONDS) as acquired:
        return acquired and services.account_engagement_undo(account_id=account_id)

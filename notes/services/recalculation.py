"""The nightly CES recalculation, also run by hand (`manage.py recalculate_ces`).

Every counter recomputed from its source rows (notes with their CES, then accounts), then the
discovery pass that depends on them (impressions rebuilt from the daily counts, pools
re-evaluated, candidate lists, seen sets trimmed). Each run leaves a CesRun row, so staff see
in the admin when it ran, how long it took and what it put right.
"""

from collections.abc import Callable

from django.utils import timezone

from core.counters import Drift
from core.locks import job_lock
from notes.models import CesRun
from notes.services.discovery import discovery_nightly
from notes.services.moderation import author_counters_recount, note_counters_recount
from users import services as user_services

RECOUNT_LOCK = "notes:counters-recount:lock"
RECOUNT_LOCK_SECONDS = 60 * 60
DISCOVERY_LOCK = "notes:discovery:lock"
DISCOVERY_LOCK_SECONDS = 30 * 60


def ces_recalculate(
    *, trigger: str, on_batch: Callable[[int, list[Drift]], object] | None = None
) -> CesRun | None:
    """Recount every counter and CES, then run the nightly discovery pass; returns the run's
    summary row, or None when another run holds the lock (nothing is done then).

    One run at a time (a job lock that dies with its holder); the discovery pass also takes the
    discovery lock, so it never runs beside the few-minutes refresh (then it is left to the
    next run, and the row says so by counting no promotions). Idempotent: the recounts commit
    batch by batch, and a run after a crash finishes what is left. `on_batch(notes, drifted)`
    is told of each batch of notes recounted (the command's progress bar).
    """
    with job_lock(RECOUNT_LOCK, timeout=RECOUNT_LOCK_SECONDS) as acquired:
        if not acquired:
            return None
        run = CesRun.objects.create(trigger=trigger, started_at=timezone.now())

        def batch_done(notes: int, drifted: list[Drift]) -> None:
            for drift in drifted:
                change = abs(drift.recounted["ces"] - drift.stored["ces"])
                if change > run.largest_drift:
                    run.largest_drift, run.largest_drift_note_id = change, drift.pk
            if on_batch is not None:
                on_batch(notes, drifted)

        run.notes_changed = note_counters_recount(on_batch=batch_done)
        run.accounts_changed = user_services.user_follow_counters_recount()
        run.accounts_changed += author_counters_recount()
        with job_lock(DISCOVERY_LOCK, timeout=DISCOVERY_LOCK_SECONDS) as discovery_acquired:
            if discovery_acquired:
                discovery = discovery_nightly()
                run.impressions_changed = discovery.impressions_changed
                run.promoted, run.settled = discovery.pools.promoted, discovery.pools.settled
        run.finished_at = timezone.now()
        run.save()
        return run

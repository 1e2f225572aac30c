"""Stepped traffic pools: a published note is offered to a small pool of readers first, and
moves up a pool when the readers it was shown to engaged with it.

Budgets and thresholds are settings (TRAFFIC_POOL_BUDGETS, TRAFFIC_POOL_PROMOTION_RATES). A note
that has used its pool's budget is promoted if its engagement rate in that pool (CES gained per
impression since it entered) beats the pool's threshold, else it settles: Discover no longer
offers it, Follow, profiles, tags and search still show it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock_row
from notes.models import Note, NotePoolEntry, NoteTraffic
from notes.scoring import engagement_rate
from notes.selectors import notes_published
from users.models import User
from users.selectors import account_weight, user_account_weight

Reason = NotePoolEntry.Reason


def pool_count() -> int:
    return len(settings.TRAFFIC_POOL_BUDGETS)


def pool_budget(pool: int) -> int:
    return settings.TRAFFIC_POOL_BUDGETS[pool]


def promotion_rate(pool: int) -> float | None:
    """The rate a note in `pool` must beat to move up; None for the last pool."""
    rates = settings.TRAFFIC_POOL_PROMOTION_RATES
    return rates[pool] if pool < min(len(rates), pool_count() - 1) else None


def starting_pool(*, weight: float) -> int:
    """Pool 0, or pool 1 for the notes of an account this heavy (user_account_weight)."""
    heavy = weight >= settings.TRAFFIC_POOL_HEAVY_AUTHOR_WEIGHT
    return min(1 if heavy else 0, pool_count() - 1)


def _entry(traffic: NoteTraffic, *, reason: str, staff: User | None = None) -> NotePoolEntry:
    return NotePoolEntry(
        note_id=traffic.note_id,
        pool=traffic.pool,
        reason=reason,
        entered_at=traffic.entered_at,
        impressions=traffic.impressions_at_entry,
        ces=traffic.ces_at_entry,
        staff=staff,
    )


@transaction.atomic
def traffic_pool_enter(*, note: Note, now: datetime | None = None) -> NoteTraffic:
    """A note just published enters its first pool. Idempotent: a note that already has a pool
    (published, taken back to drafts, published again) keeps it."""
    now = now or timezone.now()
    traffic, created = NoteTraffic.objects.get_or_create(
        note=note,
        defaults={
            "pool": starting_pool(weight=user_account_weight(author=note.author)),
            "entered_at": now,
            "impressions_at_entry": note.impressions,
            "ces_at_entry": note.ces,
        },
    )
    if created:
        _entry(traffic, reason=Reason.PUBLISHED).save()
        _discovery_refresh_soon()
    return traffic


REFRESH_QUEUED_KEY = "discover:refresh-queued"


def _discovery_refresh_soon() -> None:
    """Queue a discovery refresh once the transaction commits, at most one a minute, so a new
    note meets its first readers within a minute rather than at the next beat."""
    if cache.add(REFRESH_QUEUED_KEY, "1", 60):
        from notes.tasks import discovery_refresh_task  # the tasks module imports services

        transaction.on_commit(discovery_refresh_task.delay)


@dataclass
class PoolsEvaluated:
    entered: int = 0  # published notes that had no pool yet (imports, demo data, restores)
    promoted: int = 0
    settled: int = 0


def _pools_backfill(now: datetime) -> int:
    """Give every visible note without a pool its first one, as if it had just been published."""
    missing = notes_published().filter(traffic__isnull=True)
    rows = missing.values_list(
        "pk", "author__red_potato_level", "author__followers_count", "published_at"
    )
    traffic = [
        NoteTraffic(
            note_id=pk,
            pool=starting_pool(weight=account_weight(level=level, followers=followers)),
            entered_at=published_at or now,
        )
        for pk, level, followers, published_at in rows
    ]
    NoteTraffic.objects.bulk_create(traffic, batch_size=1000, ignore_conflicts=True)
    NotePoolEntry.objects.bulk_create(
        [_entry(row, reason=Reason.PUBLISHED) for row in traffic], batch_size=1000
    )
    return len(traffic)


@transaction.atomic
def traffic_pools_evaluate(*, now: datetime | None = None) -> PoolsEvaluated:
    """Promote or settle every offered note that has used its pool's budget. Idempotent: a
    second run finds nothing new, since promoted notes start a fresh budget and settled ones
    are no longer offered. Run after Note.impressions is refreshed.

    A rate equal to the threshold does not beat it: the note settles.
    """
    now = now or timezone.now()
    result = PoolsEvaluated(entered=_pools_backfill(now))
    for pool in range(pool_count()):
        due = (
            NoteTraffic.objects.filter(state=NoteTraffic.State.OFFERED, pool=pool)
            .annotate(
                used=F("note__impressions") - F("impressions_at_entry"),
                impressions=F("note__impressions"),
                ces=F("note__ces"),
            )
            .filter(used__gte=pool_budget(pool))
            .order_by("pk")
        )
        threshold = promotion_rate(pool)
        promoted, settled = [], []
        for traffic in due:
            rate = engagement_rate(
                ces_gained=traffic.ces - traffic.ces_at_entry, impressions=traffic.used
            )
            if threshold is not None and rate > threshold:
                traffic.pool = pool + 1
                traffic.entered_at = now
                traffic.impressions_at_entry = traffic.impressions
                traffic.ces_at_entry = max(traffic.ces, 0)
                promoted.append(traffic)
            else:
                traffic.state = NoteTraffic.State.SETTLED
                settled.append(traffic)
        NoteTraffic.objects.bulk_update(
            promoted, ["pool", "entered_at", "impressions_at_entry", "ces_at_entry"], batch_size=500
        )
        NoteTraffic.objects.filter(pk__in=[row.pk for row in settled]).update(
            state=NoteTraffic.State.SETTLED
        )
        history = [_entry(row, reason=Reason.PROMOTED) for row in promoted]
        for row in settled:
            entry = _entry(row, reason=Reason.SETTLED)
            entry.entered_at, entry.impressions, entry.ces = now, row.impressions, row.ces
            history.append(entry)
        NotePoolEntry.objects.bulk_create(history, batch_size=1000)
        result.promoted += len(promoted)
        result.settled += len(settled)
    return result


def _traffic_for_staff(*, actor: User, note_id: int, now: datetime) -> NoteTraffic:
    """The note's pool row, locked; a published note without one gets its first pool."""
    if not actor.is_staff:
        raise PermissionDenied
    note = Note.objects.select_related("author").filter(pk=note_id).first()
    if note is None or not note.is_published:
        raise ValidationError(_("Only a published note has a traffic pool."), code="not_published")
    traffic_pool_enter(note=note, now=now)
    return lock_row(NoteTraffic.objects, pk=note_id)


def _restart(traffic: NoteTraffic, *, pool: int, now: datetime) -> None:
    note = Note.objects.only("impressions", "ces").get(pk=traffic.note_id)
    traffic.pool = pool
    traffic.state = NoteTraffic.State.OFFERED
    traffic.entered_at = now
    traffic.impressions_at_entry = note.impressions
    traffic.ces_at_entry = note.ces
    traffic.save()


@transaction.atomic
def note_traffic_boost(*, actor: User, note_id: int, now: datetime | None = None) -> NoteTraffic:
    """Staff move a note up one pool now (the last pool: a fresh budget in it), and offer it."""
    now = now or timezone.now()
    traffic = _traffic_for_staff(actor=actor, note_id=note_id, now=now)
    _restart(traffic, pool=min(traffic.pool + 1, pool_count() - 1), now=now)
    _entry(traffic, reason=Reason.BOOSTED, staff=actor).save()
    return traffic


@transaction.atomic
def note_traffic_hold(*, actor: User, note_id: int, now: datetime | None = None) -> NoteTraffic:
    """Staff stop the pools offering a note (it stays on the site); idempotent."""
    now = now or timezone.now()
    traffic = _traffic_for_staff(actor=actor, note_id=note_id, now=now)
    if traffic.state != NoteTraffic.State.HELD:
        traffic.state = NoteTraffic.State.HELD
        traffic.save(update_fields=["state"])
        entry = _entry(traffic, reason=Reason.HELD, staff=actor)
        entry.entered_at = now
        entry.save()
    return traffic


@transaction.atomic
def note_traffic_release(*, actor: User, note_id: int, now: datetime | None = None) -> NoteTraffic:
    """Staff offer a held or settled note again, with a fresh budget in its pool."""
    now = now or timezone.now()
    traffic = _traffic_for_staff(actor=actor, note_id=note_id, now=now)
    if traffic.state != NoteTraffic.State.OFFERED:
        _restart(traffic, pool=traffic.pool, now=now)
        _entry(traffic, reason=Reason.RELEASED, staff=actor).save()
    return traffic

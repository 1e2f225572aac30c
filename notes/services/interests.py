"""Reader interests: tag weights learned from what readers do, decaying with a half-life.

Likes, bookmarks, comments and long reads are folded in by batches (reader_interests_update, a
task every few minutes) straight from their own rows, so no interaction pays for it. "Not
interested" and the onboarding picks change the reader's weights at once: the reader is waiting.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext
from taggit.models import Tag

from core.locks import lock_row, lock_rows
from notes.models import (
    Bookmark,
    Comment,
    DiscoveryCheckpoint,
    Like,
    NoteRead,
    ReaderInterest,
)
from notes.selectors import note_tag_slugs
from notes.services.access import note_get_published
from notes.services.interactions import create_once
from users.models import User

HIDDEN_MAX = 500  # "not interested" notes remembered per reader
BATCH = 5_000  # rows read per stream and pass
# Rows younger than this wait for the next pass: a transaction that took an id earlier may
# still be committing, and the walk by primary key must not step over it.
SETTLE = timedelta(seconds=60)
WEIGHT_FLOOR = 0.05  # weights this close to zero are forgotten

# Each stream: checkpoint name, model, the reader's field, the signal it gives.
STREAMS = (
    ("interests:likes", Like, "user_id", "like"),
    ("interests:bookmarks", Bookmark, "user_id", "bookmark"),
    ("interests:comments", Comment, "author_id", "comment"),
    ("interests:long-reads", NoteRead, "reader_id", "long_read"),
)


# --- The arithmetic of weights, pure.


def weights_decayed(weights: Mapping[str, float], *, since: datetime, now: datetime) -> dict:
    half_life = timedelta(days=settings.READER_INTEREST_HALF_LIFE_DAYS)
    factor = 0.5 ** (max((now - since).total_seconds(), 0) / half_life.total_seconds())
    return {tag: weight * factor for tag, weight in weights.items()}


def weights_added(weights: dict, tags: Iterable[str], amount: float) -> dict:
    for tag in tags:
        weights[tag] = weights.get(tag, 0.0) + amount
    return weights


def weights_trimmed(weights: Mapping[str, float]) -> dict:
    """The strongest READER_INTEREST_TAGS_MAX weights (likes and dislikes), rounded."""
    kept = sorted(
        ((tag, round(weight, 3)) for tag, weight in weights.items() if abs(weight) >= WEIGHT_FLOOR),
        key=lambda item: (-abs(item[1]), item[0]),
    )
    return dict(kept[: settings.READER_INTEREST_TAGS_MAX])


def _signal(kind: str) -> float:
    return settings.READER_INTEREST_SIGNALS[kind]


def _interests_locked(reader_ids: Sequence[int], now: datetime) -> dict[int, ReaderInterest]:
    ReaderInterest.objects.bulk_create(
        [ReaderInterest(reader_id=pk, updated_at=now) for pk in reader_ids],
        ignore_conflicts=True,
    )
    rows = lock_rows(ReaderInterest.objects.filter(reader_id__in=reader_ids))
    return {row.reader_id: row for row in rows}


def _read_stream(name: str, model: type, reader_field: str, cutoff: datetime) -> list[tuple]:
    """The stream's settled rows after its checkpoint, (reader, note); moves the checkpoint."""
    checkpoint, _created = DiscoveryCheckpoint.objects.get_or_create(name=name)
    rows = list(
        model.objects.filter(pk__gt=checkpoint.last_id)
        .order_by("pk")
        .values_list("pk", reader_field, "note_id", "created_at")[:BATCH]
    )
    taken = []
    for pk, reader_id, note_id, created_at in rows:
        if created_at > cutoff:
            break
        taken.append((reader_id, note_id))
        checkpoint.last_id = pk
    if taken:
        checkpoint.save(update_fields=["last_id"])
    return taken


@transaction.atomic
def reader_interests_update(*, now: datetime | None = None) -> int:
    """Fold new likes, bookmarks, comments and long reads into readers' weights.

    Each stream is read from its checkpoint, one batch per pass, so a crash or a second run
    counts nothing twice. Returns how many readers' interests changed.
    """
    now = now or timezone.now()
    cutoff = now - SETTLE
    events: list[tuple[int, int, float]] = []
    for name, model, reader_field, kind in STREAMS:
        amount = _signal(kind)
        events += [
            (reader, note, amount)
            for reader, note in _read_stream(name, model, reader_field, cutoff)
        ]
    if not events:
        return 0
    tags = note_tag_slugs({note for _reader, note, _amount in events})
    by_reader: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for reader, note, amount in events:
        if tags.get(note):
            by_reader[reader].append((note, amount))
    interests = _interests_locked(sorted(by_reader), now)
    for reader, signals in by_reader.items():
        row = interests[reader]
        weights = weights_decayed(row.weights, since=row.updated_at, now=now)
        for note, amount in signals:
            weights_added(weights, tags[note], amount)
        row.weights, row.updated_at = weights_trimmed(weights), now
    ReaderInterest.objects.bulk_update(
        interests.values(), ["weights", "updated_at"], batch_size=500
    )
    return len(interests)


def _interest_locked(reader: User, now: datetime) -> ReaderInterest:
    ReaderInterest.objects.get_or_create(reader=reader, defaults={"updated_at": now})
    return lock_row(ReaderInterest.objects, pk=reader.pk)


@transaction.atomic
def note_not_interested(*, actor: User, note_id: int, now: datetime | None = None) -> bool:
    """The reader does not want notes like this one: Discover drops it and lowers its tags for
    them, at once. Idempotent: False when it was already hidden."""
    now = now or timezone.now()
    note = note_get_published(actor=actor, note_id=note_id)
    row = _interest_locked(actor, now)
    if note.pk in row.hidden_note_ids:
        return False
    weights = weights_decayed(row.weights, since=row.updated_at, now=now)
    weights_added(weights, note_tag_slugs([note.pk]).get(note.pk, []), _signal("not_interested"))
    row.weights, row.updated_at = weights_trimmed(weights), now
    row.hidden_note_ids = [*row.hidden_note_ids, note.pk][-HIDDEN_MAX:]
    row.save(update_fields=["weights", "updated_at", "hidden_note_ids"])
    return True


@transaction.atomic
def reader_interests_add(
    *, actor: User, tag_slugs: Sequence[str], signal: str, now: datetime | None = None
) -> None:
    """The reader showed interest in these topics outside a note (a search): their weights
    move by the signal's amount at once."""
    now = now or timezone.now()
    row = _interest_locked(actor, now)
    weights = weights_decayed(row.weights, since=row.updated_at, now=now)
    weights_added(weights, tag_slugs, _signal(signal))
    row.weights, row.updated_at = weights_trimmed(weights), now
    row.save(update_fields=["weights", "updated_at"])


@transaction.atomic
def note_read_record(*, actor: User, note_id: int) -> bool:
    """The reader stayed on a note's page: a long read, learned from by the next batch.

    Once per reader and note; the author's own reads teach nothing. False when not recorded.
    """
    note = note_get_published(actor=actor, note_id=note_id)
    if note.author_id == actor.pk:
        return False
    return create_once(NoteRead, note=note, reader=actor)


@transaction.atomic
def onboarding_interests_choose(
    *, actor: User, tag_slugs: Sequence[str], now: datetime | None = None
) -> ReaderInterest:
    """A new reader's first interests: at least ONBOARDING_MIN_INTERESTS existing tags."""
    now = now or timezone.now()
    slugs = list(dict.fromkeys(slug for slug in tag_slugs if slug))
    known = set(Tag.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    slugs = [slug for slug in slugs if slug in known]
    minimum = settings.ONBOARDING_MIN_INTERESTS
    if len(slugs) < minimum:
        raise ValidationError(
            ngettext(
                "Pick at least %(count)d interest.", "Pick at least %(count)d interests.", minimum
            )
            % {"count": minimum},
            code="too_few",
        )
    row = _interest_locked(actor, now)
    weights = weights_decayed(row.weights, since=row.updated_at, now=now)
    weights_added(weights, slugs, _signal("onboarding"))
    row.weights, row.updated_at = weights_trimmed(weights), now
    row.onboarded_at = row.onboarded_at or now
    row.save(update_fields=["weights", "updated_at", "onboarded_at"])
    return row


@transaction.atomic
def onboarding_skip(*, actor: User, now: datetime | None = None) -> ReaderInterest:
    """The reader would rather just browse: onboarding is not offered again."""
    now = now or timezone.now()
    row = _interest_locked(actor, now)
    if row.onboarded_at is None:
        row.onboarded_at = now
        row.save(update_fields=["onboarded_at"])
    return row

"""Impressions: which cards a reader was shown, written once per page served.

Two records: the reader's seen set (notes.seen) and the lasting per-note, per-day count
(NoteImpressionDay). A reader counts once per note within the seen window, so the counts add
up to "shown to N readers". Note.impressions is refreshed from the daily counts by the
discovery task, not on every page: a page write never touches (or locks) a note row.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from notes.models import Note, NoteImpressionDay
from notes.seen import seen_store


def impressions_record(
    *,
    reader_key: str,
    note_ids: Sequence[int],
    unseen: bool = False,
    now: datetime | None = None,
) -> int:
    """Record that a page of cards was shown to a reader; returns how many impressions counted.

    One write to the seen set and one to the daily counts, whatever the page's size: never per
    card. `unseen=True` says the caller already left out what the reader saw within the window
    (Discover's first page), which spares a read.
    """
    note_ids = list(dict.fromkeys(note_ids))
    if not note_ids:
        return 0
    now = now or timezone.now()
    store = seen_store()
    new_ids = note_ids
    if not unseen:
        seen = store.among(reader_key, note_ids, now=now)
        new_ids = [pk for pk in note_ids if pk not in seen]
    store.add(reader_key, note_ids, now=now)
    if new_ids:
        _impression_days_add(new_ids, day=timezone.localdate(now))
    return len(new_ids)


def _impression_days_add(note_ids: Sequence[int], *, day: date) -> None:
    """+1 on each note's count for `day`, in one upsert.

    Rows are taken from the notes table, so a note deleted meanwhile is simply skipped, and in
    primary-key order, so two pages touching the same notes queue instead of deadlocking.
    """
    quote = connection.ops.quote_name
    table, notes, count = (
        quote(NoteImpressionDay._meta.db_table),
        quote(Note._meta.db_table),
        quote("count"),
    )
    placeholders = ", ".join(["%s"] * len(note_ids))
    sql = (  # names quoted, values bound
        f"INSERT INTO {table} (note_id, day, {count}) "  # noqa: S608
        f"SELECT id, %s, 1 FROM {notes} WHERE id IN ({placeholders}) ORDER BY id "
        f"ON CONFLICT (note_id, day) DO UPDATE SET {count} = {table}.{count} + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, *sorted(note_ids)])


def _impressions_total() -> Coalesce:
    rows = (
        NoteImpressionDay.objects.filter(note=OuterRef("pk"))
        .order_by()
        .values("note")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(rows), Value(0))


def note_impressions_refresh(*, since: date | None = None) -> int:
    """Put Note.impressions back to the sum of its daily counts, set-based; idempotent.

    `since` limits the pass to notes shown on or after that day (the few-minutes refresh);
    None rebuilds every note (the nightly run). Returns how many notes changed.
    """
    notes = Note.objects.all()
    if since is not None:
        shown = NoteImpressionDay.objects.filter(day__gte=since).values("note_id")
        notes = notes.filter(pk__in=shown)
    changed = list(
        notes.annotate(true_impressions=_impressions_total())
        .exclude(impressions=F("true_impressions"))
        .values_list("pk", flat=True)
    )
    if changed:
        Note.objects.filter(pk__in=changed).update(impressions=_impressions_total())
    return len(changed)


def seen_sets_purge(*, now: datetime | None = None) -> int:
    """Forget seen notes older than the window (the database store; Redis trims itself)."""
    return seen_store().purge(now=now or timezone.now())


def recently(now: datetime | None = None) -> date:
    """The first day the few-minutes refresh looks at: yesterday, so midnight loses nothing."""
    return timezone.localdate(now or timezone.now()) - timedelta(days=1)

"""Staff verbs: taking notes off the site and back, and repairing counters."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.locks import lock_row
from notes.models import (
    Bookmark,
    Comment,
    FollowFromNote,
    Like,
    Note,
    Repost,
)
from notes.scoring import CES_WEIGHTS, ces_from_counters
from users import services as user_services
from users.models import User


@transaction.atomic
def note_remove(*, staff: User, note_id: int) -> Note:
    if not staff.is_staff:
        raise PermissionDenied
    note = lock_row(Note.objects, pk=note_id)
    if note.is_published:
        user_services.growth_counters_decrease(
            account_ids=[note.author_id], action="note_published"
        )
    note.status = Note.Status.REMOVED
    note.save(update_fields=["status", "updated_at"])
    user_services.notification_add(
        recipient_id=note.author_id, verb="note_removed", target=note, text=note.title
    )
    return note


@transaction.atomic
def note_restore(*, staff: User, note_id: int) -> Note:
    """Put a removed or held note back on the site."""
    if not staff.is_staff:
        raise PermissionDenied
    note = lock_row(Note.objects, pk=note_id)
    if not note.is_published:
        user_services.growth_record(actor=note.author, action="note_published")
        user_services.notification_add(
            recipient_id=note.author_id, verb="note_restored", target=note, text=note.title
        )
    note.status = Note.Status.PUBLISHED
    note.published_at = note.published_at or timezone.now()
    note.save(update_fields=["status", "published_at", "updated_at"])
    return note


@transaction.atomic
def note_counters_recount(*, note_ids: Sequence[int] | None = None) -> int:
    """Recompute every note counter and CES from the source rows, set-based.

    Idempotent; returns how many notes had drifted and were corrected.
    """

    def counted(model: type) -> Coalesce:
        rows = (
            model.objects.filter(note=OuterRef("pk"))
            .order_by()
            .values("note")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Coalesce(Subquery(rows), Value(0))

    notes = Note.objects.all() if note_ids is None else Note.objects.filter(pk__in=note_ids)
    truth = {
        "likes_count": counted(Like),
        "bookmarks_count": counted(Bookmark),
        "comments_count": counted(Comment),
        "reposts_count": counted(Repost),
        "follows_gained": counted(FollowFromNote),
    }
    annotated = notes.annotate(**{f"true_{name}": value for name, value in truth.items()})
    drift = Q()
    for name in CES_WEIGHTS:
        drift |= ~Q(**{name: F(f"true_{name}")})
    drift |= ~Q(ces=ces_from_counters())
    drifted = list(annotated.filter(drift).values_list("pk", flat=True))
    if drifted:
        Note.objects.filter(pk__in=drifted).update(**truth)
        Note.objects.filter(pk__in=drifted).update(ces=ces_from_counters())
    return len(drifted)


@transaction.atomic
def author_counters_recount() -> int:
    """Put authors' likes and bookmarks received back to the sums over their notes.

    Run after note_counters_recount. Drift is found in one read; the few corrections are
    written by users.services. Returns how many accounts were corrected.
    """

    def summed(counter: str) -> Coalesce:
        rows = (
            Note.objects.filter(author=OuterRef("pk"))
            .order_by()
            .values("author")
            .annotate(total=Sum(counter))
            .values("total")
        )
        return Coalesce(Subquery(rows), Value(0))

    drifted = (
        User.objects.annotate(
            true_likes=summed("likes_count"), true_bookmarks=summed("bookmarks_count")
        )
        .filter(~Q(likes_received=F("true_likes")) | ~Q(bookmarks_received=F("true_bookmarks")))
        .values_list("pk", "true_likes", "true_bookmarks")
    )
    totals = {pk: (likes, bookmarks) for pk, likes, bookmarks in drifted}
    return user_services.user_received_correct(totals=totals) if totals else 0

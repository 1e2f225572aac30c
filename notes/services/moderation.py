"""Staff verbs: taking notes off the site and back, deciding reports, repairing counters."""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, FilteredRelation, IntegerField, Model, Q, Sum
from django.utils import timezone

from core.counters import Drift, Scope, counters_drifted, counters_recount, total
from core.locks import lock_row, lock_rows
from notes.models import (
    Bookmark,
    Comment,
    FollowFromNote,
    Like,
    Note,
    Report,
    Repost,
)
from notes.scoring import ces, counted_filter
from notes.services.comments import comment_delete
from notes.services.publishing import note_goes_public
from notes.services.search import note_search_update
from users import services as user_services
from users.models import User


@transaction.atomic
def note_remove(*, actor: User, note_id: int) -> Note:
    if not actor.is_staff:
        raise PermissionDenied
    note = lock_row(Note.objects, pk=note_id)
    if note.is_published:
        user_services.growth_counters_decrease(
            account_ids=[note.author_id], action="note_published"
        )
    note.status = Note.Status.REMOVED
    note.save(update_fields=["status", "updated_at"])
    note_search_update(note_id=note.pk)
    user_services.notification_add(
        recipient_id=note.author_id, verb="note_removed", target=note, text=note.title
    )
    return note


@transaction.atomic
def note_restore(*, actor: User, note_id: int) -> Note:
    """Put a removed note back on the site, or pass a note held for review."""
    if not actor.is_staff:
        raise PermissionDenied
    note = lock_row(Note.objects, pk=note_id)
    if note.status not in (Note.Status.REMOVED, Note.Status.UNDER_REVIEW):
        return note  # published already, or a draft: its author's to publish
    verb = "note_approved" if note.status == Note.Status.UNDER_REVIEW else "note_restored"
    first = note.published_at is None
    note.status, note.review_reasons = Note.Status.PUBLISHED, []
    note.published_at = note.published_at or timezone.now()
    note.save(update_fields=["status", "review_reasons", "published_at", "updated_at"])
    note_goes_public(note, first=first)
    user_services.notification_add(
        recipient_id=note.author_id, verb=verb, target=note, text=note.title
    )
    note_search_update(note_id=note.pk)
    return note


# --- Reports (notes.services.reports): a moderator decides the thing reported, not one report,
# so every open report of it is closed together and every reporter is told.


def _decided(*, actor: User, report_id: int, outcome: str) -> tuple[Report, list[Report]]:
    """The report, and every open report of the same thing now closed with `outcome`."""
    if not actor.is_staff:
        raise PermissionDenied
    report = lock_row(Report.objects, pk=report_id)
    if report.outcome != Report.Outcome.OPEN:
        return report, []
    same = Report.of_same_thing(
        kind=report.kind, note_id=report.note_id, comment_id=report.comment_id
    )
    closed = lock_rows(Report.objects.filter(same, outcome=Report.Outcome.OPEN))
    Report.objects.filter(pk__in=[r.pk for r in closed]).update(
        outcome=outcome, handled_by=actor, handled_at=timezone.now()
    )
    return report, closed


def _tell_reporters(closed: list[Report], *, verb: str, url: str) -> None:
    for report in closed:
        user_services.notification_add(
            recipient_id=report.reporter_id, verb=verb, target=report, text=report.excerpt, url=url
        )


@transaction.atomic
def report_uphold(*, actor: User, report_id: int) -> Report:
    """Take down what was reported (the note removed, the comment deleted), close every open
    report of it and tell each reporter."""
    report, closed = _decided(actor=actor, report_id=report_id, outcome=Report.Outcome.UPHELD)
    if not closed:
        return report
    if report.kind == Report.Kind.COMMENT and report.comment_id is not None:
        comment_delete(actor=actor, comment_id=report.comment_id)
    elif report.kind == Report.Kind.NOTE and report.note_id is not None:
        note_remove(actor=actor, note_id=report.note_id)
    _tell_reporters(closed, verb="report_upheld", url="")
    report.refresh_from_db()
    return report


@transaction.atomic
def report_dismiss(*, actor: User, report_id: int) -> Report:
    """Leave what was reported up, close every open report of it and tell each reporter."""
    report, closed = _decided(actor=actor, report_id=report_id, outcome=Report.Outcome.DISMISSED)
    if closed:
        url = report.note.get_absolute_url() if report.note_id else ""
        _tell_reporters(closed, verb="report_dismissed", url=url)
        report.refresh_from_db()
    return report


# Where each note counter is counted from: the interaction table, and who acted.
NOTE_COUNTER_SOURCES: dict[str, tuple[type[Model], str]] = {
    "likes_count": (Like, "user_id"),
    "bookmarks_count": (Bookmark, "user_id"),
    "comments_count": (Comment, "author_id"),
    "reposts_count": (Repost, "user_id"),
    "follows_gained": (FollowFromNote, "follower_id"),
}


def note_counters_recount(
    *,
    note_ids: Sequence[int] | None = None,
    on_batch: Callable[[int, list[Drift]], object] | None = None,
) -> int:
    """Recompute the counters and CES of every note (or of `note_ids`) from the source rows,
    in primary-key batches of settings.COUNTER_RECOUNT_BATCH_SIZE, a transaction each
    (`on_batch` is told of each: core.counters.counters_recount).

    As on the live path, the public counters count every row, the author's own too, and CES
    counts only other people's (notes.scoring). Idempotent; logs each corrected note; returns
    how many notes had drifted and were corrected.
    """
    return counters_recount(
        Note,
        pks=note_ids,
        scan=_notes_drifted,
        batch_size=settings.COUNTER_RECOUNT_BATCH_SIZE,
        on_batch=on_batch,
    )


def _notes_drifted(scope: Scope) -> list[Drift]:
    # The note (for its author) is joined within the batch's range too: the planner does not
    # carry the range over the join by itself, and would read every note for every batch.
    # Counting the actor column, not the primary key, lets PostgreSQL read only the index on
    # (note, user) where there is one.
    sources = {
        counter: model.objects.filter(scope.of("note_id"))
        .annotate(batch_note=FilteredRelation("note", condition=scope.of("note__id")))
        .values(row_id=F("note_id"))
        .annotate(
            total=Count("*"),
            counted=Count(actor, filter=counted_filter(actor, note="batch_note")),
        )
        for counter, (model, actor) in NOTE_COUNTER_SOURCES.items()
    }
    recounted = {counter: total(counter, "total") for counter in sources}
    recounted["ces"] = ces(**{counter: total(counter, "counted") for counter in sources})
    return counters_drifted(
        Note.objects.filter(scope.of("pk")), sources=sources, recounted=recounted
    )


def author_counters_recount(*, author_ids: Sequence[int] | None = None) -> int:
    """Put authors' likes and bookmarks received (of every account, or of `author_ids`) back to
    what others gave their notes: each note's public counter less the author's own like or
    bookmark, if any.

    Run after note_counters_recount, in batches of accounts like it; the corrections are
    written by users.services. Returns how many accounts were corrected.
    """
    return counters_recount(
        User,
        pks=author_ids,
        scan=_received_drifted,
        write=_received_write,
        batch_size=settings.COUNTER_RECOUNT_BATCH_SIZE,
    )


def _received_drifted(scope: Scope) -> list[Drift]:
    # Each FilteredRelation is one probe of the unique (note, user) index per note of the
    # batch's authors: at most one row, read from the index alone (its user column is what is
    # counted). A range on the user column as well made PostgreSQL probe by note only and
    # filter every like of the note (twice the time).
    notes = (
        Note.objects.filter(scope.of("author_id"))
        .annotate(
            own_like=FilteredRelation("likes", condition=Q(likes__user_id=F("author_id"))),
            own_bookmark=FilteredRelation(
                "bookmarks", condition=Q(bookmarks__user_id=F("author_id"))
            ),
        )
        .values(row_id=F("author_id"))
        .annotate(
            likes=Sum("likes_count", output_field=IntegerField()) - Count("own_like__user_id"),
            bookmarks=Sum("bookmarks_count", output_field=IntegerField())
            - Count("own_bookmark__user_id"),
        )
    )
    return counters_drifted(
        User.objects.filter(scope.of("pk")),
        sources={"received": notes},
        recounted={
            "likes_received": total("received", "likes"),
            "bookmarks_received": total("received", "bookmarks"),
        },
    )


def _received_write(drifted: list[Drift]) -> None:
    user_services.user_received_correct(
        totals={
            drift.pk: (drift.recounted["likes_received"], drift.recounted["bookmarks_received"])
            for drift in drifted
        }
    )

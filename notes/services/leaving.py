"""An account leaving the community (community.services.account_close): what it wrote and
gave goes, and every counter it fed is put right. A banned account's engagement goes the same
way (community.services.account_ban_for_fake_engagement), its notes kept."""

from django.db import transaction
from django.db.models import F

from notes.models import (
    Board,
    Bookmark,
    Comment,
    CommentLike,
    FollowFromNote,
    Like,
    Note,
    NoteRead,
    ReaderInterest,
    Repost,
)
from notes.services.comments import comment_delete, comment_unlike
from notes.services.moderation import author_counters_recount, note_counters_recount
from notes.services.publishing import note_delete
from notes.services.search import search_history_clear
from users.models import User

# What an account gives other people's notes, each row counted in the note's counters.
GIVEN = ((Like, "user"), (Bookmark, "user"), (Repost, "user"), (FollowFromNote, "follower"))


def _engagement_undo(account: User) -> None:
    """Its comments and comment likes, then its likes, saves, reposts and follows from notes
    in bulk; each note it touched has its counters and CES, and each of their authors the
    likes and saves received, counted again from the rows left: one recount, however many it
    gave."""
    # Threads before replies: a reply under the account's own thread goes with the thread.
    written = Comment.objects.filter(author=account).order_by(
        F("parent_id").asc(nulls_first=True), "pk"
    )
    for comment_id in written.values_list("pk", flat=True):
        if Comment.objects.filter(pk=comment_id).exists():
            comment_delete(actor=account, comment_id=comment_id)
    for comment_id in CommentLike.objects.filter(user=account).values_list("comment_id", flat=True):
        comment_unlike(actor=account, comment_id=comment_id)
    touched: set[int] = set()
    for model, actor in GIVEN:
        rows = model.objects.filter(**{actor: account})
        touched |= set(rows.values_list("note_id", flat=True))
        rows.delete()
    if touched:
        note_counters_recount(note_ids=sorted(touched))
        authors = Note.objects.filter(pk__in=touched).values_list("author_id", flat=True)
        author_counters_recount(author_ids=sorted(set(authors)))


@transaction.atomic
def account_community_leave(*, account_id: int) -> bool:
    """Delete a closed account's notes (with their files), comments, comment likes, likes,
    saves, reposts and boards, and forget its reading history, interests and searches.
    Returns False, changing nothing, for an account that is not closed.

    Notes and comments go through their own verbs, the rest in bulk with one recount
    (_engagement_undo). Idempotent: a second run finds nothing left to take.
    """
    account = User.objects.filter(pk=account_id, closed_at__isnull=False).first()
    if account is None:
        return False
    for note_id in Note.objects.filter(author=account).values_list("pk", flat=True):
        note_delete(actor=account, note_id=note_id)
    _engagement_undo(account)
    Board.objects.filter(owner=account).delete()
    NoteRead.objects.filter(reader=account).delete()
    ReaderInterest.objects.filter(reader=account).delete()
    search_history_clear(actor=account)
    return True


@transaction.atomic
def account_engagement_undo(*, account_id: int) -> bool:
    """Take back what a banned account gave (likes, saves, reposts, follows from notes,
    comments and comment likes), so bought or sockpuppet engagement stops counting in
    counters, CES and the traffic pools; its notes stay, hidden as a banned author's are.
    Returns False, changing nothing, for an account that is active. Idempotent.
    """
    account = User.objects.filter(pk=account_id, is_active=False).first()
    if account is None:
        return False
    _engagement_undo(account)
    return True

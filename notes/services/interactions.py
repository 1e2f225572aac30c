"""Likes, bookmarks, reposts and follows from a note: idempotent per reader, counters and CES
moved with F() in the same transaction (notes.scoring). The author's own acts move only the
note's public counters, never its CES or the author's received totals.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from notes.models import (
    Board,
    Bookmark,
    FollowFromNote,
    Like,
    Note,
    Repost,
)
from notes.scoring import counter_change, is_counted
from notes.services.access import note_get_for_reader, note_get_published
from users import services as user_services
from users.models import User


def create_once(model: type, **fields: object) -> bool:
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


# The note counters an author also receives on their account (User.likes_received…).
RECEIVED = {"likes_count": "likes", "bookmarks_count": "bookmarks"}


def note_counter_move(*, note: Note, actor: User, counter: str, delta: int) -> None:
    """Move one public counter of `note` for an act of `actor`; CES and, for likes and
    bookmarks, the author's received totals move only when someone else acted."""
    counted = delta if is_counted(actor_id=actor.pk, author_id=note.author_id) else 0
    Note.objects.filter(pk=note.pk).update(**counter_change(counter, delta, counted=counted))
    if counted and counter in RECEIVED:
        user_services.user_received_add(user_id=note.author_id, **{RECEIVED[counter]: counted})


@transaction.atomic
def note_like(*, actor: User, note_id: int) -> bool:
    note = note_get_published(actor=actor, note_id=note_id)
    if not create_once(Like, note=note, user=actor):
        return False
    note_counter_move(note=note, actor=actor, counter="likes_count", delta=1)
    user_services.growth_record(actor=actor, action="like_given")
    user_services.notification_add(
        recipient_id=note.author_id, verb="note_liked", target=note, actor=actor, text=note.title
    )
    return True


@transaction.atomic
def note_unlike(*, actor: User, note_id: int) -> bool:
    note = note_get_for_reader(actor=actor, note_id=note_id, with_media=False)
    deleted, _detail = Like.objects.filter(note=note, user=actor).delete()
    if not deleted:
        return False
    note_counter_move(note=note, actor=actor, counter="likes_count", delta=-1)
    user_services.growth_record(actor=actor, action="like_given", amount=-1)
    user_services.notification_take_back(
        recipient_id=note.author_id, verb="note_liked", target=note, actor=actor
    )
    return True


@transaction.atomic
def note_bookmark(*, actor: User, note_id: int, board_id: int | None = None) -> bool:
    """Save a note, optionally into one of the user's boards; saving again moves it."""
    note = note_get_published(actor=actor, note_id=note_id)
    board = None
    if board_id is not None:
        board = Board.objects.filter(pk=board_id, owner=actor).first()
        if board is None:
            raise ValidationError(_("Choose one of your own boards."), code="board")
    if not create_once(Bookmark, note=note, user=actor, board=board):
        Bookmark.objects.filter(note=note, user=actor).update(board=board)
        return False
    note_counter_move(note=note, actor=actor, counter="bookmarks_count", delta=1)
    user_services.growth_record(actor=actor, action="bookmark_given")
    user_services.notification_add(
        recipient_id=note.author_id,
        verb="note_bookmarked",
        target=note,
        actor=actor,
        text=note.title,
    )
    return True


@transaction.atomic
def note_unbookmark(*, actor: User, note_id: int) -> bool:
    note = note_get_for_reader(actor=actor, note_id=note_id, with_media=False)
    deleted, _detail = Bookmark.objects.filter(note=note, user=actor).delete()
    if not deleted:
        return False
    note_counter_move(note=note, actor=actor, counter="bookmarks_count", delta=-1)
    user_services.growth_record(actor=actor, action="bookmark_given", amount=-1)
    user_services.notification_take_back(
        recipient_id=note.author_id, verb="note_bookmarked", target=note, actor=actor
    )
    return True


def note_read(*, actor: User | None, note: Note) -> bool:
    """A reader opened a note's page: one toward their "notes read" level task, once a day
    per note, not for their own notes nor for hidden ones. Returns whether it counted."""
    if actor is None or not actor.is_authenticated or actor.pk == note.author_id:
        return False
    if not getattr(note, "is_visible", note.is_published):
        return False
    return user_services.growth_record(actor=actor, action="note_read", subject_id=note.pk)


@transaction.atomic
def note_repost(*, actor: User, note_id: int) -> bool:
    note = note_get_published(actor=actor, note_id=note_id)
    if not create_once(Repost, note=note, user=actor):
        return False
    note_counter_move(note=note, actor=actor, counter="reposts_count", delta=1)
    return True


@transaction.atomic
def note_unrepost(*, actor: User, note_id: int) -> bool:
    note = note_get_for_reader(actor=actor, note_id=note_id, with_media=False)
    deleted, _detail = Repost.objects.filter(note=note, user=actor).delete()
    if not deleted:
        return False
    note_counter_move(note=note, actor=actor, counter="reposts_count", delta=-1)
    return True


@transaction.atomic
def note_author_follow(*, actor: User, note_id: int) -> bool:
    """Follow a note's author from the note: the first such follow counts for the note's CES."""
    note = note_get_published(actor=actor, note_id=note_id)
    followed = user_services.user_follow(actor=actor, followee=note.author)
    if followed and create_once(FollowFromNote, note=note, follower=actor):
        note_counter_move(note=note, actor=actor, counter="follows_gained", delta=1)
    return followed

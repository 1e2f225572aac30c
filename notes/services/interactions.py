"""Likes, bookmarks, reposts and follows from a note: idempotent per reader, counters and CES
moved with F() in the same transaction (notes.scoring)."""

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
from notes.scoring import counter_change
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


@transaction.atomic
def note_like(*, user: User, note_id: int) -> bool:
    note = note_get_published(reader=user, note_id=note_id)
    if not create_once(Like, note=note, user=user):
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("likes_count", 1))
    user_services.user_received_add(user_id=note.author_id, likes=1)
    user_services.growth_record(actor=user, action="like_given")
    user_services.notification_add(
        recipient_id=note.author_id, verb="note_liked", target=note, actor=user, text=note.title
    )
    return True


@transaction.atomic
def note_unlike(*, user: User, note_id: int) -> bool:
    note = note_get_for_reader(reader=user, note_id=note_id, with_media=False)
    deleted, _detail = Like.objects.filter(note=note, user=user).delete()
    if not deleted:
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("likes_count", -1))
    user_services.user_received_add(user_id=note.author_id, likes=-1)
    user_services.growth_record(actor=user, action="like_given", amount=-1)
    user_services.notification_take_back(
        recipient_id=note.author_id, verb="note_liked", target=note, actor=user
    )
    return True


@transaction.atomic
def note_bookmark(*, user: User, note_id: int, board_id: int | None = None) -> bool:
    """Save a note, optionally into one of the user's boards; saving again moves it."""
    note = note_get_published(reader=user, note_id=note_id)
    board = None
    if board_id is not None:
        board = Board.objects.filter(pk=board_id, owner=user).first()
        if board is None:
            raise ValidationError(_("Choose one of your own boards."), code="board")
    if not create_once(Bookmark, note=note, user=user, board=board):
        Bookmark.objects.filter(note=note, user=user).update(board=board)
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("bookmarks_count", 1))
    user_services.user_received_add(user_id=note.author_id, bookmarks=1)
    user_services.growth_record(actor=user, action="bookmark_given")
    user_services.notification_add(
        recipient_id=note.author_id,
        verb="note_bookmarked",
        target=note,
        actor=user,
        text=note.title,
    )
    return True


@transaction.atomic
def note_unbookmark(*, user: User, note_id: int) -> bool:
    note = note_get_for_reader(reader=user, note_id=note_id, with_media=False)
    deleted, _detail = Bookmark.objects.filter(note=note, user=user).delete()
    if not deleted:
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("bookmarks_count", -1))
    user_services.user_received_add(user_id=note.author_id, bookmarks=-1)
    user_services.growth_record(actor=user, action="bookmark_given", amount=-1)
    user_services.notification_take_back(
        recipient_id=note.author_id, verb="note_bookmarked", target=note, actor=user
    )
    return True


def note_read(*, reader: User | None, note: Note) -> bool:
    """A reader opened a note's page: one toward their "notes read" level task, once a day
    per note, not for their own notes nor for hidden ones. Returns whether it counted."""
    if reader is None or not reader.is_authenticated or reader.pk == note.author_id:
        return False
    if not getattr(note, "is_visible", note.is_published):
        return False
    return user_services.growth_record(actor=reader, action="note_read", subject_id=note.pk)


@transaction.atomic
def note_repost(*, user: User, note_id: int) -> bool:
    note = note_get_published(reader=user, note_id=note_id)
    if not create_once(Repost, note=note, user=user):
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("reposts_count", 1))
    return True


@transaction.atomic
def note_unrepost(*, user: User, note_id: int) -> bool:
    note = note_get_for_reader(reader=user, note_id=note_id, with_media=False)
    deleted, _detail = Repost.objects.filter(note=note, user=user).delete()
    if not deleted:
        return False
    Note.objects.filter(pk=note.pk).update(**counter_change("reposts_count", -1))
    return True


@transaction.atomic
def note_author_follow(*, reader: User, note_id: int) -> bool:
    """Follow a note's author from the note: the first such follow counts for the note's CES."""
    note = note_get_published(reader=reader, note_id=note_id)
    followed = user_services.user_follow(follower=reader, followee=note.author)
    if followed and create_once(FollowFromNote, note=note, follower=reader):
        Note.objects.filter(pk=note.pk).update(**counter_change("follows_gained", 1))
    return followed

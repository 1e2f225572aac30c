"""Permission-checked fetches, shared by pages and the API: who may see or change what."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from notes.models import (
    Board,
    Note,
)
from users.models import User


def note_get_for_reader(*, reader: User | None, note_id: int, with_media: bool = True) -> Note:
    """A published note for anyone; anything else only for its author or staff (404 otherwise).

    `with_media=False` skips photos, video and tags, which an interaction does not need.
    """
    notes = Note.objects.select_related("author")
    if with_media:
        notes = notes.select_related("video").prefetch_related("images", "tags")
    note = notes.filter(pk=note_id).first()
    if note is None:
        raise Http404
    if note.is_published:
        return note
    if (
        reader is not None
        and reader.is_authenticated
        and (reader.pk == note.author_id or reader.is_staff)
    ):
        return note
    raise Http404


def note_get_for_editor(*, user: User, note_id: int) -> Note:
    """The note if `user` wrote it; PermissionDenied (403) for anyone else."""
    note = Note.objects.select_related("author").filter(pk=note_id).first()
    if note is None:
        raise Http404
    if not user.is_authenticated or note.author_id != user.pk:
        raise PermissionDenied(_("Only the author can change this note."))
    return note


def note_get_for_editing(*, user: User, note_id: int) -> Note:
    """The note for its author to change; a note our moderators removed stays as it is (403)."""
    note = note_get_for_editor(user=user, note_id=note_id)
    if note.status == Note.Status.REMOVED:
        raise PermissionDenied(_("This note was removed by our moderators and cannot be edited."))
    return note


def board_get_for_viewer(*, viewer: User | None, board_id: int) -> Board:
    """A public board for anyone; a private one only for its owner (404 otherwise)."""
    board = Board.objects.select_related("owner").filter(pk=board_id).first()
    if board is None:
        raise Http404
    if board.is_private and (viewer is None or viewer.pk != board.owner_id):
        raise Http404
    return board


def board_get_for_owner(*, owner: User, board_id: int) -> Board:
    """The board if `owner` made it; PermissionDenied (403) for anyone else."""
    board = Board.objects.select_related("owner").filter(pk=board_id).first()
    if board is None:
        raise Http404
    if not owner.is_authenticated or board.owner_id != owner.pk:
        raise PermissionDenied(_("Only the owner can change this board."))
    return board


def note_get_published(*, reader: User, note_id: int) -> Note:
    """Interactions are only for published notes."""
    note = note_get_for_reader(reader=reader, note_id=note_id, with_media=False)
    if not note.is_published:
        raise ValidationError(_("This note is not published."), code="not_published")
    return note

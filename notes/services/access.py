"""Permission-checked fetches, shared by pages and the API: who may see or change what.

Who may see a note or a board is decided once, in notes.selectors (`notes_visible_to`,
`boards_visible_to`). Here: 404 for what the reader may not see, so its existence is not
given away; 403 only for what they may see but not change.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from notes.models import (
    Board,
    Note,
)
from notes.selectors import boards_visible_to, notes_visible_to
from users.models import User


def note_get_for_reader(*, actor: User | None, note_id: int, with_media: bool = True) -> Note:
    """A visible note for anyone; anything else only for its author or staff (404 otherwise).

    `with_media=False` skips photos, video, tags and the sponsor, which an interaction does
    not need.
    """
    notes = notes_visible_to(actor).select_related("author")
    if with_media:
        notes = notes.select_related("video", "sponsor").prefetch_related("images", "tags")
    note = notes.filter(pk=note_id).first()
    if note is None:
        raise Http404
    return note


def note_get_for_editor(*, actor: User, note_id: int) -> Note:
    """The note if `user` wrote it; 403 for anyone else who may see it, 404 for the rest."""
    note = note_get_for_reader(actor=actor, note_id=note_id, with_media=False)
    if note.author_id != actor.pk:
        raise PermissionDenied(_("Only the author can change this note."))
    return note


def note_get_for_editing(*, actor: User, note_id: int) -> Note:
    """The note for its author to change; a note our moderators removed stays as it is (403)."""
    note = note_get_for_editor(actor=actor, note_id=note_id)
    if note.status == Note.Status.REMOVED:
        raise PermissionDenied(_("This note was removed by our moderators and cannot be edited."))
    return note


def board_get_for_viewer(*, actor: User | None, board_id: int) -> Board:
    """A public board of an active account for anyone; a private one for its owner; else 404."""
    board = boards_visible_to(actor).select_related("owner").filter(pk=board_id).first()
    if board is None:
        raise Http404
    return board


def board_get_for_owner(*, owner: User, board_id: int) -> Board:
    """The board if `owner` made it; 403 for anyone else who may see it, 404 for the rest."""
    board = board_get_for_viewer(actor=owner, board_id=board_id)
    if board.owner_id != owner.pk:
        raise PermissionDenied(_("Only the owner can change this board."))
    return board


def note_get_published(*, actor: User, note_id: int) -> Note:
    """A note that takes interactions: a visible one (404 for what the reader may not see).

    The author's own draft, or a hidden note staff may look at, is a ValidationError.
    """
    note = note_get_for_reader(actor=actor, note_id=note_id, with_media=False)
    if not note.is_visible:
        raise ValidationError(_("This note is not published."), code="not_published")
    return note

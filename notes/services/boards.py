"""Boards (收藏专辑): a reader's named collections of bookmarks."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.locks import lock_rows
from notes.models import (
    Board,
)
from notes.services.access import board_get_for_owner
from notes.services.interactions import note_bookmark
from users.models import User

# Enough for any collector; a cap so that one account cannot fill the table.
BOARDS_MAX = 200


def _clean_board(*, owner: User, name: str, exclude_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the board a name.")]})
    if len(name) > 30:
        raise ValidationError({"name": [_("Keep the name within 30 characters.")]})
    clash = Board.objects.filter(owner=owner, name=name).exclude(pk=exclude_id)
    if clash.exists():
        raise ValidationError({"name": [_("You already have a board with that name.")]})
    return name


@transaction.atomic
def board_create(
    *, owner: User, name: str, description: str = "", is_private: bool = False
) -> Board:
    """Holds row locks on the owner's boards, so that creations sent at once queue for the cap."""
    if len(lock_rows(Board.objects.filter(owner=owner))) >= BOARDS_MAX:
        message = ngettext(
            "You have %(max)s board, the most there can be. Delete it to make room.",
            "You have %(max)s boards, the most there can be. Delete one to make room.",
            BOARDS_MAX,
        )
        raise ValidationError(message % {"max": BOARDS_MAX}, code="boards_max")
    name = _clean_board(owner=owner, name=name)
    return Board.objects.create(
        owner=owner, name=name, description=description.strip(), is_private=is_private
    )


@transaction.atomic
def board_update(
    *, owner: User, board_id: int, name: str, description: str, is_private: bool
) -> Board:
    board = board_get_for_owner(owner=owner, board_id=board_id)
    board.name = _clean_board(owner=owner, name=name, exclude_id=board.pk)
    board.description, board.is_private = description.strip(), is_private
    board.save(update_fields=["name", "description", "is_private"])
    return board


@transaction.atomic
def board_delete(*, owner: User, board_id: int) -> None:
    """Delete a board; the notes in it stay bookmarked, outside any board."""
    board_get_for_owner(owner=owner, board_id=board_id).delete()


@transaction.atomic
def board_create_and_save(*, owner: User, note_id: int, name: str) -> Board:
    """A new board with the note saved (or moved) into it: both, or neither if either fails.

    The board sheet's "new board": a board left empty because the save failed would be a
    surprise, and a save outside the board the reader has just named would look lost.
    """
    board = board_create(owner=owner, name=name)
    note_bookmark(user=owner, note_id=note_id, board_id=board.pk)
    return board

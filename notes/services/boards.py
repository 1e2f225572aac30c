"""Boards (收藏专辑): a reader's named collections of bookmarks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.locks import lock_rows
from core.unchanged import UNCHANGED, Unchanged, changed
from notes.models import (
    BOARD_DESCRIPTION_MAX_LENGTH,
    BOARD_NAME_MAX_LENGTH,
    BOARDS_MAX,
    Board,
)
from notes.services.access import board_get_for_owner
from notes.services.interactions import note_bookmark
from users.models import User


def board_fields_clean(
    *, owner: User, name: str, description: str, board_id: int | None = None
) -> tuple[str, str]:
    """The name and description as they will be stored, or ValidationError keyed by field.

    Writes nothing, so a form can show the refusal before it saves (the admin).
    """
    name, description = name.strip(), description.strip()
    errors = {}
    if not name:
        errors["name"] = [_("Give the board a name.")]
    elif len(name) > BOARD_NAME_MAX_LENGTH:
        errors["name"] = [
            _("Keep the name within %(max)s characters.") % {"max": BOARD_NAME_MAX_LENGTH}
        ]
    elif Board.objects.filter(owner=owner, name=name).exclude(pk=board_id).exists():
        errors["name"] = [_("You already have a board with that name.")]
    if len(description) > BOARD_DESCRIPTION_MAX_LENGTH:
        errors["description"] = [
            _("Keep the description within %(max)s characters.")
            % {"max": BOARD_DESCRIPTION_MAX_LENGTH}
        ]
    if errors:
        raise ValidationError(errors)
    return name, description


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
    name, description = board_fields_clean(owner=owner, name=name, description=description)
    return Board.objects.create(
        owner=owner, name=name, description=description, is_private=is_private
    )


def _board_change(
    board: Board,
    *,
    name: str | Unchanged,
    description: str | Unchanged,
    is_private: bool | Unchanged,
) -> Board:
    board.name, board.description = board_fields_clean(
        owner=board.owner,
        name=changed(name, board.name),
        description=changed(description, board.description),
        board_id=board.pk,
    )
    board.is_private = changed(is_private, board.is_private)
    board.save(update_fields=["name", "description", "is_private"])
    return board


@transaction.atomic
def board_update(
    *,
    owner: User,
    board_id: int,
    name: str | Unchanged = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    is_private: bool | Unchanged = UNCHANGED,
) -> Board:
    """Change a board its owner made; what is left UNCHANGED keeps its value."""
    board = board_get_for_owner(owner=owner, board_id=board_id)
    return _board_change(board, name=name, description=description, is_private=is_private)


@transaction.atomic
def board_update_by_staff(
    *, actor: User, board_id: int, name: str, description: str, is_private: bool
) -> Board:
    """Staff tidy a board (the admin), by the rules its owner meets."""
    if not actor.is_staff:
        raise PermissionDenied
    board = Board.objects.select_related("owner").get(pk=board_id)
    return _board_change(board, name=name, description=description, is_private=is_private)


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
    note_bookmark(actor=owner, note_id=note_id, board_id=board.pk)
    return board

"""Boards (收藏专辑): a reader's named collections of bookmarks."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from notes.models import (
    Board,
)
from notes.services.access import board_get_for_owner
from users.models import User


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

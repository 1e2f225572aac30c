import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notes import services
from notes.models import Board, Note
from notes.services import boards as board_services
from tests.factories import BoardFactory, NoteFactory

pytestmark = pytest.mark.django_db


def test_a_private_board_is_not_found_for_another_user(client, user, other_user):
    board = BoardFactory(owner=user, is_private=True)
    client.force_login(other_user)

    response = client.get(board.get_absolute_url())

    assert response.status_code == 404


def test_a_private_board_is_shown_to_its_owner(user_client, user):
    board = BoardFactory(owner=user, is_private=True, name="Secret spots")

    response = user_client.get(board.get_absolute_url())

    assert response.status_code == 200
    assert "Secret spots" in response.content.decode()


def test_the_board_page_shows_the_notes_saved_in_it(client, user):
    board = BoardFactory(owner=user)
    inside, outside = NoteFactory(), NoteFactory()
    services.note_bookmark(actor=user, note_id=inside.pk, board_id=board.pk)
    services.note_bookmark(actor=user, note_id=outside.pk)

    response = client.get(board.get_absolute_url())

    assert [note.pk for note in response.context["page"].items] == [inside.pk]


def test_creating_a_board_returns_to_next(user_client, user):
    note = NoteFactory()
    data = {"name": "Trips", "description": "Away", "next": note.get_absolute_url()}

    response = user_client.post(reverse("notes:board_create"), data)

    board = Board.objects.get(owner=user)
    assert response["Location"] == note.get_absolute_url()
    assert (board.name, board.description, board.is_private) == ("Trips", "Away", False)


def test_creating_a_board_without_next_opens_it(user_client, user):
    response = user_client.post(reverse("notes:board_create"), {"name": "Food", "is_private": "on"})

    board = Board.objects.get(owner=user)
    assert response["Location"] == board.get_absolute_url()
    assert board.is_private is True


def test_a_second_board_with_the_same_name_is_refused_on_the_name_field(user_client, user):
    BoardFactory(owner=user, name="Food")

    response = user_client.post(reverse("notes:board_create"), {"name": "Food"})

    assert response.context["form"].errors == {"name": ["You already have a board with that name."]}


def test_editing_another_users_board_is_forbidden(client, user, other_user):
    board = BoardFactory(owner=user)
    client.force_login(other_user)

    response = client.post(reverse("notes:board_edit", args=[board.pk]), {"name": "Mine now"})

    board.refresh_from_db()
    assert response.status_code == 403
    assert board.name != "Mine now"


def test_deleting_another_users_board_is_forbidden(client, user, other_user):
    board = BoardFactory(owner=user)
    client.force_login(other_user)

    response = client.post(reverse("notes:board_delete", args=[board.pk]))

    assert response.status_code == 403
    assert Board.objects.filter(pk=board.pk).exists()


def test_the_owner_renames_a_board(user_client, user):
    board = BoardFactory(owner=user)

    response = user_client.post(
        reverse("notes:board_edit", args=[board.pk]),
        {"name": "Cafés", "description": "Flat whites"},
    )

    board.refresh_from_db()
    assert response["Location"] == board.get_absolute_url()
    assert (board.name, board.description) == ("Cafés", "Flat whites")


def test_deleting_a_board_keeps_its_notes_bookmarked(user_client, user):
    board = BoardFactory(owner=user)
    note = NoteFactory()
    services.note_bookmark(actor=user, note_id=note.pk, board_id=board.pk)

    response = user_client.post(reverse("notes:board_delete", args=[board.pk]))

    note.refresh_from_db()
    assert response["Location"] == user.get_absolute_url()
    assert note.bookmarks_count == 1
    assert not Board.objects.filter(pk=board.pk).exists()


# --- A new board with a note saved into it (the board sheet), and the cap on boards.


def test_a_new_board_and_the_save_into_it_are_made_together(user):
    note = NoteFactory()

    board = services.board_create_and_save(owner=user, note_id=note.pk, name="咖啡地图")

    note.refresh_from_db()
    assert list(board.bookmarks.values_list("note_id", flat=True)) == [note.pk]
    assert note.bookmarks_count == 1


def test_a_note_already_saved_moves_into_the_new_board_and_counts_once(user):
    note = NoteFactory()
    services.note_bookmark(actor=user, note_id=note.pk)

    board = services.board_create_and_save(owner=user, note_id=note.pk, name="Trips")

    note.refresh_from_db()
    assert list(board.bookmarks.values_list("note_id", flat=True)) == [note.pk]
    assert note.bookmarks_count == 1


def test_no_board_is_left_behind_when_the_save_is_refused(user):
    draft = NoteFactory(author=user, status=Note.Status.DRAFT)

    with pytest.raises(ValidationError) as refused:
        services.board_create_and_save(owner=user, note_id=draft.pk, name="Trips")

    assert refused.value.messages == ["This note is not published."]
    assert Board.objects.count() == 0


def test_a_reader_at_the_cap_cannot_make_another_board(user, monkeypatch):
    monkeypatch.setattr(board_services, "BOARDS_MAX", 2)
    BoardFactory.create_batch(2, owner=user)

    with pytest.raises(ValidationError) as refused:
        services.board_create(owner=user, name="One more")

    assert refused.value.messages == [
        "You have 2 boards, the most there can be. Delete one to make room."
    ]
    assert Board.objects.filter(owner=user).count() == 2


def test_the_cap_counts_each_readers_own_boards(user, other_user, monkeypatch):
    monkeypatch.setattr(board_services, "BOARDS_MAX", 2)
    BoardFactory.create_batch(2, owner=other_user)

    board = services.board_create(owner=user, name="Mine")

    assert board.owner == user

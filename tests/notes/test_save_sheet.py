"""Saving a note: the star saves in one tap, its toast opens the board sheet, the sheet moves the
save into a board or into a new one; the same without JavaScript as plain pages."""

import pytest
from django.urls import reverse

from notes import services
from notes.models import Board, Bookmark, Note
from tests.factories import BoardFactory, NoteFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def save_url(note):
    return reverse("notes:save", args=[note.pk])


# --- The star.


def test_the_star_saves_outside_any_board_and_offers_the_board_sheet(user_client, user):
    note = NoteFactory()

    response = user_client.post(reverse("notes:bookmark", args=[note.pk]), **HTMX)

    html = response.content.decode()
    assert Bookmark.objects.get(note=note, user=user).board is None
    assert response.templates[0].name == "partials/bookmark_button.html"
    assert 'aria-pressed="true"' in html
    assert '<span class="save-toast__text">Saved</span>' in html
    assert f'hx-get="{save_url(note)}"' in html
    assert "Choose board" in html


def test_the_star_without_javascript_returns_to_the_note_with_the_toast(user_client, user):
    note = NoteFactory()

    response = user_client.post(
        reverse("notes:bookmark", args=[note.pk]), {"next": note.get_absolute_url()}
    )
    page = user_client.get(response["Location"]).content.decode()

    assert response["Location"] == f"{note.get_absolute_url()}?saved=1"
    assert '<span class="save-toast__text">Saved</span>' in page
    assert f'href="{save_url(note)}"' in page


def test_the_note_page_toast_names_the_board_the_note_is_in(user_client, user):
    note = NoteFactory()
    board = BoardFactory(owner=user, name="咖啡地图")
    services.note_bookmark(actor=user, note_id=note.pk, board_id=board.pk)

    html = user_client.get(f"{note.get_absolute_url()}?saved=1").content.decode()

    assert "Saved to 咖啡地图" in html
    assert f'href="{board.get_absolute_url()}"' in html


def test_the_note_page_has_no_toast_once_the_note_is_no_longer_saved(user_client, user):
    note = NoteFactory()

    html = user_client.get(f"{note.get_absolute_url()}?saved=1").content.decode()

    assert "save-toast" not in html


def test_the_note_page_costs_no_query_for_boards_any_more(user_client, user):
    note = NoteFactory()
    BoardFactory.create_batch(3, owner=user)

    response = user_client.get(note.get_absolute_url())

    assert "boards" not in response.context


# --- The sheet.


def test_the_sheet_lists_the_readers_boards_newest_first_and_marks_the_current_one(
    user_client, user, other_user
):
    note = NoteFactory()
    older = BoardFactory(owner=user, name="Trips")
    newer = BoardFactory(owner=user, name="咖啡地图", is_private=True)
    BoardFactory(owner=other_user, name="Not mine")
    services.note_bookmark(actor=user, note_id=note.pk, board_id=older.pk)

    response = user_client.get(save_url(note), **HTMX)

    html = response.content.decode()
    assert response.templates[0].name == "notes/save_sheet.html"
    assert [board.pk for board in response.context["boards"].items] == [newer.pk, older.pk]
    assert response.context["current_board_id"] == older.pk
    assert f'id="save-sheet-{note.pk}"' in html
    assert "Not mine" not in html
    assert "Saved here" in html


def test_the_sheet_costs_the_same_queries_whatever_the_number_of_boards(
    user_client, user, django_assert_num_queries
):
    note = NoteFactory()
    for board in BoardFactory.create_batch(12, owner=user):
        services.note_bookmark(actor=user, note_id=NoteFactory().pk, board_id=board.pk)

    # session, reader, note, the page of boards with their counts, the board the note is in
    with django_assert_num_queries(5):
        response = user_client.get(save_url(note), **HTMX)

    assert len(response.context["boards"].items) == 12


def test_the_sheet_shows_one_page_of_boards_then_more(user_client, user, settings):
    settings.FEED_PAGE_SIZE = 2
    note = NoteFactory()
    oldest, middle, newest = BoardFactory.create_batch(3, owner=user)

    first = user_client.get(save_url(note), **HTMX)
    more = user_client.get(f"{save_url(note)}?{first.context['boards_next_query']}", **HTMX)

    assert [board.pk for board in first.context["boards"].items] == [newest.pk, middle.pk]
    assert "More boards" in first.content.decode()
    assert more.templates[0].name == "notes/save_board_rows.html"
    assert [board.pk for board in more.context["boards"].items] == [oldest.pk]
    assert "More boards" not in more.content.decode()


def test_the_sheet_without_javascript_is_a_page(user_client, user):
    note = NoteFactory(title="Hand-drip at home")
    BoardFactory(owner=user, name="Coffee")

    response = user_client.get(save_url(note))

    html = response.content.decode()
    assert response.templates[0].name == "notes/note_save.html"
    assert "Where should “Hand-drip at home” go?" in html
    assert "hx-post" not in html.split('class="save-boards"')[1]


def test_the_sheet_sends_a_logged_out_visitor_to_log_in_and_back(client):
    note = NoteFactory()

    response = client.get(save_url(note))

    assert response["Location"] == f"{reverse('users:login')}?next={save_url(note)}"


def test_the_sheet_of_a_draft_says_it_cannot_be_saved(client, user):
    draft = NoteFactory(author=user, status=Note.Status.DRAFT)
    client.force_login(user)

    response = client.get(save_url(draft), follow=True)

    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "This note is not published." in response.content.decode()


# --- Choosing a board, or a new one.


def test_choosing_a_board_moves_the_save_and_the_sheet_gives_way_to_the_star(user_client, user):
    note = NoteFactory()
    board = BoardFactory(owner=user, name="Trips")
    services.note_bookmark(actor=user, note_id=note.pk)

    response = user_client.post(save_url(note), {"board": str(board.pk)}, **HTMX)

    note.refresh_from_db()
    html = response.content.decode()
    assert Bookmark.objects.get(note=note, user=user).board == board
    assert note.bookmarks_count == 1
    assert response["HX-Retarget"] == f"#save-sheet-{note.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert f'data-sheet-done="#bookmark-button-{note.pk}"' in html
    assert f'id="bookmark-{note.pk}" hx-swap-oob="true"' in html
    assert "Saved to Trips" in html


def test_a_new_board_is_made_in_the_sheet_and_the_note_saved_into_it(user_client, user):
    note = NoteFactory()

    response = user_client.post(save_url(note), {"name": " 咖啡地图 "}, **HTMX)

    board = Board.objects.get(owner=user)
    note.refresh_from_db()
    assert board.name == "咖啡地图"
    assert Bookmark.objects.get(note=note, user=user).board == board
    assert note.bookmarks_count == 1
    assert "Saved to 咖啡地图" in response.content.decode()


def test_a_refused_board_name_comes_back_in_the_sheet_with_what_was_typed(user_client, user):
    note = NoteFactory()
    BoardFactory(owner=user, name="Coffee")

    response = user_client.post(save_url(note), {"name": "Coffee"}, **HTMX)

    html = response.content.decode()
    assert response.templates[0].name == "notes/save_boards.html"
    assert response.context["name_errors"] == ["You already have a board with that name."]
    assert 'value="Coffee"' in html
    assert 'aria-invalid="true"' in html
    assert 'hx-post="' in html
    assert Board.objects.filter(owner=user).count() == 1
    assert Bookmark.objects.count() == 0


def test_a_board_name_too_long_is_refused_by_the_board_rules(user_client, user):
    note = NoteFactory()

    response = user_client.post(save_url(note), {"name": "好" * 31}, **HTMX)

    assert response.context["name_errors"] == ["Keep the name within 30 characters."]
    assert response.context["new_board_name"] == "好" * 31


def test_a_new_board_without_javascript_returns_to_the_note_naming_it(user_client, user):
    note = NoteFactory()

    response = user_client.post(save_url(note), {"name": "Weekend"}, follow=True)

    assert response.redirect_chain == [(f"{note.get_absolute_url()}?saved=1", 302)]
    assert "Saved to Weekend" in response.content.decode()


def test_a_refused_board_name_without_javascript_keeps_the_page_and_the_name(user_client, user):
    note = NoteFactory()

    response = user_client.post(save_url(note), {"name": "   "})

    assert response.templates[0].name == "notes/note_save.html"
    assert response.context["name_errors"] == ["Give the board a name."]


def test_choosing_someone_elses_board_is_refused_in_the_sheet(user_client, user, other_user):
    note = NoteFactory()
    theirs = BoardFactory(owner=other_user)

    response = user_client.post(save_url(note), {"board": str(theirs.pk)}, **HTMX)

    assert response.context["errors"] == ["Choose one of your own boards."]
    assert Bookmark.objects.count() == 0

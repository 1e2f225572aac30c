"""A deactivated (banned) account's notes and boards are gone from every page and API answer.

One rule decides it (notes.selectors.visible_notes_filter / boards_visible_to): a note is visible
when it is published and its author is active; a board when its owner is active (and, if
private, only to that owner). Staff still open everything in the admin.
"""

import pytest
from django.urls import reverse

from notes import services
from notes.models import Bookmark, Comment, Like, Repost
from tests.factories import BoardFactory, CommentFactory, NoteFactory, UserFactory
from users.services import user_follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def banned():
    """An author whose notes and boards were public, then the account was deactivated."""
    return UserFactory(username="banned", display_name="Banned")


def deactivate(person) -> None:
    person.is_active = False
    person.save(update_fields=["is_active"])


@pytest.fixture
def hidden_note(banned):
    note = NoteFactory(author=banned, title="Gone")
    deactivate(banned)
    return note


@pytest.fixture
def hidden_board(banned):
    board = BoardFactory(owner=banned, name="Gone board")
    deactivate(banned)
    return board


def card_ids(response) -> list[int]:
    return [note.pk for note in response.context["page"].items]


def result_ids(response) -> list[int]:
    return [card["id"] for card in response.json()["results"]]


# --- The note page and its API.


def test_note_page_of_a_deactivated_author_is_404(user_client, hidden_note):
    response = user_client.get(reverse("notes:detail", args=[hidden_note.pk]))

    assert response.status_code == 404


def test_note_page_of_a_deactivated_author_is_404_for_anonymous_readers(client, hidden_note):
    response = client.get(reverse("notes:detail", args=[hidden_note.pk]))

    assert response.status_code == 404


def test_staff_still_open_the_note_page_of_a_deactivated_author(client, hidden_note):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("notes:detail", args=[hidden_note.pk]))

    assert response.status_code == 200


def test_staff_still_open_a_deactivated_authors_note_in_the_admin(client, hidden_note):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:notes_note_change", args=[hidden_note.pk]))

    assert response.status_code == 200


def test_note_api_of_a_deactivated_author_is_404(api, hidden_note):
    response = api.get(f"/api/v1/notes/{hidden_note.pk}/")

    assert response.status_code == 404


def test_note_comments_api_of_a_deactivated_author_is_404(api, hidden_note):
    CommentFactory(note=hidden_note)

    response = api.get(f"/api/v1/notes/{hidden_note.pk}/comments/")

    assert response.status_code == 404


def test_more_from_the_author_leaves_out_nothing_of_an_active_author(client):
    # given: "more from author" and the note page share the same rule, so an active author's
    # other published notes are listed
    note = NoteFactory()
    other = NoteFactory(author=note.author)
    # when
    response = client.get(reverse("notes:more_from_author", args=[note.pk]))
    # then
    assert [card.pk for card in response.context["more_notes"]] == [other.pk]


# --- Interactions with a deactivated author's note: 404, nothing written.


@pytest.mark.parametrize("action", ["like", "bookmark", "repost", "follow_author"])
def test_page_action_on_a_deactivated_authors_note_is_404(user_client, hidden_note, action):
    response = user_client.post(reverse(f"notes:{action}", args=[hidden_note.pk]))

    assert response.status_code == 404
    assert not Like.objects.exists()
    assert not Bookmark.objects.exists()
    assert not Repost.objects.exists()


def test_commenting_on_a_deactivated_authors_note_is_404(user_client, hidden_note):
    url = reverse("notes:comment_create", args=[hidden_note.pk])

    response = user_client.post(url, {"body": "Still here?"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_liking_a_comment_under_a_deactivated_authors_note_is_404(user_client, hidden_note):
    comment = CommentFactory(note=hidden_note)

    response = user_client.post(reverse("notes:comment_like", args=[comment.pk]))

    comment.refresh_from_db()
    assert response.status_code == 404
    assert comment.likes_count == 0


@pytest.mark.parametrize("action", ["like", "bookmark", "repost"])
def test_api_action_on_a_deactivated_authors_note_is_404(api, hidden_note, action):
    response = api.post(f"/api/v1/notes/{hidden_note.pk}/{action}/")

    assert response.status_code == 404
    assert not Like.objects.exists()
    assert not Bookmark.objects.exists()
    assert not Repost.objects.exists()


def test_api_comment_on_a_deactivated_authors_note_is_404(api, hidden_note):
    response = api.post(
        f"/api/v1/notes/{hidden_note.pk}/comments/", {"body": "Hello?"}, format="json"
    )

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_api_comment_like_under_a_deactivated_authors_note_is_404(api, hidden_note):
    comment = CommentFactory(note=hidden_note)

    response = api.post(f"/api/v1/comments/{comment.pk}/like/")

    assert response.status_code == 404


def test_staff_cannot_like_a_deactivated_authors_note(client, hidden_note):
    # given: staff may look at the note, but it takes no new likes
    client.force_login(UserFactory(is_staff=True))
    # when
    response = client.post(reverse("notes:like", args=[hidden_note.pk]))
    # then
    assert response.status_code == 302
    assert not Like.objects.exists()


# --- Other people's tabs: likes, bookmarks, boards.


def test_likes_tab_leaves_out_notes_of_deactivated_authors(client, user, banned):
    # given
    kept = NoteFactory()
    gone = NoteFactory(author=banned)
    services.note_like(actor=user, note_id=kept.pk)
    services.note_like(actor=user, note_id=gone.pk)
    deactivate(banned)
    url = reverse("community:profile", args=[user.username]) + "?tab=likes"
    # when
    response = client.get(url)
    # then
    assert card_ids(response) == [kept.pk]


def test_bookmarks_tab_leaves_out_notes_of_deactivated_authors(client, user, banned):
    # given
    kept = NoteFactory()
    gone = NoteFactory(author=banned)
    services.note_bookmark(actor=user, note_id=kept.pk)
    services.note_bookmark(actor=user, note_id=gone.pk)
    deactivate(banned)
    url = reverse("community:profile", args=[user.username]) + "?tab=bookmarks"
    # when
    response = client.get(url)
    # then
    assert card_ids(response) == [kept.pk]


def test_own_bookmarks_tab_leaves_out_notes_of_deactivated_authors(user_client, user, banned):
    # given
    gone = NoteFactory(author=banned)
    services.note_bookmark(actor=user, note_id=gone.pk)
    deactivate(banned)
    url = reverse("community:profile", args=[user.username]) + "?tab=bookmarks"
    # when
    response = user_client.get(url)
    # then
    assert card_ids(response) == []


def test_board_counts_on_the_bookmarks_tab_leave_out_deactivated_authors(client, user, banned):
    # given
    board = BoardFactory(owner=user)
    services.note_bookmark(actor=user, note_id=NoteFactory().pk, board_id=board.pk)
    services.note_bookmark(actor=user, note_id=NoteFactory(author=banned).pk, board_id=board.pk)
    deactivate(banned)
    url = reverse("community:profile", args=[user.username]) + "?tab=bookmarks"
    # when
    response = client.get(url)
    # then
    assert [(b.pk, b.notes_count) for b in response.context["boards"]] == [(board.pk, 1)]


def test_board_page_leaves_out_notes_of_deactivated_authors(client, user, banned):
    # given
    board = BoardFactory(owner=user)
    kept = NoteFactory()
    services.note_bookmark(actor=user, note_id=kept.pk, board_id=board.pk)
    services.note_bookmark(actor=user, note_id=NoteFactory(author=banned).pk, board_id=board.pk)
    deactivate(banned)
    # when
    response = client.get(reverse("notes:board", args=[board.pk]))
    # then
    assert card_ids(response) == [kept.pk]


def test_board_notes_api_leaves_out_notes_of_deactivated_authors(anonymous, user, banned):
    # given
    board = BoardFactory(owner=user)
    kept = NoteFactory()
    services.note_bookmark(actor=user, note_id=kept.pk, board_id=board.pk)
    services.note_bookmark(actor=user, note_id=NoteFactory(author=banned).pk, board_id=board.pk)
    deactivate(banned)
    # when
    response = anonymous.get(f"/api/v1/boards/{board.pk}/notes/")
    # then
    assert result_ids(response) == [kept.pk]


def test_board_list_api_counts_leave_out_deactivated_authors(api, user, banned):
    # given
    board = BoardFactory(owner=user)
    services.note_bookmark(actor=user, note_id=NoteFactory(author=banned).pk, board_id=board.pk)
    deactivate(banned)
    # when
    response = api.get("/api/v1/boards/")
    # then
    assert [(b["id"], b["notes_count"]) for b in response.json()["results"]] == [(board.pk, 0)]


def test_likes_tab_with_hidden_notes_costs_three_queries(
    client, user, banned, django_assert_num_queries
):
    # given
    for author in (UserFactory(), banned):
        services.note_like(actor=user, note_id=NoteFactory(author=author).pk)
    deactivate(banned)
    url = reverse("community:profile", args=[user.username]) + "?tab=likes"
    # then: the person, the likes with their notes and authors, the covers
    with django_assert_num_queries(3):
        response = client.get(url)
    assert len(card_ids(response)) == 1


# --- Boards of a deactivated account.


def test_board_page_of_a_deactivated_owner_is_404(client, hidden_board):
    response = client.get(reverse("notes:board", args=[hidden_board.pk]))

    assert response.status_code == 404


def test_board_api_of_a_deactivated_owner_is_404(anonymous, hidden_board):
    response = anonymous.get(f"/api/v1/boards/{hidden_board.pk}/")

    assert response.status_code == 404


def test_board_notes_api_of_a_deactivated_owner_is_404(anonymous, hidden_board):
    response = anonymous.get(f"/api/v1/boards/{hidden_board.pk}/notes/")

    assert response.status_code == 404


# --- Lists that already hid them stay so (one rule now serves them all).


def test_tag_page_leaves_out_notes_of_deactivated_authors(client, banned):
    # given
    kept = NoteFactory()
    kept.tags.add("travel")
    gone = NoteFactory(author=banned)
    gone.tags.add("travel")
    deactivate(banned)
    # when
    response = client.get(reverse("notes:tag", args=["travel"]))
    # then
    assert card_ids(response) == [kept.pk]
    assert response.context["notes_count"] == 1


def test_notes_api_by_a_deactivated_author_is_empty(anonymous, hidden_note):
    response = anonymous.get("/api/v1/notes/", {"author": "banned"})

    assert response.json()["results"] == []


# --- Drafts and private boards: 404 to those who may not see them, 403 only to those who may.


def test_editing_a_strangers_draft_is_404_not_403(user_client, other_user):
    draft = NoteFactory(author=other_user, status="draft", published_at=None)

    response = user_client.get(reverse("notes:edit", args=[draft.pk]))

    assert response.status_code == 404


def test_changing_a_strangers_draft_through_the_api_is_404(api, other_user):
    draft = NoteFactory(author=other_user, status="draft", published_at=None)

    response = api.patch(f"/api/v1/notes/{draft.pk}/", {"title": "Mine"}, format="json")

    assert response.status_code == 404


def test_editing_a_strangers_private_board_is_404_not_403(user_client, other_user):
    board = BoardFactory(owner=other_user, is_private=True)

    response = user_client.get(reverse("notes:board_edit", args=[board.pk]))

    assert response.status_code == 404


def test_discover_feed_leaves_out_notes_of_deactivated_authors(client, banned):
    # given
    kept = NoteFactory()
    NoteFactory(author=banned)
    deactivate(banned)
    # when
    response = client.get(reverse("community:home"))
    # then
    assert card_ids(response) == [kept.pk]


def test_follow_feed_api_leaves_out_notes_of_deactivated_authors(api, user, banned):
    # given: the reader still follows the account that was deactivated
    kept_author = UserFactory()
    for author in (kept_author, banned):
        user_follow(actor=user, followee=author)
    kept = NoteFactory(author=kept_author)
    NoteFactory(author=banned)
    deactivate(banned)
    # when
    response = api.get("/api/v1/feeds/follow/")
    # then
    assert result_ids(response) == [kept.pk]

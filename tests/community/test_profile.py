"""Profile pages: the header, the Notes / Bookmarks / Likes tabs, privacy and query cost."""

import pytest
from django.urls import reverse

from notes.models import Note
from notes.services import note_bookmark, note_like
from tests.factories import BoardFactory, NoteFactory, UserFactory
from users.services import user_follow

pytestmark = pytest.mark.django_db


def profile_url(person, **query) -> str:
    url = reverse("community:profile", kwargs={"username": person.username})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def shown_ids(response) -> list[int]:
    return [note.pk for note in response.context["page"].items]


def test_profile_of_an_unknown_user_is_not_found(client):
    # when
    response = client.get(reverse("community:profile", kwargs={"username": "nobody"}))
    # then
    assert response.status_code == 404


def test_profile_of_a_deactivated_user_is_not_found(client):
    # given
    person = UserFactory(is_active=False)
    # when
    response = client.get(profile_url(person))
    # then
    assert response.status_code == 404


def test_header_shows_counters_and_links_to_follow_lists(client):
    # given
    person = UserFactory(
        username="bloom",
        followers_count=12,
        following_count=3,
        likes_received=40,
        bookmarks_received=2,
    )
    # when
    response = client.get(profile_url(person))
    # then
    content = response.content.decode()
    assert "<strong>42</strong>" in content
    assert "<strong>12</strong>" in content
    assert f'href="{reverse("users:followers", args=["bloom"])}"' in content
    assert f'href="{reverse("users:following", args=["bloom"])}"' in content
    assert "@bloom" in content
    assert "Lv.1" in content


def test_verified_brand_shows_the_verified_and_kind_badges(client):
    # given
    brand = UserFactory(kind="brand", is_verified=True)
    # when
    response = client.get(profile_url(brand))
    # then
    assert b"badge badge--verified" in response.content
    assert b"profile__kind--brand" in response.content


def test_personal_account_shows_no_kind_badge(client):
    # given
    person = UserFactory()
    # when
    response = client.get(profile_url(person))
    # then
    assert b"profile__kind" not in response.content
    assert b"badge--verified" not in response.content


def test_own_profile_offers_edit_profile_and_highlights_me(user_client, user):
    # when
    response = user_client.get(profile_url(user))
    # then
    assert response.context["nav"] == "me"
    assert response.context["is_self"] is True
    assert f'href="{reverse("users:profile_edit")}"'.encode() in response.content
    assert b"follow-button" not in response.content


def test_someone_elses_profile_offers_the_follow_button(user_client, other_user):
    # when
    response = user_client.get(profile_url(other_user))
    # then
    assert response.context["is_following"] is False
    assert reverse("users:follow", args=[other_user.username]).encode() in response.content


def test_followed_profile_offers_unfollow(user_client, user, other_user):
    # given
    user_follow(actor=user, followee=other_user)
    # when
    response = user_client.get(profile_url(other_user))
    # then
    assert response.context["is_following"] is True
    assert reverse("users:unfollow", args=[other_user.username]).encode() in response.content


def test_notes_tab_hides_drafts_from_visitors(client, other_user):
    # given
    published = NoteFactory(author=other_user)
    NoteFactory(author=other_user, status=Note.Status.DRAFT, published_at=None)
    NoteFactory(author=other_user, status=Note.Status.REMOVED)
    # when
    response = client.get(profile_url(other_user))
    # then
    assert shown_ids(response) == [published.pk]


def test_owner_sees_own_drafts_marked(user_client, user):
    # given
    published = NoteFactory(author=user)
    draft = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)
    # when
    response = user_client.get(profile_url(user))
    # then
    assert shown_ids(response) == [draft.pk, published.pk]
    assert response.content.count(b"card card--draft") == 1
    assert b'<span class="card__status">' in response.content


def test_likes_tab_shows_liked_notes_newest_like_first(client, other_user):
    # given
    first, second = NoteFactory(), NoteFactory()
    note_like(actor=other_user, note_id=first.pk)
    note_like(actor=other_user, note_id=second.pk)
    NoteFactory()
    # when
    response = client.get(profile_url(other_user, tab="likes"))
    # then
    assert response.context["tab"] == "likes"
    assert shown_ids(response) == [second.pk, first.pk]


def test_private_board_bookmarks_are_hidden_from_others(client, other_user):
    # given
    secret_board = BoardFactory(owner=other_user, is_private=True)
    open_board = BoardFactory(owner=other_user)
    secret, public, loose = NoteFactory(), NoteFactory(), NoteFactory()
    note_bookmark(actor=other_user, note_id=secret.pk, board_id=secret_board.pk)
    note_bookmark(actor=other_user, note_id=public.pk, board_id=open_board.pk)
    note_bookmark(actor=other_user, note_id=loose.pk)
    # when
    response = client.get(profile_url(other_user, tab="bookmarks"))
    # then
    assert shown_ids(response) == [loose.pk, public.pk]
    assert [board.pk for board in response.context["boards"]] == [open_board.pk]
    assert secret_board.get_absolute_url().encode() not in response.content


def test_owner_sees_private_board_bookmarks_and_board_counts(user_client, user):
    # given
    secret_board = BoardFactory(owner=user, is_private=True)
    secret = NoteFactory()
    note_bookmark(actor=user, note_id=secret.pk, board_id=secret_board.pk)
    # when
    response = user_client.get(profile_url(user, tab="bookmarks"))
    # then
    assert shown_ids(response) == [secret.pk]
    assert [(board.pk, board.notes_count) for board in response.context["boards"]] == [
        (secret_board.pk, 1)
    ]
    assert secret_board.get_absolute_url().encode() in response.content


def test_unknown_tab_falls_back_to_notes(client, other_user):
    # given
    note = NoteFactory(author=other_user)
    # when
    response = client.get(profile_url(other_user, tab="secrets"))
    # then
    assert response.context["tab"] == "notes"
    assert shown_ids(response) == [note.pk]


def test_profile_tab_next_page_keeps_the_tab_and_continues(client, other_user):
    # given
    notes = [NoteFactory(images=0) for _ in range(3)]
    for note in notes:
        note_like(actor=other_user, note_id=note.pk)
    # when
    first = client.get(profile_url(other_user, tab="likes", size=2))
    cursor = first.context["page"].next_cursor
    second = client.get(profile_url(other_user), {"tab": "likes", "size": 2, "cursor": cursor})
    # then
    assert first.context["next_query"].startswith("tab=likes&size=2&cursor=")
    assert shown_ids(first) + shown_ids(second) == [note.pk for note in reversed(notes)]


def test_profile_htmx_request_returns_only_the_cards_fragment(client, other_user):
    # given
    NoteFactory(author=other_user)
    # when
    response = client.get(profile_url(other_user), headers={"HX-Request": "true"})
    # then
    assert b"<html" not in response.content
    assert b"profile__stats" not in response.content
    assert response.content.count(b"<article") == 1


@pytest.mark.parametrize(("size", "count"), [(3, 4), (30, 31)])
def test_notes_tab_costs_the_same_queries_whatever_the_page_size(
    user_client, other_user, django_assert_max_num_queries, size, count
):
    # given
    NoteFactory.create_batch(count, author=other_user)
    # when / then: session, reader, person, notes, covers, likes, is-following
    with django_assert_max_num_queries(7):
        response = user_client.get(profile_url(other_user, size=size))
    assert len(shown_ids(response)) == size


@pytest.mark.parametrize(("size", "count"), [(3, 4), (30, 31)])
def test_bookmarks_tab_costs_the_same_queries_whatever_the_page_size(
    user_client, other_user, django_assert_max_num_queries, size, count
):
    # given
    board = BoardFactory(owner=other_user)
    for note in NoteFactory.create_batch(count):
        note_bookmark(actor=other_user, note_id=note.pk, board_id=board.pk)
    # when / then: session, reader, person, bookmarks, covers, likes, is-following, boards
    with django_assert_max_num_queries(8):
        response = user_client.get(profile_url(other_user, tab="bookmarks", size=size))
    assert len(shown_ids(response)) == size


@pytest.mark.parametrize(("size", "count"), [(3, 4), (30, 31)])
def test_likes_tab_costs_the_same_queries_whatever_the_page_size(
    user_client, other_user, django_assert_max_num_queries, size, count
):
    # given
    for note in NoteFactory.create_batch(count):
        note_like(actor=other_user, note_id=note.pk)
    # when / then: session, reader, person, likes with notes, covers, reader's likes, is-following
    with django_assert_max_num_queries(7):
        response = user_client.get(profile_url(other_user, tab="likes", size=size))
    assert len(shown_ids(response)) == size

"""Cursors belong to the list that made them: a foreign, forged or ill-typed one never 500s."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import InvalidCursor, keyset_page
from notes.models import Note
from tests.factories import NoteFactory
from users.services import user_follow

pytestmark = pytest.mark.django_db


def cursor_of(next_url: str) -> str:
    return parse_qs(urlparse(next_url).query)["cursor"][0]


@pytest.fixture
def two_page_lists(settings):
    """Enough notes that every note list has a next page."""
    settings.FEED_PAGE_SIZE = 1
    return NoteFactory.create_batch(3)


def test_cursor_from_notes_list_is_refused_by_discover_with_a_json_400(anonymous, two_page_lists):
    foreign = cursor_of(anonymous.get("/api/v1/notes/").json()["next"])

    response = anonymous.get("/api/v1/feeds/discover/", {"cursor": foreign})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["cursor"]


def test_cursor_from_discover_is_refused_by_notes_list_with_a_json_400(anonymous, two_page_lists):
    foreign = cursor_of(anonymous.get("/api/v1/feeds/discover/").json()["next"])

    response = anonymous.get("/api/v1/notes/", {"cursor": foreign})

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_cursor_from_the_api_on_the_home_page_shows_the_first_page(client, anonymous, settings):
    settings.FEED_PAGE_SIZE = 1
    NoteFactory.create_batch(3)
    foreign = cursor_of(anonymous.get("/api/v1/notes/").json()["next"])

    response = client.get(reverse("community:home"), {"cursor": foreign, "size": 1}, follow=True)

    assert response.redirect_chain == [("/?size=1", 302)]
    assert response.status_code == 200
    assert len(response.context["page"].items) == 1


@pytest.mark.parametrize("url_name", ["community:profile", "users:followers", "users:following"])
def test_foreign_cursor_on_a_profile_list_shows_its_first_page(client, anonymous, user, url_name):
    NoteFactory.create_batch(2, author=user)
    foreign = signing.dumps(["not-a-date", "x"], salt="hongshu.cursor.feed.discover")

    response = client.get(reverse(url_name, args=[user.username]), {"cursor": foreign}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 302


def test_foreign_cursor_on_a_tag_page_shows_its_first_page(client, settings):
    settings.FEED_PAGE_SIZE = 1
    for note in NoteFactory.create_batch(2):
        note.tags.add("coffee")
    foreign = signing.dumps([1, 2], salt="hongshu.cursor.feed.discover")

    response = client.get(reverse("notes:tag", args=["coffee"]), {"cursor": foreign}, follow=True)

    assert response.redirect_chain == [(reverse("notes:tag", args=["coffee"]), 302)]
    assert len(response.context["page"].items) == 1


@pytest.mark.parametrize(
    "values",
    [
        ["2026-01-01T00:00:00+00:00", "seven"],  # right shape, wrong type for the id
        ["yesterday", 7],  # not a date
        [{"a": 1}, 7],  # a structure where a value belongs
        [None, 7],
        ["2026-01-01T00:00:00+00:00"],  # too few values
    ],
)
def test_cursor_signed_for_the_list_but_ill_typed_is_invalid(values):
    cursor = signing.dumps(values, salt="hongshu.cursor.test.newest")

    with pytest.raises(InvalidCursor):
        keyset_page(
            Note.objects.all(),
            keys=("-published_at", "-id"),
            cursor=cursor,
            size=2,
            list_name="test.newest",
        )


def test_cursor_pages_through_its_own_list_once_each():
    notes = NoteFactory.create_batch(3)
    first = keyset_page(
        Note.objects.all(), keys=("-id",), cursor=None, size=2, list_name="test.ids"
    )
    second = keyset_page(
        Note.objects.all(), keys=("-id",), cursor=first.next_cursor, size=2, list_name="test.ids"
    )

    assert [note.pk for note in first.items + second.items] == [n.pk for n in reversed(notes)]
    assert second.next_cursor is None


def test_follower_list_api_refuses_a_following_list_cursor(anonymous, user, settings):
    settings.FEED_PAGE_SIZE = 1
    for fan in NoteFactory.create_batch(2):
        user_follow(actor=fan.author, followee=user)
        user_follow(actor=user, followee=fan.author)
    url = f"/api/v1/users/{user.username}/"
    foreign = cursor_of(anonymous.get(url + "following/").json()["next"])

    response = anonymous.get(url + "followers/", {"cursor": foreign})

    assert response.status_code == 400


def test_next_page_compares_the_sort_key_as_one_row():
    NoteFactory.create_batch(3)
    first = keyset_page(
        Note.objects.all(), keys=("-published_at", "-id"), cursor=None, size=1, list_name="t"
    )

    with CaptureQueriesContext(connection) as captured:
        keyset_page(
            Note.objects.all(),
            keys=("-published_at", "-id"),
            cursor=first.next_cursor,
            size=1,
            list_name="t",
        )

    sql = captured.captured_queries[0]["sql"].replace('"', "")
    assert "(notes_note.published_at, notes_note.id) < (" in sql


def test_mixed_directions_page_through_every_row_once():
    notes = [NoteFactory(ces=ces) for ces in (3, 1, 3, 2)]
    seen, cursor = [], None
    while True:
        page = keyset_page(
            Note.objects.all(), keys=("ces", "-id"), cursor=cursor, size=1, list_name="t.mixed"
        )
        seen += [note.pk for note in page.items]
        if not page.has_next:
            break
        cursor = page.next_cursor

    by_ces_then_newest = sorted(notes, key=lambda note: (note.ces, -note.pk))
    assert seen == [note.pk for note in by_ces_then_newest]

"""Every list page and API list costs the same number of queries at page sizes 10 and 40.

One community with more than 40 of everything, every list asked for a page of 10 and a page of
40: a query per row (an N+1) shows as a different count, and a page that is not full would
hide it, so each page's rows are counted too.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notes.models import Board, Bookmark, Comment, Like, Note, NoteImage
from tests.factories import UserFactory
from users.models import Follow, User

pytestmark = pytest.mark.django_db

ROWS = 45  # more than the larger page
# Discover shows at most two notes of an author a page and never a note twice in a week, and the
# test asks for four pages (10, 10, 40, 40): WRITERS accounts with NOTES_EACH notes fill them.
WRITERS, NOTES_EACH = 40, 3
SMALL, LARGE = 10, 40
SHANGHAI = (31.2304, 121.4737)


@dataclass
class Community:
    reader: User
    author: User
    note: Note  # has ROWS threads
    thread: Comment  # has ROWS replies
    board: Board  # the reader's, with every note
    brand: User  # a verified brand that sponsored every note of the author


@pytest.fixture
def community() -> Community:
    """An author with ROWS notes (tagged, placed, with covers), followed and followed back by
    ROWS accounts; a reader who follows, likes and bookmarks them all; ROWS boards; a note
    with ROWS threads and a thread with ROWS replies; and WRITERS other accounts' notes (with
    covers, neither tagged nor placed), so that Discover has full pages to serve."""
    reader = UserFactory(username="reader")
    author = UserFactory(username="author")
    now = timezone.now()
    notes = Note.objects.bulk_create(
        Note(
            author=author,
            title=f"Note {index}",
            status=Note.Status.PUBLISHED,
            published_at=now - timedelta(minutes=index),
            latitude=SHANGHAI[0] + index / 10_000,
            longitude=SHANGHAI[1],
            place_name="Wukang Road",
            ces=index,
        )
        for index in range(ROWS)
    )
    writers = User.objects.bulk_create(User(username=f"writer{index}") for index in range(WRITERS))
    others = Note.objects.bulk_create(
        Note(
            author=writer,
            title=f"Writer note {index}",
            status=Note.Status.PUBLISHED,
            published_at=now - timedelta(minutes=index),
            ces=index,
        )
        for index, writer in enumerate(writers * NOTES_EACH)
    )
    NoteImage.objects.bulk_create(
        NoteImage(note=note, image="notes/ab/cover.jpg", width=60, height=80, position=0)
        for note in notes + others
    )
    for note in notes:
        note.tags.add("sea")
    people = User.objects.bulk_create(User(username=f"person{index}") for index in range(ROWS))
    Follow.objects.bulk_create(
        [Follow(follower=reader, followee=author)]
        + [Follow(follower=person, followee=author) for person in people]
        + [Follow(follower=author, followee=person) for person in people]
    )
    boards = Board.objects.bulk_create(
        Board(owner=reader, name=f"Board {index}") for index in range(ROWS)
    )
    Like.objects.bulk_create(Like(note=note, user=reader) for note in notes)
    Bookmark.objects.bulk_create(
        Bookmark(note=note, user=reader, board=boards[0]) for note in notes
    )
    note = notes[0]
    threads = Comment.objects.bulk_create(
        Comment(note=note, author=people[index], body=f"Thread {index}") for index in range(ROWS)
    )
    Comment.objects.bulk_create(
        Comment(note=note, author=people[index], parent=threads[0], body=f"Reply {index}")
        for index in range(ROWS)
    )
    brand = UserFactory(username="brand", kind=User.Kind.BRAND, is_verified=True)
    Note.objects.filter(author=author).update(sponsor=brand)
    return Community(
        reader=reader, author=author, note=note, thread=threads[0], board=boards[0], brand=brand
    )


def cards(response) -> int:
    return response.content.count(b'<article class="card')


def people_rows(response) -> int:
    return response.content.count(b'<li class="person-row"')


def threads(response) -> int:
    return response.content.count(b'<li class="comment" id=')


def replies(response) -> int:
    return response.content.count(b'<li class="comment comment--reply"')


def partner_notes(response) -> int:
    return response.content.count(b'<li class="partner-note"')


def results(response) -> int:
    return len(response.json()["results"])


@dataclass(frozen=True)
class Listing:
    url: Callable[[Community], str]
    rows: Callable  # how many rows the response shows
    as_author: bool = False
    as_brand: bool = False


NEAR = f"lat={SHANGHAI[0]}&lng={SHANGHAI[1]}"
LISTS = {
    "discover page": Listing(lambda c: "/", cards),
    "follow page": Listing(lambda c: "/follow/", cards),
    "nearby page": Listing(lambda c: f"/nearby/?{NEAR}", cards),
    "profile notes": Listing(lambda c: "/u/author/", cards),
    "own profile notes": Listing(lambda c: "/u/author/", cards, as_author=True),
    "profile bookmarks": Listing(lambda c: "/u/reader/?tab=bookmarks", cards),
    "profile likes": Listing(lambda c: "/u/reader/?tab=likes", cards),
    "tag page": Listing(lambda c: "/tags/sea/", cards),
    "board page": Listing(lambda c: f"/boards/{c.board.pk}/", cards),
    "followers page": Listing(lambda c: "/accounts/author/followers/", people_rows),
    "following page": Listing(lambda c: "/accounts/author/following/", people_rows),
    "note page threads": Listing(lambda c: f"/notes/{c.note.pk}/", threads),
    "replies page": Listing(lambda c: f"/comments/{c.thread.pk}/replies/", replies),
    "creator centre": Listing(lambda c: "/creator/", partner_notes, as_author=True),
    "brand partnerships page": Listing(
        lambda c: "/brand/partnerships/", partner_notes, as_brand=True
    ),
    "api notes": Listing(lambda c: "/api/v1/notes/", results),
    "api notes of a tag": Listing(lambda c: "/api/v1/notes/?tag=sea", results),
    "api notes of an author": Listing(lambda c: "/api/v1/notes/?author=author", results),
    "api my notes": Listing(lambda c: "/api/v1/me/notes/", results, as_author=True),
    "api discover": Listing(lambda c: "/api/v1/feeds/discover/", results),
    "api follow": Listing(lambda c: "/api/v1/feeds/follow/", results),
    "api nearby": Listing(lambda c: f"/api/v1/feeds/nearby/?{NEAR}", results),
    "api threads": Listing(lambda c: f"/api/v1/notes/{c.note.pk}/comments/", results),
    "api replies": Listing(lambda c: f"/api/v1/comments/{c.thread.pk}/replies/", results),
    "api boards": Listing(lambda c: "/api/v1/boards/", results),
    "api board notes": Listing(lambda c: f"/api/v1/boards/{c.board.pk}/notes/", results),
    "api followers": Listing(lambda c: "/api/v1/users/author/followers/", results),
    "api following": Listing(lambda c: "/api/v1/users/author/following/", results),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_list_costs_the_same_queries_at_page_sizes_10_and_40(name, community, client, settings):
    # given
    listing = LISTS[name]
    viewer = community.author if listing.as_author else community.reader
    client.force_login(community.brand if listing.as_brand else viewer)
    url = listing.url(community)
    counts = {}
    for size in (SMALL, LARGE):
        settings.FEED_PAGE_SIZE = size
        client.get(url)  # the session and content types are cached from here on
        # when
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        # then
        assert response.status_code == 200
        assert listing.rows(response) == size
        counts[size] = len(queries)
    assert counts[SMALL] == counts[LARGE]

from django.db.models import F

from notes.models import Note
from notes.scoring import CES_WEIGHTS, ces, counter_change, is_counted
from tests.factories import NoteFactory


def test_ces_weighs_likes_and_bookmarks_one_comments_and_reposts_four_follows_eight():
    assert ces(likes_count=1) == 1
    assert ces(bookmarks_count=1) == 1
    assert ces(comments_count=1) == 4
    assert ces(reposts_count=1) == 4
    assert ces(follows_gained=1) == 8


def test_ces_adds_up_every_kind_of_interaction():
    score = ces(
        likes_count=10, bookmarks_count=5, comments_count=3, reposts_count=2, follows_gained=1
    )

    assert score == 10 + 5 + 12 + 8 + 8


def test_ces_of_nothing_is_zero():
    assert ces() == 0


def test_the_authors_own_act_is_not_counted():
    assert is_counted(actor_id=7, author_id=7) is False
    assert is_counted(actor_id=8, author_id=7) is True


def test_a_counted_change_moves_the_counter_and_ces_by_its_weight(db):
    note = NoteFactory(images=0)

    Note.objects.filter(pk=note.pk).update(**counter_change("comments_count", 2, counted=2))

    note.refresh_from_db()
    assert (note.comments_count, note.ces) == (2, 8)


def test_an_uncounted_change_moves_only_the_public_counter(db):
    note = NoteFactory(images=0)

    Note.objects.filter(pk=note.pk).update(**counter_change("likes_count", 1, counted=0))

    note.refresh_from_db()
    assert (note.likes_count, note.ces) == (1, 0)


def test_ces_computed_by_the_database_equals_ces_in_python(db):
    counts = {
        "likes_count": 11,
        "bookmarks_count": 7,
        "comments_count": 5,
        "reposts_count": 3,
        "follows_gained": 2,
    }
    note = NoteFactory(images=0, **counts)

    in_sql = (
        Note.objects.filter(pk=note.pk)
        .annotate(score=ces(**{counter: F(counter) for counter in CES_WEIGHTS}))
        .values_list("score", flat=True)
        .get()
    )

    assert in_sql == ces(**counts) == 11 + 7 + 20 + 12 + 16

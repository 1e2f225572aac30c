import logging
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import counters
from notes import services
from notes.models import Comment, Note
from notes.services import NoteChanges, NoteContent
from tests.factories import (
    BoardFactory,
    CommentFactory,
    NoteFactory,
    UserFactory,
    image_upload,
    video_upload,
)
from users.models import User

pytestmark = pytest.mark.django_db


def photos(count: int, *, size: tuple[int, int] = (60, 80)) -> list:
    return [image_upload(f"photo{index}.jpg", size=size) for index in range(count)]


def refreshed(note: Note) -> Note:
    note.refresh_from_db()
    return note


# --- Writing notes.


def test_note_create_keeps_the_photos_in_the_order_given(user):
    uploads = [
        image_upload("a.jpg", size=(30, 40)),
        image_upload("b.jpg", size=(50, 40)),
        image_upload("c.jpg", size=(40, 40)),
    ]

    note = services.note_create(
        author=user, content=NoteContent(title="Three", images=uploads), publish=True
    )

    sizes = [(p.position, p.width, p.height) for p in note.images.order_by("position")]
    assert sizes == [(0, 30, 40), (1, 50, 40), (2, 40, 40)]


def test_note_create_turns_hashtags_and_extra_tags_into_tags(user):
    content = NoteContent(
        title="Coffee", body="Morning #latte at #Wukang, #latte again", tags=["#citywalk", "beans"]
    )

    note = services.note_create(author=user, content=content, publish=False)

    assert sorted(note.tags.names()) == ["Wukang", "beans", "citywalk", "latte"]


def test_note_create_with_a_video_stores_its_size_and_duration(user):
    content = NoteContent(title="Latte art", video=video_upload())

    note = services.note_create(author=user, content=content, publish=True)

    assert (note.video.width, note.video.height) == (64, 48)
    assert note.video.duration_seconds == pytest.approx(1.0, abs=0.2)
    assert note.images.count() == 0


def test_a_draft_needs_no_photo(user):
    note = services.note_create(
        author=user, content=NoteContent(title="Half written"), publish=False
    )

    assert note.status == Note.Status.DRAFT
    assert note.published_at is None


def test_publishing_needs_a_photo_or_a_video(user):
    with pytest.raises(ValidationError) as error:
        services.note_create(author=user, content=NoteContent(title="Empty"), publish=True)

    assert error.value.message_dict == {"images": ["Add at least one photo or a video."]}
    assert Note.objects.count() == 0


def test_more_photos_than_the_authors_level_allows_are_refused(user):
    content = NoteContent(title="Too many", images=photos(10, size=(4, 4)))

    with pytest.raises(ValidationError) as error:
        services.note_create(author=user, content=content, publish=True)

    assert error.value.message_dict["images"] == [
        "A note can have at most 9 photos at your level (Lv.1)."
    ]
    assert Note.objects.count() == 0


def test_photos_and_a_video_together_are_refused(user):
    content = NoteContent(title="Both", images=photos(1), video=video_upload())

    with pytest.raises(ValidationError) as error:
        services.note_create(author=user, content=content, publish=True)

    assert error.value.message_dict["video"] == ["A note has photos or a video, not both."]


def test_a_bad_file_is_named_and_nothing_is_written(user):
    content = NoteContent(title="Oops", images=[image_upload("ok.jpg"), video_upload("cat.jpg")])

    with pytest.raises(ValidationError) as error:
        services.note_create(author=user, content=content, publish=True)

    assert "“cat.jpg”" in error.value.message_dict["images"][0]
    assert Note.objects.count() == 0


def test_note_update_reorders_removes_and_adds_photos(user):
    note = NoteFactory(author=user, images=3)
    first, second, third = note.images.order_by("position")

    services.note_update(
        actor=user,
        note_id=note.pk,
        changes=NoteChanges(images=[image_upload("new.jpg", size=(90, 30))]),
        publish=True,
        image_order=[third.pk, first.pk],
        remove_image_ids=[second.pk],
    )

    pictures = list(note.images.order_by("position"))
    assert [p.pk for p in pictures[:2]] == [third.pk, first.pk]
    assert [p.position for p in pictures] == [0, 1, 2]
    assert (pictures[2].width, pictures[2].height) == (90, 30)


def test_saving_a_published_note_as_a_draft_takes_it_back_to_drafts(user):
    note = NoteFactory(author=user)

    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(), publish=False)

    assert refreshed(note).status == Note.Status.DRAFT


def test_publishing_a_draft_sets_its_publication_time(user):
    note = services.note_create(
        author=user, content=NoteContent(title="Draft", images=photos(1)), publish=False
    )

    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(), publish=True)

    note = refreshed(note)
    assert note.status == Note.Status.PUBLISHED
    assert note.published_at is not None


def test_only_the_author_can_edit_a_note(user, other_user):
    note = NoteFactory(author=user)

    with pytest.raises(PermissionDenied):
        services.note_update(
            actor=other_user, note_id=note.pk, changes=NoteChanges(title="Mine"), publish=True
        )

    assert refreshed(note).title != "Mine"


def test_note_update_keeps_what_the_change_leaves_out(user):
    note = services.note_create(
        author=user,
        content=NoteContent(
            title="Walk",
            body="Sunny #park",
            tags=["outdoors"],
            place_name="West Lake",
            latitude=30.25,
            longitude=120.14,
            images=photos(1),
        ),
        publish=True,
    )

    services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(body="Rainy #tea"))

    note = refreshed(note)
    assert (note.title, note.body, note.status) == ("Walk", "Rainy #tea", Note.Status.PUBLISHED)
    assert (note.place_name, note.latitude, note.longitude) == ("West Lake", 30.25, 120.14)
    assert sorted(note.tags.names()) == ["outdoors", "tea"]


def test_too_many_photos_on_update_are_refused_once(user):
    note = NoteFactory(author=user, images=1)

    with pytest.raises(ValidationError) as error:
        services.note_update(
            actor=user, note_id=note.pk, changes=NoteChanges(images=photos(9, size=(4, 4)))
        )

    assert error.value.message_dict == {
        "images": ["A note can have at most 9 photos at your level (Lv.1)."]
    }


def test_a_video_beside_kept_photos_is_refused_once(user):
    note = NoteFactory(author=user, images=1)

    with pytest.raises(ValidationError) as error:
        services.note_update(actor=user, note_id=note.pk, changes=NoteChanges(video=video_upload()))

    assert error.value.message_dict == {"video": ["A note has photos or a video, not both."]}


def test_staff_change_a_notes_text_and_tags_by_the_authors_rules(user):
    staff = UserFactory(is_staff=True)
    note = NoteFactory(author=user, title="Typo", body="Oolong #tea")

    services.note_update_by_staff(
        actor=staff, note_id=note.pk, changes=NoteChanges(title="Tea", tags=["#travel"])
    )

    note = refreshed(note)
    assert (note.title, note.body) == ("Tea", "Oolong #tea")
    assert sorted(note.tags.names()) == ["tea", "travel"]


def test_only_staff_change_a_note_they_did_not_write(user, other_user):
    note = NoteFactory(author=user, title="Mine")

    with pytest.raises(PermissionDenied):
        services.note_update_by_staff(
            actor=other_user, note_id=note.pk, changes=NoteChanges(title="Theirs")
        )

    assert refreshed(note).title == "Mine"


def test_only_the_author_can_delete_a_note(user, other_user):
    note = NoteFactory(author=user)

    with pytest.raises(PermissionDenied):
        services.note_delete(actor=other_user, note_id=note.pk)

    assert Note.objects.filter(pk=note.pk).exists()


def test_deleting_a_note_takes_back_what_its_author_received(user, other_user):
    note = NoteFactory(author=user)
    services.note_like(actor=other_user, note_id=note.pk)
    services.note_bookmark(actor=other_user, note_id=note.pk)

    services.note_delete(actor=user, note_id=note.pk)

    user.refresh_from_db()
    assert (user.likes_received, user.bookmarks_received) == (0, 0)
    assert not Note.objects.filter(pk=note.pk).exists()


# --- Interactions: idempotent, counters and CES exact.


def test_second_like_is_idempotent(user, other_user):
    note = NoteFactory(author=user)

    first = services.note_like(actor=other_user, note_id=note.pk)
    second = services.note_like(actor=other_user, note_id=note.pk)

    user.refresh_from_db()
    note = refreshed(note)
    assert (first, second) == (True, False)
    assert (note.likes_count, note.ces) == (1, 1)
    assert user.likes_received == 1


def test_second_bookmark_is_idempotent(user, other_user):
    note = NoteFactory(author=user)

    services.note_bookmark(actor=other_user, note_id=note.pk)
    again = services.note_bookmark(actor=other_user, note_id=note.pk)

    user.refresh_from_db()
    note = refreshed(note)
    assert again is False
    assert (note.bookmarks_count, note.ces) == (1, 1)
    assert user.bookmarks_received == 1


def test_second_repost_is_idempotent_and_weighs_four(user, other_user):
    note = NoteFactory(author=user)

    services.note_repost(actor=other_user, note_id=note.pk)
    services.note_repost(actor=other_user, note_id=note.pk)

    note = refreshed(note)
    assert (note.reposts_count, note.ces) == (1, 4)


def test_unlike_takes_the_like_back(user, other_user):
    note = NoteFactory(author=user)
    services.note_like(actor=other_user, note_id=note.pk)

    services.note_unlike(actor=other_user, note_id=note.pk)
    again = services.note_unlike(actor=other_user, note_id=note.pk)

    user.refresh_from_db()
    note = refreshed(note)
    assert again is False
    assert (note.likes_count, note.ces, user.likes_received) == (0, 0, 0)


def test_unbookmark_takes_the_bookmark_back(user, other_user):
    note = NoteFactory(author=user)
    services.note_bookmark(actor=other_user, note_id=note.pk)

    services.note_unbookmark(actor=other_user, note_id=note.pk)

    user.refresh_from_db()
    note = refreshed(note)
    assert (note.bookmarks_count, note.ces, user.bookmarks_received) == (0, 0, 0)


def test_bookmarking_into_another_users_board_is_refused(user, other_user):
    note = NoteFactory(author=user)
    board = BoardFactory(owner=user)

    with pytest.raises(ValidationError):
        services.note_bookmark(actor=other_user, note_id=note.pk, board_id=board.pk)

    assert refreshed(note).bookmarks_count == 0


def test_bookmarking_again_moves_the_note_into_the_chosen_board(user, other_user):
    note = NoteFactory(author=user)
    board = BoardFactory(owner=other_user)
    services.note_bookmark(actor=other_user, note_id=note.pk)

    services.note_bookmark(actor=other_user, note_id=note.pk, board_id=board.pk)

    assert list(board.bookmarks.values_list("note_id", flat=True)) == [note.pk]
    assert refreshed(note).bookmarks_count == 1


def test_liking_a_draft_is_refused(user, other_user):
    note = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)

    with pytest.raises(ValidationError):
        services.note_like(actor=user, note_id=note.pk)

    assert refreshed(note).likes_count == 0


def test_a_follow_from_a_note_counts_once_for_its_ces(user, other_user):
    note = NoteFactory(author=user)

    services.note_author_follow(actor=other_user, note_id=note.pk)
    services.note_author_follow(actor=other_user, note_id=note.pk)

    note = refreshed(note)
    assert (note.follows_gained, note.ces) == (1, 8)


# --- CES counts only what other people do; the author's own acts show only publicly.


def test_the_authors_own_like_shows_on_the_note_but_counts_nowhere_else(user):
    note = NoteFactory(author=user)

    services.note_like(actor=user, note_id=note.pk)

    user.refresh_from_db()
    note = refreshed(note)
    assert (note.likes_count, note.ces) == (1, 0)
    assert user.likes_received == 0


def test_the_authors_own_bookmark_shows_on_the_note_but_counts_nowhere_else(user):
    note = NoteFactory(author=user)

    services.note_bookmark(actor=user, note_id=note.pk)

    user.refresh_from_db()
    note = refreshed(note)
    assert (note.bookmarks_count, note.ces) == (1, 0)
    assert user.bookmarks_received == 0


def test_the_authors_own_comment_shows_on_the_note_but_not_in_ces(user):
    note = NoteFactory(author=user)

    services.comment_create(author=user, note_id=note.pk, body="More photos below")

    note = refreshed(note)
    assert (note.comments_count, note.ces) == (1, 0)


def test_the_authors_own_repost_shows_on_the_note_but_not_in_ces(user):
    note = NoteFactory(author=user)

    services.note_repost(actor=user, note_id=note.pk)

    note = refreshed(note)
    assert (note.reposts_count, note.ces) == (1, 0)


def test_taking_back_the_authors_own_acts_leaves_ces_and_received_alone(user, other_user):
    note = NoteFactory(author=user)
    services.note_like(actor=other_user, note_id=note.pk)
    for act in (services.note_like, services.note_bookmark, services.note_repost):
        act(actor=user, note_id=note.pk)

    for undo in (services.note_unlike, services.note_unbookmark, services.note_unrepost):
        undo(actor=user, note_id=note.pk)

    user.refresh_from_db()
    note = refreshed(note)
    assert (note.likes_count, note.bookmarks_count, note.reposts_count) == (1, 0, 0)
    assert note.ces == 1
    assert (user.likes_received, user.bookmarks_received) == (1, 0)


def test_a_readers_acts_move_ces_by_their_exact_weights(user, other_user):
    note = NoteFactory(author=user)

    services.note_like(actor=other_user, note_id=note.pk)
    services.note_bookmark(actor=other_user, note_id=note.pk)
    services.comment_create(author=other_user, note_id=note.pk, body="Where is this?")
    services.note_repost(actor=other_user, note_id=note.pk)
    services.note_author_follow(actor=other_user, note_id=note.pk)

    user.refresh_from_db()
    note = refreshed(note)
    assert note.ces == 1 + 1 + 4 + 4 + 8
    assert (user.likes_received, user.bookmarks_received) == (1, 1)


def test_deleting_a_thread_takes_from_ces_only_what_others_wrote(user, other_user):
    note = NoteFactory(author=user)
    top = services.comment_create(author=other_user, note_id=note.pk, body="Which café?")
    services.comment_create(author=user, note_id=note.pk, body="Manner", parent_id=top.pk)
    services.comment_create(author=other_user, note_id=note.pk, body="Thanks", parent_id=top.pk)

    services.comment_delete(actor=user, comment_id=top.pk)

    note = refreshed(note)
    assert (note.comments_count, note.ces) == (0, 0)


def test_deleting_the_authors_own_comment_leaves_ces_alone(user, other_user):
    note = NoteFactory(author=user)
    services.comment_create(author=other_user, note_id=note.pk, body="So pretty")
    own = services.comment_create(author=user, note_id=note.pk, body="Thank you")

    services.comment_delete(actor=user, comment_id=own.pk)

    note = refreshed(note)
    assert (note.comments_count, note.ces) == (1, 4)


# --- Comments.


def test_a_reply_to_a_reply_joins_the_same_thread(user, other_user):
    note = NoteFactory(author=user)
    top = services.comment_create(author=user, note_id=note.pk, body="Where is this?")
    reply = services.comment_create(
        author=other_user, note_id=note.pk, body="Wukang Road", parent_id=top.pk
    )

    answer = services.comment_create(
        author=user, note_id=note.pk, body="Thanks!", parent_id=reply.pk
    )

    assert answer.parent_id == top.pk
    assert refreshed(note).comments_count == 3


def test_an_empty_comment_is_refused(user):
    note = NoteFactory(author=user)

    with pytest.raises(ValidationError) as error:
        services.comment_create(author=user, note_id=note.pk, body="   ")

    assert error.value.message_dict == {"body": ["Write something first."]}


def test_deleting_a_comment_removes_its_replies_and_fixes_the_count(user, other_user):
    note = NoteFactory(author=user)
    top = services.comment_create(author=other_user, note_id=note.pk, body="Nice")
    services.comment_create(author=user, note_id=note.pk, body="Thanks", parent_id=top.pk)
    services.comment_create(author=user, note_id=note.pk, body="More", parent_id=top.pk)
    services.comment_create(author=other_user, note_id=note.pk, body="Another thread")

    removed = services.comment_delete(actor=other_user, comment_id=top.pk)

    note = refreshed(note)
    assert removed == 3
    assert (note.comments_count, note.ces) == (1, 4)
    assert Comment.objects.filter(note=note).count() == 1


def test_the_note_author_may_delete_any_comment_on_it(user, other_user):
    note = NoteFactory(author=user)
    comment = services.comment_create(author=other_user, note_id=note.pk, body="Spam")

    services.comment_delete(actor=user, comment_id=comment.pk)

    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_a_stranger_cannot_delete_a_comment(user, other_user):
    comment = CommentFactory(note=NoteFactory(author=user), author=user)
    stranger = UserFactory()

    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=stranger, comment_id=comment.pk)

    assert Comment.objects.filter(pk=comment.pk).exists()


def test_second_comment_like_is_idempotent(user, other_user):
    comment = CommentFactory(note=NoteFactory(author=user), author=user)

    first = services.comment_like(actor=other_user, comment_id=comment.pk)
    second = services.comment_like(actor=other_user, comment_id=comment.pk)

    comment.refresh_from_db()
    assert (first, second) == (True, False)
    assert comment.likes_count == 1


def test_comment_unlike_takes_the_like_back(user, other_user):
    comment = CommentFactory(note=NoteFactory(author=user), author=user)
    services.comment_like(actor=other_user, comment_id=comment.pk)

    services.comment_unlike(actor=other_user, comment_id=comment.pk)

    comment.refresh_from_db()
    assert comment.likes_count == 0


# --- Counter repair and boards.


def test_recount_fixes_drifted_counters_and_ces(user, other_user):
    note = NoteFactory(author=user)
    services.note_like(actor=other_user, note_id=note.pk)
    services.comment_create(author=other_user, note_id=note.pk, body="Hi")
    Note.objects.filter(pk=note.pk).update(likes_count=9, comments_count=0, ces=9)

    corrected = services.note_counters_recount(note_ids=[note.pk])

    note = refreshed(note)
    assert corrected == 1
    assert (note.likes_count, note.comments_count, note.ces) == (1, 1, 5)


def test_recount_leaves_correct_notes_alone(user):
    NoteFactory(author=user)

    assert services.note_counters_recount() == 0


def test_board_update_keeps_what_the_change_leaves_out(user):
    board = BoardFactory(owner=user, name="Trips", description="Weekends", is_private=True)

    services.board_update(owner=user, board_id=board.pk, is_private=False)

    board.refresh_from_db()
    assert (board.name, board.description, board.is_private) == ("Trips", "Weekends", False)


def test_a_board_description_over_the_limit_is_refused_on_its_field(user):
    with pytest.raises(ValidationError) as error:
        services.board_create(owner=user, name="Trips", description="x" * 201)

    assert error.value.message_dict == {
        "description": ["Keep the description within 200 characters."]
    }


def test_only_staff_change_a_board_they_do_not_own(user, other_user):
    board = BoardFactory(owner=user, name="Trips")

    with pytest.raises(PermissionDenied):
        services.board_update_by_staff(
            actor=other_user, board_id=board.pk, name="Mine", description="", is_private=False
        )

    board.refresh_from_db()
    assert board.name == "Trips"


COUNTERS = ("likes_count", "bookmarks_count", "comments_count", "reposts_count", "ces")


def counters_of(notes: list[Note]) -> list[tuple[int, ...]]:
    rows = Note.objects.filter(pk__in=[note.pk for note in notes]).order_by("pk")
    return list(rows.values_list(*COUNTERS))


def busy_notes(author, reader, *, count: int) -> list[Note]:
    """Notes the author and a reader both liked, bookmarked, commented on and reposted."""
    notes = [NoteFactory(author=author, images=0) for _ in range(count)]
    for note in notes:
        for person in (author, reader):
            services.note_like(actor=person, note_id=note.pk)
            services.note_bookmark(actor=person, note_id=note.pk)
            services.note_repost(actor=person, note_id=note.pk)
            services.comment_create(author=person, note_id=note.pk, body="Lovely")
    return notes


def test_recount_finds_nothing_to_fix_after_the_authors_own_acts(user, other_user):
    busy_notes(user, other_user, count=2)

    assert services.note_counters_recount() == 0
    assert services.author_counters_recount() == 0


def test_recount_gives_the_numbers_of_the_live_path_without_the_authors_own_acts(user, other_user):
    [note] = busy_notes(user, other_user, count=1)
    live = counters_of([note])
    Note.objects.filter(pk=note.pk).update(**dict.fromkeys(COUNTERS, 0))
    User.objects.filter(pk=user.pk).update(likes_received=0, bookmarks_received=0)

    services.note_counters_recount()
    services.author_counters_recount()

    user.refresh_from_db()
    assert counters_of([note]) == live == [(2, 2, 2, 2, 1 + 1 + 4 + 4)]
    assert (user.likes_received, user.bookmarks_received) == (1, 1)


def test_a_recount_killed_after_its_first_batch_ends_as_a_clean_run_when_rerun(
    user, other_user, settings, monkeypatch
):
    settings.COUNTER_RECOUNT_BATCH_SIZE = 2
    notes = busy_notes(user, other_user, count=5)
    clean = counters_of(notes)
    Note.objects.update(likes_count=9, comments_count=0, ces=7)
    write, batches_written = counters.counters_write, []

    def write_then_die(model, values):
        if batches_written:
            raise RuntimeError("worker killed")
        write(model, values)
        batches_written.append(sorted(values))

    monkeypatch.setattr(counters, "counters_write", write_then_die)
    with pytest.raises(RuntimeError):
        services.note_counters_recount()
    assert batches_written == [[notes[0].pk, notes[1].pk]]
    assert counters_of(notes) == clean[:2] + [(9, 2, 0, 2, 7)] * 3
    monkeypatch.setattr(counters, "counters_write", write)

    corrected = services.note_counters_recount()

    assert corrected == 3
    assert counters_of(notes) == clean


def test_recount_logs_each_corrected_note_with_its_changes(user, other_user, caplog):
    [note] = busy_notes(user, other_user, count=1)
    Note.objects.filter(pk=note.pk).update(likes_count=9, ces=3)
    caplog.set_level(logging.INFO, logger="core.counters")

    services.note_counters_recount()

    assert caplog.messages == [
        f"notes.Note {note.pk} counters corrected: likes_count 9 → 2 (-7), ces 3 → 10 (+7)"
    ]


@pytest.mark.parametrize("count", [2, 12])
def test_a_recount_batch_costs_the_same_queries_however_many_notes_drifted(
    user, other_user, count, settings, django_assert_num_queries
):
    settings.COUNTER_RECOUNT_BATCH_SIZE = 100
    busy_notes(user, other_user, count=count)
    Note.objects.update(likes_count=0)

    # the batch's keys, its savepoint pair, the read, the row locks, the read again, the
    # write, and the keys after it (none)
    with django_assert_num_queries(8):
        assert services.note_counters_recount() == count


def test_a_recount_reads_again_only_the_drifted_notes_of_a_batch(user, other_user, settings):
    settings.COUNTER_RECOUNT_BATCH_SIZE = 100
    drifted, *_others = busy_notes(user, other_user, count=4)
    Note.objects.filter(pk=drifted.pk).update(likes_count=0)

    with CaptureQueriesContext(connection) as queries:
        assert services.note_counters_recount() == 1

    reads = [query["sql"] for query in queries if "recounted_likes_count" in query["sql"]]
    assert len(reads) == 2
    assert f"IN ({drifted.pk})" not in reads[0]  # the whole batch
    assert f"IN ({drifted.pk})" in reads[1]  # under the lock: the drifted note alone
    assert counters_of([drifted])[0][0] == 2


def test_recount_of_chosen_notes_leaves_the_others_alone(user, other_user):
    chosen, other = busy_notes(user, other_user, count=2)
    Note.objects.update(likes_count=9)

    assert services.note_counters_recount(note_ids=[chosen.pk]) == 1

    assert counters_of([chosen, other]) == [(2, 2, 2, 2, 10), (9, 2, 2, 2, 10)]


def test_only_the_owner_gets_a_board_for_editing(user, other_user):
    board = BoardFactory(owner=user)

    with pytest.raises(PermissionDenied):
        services.board_get_for_owner(owner=other_user, board_id=board.pk)

    assert services.board_get_for_owner(owner=user, board_id=board.pk) == board


def test_backdated_note_reads_as_written_then_not_as_edited(user):
    written = timezone.now() - timedelta(days=30)

    note = services.note_create(
        author=user,
        content=NoteContent(title="Old trip", images=[image_upload()]),
        publish=True,
        published_at=written,
    )

    note.refresh_from_db()
    assert note.published_at == written
    assert note.created_at == written
    assert note.updated_at == written


def test_staff_may_delete_any_comment(user):
    note = NoteFactory(author=user)
    comment = services.comment_create(author=user, note_id=note.pk, body="Spam link")
    moderator = UserFactory(is_staff=True)

    removed = services.comment_delete(actor=moderator, comment_id=comment.pk)

    note.refresh_from_db()
    assert removed == 1
    assert note.comments_count == 0


def test_a_like_costs_a_fixed_handful_of_queries(user, other_user, django_assert_num_queries):
    note = NoteFactory(author=other_user, images=5)
    note.tags.add("brunch", "citywalk")

    # the verb's transaction (a savepoint pair inside the test's), note with author, the
    # insert in its own savepoint pair, note counters, author counters: no photos, no tags;
    # then growth (the author's level, the liker's counter and level) and the author's message
    # (today's row looked up, created in a savepoint pair, the liker, the unread count)
    with django_assert_num_queries(17):
        services.note_like(actor=user, note_id=note.pk)


def test_a_new_video_replaces_the_old_one_on_update(user):
    note = services.note_create(
        author=user, content=NoteContent(title="Clip", video=video_upload()), publish=True
    )
    old_file = note.video.file.name

    services.note_update(
        actor=user,
        note_id=note.pk,
        changes=NoteChanges(video=video_upload("new.webm", container="webm")),
        publish=True,
    )

    note.refresh_from_db()
    assert note.video.file.name != old_file
    assert note.video.file.name.endswith(".webm")


def test_deleting_a_note_takes_back_only_what_others_gave_its_author(user, other_user):
    note = NoteFactory(author=user, images=0)
    for person in (user, other_user):
        services.note_like(actor=person, note_id=note.pk)
        services.note_bookmark(actor=person, note_id=note.pk)

    services.note_delete(actor=user, note_id=note.pk)

    user.refresh_from_db()
    assert (user.likes_received, user.bookmarks_received) == (0, 0)

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notes import services
from notes.models import Board, Comment, Like, Note
from notes.services import boards as board_services
from tests.factories import (
    BoardFactory,
    NoteFactory,
    NoteImageFactory,
    UserFactory,
    image_upload,
    video_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_api(make_api_client, other_user):
    return make_api_client(other_user)


def comment_by(author):
    """A comment on someone's published note, written through the service (counters move)."""
    return services.comment_create(author=author, note_id=NoteFactory().pk, body="Nice")


# --- Writing notes


def test_new_note_keeps_its_two_photos_in_the_order_sent(api, user):
    photos = [
        image_upload("first.jpg", size=(60, 80)),
        image_upload("second.png", image_format="PNG", size=(90, 40)),
    ]

    response = api.post(
        "/api/v1/notes/", {"title": "Hotpot night", "images": photos, "publish": "true"}
    )

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "published"
    assert [(i["position"], i["width"], i["height"]) for i in body["images"]] == [
        (0, 60, 80),
        (1, 90, 40),
    ]
    assert body["images"][0]["url"].startswith("http://testserver/media/notes/")


def test_new_note_with_a_text_file_as_a_photo_is_400_naming_the_file(api):
    fake = SimpleUploadedFile("holiday.jpg", b"not a picture", content_type="image/jpeg")

    response = api.post("/api/v1/notes/", {"title": "Beach", "images": [fake], "publish": "true"})

    assert response.status_code == 400
    assert "holiday.jpg" in response.json()["images"][0]
    assert not Note.objects.exists()


def test_new_note_with_a_video_stores_its_size(api):
    response = api.post(
        "/api/v1/notes/", {"title": "Street food", "video": video_upload(), "publish": "true"}
    )

    video = response.json()["video"]
    assert response.status_code == 201
    assert (video["width"], video["height"]) == (64, 48)


def test_new_note_without_publish_is_a_draft(api):
    response = api.post(
        "/api/v1/notes/",
        {"title": "Idea", "body": "Try the #noodles", "tags": ["food"]},
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["published_at"]) == ("draft", None)
    assert body["tags"] == ["food", "noodles"]


def test_publishing_a_note_without_photos_or_video_is_400(api):
    response = api.post("/api/v1/notes/", {"title": "Empty", "publish": True}, format="json")

    assert response.status_code == 400
    assert response.json() == {"images": ["Add at least one photo or a video."]}


def test_writing_a_note_needs_a_signed_in_reader(anonymous):
    response = anonymous.post("/api/v1/notes/", {"title": "Hi"}, format="json")

    assert response.status_code == 403


# --- Reading notes


def test_note_list_shows_published_notes_newest_first(anonymous):
    older, newer = NoteFactory(title="Older"), NoteFactory(title="Newer")
    NoteFactory(title="Draft", status=Note.Status.DRAFT, published_at=None)

    response = anonymous.get("/api/v1/notes/")

    assert [card["id"] for card in response.json()["results"]] == [newer.pk, older.pk]


def test_note_list_filters_by_author(anonymous, other_user):
    mine = NoteFactory(author=other_user)
    NoteFactory()

    response = anonymous.get("/api/v1/notes/", {"author": "xiaolan"})

    assert [card["id"] for card in response.json()["results"]] == [mine.pk]


def test_note_list_filters_by_tag(anonymous):
    tagged = NoteFactory()
    tagged.tags.add("hotpot")
    NoteFactory()

    response = anonymous.get("/api/v1/notes/", {"tag": "hotpot"})

    assert [card["id"] for card in response.json()["results"]] == [tagged.pk]


@pytest.mark.parametrize("value", ["", " "])
@pytest.mark.parametrize("name", ["tag", "author"])
def test_note_list_ignores_an_empty_filter(anonymous, name, value):
    # given: a client that sends every filter, empty when unused (as an HTML form does)
    newer_first = [NoteFactory().pk, NoteFactory().pk][::-1]
    # when
    response = anonymous.get("/api/v1/notes/", {name: value})
    # then
    assert response.status_code == 200
    assert [card["id"] for card in response.json()["results"]] == newer_first


def test_note_list_pages_through_every_note_once(anonymous, settings):
    settings.FEED_PAGE_SIZE = 2
    notes = [NoteFactory() for _ in range(5)]

    seen, url = [], "/api/v1/notes/"
    while url:
        page = anonymous.get(url).json()
        seen += [card["id"] for card in page["results"]]
        url = page["next"]

    assert seen == [note.pk for note in reversed(notes)]


def test_note_card_shows_cover_author_and_whether_the_reader_liked_it(api, user):
    note = NoteFactory(title="Tea")
    services.note_like(actor=user, note_id=note.pk)

    card = api.get("/api/v1/notes/").json()["results"][0]

    assert card["cover"]["width"] == 60
    assert card["cover"]["height"] == 80
    assert card["author"]["username"] == note.author.username
    assert (card["title"], card["likes_count"], card["liked"], card["video"]) == (
        "Tea",
        1,
        True,
        None,
    )


@pytest.mark.parametrize("count", [2, 7])
def test_note_list_costs_the_same_queries_whatever_its_length(
    api, count, django_assert_num_queries
):
    for _ in range(count):
        NoteFactory(images=3)

    # session + reader, the notes with authors and videos, their covers, the reader's likes
    with django_assert_num_queries(5):
        response = api.get("/api/v1/notes/")

    assert len(response.json()["results"]) == count


def test_note_detail_shows_media_counters_and_the_readers_state(api, user):
    note = NoteFactory(images=2, place_name="Bund", latitude=31.24, longitude=121.49)
    note.tags.add("city")
    services.note_like(actor=user, note_id=note.pk)
    services.note_repost(actor=user, note_id=note.pk)

    body = api.get(f"/api/v1/notes/{note.pk}/").json()

    assert [image["position"] for image in body["images"]] == [0, 1]
    assert (body["likes_count"], body["reposts_count"], body["bookmarks_count"]) == (1, 1, 0)
    assert (body["liked"], body["bookmarked"], body["reposted"]) == (True, False, True)
    assert (body["place_name"], body["latitude"], body["longitude"]) == ("Bund", 31.24, 121.49)
    assert body["tags"] == ["city"]
    assert body["author"]["is_following"] is False
    assert body["url"] == f"http://testserver/notes/{note.pk}/"


def test_draft_is_404_for_other_readers(other_api, user):
    draft = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)

    response = other_api.get(f"/api/v1/notes/{draft.pk}/")

    assert response.status_code == 404


def test_draft_is_shown_to_its_author(api, user):
    draft = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)

    response = api.get(f"/api/v1/notes/{draft.pk}/")

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_my_notes_include_my_drafts(api, user):
    published = NoteFactory(author=user)
    draft = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)

    response = api.get("/api/v1/me/notes/")

    assert [card["id"] for card in response.json()["results"]] == [draft.pk, published.pk]


# --- Changing and deleting notes


def test_changing_another_users_note_is_403(other_api, user):
    note = NoteFactory(author=user, title="Mine")

    response = other_api.patch(f"/api/v1/notes/{note.pk}/", {"title": "Theirs"}, format="json")

    note.refresh_from_db()
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author can change this note."}
    assert note.title == "Mine"


def test_patch_reorders_and_removes_photos(api, user):
    note = NoteFactory(author=user, images=0)
    first, second, third = (NoteImageFactory(note=note, position=p) for p in range(3))

    response = api.patch(
        f"/api/v1/notes/{note.pk}/",
        {"image_order": [third.pk, first.pk], "remove_image_ids": [second.pk]},
        format="json",
    )

    assert response.status_code == 200
    assert [image["id"] for image in response.json()["images"]] == [third.pk, first.pk]


def test_patch_adds_new_photos_sent_as_multipart_after_the_kept_ones(api, user):
    note = NoteFactory(author=user, images=0)
    first, second = (NoteImageFactory(note=note, position=p) for p in range(2))

    response = api.patch(
        f"/api/v1/notes/{note.pk}/",
        {"images": [image_upload("new.png", image_format="PNG")], "image_order": [second.pk]},
    )

    images = response.json()["images"]
    assert response.status_code == 200
    assert [image["id"] for image in images[:2]] == [second.pk, first.pk]
    assert [image["position"] for image in images] == [0, 1, 2]


def test_patch_of_the_title_keeps_body_tags_and_status(api, user):
    note = services.note_create(
        author=user,
        content=services.NoteContent(
            title="Old", body="Sunny #park", tags=["walk"], images=[image_upload()]
        ),
        publish=True,
    )

    response = api.patch(f"/api/v1/notes/{note.pk}/", {"title": "New"}, format="json")

    body = response.json()
    assert (body["title"], body["body"], body["status"]) == ("New", "Sunny #park", "published")
    assert sorted(body["tags"]) == ["park", "walk"]


def test_patch_with_publish_publishes_a_draft(api, user):
    draft = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)

    response = api.patch(f"/api/v1/notes/{draft.pk}/", {"publish": True}, format="json")

    assert response.json()["status"] == "published"
    assert response.json()["published_at"] is not None


def test_author_deletes_their_note(api, user):
    note = NoteFactory(author=user)

    response = api.delete(f"/api/v1/notes/{note.pk}/")

    assert response.status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()


def test_deleting_another_users_note_is_403(other_api, user):
    note = NoteFactory(author=user)

    response = other_api.delete(f"/api/v1/notes/{note.pk}/")

    assert response.status_code == 403
    assert Note.objects.filter(pk=note.pk).exists()


# --- Likes, bookmarks, reposts


def test_second_like_is_idempotent(api):
    note = NoteFactory()
    first = api.post(f"/api/v1/notes/{note.pk}/like/")

    second = api.post(f"/api/v1/notes/{note.pk}/like/")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == {"liked": True, "likes_count": 1}
    assert Like.objects.count() == 1


def test_unlike_drops_the_count(api, user):
    note = NoteFactory()
    services.note_like(actor=user, note_id=note.pk)

    response = api.delete(f"/api/v1/notes/{note.pk}/like/")

    assert response.status_code == 200
    assert response.json() == {"liked": False, "likes_count": 0}


def test_liking_someone_elses_draft_is_404(api):
    draft = NoteFactory(status=Note.Status.DRAFT, published_at=None)

    response = api.post(f"/api/v1/notes/{draft.pk}/like/")

    assert response.status_code == 404


def test_bookmark_goes_into_the_readers_board(api, user):
    note, board = NoteFactory(), BoardFactory(owner=user)

    response = api.post(f"/api/v1/notes/{note.pk}/bookmark/", {"board": board.pk}, format="json")

    assert response.status_code == 201
    assert response.json() == {"bookmarked": True, "bookmarks_count": 1, "board": board.pk}
    assert note.bookmarks.get().board == board


def test_bookmark_into_another_users_board_is_400(api, other_user):
    note, board = NoteFactory(), BoardFactory(owner=other_user)

    response = api.post(f"/api/v1/notes/{note.pk}/bookmark/", {"board": board.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"board": ["Choose one of your own boards."]}


def test_unbookmark_drops_the_count(api, user):
    note = NoteFactory()
    services.note_bookmark(actor=user, note_id=note.pk)

    response = api.delete(f"/api/v1/notes/{note.pk}/bookmark/")

    assert response.json() == {"bookmarked": False, "bookmarks_count": 0, "board": None}


def test_repost_then_unrepost(api):
    note = NoteFactory()
    reposted = api.post(f"/api/v1/notes/{note.pk}/repost/")

    undone = api.delete(f"/api/v1/notes/{note.pk}/repost/")

    assert reposted.json() == {"reposted": True, "reposts_count": 1}
    assert undone.json() == {"reposted": False, "reposts_count": 0}


def test_liking_needs_a_signed_in_reader(anonymous):
    note = NoteFactory()

    response = anonymous.post(f"/api/v1/notes/{note.pk}/like/")

    assert response.status_code == 403


# --- Comments


def test_reply_joins_the_thread_of_its_comment(api, other_user):
    note = NoteFactory()
    comment = services.comment_create(author=other_user, note_id=note.pk, body="Where is it?")

    response = api.post(
        f"/api/v1/notes/{note.pk}/comments/",
        {"body": "Near the river", "parent": comment.pk},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["parent"] == comment.pk
    assert list(comment.replies.values_list("body", flat=True)) == ["Near the river"]


def test_reply_to_a_reply_joins_the_top_comment(api, other_user):
    note = NoteFactory()
    top = services.comment_create(author=other_user, note_id=note.pk, body="Top")
    reply = services.comment_create(author=other_user, note_id=note.pk, body="R", parent_id=top.pk)

    response = api.post(
        f"/api/v1/notes/{note.pk}/comments/", {"body": "Me too", "parent": reply.pk}, format="json"
    )

    assert response.json()["parent"] == top.pk


def test_empty_comment_is_400(api):
    note = NoteFactory()

    response = api.post(f"/api/v1/notes/{note.pk}/comments/", {"body": "  "}, format="json")

    assert response.status_code == 400
    assert response.json() == {"body": ["Write something first."]}


def thread_with_replies(note, *, author, body: str, replies: int):
    thread = services.comment_create(author=author, note_id=note.pk, body=body)
    for number in range(replies):
        services.comment_create(
            author=author, note_id=note.pk, body=f"{body}.{number}", parent_id=thread.pk
        )
    return thread


def test_comments_come_as_threads_newest_first_with_their_replies_oldest_first(
    api, user, other_user
):
    note = NoteFactory(author=other_user)
    first = services.comment_create(author=other_user, note_id=note.pk, body="First")
    services.comment_create(author=user, note_id=note.pk, body="Reply", parent_id=first.pk)
    services.comment_create(author=other_user, note_id=note.pk, body="Later", parent_id=first.pk)
    services.comment_create(author=user, note_id=note.pk, body="Second")
    services.comment_like(actor=user, comment_id=first.pk)

    threads = api.get(f"/api/v1/notes/{note.pk}/comments/").json()["results"]

    assert [(t["body"], [r["body"] for r in t["replies"]]) for t in threads] == [
        ("Second", []),
        ("First", ["Reply", "Later"]),
    ]
    assert (threads[1]["liked"], threads[1]["likes_count"], threads[1]["can_delete"]) == (
        True,
        1,
        False,
    )
    assert threads[1]["replies"][0]["can_delete"] is True
    assert (threads[1]["replies_count"], threads[1]["replies_next"]) == (2, None)


def test_staff_may_delete_any_comment_the_api_lists(make_api_client, other_user):
    note = NoteFactory(author=other_user)
    services.comment_create(author=other_user, note_id=note.pk, body="First")
    moderator = make_api_client(UserFactory(is_staff=True))

    threads = moderator.get(f"/api/v1/notes/{note.pk}/comments/").json()["results"]

    assert threads[0]["can_delete"] is True


@pytest.mark.parametrize("threads", [2, 20])
def test_comment_list_costs_the_same_queries_whatever_its_length(
    api, other_user, threads, django_assert_num_queries
):
    note = NoteFactory()
    for index in range(threads):
        thread_with_replies(note, author=other_user, body=f"T{index}", replies=5)

    # session + reader, the note with its images and tags, threads, first replies, reader's likes
    with django_assert_num_queries(8):
        response = api.get(f"/api/v1/notes/{note.pk}/comments/")

    results = response.json()["results"]
    assert len(results) == threads
    assert {len(thread["replies"]) for thread in results} == {3}


def test_comment_list_pages_through_every_thread_once(anonymous, settings):
    settings.FEED_PAGE_SIZE = 2
    note = NoteFactory()
    threads = [
        services.comment_create(author=note.author, note_id=note.pk, body=f"T{n}") for n in range(5)
    ]

    seen, url = [], f"/api/v1/notes/{note.pk}/comments/"
    while url:
        page = anonymous.get(url).json()
        seen += [thread["id"] for thread in page["results"]]
        url = page["next"]

    assert seen == [thread.pk for thread in reversed(threads)]


def test_a_thread_links_to_the_replies_after_its_first_three(anonymous, other_user):
    note = NoteFactory()
    thread_with_replies(note, author=other_user, body="T", replies=5)

    thread = anonymous.get(f"/api/v1/notes/{note.pk}/comments/").json()["results"][0]
    rest = anonymous.get(thread["replies_next"]).json()

    assert [reply["body"] for reply in thread["replies"]] == ["T.0", "T.1", "T.2"]
    assert thread["replies_count"] == 5
    assert [reply["body"] for reply in rest["results"]] == ["T.3", "T.4"]
    assert rest["next"] is None


def test_replies_list_pages_a_thread_oldest_first(anonymous, other_user, settings):
    settings.FEED_PAGE_SIZE = 2
    note = NoteFactory()
    thread = thread_with_replies(note, author=other_user, body="T", replies=3)

    first = anonymous.get(f"/api/v1/comments/{thread.pk}/replies/").json()
    second = anonymous.get(first["next"]).json()

    assert [reply["body"] for reply in first["results"]] == ["T.0", "T.1"]
    assert [reply["body"] for reply in second["results"]] == ["T.2"]
    assert second["next"] is None


@pytest.mark.parametrize("replies", [2, 20])
def test_replies_list_costs_the_same_queries_whatever_its_length(
    api, other_user, replies, django_assert_num_queries
):
    note = NoteFactory()
    thread = thread_with_replies(note, author=other_user, body="T", replies=replies)

    # session + reader, the thread, the note, replies, the reader's likes
    with django_assert_num_queries(6):
        response = api.get(f"/api/v1/comments/{thread.pk}/replies/")

    assert len(response.json()["results"]) == replies


def test_replies_of_a_reply_are_not_found(anonymous, other_user):
    note = NoteFactory()
    thread = thread_with_replies(note, author=other_user, body="T", replies=1)

    response = anonymous.get(f"/api/v1/comments/{thread.replies.get().pk}/replies/")

    assert response.status_code == 404


def test_comments_by_a_deactivated_account_are_hidden_from_the_api(anonymous, user, other_user):
    note = NoteFactory(author=user)
    hidden = thread_with_replies(note, author=other_user, body="Spam", replies=1)
    kept = services.comment_create(author=user, note_id=note.pk, body="Hello")
    services.comment_create(author=other_user, note_id=note.pk, body="Ad", parent_id=kept.pk)
    services.comment_create(author=user, note_id=note.pk, body="Hi", parent_id=kept.pk)
    other_user.is_active = False
    other_user.save(update_fields=["is_active"])

    threads = anonymous.get(f"/api/v1/notes/{note.pk}/comments/").json()["results"]
    replies = anonymous.get(f"/api/v1/comments/{kept.pk}/replies/").json()["results"]
    hidden_replies = anonymous.get(f"/api/v1/comments/{hidden.pk}/replies/")

    assert [
        (t["body"], [r["body"] for r in t["replies"]], t["replies_count"]) for t in threads
    ] == [("Hello", ["Hi"], 1)]
    assert [reply["body"] for reply in replies] == ["Hi"]
    assert hidden_replies.status_code == 404


def test_a_new_comment_answers_as_a_thread_without_replies(api):
    note = NoteFactory()

    response = api.post(f"/api/v1/notes/{note.pk}/comments/", {"body": "Hi"}, format="json")

    body = response.json()
    assert response.status_code == 201
    assert (body["body"], body["replies"], body["replies_count"], body["replies_next"]) == (
        "Hi",
        [],
        0,
        None,
    )


def test_deleting_another_users_comment_is_403(api, other_user):
    comment = comment_by(other_user)

    response = api.delete(f"/api/v1/comments/{comment.pk}/")

    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_note_author_deletes_a_comment_on_their_note(api, user, other_user):
    note = NoteFactory(author=user)
    comment = services.comment_create(author=other_user, note_id=note.pk, body="Spam")

    response = api.delete(f"/api/v1/comments/{comment.pk}/")

    note.refresh_from_db()
    assert response.status_code == 204
    assert note.comments_count == 0


def test_second_comment_like_is_idempotent(api, other_user):
    comment = comment_by(other_user)
    api.post(f"/api/v1/comments/{comment.pk}/like/")

    response = api.post(f"/api/v1/comments/{comment.pk}/like/")

    assert response.status_code == 200
    assert response.json() == {"liked": True, "likes_count": 1}


def test_comment_unlike_drops_the_count(api, user, other_user):
    comment = comment_by(other_user)
    services.comment_like(actor=user, comment_id=comment.pk)

    response = api.delete(f"/api/v1/comments/{comment.pk}/like/")

    assert response.json() == {"liked": False, "likes_count": 0}


# --- Boards


def test_board_list_shows_only_the_readers_boards_with_counts(api, user, other_user):
    board = BoardFactory(owner=user, name="Food", is_private=True)
    services.note_bookmark(actor=user, note_id=NoteFactory().pk, board_id=board.pk)
    BoardFactory(owner=other_user)

    response = api.get("/api/v1/boards/")

    assert [(b["name"], b["is_private"], b["notes_count"]) for b in response.json()["results"]] == [
        ("Food", True, 1)
    ]


def test_new_board_is_created_for_the_reader(api, user):
    response = api.post("/api/v1/boards/", {"name": "Trips", "is_private": True}, format="json")

    assert response.status_code == 201
    assert Board.objects.get(owner=user).name == "Trips"


def test_board_with_a_name_already_used_is_400(api, user):
    BoardFactory(owner=user, name="Trips")

    response = api.post("/api/v1/boards/", {"name": "Trips"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"name": ["You already have a board with that name."]}


def test_private_board_is_404_for_others(other_api, user):
    board = BoardFactory(owner=user, is_private=True)

    response = other_api.get(f"/api/v1/boards/{board.pk}/")

    assert response.status_code == 404


def test_public_board_is_shown_to_others(other_api, user):
    board = BoardFactory(owner=user, name="Cafés")

    response = other_api.get(f"/api/v1/boards/{board.pk}/")

    assert response.json()["name"] == "Cafés"
    assert response.json()["owner"]["username"] == "xiaohong"


def test_changing_another_users_public_board_is_403(other_api, user):
    board = BoardFactory(owner=user, name="Cafés")

    response = other_api.patch(f"/api/v1/boards/{board.pk}/", {"name": "Mine"}, format="json")

    assert response.status_code == 403


def test_owner_renames_a_board_and_keeps_its_privacy(api, user):
    board = BoardFactory(owner=user, name="Old", is_private=True)

    response = api.patch(f"/api/v1/boards/{board.pk}/", {"name": "New"}, format="json")

    assert (response.json()["name"], response.json()["is_private"]) == ("New", True)


def test_owner_deletes_a_board(api, user):
    board = BoardFactory(owner=user)

    response = api.delete(f"/api/v1/boards/{board.pk}/")

    assert response.status_code == 204
    assert not Board.objects.exists()


def test_board_notes_list_the_notes_saved_in_it(other_api, user):
    board = BoardFactory(owner=user)
    saved = NoteFactory()
    services.note_bookmark(actor=user, note_id=saved.pk, board_id=board.pk)
    services.note_bookmark(actor=user, note_id=NoteFactory().pk)

    response = other_api.get(f"/api/v1/boards/{board.pk}/notes/")

    assert [card["id"] for card in response.json()["results"]] == [saved.pk]


def test_board_list_needs_a_signed_in_reader(anonymous):
    response = anonymous.get("/api/v1/boards/")

    assert response.status_code == 403


def test_a_board_over_the_cap_is_400(api, user, monkeypatch):
    monkeypatch.setattr(board_services, "BOARDS_MAX", 2)
    BoardFactory.create_batch(2, owner=user)

    response = api.post("/api/v1/boards/", {"name": "Trips"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["You have 2 boards, the most there can be. Delete one to make room."]
    }


def test_note_card_says_how_many_mall_products_the_note_links(api):
    NoteFactory(products_count=2)

    card = api.get("/api/v1/notes/").json()["results"][0]

    assert card["products_count"] == 2


def test_note_detail_says_how_many_mall_products_the_note_links(api):
    note = NoteFactory(products_count=3)

    body = api.get(f"/api/v1/notes/{note.pk}/").json()

    assert body["products_count"] == 3

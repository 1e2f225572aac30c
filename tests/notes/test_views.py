import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from taggit.models import Tag

from notes import selectors, services
from notes.models import Like, Note
from tests.factories import CommentFactory, NoteFactory, UserFactory, image_upload
from users import services as user_services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def note_with_threads(*, author, threads: int, photos: int, replies: int = 2) -> Note:
    """A published note with `threads` comments, each with `replies` replies and a like."""
    note = NoteFactory(author=author, images=photos)
    for index in range(threads):
        reader = UserFactory()
        top = services.comment_create(author=reader, note_id=note.pk, body=f"Comment {index}")
        for number in range(replies):
            services.comment_create(
                author=(author, reader)[number % 2],
                note_id=note.pk,
                body=f"Reply {index}.{number}",
                parent_id=top.pk,
            )
        services.comment_like(actor=author, comment_id=top.pk)
    return note


def comment_bodies(html: str) -> list[str]:
    """The comments' texts in the order the page shows them."""
    return re.findall(r'<p class="comment__body">(.*?)</p>', html)


def deactivate(user) -> None:
    """What banning an account does to it."""
    type(user).objects.filter(pk=user.pk).update(is_active=False)


# --- Publishing.


def test_publish_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("notes:create"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))


def test_publishing_redirects_to_the_new_note_with_a_message(user_client, user):
    data = {"title": "Weekend", "body": "Sun #sea", "tags": "beach, summer", "action": "publish"}
    data["images"] = [image_upload("one.jpg"), image_upload("two.jpg")]

    response = user_client.post(reverse("notes:create"), data, follow=True)

    note = Note.objects.get(author=user)
    assert response.redirect_chain == [(f"{note.get_absolute_url()}?published=1", 302)]
    assert note.status == Note.Status.PUBLISHED
    assert note.images.count() == 2
    assert sorted(note.tags.names()) == ["beach", "sea", "summer"]
    assert "Your note is published." in response.content.decode()


def test_save_draft_button_keeps_the_note_a_draft(user_client, user):
    response = user_client.post(reverse("notes:create"), {"title": "Later", "action": "draft"})

    note = Note.objects.get(author=user)
    assert response.status_code == 302
    assert note.status == Note.Status.DRAFT


def test_publishing_with_a_bad_file_keeps_the_text_and_names_the_file(user_client):
    fake = SimpleUploadedFile("holiday.jpg", b"not a picture", content_type="image/jpeg")
    data = {"title": "Seaside", "body": "Waves all day", "images": [fake], "action": "publish"}

    response = user_client.post(reverse("notes:create"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert Note.objects.count() == 0
    assert "“holiday.jpg” is not a picture we can read." in html
    assert 'value="Seaside"' in html
    assert "Waves all day</textarea>" in html
    assert "Choose your photos or video again." in html


def test_a_title_over_twenty_characters_is_refused_with_the_text_kept(user_client):
    data = {"title": "x" * 21, "body": "Keep me", "action": "draft"}

    response = user_client.post(reverse("notes:create"), data)

    assert Note.objects.count() == 0
    assert "Keep me</textarea>" in response.content.decode()


# --- Editing and deleting.


def test_editing_another_users_note_is_forbidden(client, user, other_user):
    note = NoteFactory(author=other_user)
    client.force_login(user)

    response = client.get(reverse("notes:edit", args=[note.pk]))

    assert response.status_code == 403


def test_the_edit_form_orders_photos_by_their_position_numbers(user_client, user):
    note = NoteFactory(author=user, images=3)
    first, second, third = note.images.order_by("position")
    data = {
        "title": note.title,
        "action": "publish",
        f"order_{first.pk}": "3",
        f"order_{second.pk}": "1",
        f"order_{third.pk}": "2",
    }

    response = user_client.post(reverse("notes:edit", args=[note.pk]), data)

    assert response.status_code == 302
    assert list(note.images.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        third.pk,
        first.pk,
    ]


def test_the_edit_form_removes_ticked_photos_and_adds_new_ones(user_client, user):
    note = NoteFactory(author=user, images=2)
    first, second = note.images.order_by("position")
    data = {
        "title": note.title,
        "action": "publish",
        f"remove_{first.pk}": "on",
        "images": [image_upload("new.jpg", size=(20, 10))],
    }

    user_client.post(reverse("notes:edit", args=[note.pk]), data)

    pictures = list(note.images.order_by("position"))
    assert [p.pk for p in pictures][0] == second.pk
    assert (pictures[1].width, pictures[1].height) == (20, 10)
    assert len(pictures) == 2


def test_saving_a_published_note_as_a_draft_from_the_edit_page(user_client, user):
    note = NoteFactory(author=user)

    user_client.post(reverse("notes:edit", args=[note.pk]), {"title": "Hmm", "action": "draft"})

    note.refresh_from_db()
    assert (note.title, note.status) == ("Hmm", Note.Status.DRAFT)


def test_deleting_a_note_goes_back_to_the_authors_profile(user_client, user):
    note = NoteFactory(author=user)

    response = user_client.post(reverse("notes:delete", args=[note.pk]))

    assert response["Location"] == user.get_absolute_url()
    assert not Note.objects.filter(pk=note.pk).exists()


def test_the_delete_confirmation_page_changes_nothing(user_client, user):
    note = NoteFactory(author=user)

    response = user_client.get(reverse("notes:delete", args=[note.pk]))

    assert response.status_code == 200
    assert Note.objects.filter(pk=note.pk).exists()


# --- The note page.


def test_a_draft_is_not_found_for_other_readers(client, user, other_user):
    note = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)
    client.force_login(other_user)

    response = client.get(note.get_absolute_url())

    assert response.status_code == 404


def test_a_draft_is_shown_to_its_author_with_a_banner(user_client, user):
    note = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)

    response = user_client.get(note.get_absolute_url())

    assert response.status_code == 200
    assert "Draft: only you can see this note." in response.content.decode()


def test_a_script_in_the_body_comes_out_escaped(client):
    note = NoteFactory(body="Hi <script>alert('x')</script> #tea")

    html = client.get(note.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_hashtags_in_the_body_link_to_their_tag_pages(client, user):
    note = services.note_create(
        author=user,
        content=services.NoteContent(title="Tea", body="Oolong #tea", images=[image_upload()]),
        publish=True,
    )
    services.note_media_process(note_id=note.pk)  # as the worker does after the commit

    html = client.get(note.get_absolute_url()).content.decode()

    assert '<a class="note-hashtag" href="/tags/tea/">#tea</a>' in html


def test_the_note_page_says_when_a_note_was_edited_after_publishing(client):
    note = NoteFactory()
    Note.objects.filter(pk=note.pk).update(updated_at=note.published_at + timedelta(minutes=5))

    response = client.get(note.get_absolute_url())

    assert "Edited " in response.content.decode()


def test_a_note_saved_as_it_is_published_does_not_say_edited(client):
    note = NoteFactory()

    response = client.get(note.get_absolute_url())

    assert "Edited " not in response.content.decode()


@pytest.mark.parametrize(("threads", "photos"), [(2, 1), (20, 6)])
def test_the_note_page_costs_the_same_queries_whatever_its_size(
    client, user, other_user, django_assert_num_queries, threads, photos
):
    note = note_with_threads(author=user, threads=threads, photos=photos, replies=5)
    NoteFactory.create_batch(3, author=user)
    client.force_login(other_user)

    # session + reader, the note, its photos, its tags, threads, their first replies, the
    # reader's state in one (likes, bookmarks, reposts, comment likes, following the author);
    # the reader's first read of the note today (looked up, kept in a savepoint pair, the
    # counter, the level). More from the author is fetched on its own (notes:more_from_author).
    with django_assert_num_queries(14):
        response = client.get(note.get_absolute_url())

    html = response.content.decode()
    assert html.count('class="comment"') == threads
    assert html.count('class="comment comment--reply"') == 3 * threads
    assert html.count("Show 2 more replies") == threads


def test_the_note_page_fetches_more_from_the_author_once_the_reader_scrolls_to_it(client):
    note = NoteFactory()
    NoteFactory(author=note.author, title="Another of mine")

    html = client.get(note.get_absolute_url()).content.decode()

    more_url = reverse("notes:more_from_author", args=[note.pk])
    assert f'hx-get="{more_url}" hx-trigger="intersect once"' in html
    assert "Another of mine" not in html  # not rendered with the page


def test_more_from_the_author_lists_their_six_latest_other_published_notes(client):
    note = NoteFactory()
    older = NoteFactory.create_batch(7, author=note.author)
    NoteFactory(author=note.author, status=Note.Status.DRAFT, published_at=None)
    NoteFactory()  # someone else's

    response = client.get(reverse("notes:more_from_author", args=[note.pk]))

    shown = [card.pk for card in response.context["more_notes"]]
    assert shown == [other.pk for other in reversed(older)][:6]
    assert response.content.decode().count('<article class="card') == 6


def test_more_from_the_author_shows_the_readers_likes(user_client, user):
    note = NoteFactory()
    liked, plain = NoteFactory.create_batch(2, author=note.author)
    services.note_like(actor=user, note_id=liked.pk)

    html = user_client.get(reverse("notes:more_from_author", args=[note.pk])).content.decode()

    assert html.count('aria-pressed="true"') == 1
    assert reverse("notes:unlike", args=[liked.pk]) in html
    assert reverse("notes:like", args=[plain.pk]) in html


def test_a_heart_under_the_note_comes_back_to_the_note_page_not_the_fragment(client):
    note = NoteFactory()
    NoteFactory(author=note.author)
    page = f"http://testserver{note.get_absolute_url()}"

    html = client.get(
        reverse("notes:more_from_author", args=[note.pk]), HTTP_HX_CURRENT_URL=page, **HTMX
    ).content.decode()

    assert f'name="next" value="{note.get_absolute_url()}"' in html


def test_more_from_an_author_with_no_other_note_is_nothing(client):
    note = NoteFactory()

    response = client.get(reverse("notes:more_from_author", args=[note.pk]))

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_more_from_the_author_of_a_note_the_reader_may_not_open_is_not_found(client):
    draft = NoteFactory(status=Note.Status.DRAFT, published_at=None)
    NoteFactory(author=draft.author)

    response = client.get(reverse("notes:more_from_author", args=[draft.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("others", [1, 6])
def test_more_from_the_author_costs_the_same_queries_for_one_note_or_six(
    user_client, django_assert_num_queries, others
):
    note = NoteFactory()
    NoteFactory.create_batch(others, author=note.author)

    # session + reader, the note, the author's notes, their covers, the reader's likes
    with django_assert_num_queries(6):
        user_client.get(reverse("notes:more_from_author", args=[note.pk]))


def test_reply_to_in_the_address_points_the_comment_box_at_that_comment(user_client, user):
    note = note_with_threads(author=user, threads=1, photos=1)
    top = note.comments.get(parent=None)

    html = user_client.get(f"{note.get_absolute_url()}?reply_to={top.pk}").content.decode()

    assert f'name="parent" value="{top.pk}"' in html
    assert "Replying to" in html


def test_reply_to_a_thread_beyond_the_first_page_shows_that_thread_first(
    user_client, user, settings
):
    settings.FEED_PAGE_SIZE = 2
    note = note_with_threads(author=user, threads=4, photos=0, replies=0)
    oldest = note.comments.get(body="Comment 0")

    html = user_client.get(f"{note.get_absolute_url()}?reply_to={oldest.pk}").content.decode()

    assert comment_bodies(html) == ["Comment 0", "Comment 3", "Comment 2"]
    assert f'name="parent" value="{oldest.pk}"' in html


# --- Likes, bookmarks, reposts, follows.


def test_htmx_like_returns_the_button_with_the_new_count(user_client, user):
    note = NoteFactory(likes_count=4, ces=4)

    response = user_client.post(reverse("notes:like", args=[note.pk]), **HTMX)

    html = response.content.decode()
    assert response.templates[0].name == "partials/like_button.html"
    assert '<span class="note-action__count">5</span>' in html
    assert 'aria-pressed="true"' in html
    assert reverse("notes:unlike", args=[note.pk]) in html


def test_like_without_javascript_redirects_back_to_next(user_client, user):
    note = NoteFactory()

    response = user_client.post(
        reverse("notes:like", args=[note.pk]), {"next": "/tags/tea/?cursor=abc"}
    )

    assert response["Location"] == "/tags/tea/?cursor=abc"
    assert Like.objects.filter(note=note, user=user).exists()


def test_an_outside_next_is_ignored(user_client):
    note = NoteFactory()

    response = user_client.post(
        reverse("notes:like", args=[note.pk]), {"next": "https://evil.example/"}
    )

    assert response["Location"] == note.get_absolute_url()


def test_anonymous_htmx_like_is_sent_to_the_login_page(client):
    note = NoteFactory()

    response = client.post(
        reverse("notes:like", args=[note.pk]),
        HTTP_HX_CURRENT_URL=f"http://testserver{note.get_absolute_url()}",
        **HTMX,
    )

    assert response["HX-Redirect"] == f"/accounts/login/?next=/notes/{note.pk}/"
    assert Like.objects.count() == 0


def test_liking_needs_a_post(user_client):
    note = NoteFactory()

    response = user_client.get(reverse("notes:like", args=[note.pk]))

    assert response.status_code == 405


def test_htmx_unlike_returns_the_lower_count(user_client, user):
    note = NoteFactory()
    services.note_like(actor=user, note_id=note.pk)

    response = user_client.post(reverse("notes:unlike", args=[note.pk]), **HTMX)

    assert '<span class="note-action__count">0</span>' in response.content.decode()


def test_bookmarking_into_a_chosen_board(user_client, user):
    note = NoteFactory()
    board = services.board_create(owner=user, name="Trips")

    response = user_client.post(
        reverse("notes:bookmark", args=[note.pk]), {"board": str(board.pk)}, **HTMX
    )

    assert response.status_code == 200
    assert list(board.bookmarks.values_list("note_id", flat=True)) == [note.pk]


def test_htmx_unbookmark_returns_the_bookmark_button_unsaved(user_client, user):
    note = NoteFactory()
    board = services.board_create(owner=user, name="Trips")
    services.note_bookmark(actor=user, note_id=note.pk, board_id=board.pk)

    response = user_client.post(reverse("notes:unbookmark", args=[note.pk]), **HTMX)

    assert response.templates[0].name == "partials/bookmark_button.html"
    assert response.context["is_bookmarked"] is False


def test_bookmarking_into_someone_elses_board_shows_an_error(user_client, other_user):
    note = NoteFactory()
    board = services.board_create(owner=other_user, name="Theirs")

    response = user_client.post(
        reverse("notes:bookmark", args=[note.pk]), {"board": str(board.pk)}, follow=True
    )

    assert "Choose one of your own boards." in response.content.decode()
    assert board.bookmarks.count() == 0


def test_htmx_repost_shows_the_reposted_state(user_client):
    note = NoteFactory()

    response = user_client.post(reverse("notes:repost", args=[note.pk]), **HTMX)

    html = response.content.decode()
    assert "Reposted" in html
    assert '<span class="note-action__count">1</span>' in html


def test_the_note_page_shows_whether_the_reader_follows_its_author(user_client, user, other_user):
    # given
    followed, unknown = NoteFactory(author=other_user), NoteFactory()
    user_services.user_follow(actor=user, followee=other_user)
    # when
    shown = user_client.get(followed.get_absolute_url()).context["is_following"]
    not_shown = user_client.get(unknown.get_absolute_url()).context["is_following"]
    # then
    assert (shown, not_shown) == (True, False)


def test_following_from_the_note_returns_the_follow_button(user_client, other_user):
    note = NoteFactory(author=other_user)

    response = user_client.post(reverse("notes:follow_author", args=[note.pk]), **HTMX)

    note.refresh_from_db()
    assert "Following" in response.content.decode()
    assert note.follows_gained == 1


# --- Comments.


def test_posting_a_comment_without_javascript_lands_on_it_at_the_top(user_client, user):
    note = note_with_threads(author=user, threads=2, photos=0, replies=0)

    response = user_client.post(reverse("notes:comment_create", args=[note.pk]), {"body": "Lovely"})

    comment = note.comments.get(body="Lovely")
    assert (
        response["Location"]
        == f"{note.get_absolute_url()}?comment={comment.pk}#comment-{comment.pk}"
    )
    html = user_client.get(response["Location"]).content.decode()
    assert comment_bodies(html) == ["Lovely", "Comment 1", "Comment 0"]
    assert f'id="comment-{comment.pk}"' in html


def test_a_reply_without_javascript_lands_on_its_thread_shown_first_page_after_page(
    user_client, user, settings
):
    # Given an old thread, beyond the first page, whose first replies fill what a thread shows
    settings.FEED_PAGE_SIZE = 2
    note = note_with_threads(author=user, threads=4, photos=0, replies=4)
    oldest = note.comments.get(body="Comment 0")

    # When the reader replies to it without JavaScript
    response = user_client.post(
        reverse("notes:comment_create", args=[note.pk]), {"body": "Me too", "parent": oldest.pk}
    )

    # Then the page it lands on shows that thread first, the new reply after its first ones
    reply = oldest.replies.get(body="Me too")
    assert (
        response["Location"] == f"{note.get_absolute_url()}?comment={reply.pk}#comment-{reply.pk}"
    )
    page = user_client.get(response["Location"])
    html = page.content.decode()
    assert comment_bodies(html)[:5] == [
        "Comment 0",
        "Reply 0.0",
        "Reply 0.1",
        "Reply 0.2",
        "Me too",
    ]
    assert f'id="comment-{reply.pk}"' in html
    # And the next pages do not repeat the thread
    more = user_client.get(f"{note.get_absolute_url()}?{page.context['threads_next_query']}")
    threads = [thread.body for thread in more.context["threads"].items]
    assert threads == ["Comment 1"]


def test_an_empty_comment_shows_a_message_on_the_note_page(user_client):
    note = NoteFactory()

    response = user_client.post(reverse("notes:comment_create", args=[note.pk]), {"body": "  "})

    assert response.status_code == 200
    assert "Write something first." in response.content.decode()
    assert note.comments.count() == 0


def test_a_too_long_comment_keeps_its_text(user_client):
    note = NoteFactory()
    text = "long " * 101

    response = user_client.post(reverse("notes:comment_create", args=[note.pk]), {"body": text})

    assert text.strip() in response.content.decode()
    assert note.comments.count() == 0


def test_htmx_comment_answers_the_new_comment_aimed_at_the_top_with_counts_and_an_empty_form(
    user_client,
):
    note = NoteFactory()

    response = user_client.post(
        reverse("notes:comment_create", args=[note.pk]), {"body": "So <b>pretty</b>"}, **HTMX
    )

    html = response.content.decode()
    comment = note.comments.get()
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#comment-threads", "afterbegin")
    assert html.lstrip().startswith(
        f'<li class="comment" id="comment-{comment.pk}" data-new-comment>'
    )
    assert "So &lt;b&gt;pretty&lt;/b&gt;" in html
    assert (
        '<h2 class="note-comments__title" id="comments-heading" hx-swap-oob="true">1 comment</h2>'
        in html
    )
    assert 'id="note-comment-count" href="#comments" title="Comments" hx-swap-oob="true"' in html
    assert '<p class="note-comments__empty" id="comments-empty" hidden hx-swap-oob="true">' in html
    assert "></textarea>" in html


def test_htmx_reply_is_aimed_at_the_end_of_its_thread(user_client, other_user):
    note = NoteFactory()
    top = services.comment_create(author=other_user, note_id=note.pk, body="Where?")

    response = user_client.post(
        reverse("notes:comment_create", args=[note.pk]),
        {"body": "Here", "parent": str(top.pk)},
        **HTMX,
    )

    reply = top.replies.get()
    assert reply.body == "Here"
    assert (response["HX-Retarget"], response["HX-Reswap"]) == (f"#replies-{top.pk}", "beforeend")
    assert (
        response.content.decode()
        .lstrip()
        .startswith(f'<li class="comment comment--reply" id="comment-{reply.pk}" data-new-comment>')
    )


def test_the_note_author_deletes_a_comment_with_its_replies(user_client, user, other_user):
    note = NoteFactory(author=user)
    top = services.comment_create(author=other_user, note_id=note.pk, body="Spam")
    services.comment_create(author=other_user, note_id=note.pk, body="More", parent_id=top.pk)

    response = user_client.post(reverse("notes:comment_delete", args=[top.pk]), **HTMX)

    note.refresh_from_db()
    html = response.content.decode()
    assert note.comments_count == 0
    assert "comment__body" not in html
    assert '<p class="note-comments__empty" id="comments-empty" hx-swap-oob="true">' in html


def test_a_stranger_cannot_delete_a_comment(user_client, other_user):
    note = NoteFactory(author=other_user)
    comment = services.comment_create(author=other_user, note_id=note.pk, body="Mine")

    response = user_client.post(reverse("notes:comment_delete", args=[comment.pk]))

    assert response.status_code == 403
    assert note.comments.count() == 1


def test_htmx_comment_like_returns_the_button_with_the_new_count(user_client, other_user):
    note = NoteFactory()
    comment = services.comment_create(author=other_user, note_id=note.pk, body="Hi")

    response = user_client.post(reverse("notes:comment_like", args=[comment.pk]), **HTMX)

    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert "<span>1</span>" in html


def test_threads_come_newest_first_with_their_replies_oldest_first(client, user):
    note = note_with_threads(author=user, threads=3, photos=0, replies=2)

    html = client.get(note.get_absolute_url()).content.decode()

    assert comment_bodies(html) == [
        "Comment 2",
        "Reply 2.0",
        "Reply 2.1",
        "Comment 1",
        "Reply 1.0",
        "Reply 1.1",
        "Comment 0",
        "Reply 0.0",
        "Reply 0.1",
    ]


def test_more_threads_than_a_page_show_one_page_and_a_link_to_the_next(client, user, settings):
    settings.FEED_PAGE_SIZE = 2
    note = note_with_threads(author=user, threads=5, photos=0, replies=0)

    page = client.get(note.get_absolute_url())

    html = page.content.decode()
    next_url = f"{note.get_absolute_url()}?{page.context['threads_next_query']}"
    assert comment_bodies(html) == ["Comment 4", "Comment 3"]
    assert html.count("More comments") == 1
    assert f'href="{next_url}#comments" hx-get="{next_url}"'.replace("&", "&amp;") in html


def test_more_comments_with_htmx_appends_the_next_threads_and_a_new_link(client, user, settings):
    settings.FEED_PAGE_SIZE = 2
    note = note_with_threads(author=user, threads=5, photos=0, replies=0)
    first = client.get(note.get_absolute_url())

    second = client.get(f"{note.get_absolute_url()}?{first.context['threads_next_query']}", **HTMX)
    third = client.get(f"{note.get_absolute_url()}?{second.context['threads_next_query']}", **HTMX)

    assert second.templates[0].name == "notes/comment_threads_response.html"
    assert comment_bodies(second.content.decode()) == ["Comment 2", "Comment 1"]
    assert '<p class="note-comments__more" id="comments-more" hx-swap-oob="true"><a' in (
        second.content.decode()
    )
    assert comment_bodies(third.content.decode()) == ["Comment 0"]
    assert (
        '<p class="note-comments__more" id="comments-more" hx-swap-oob="true"></p>'
        in third.content.decode()
    )


def test_more_comments_without_javascript_is_the_note_page_with_the_next_threads(
    client, user, settings
):
    settings.FEED_PAGE_SIZE = 2
    note = note_with_threads(author=user, threads=3, photos=0, replies=0)
    first = client.get(note.get_absolute_url())

    response = client.get(f"{note.get_absolute_url()}?{first.context['threads_next_query']}")

    html = response.content.decode()
    assert response.templates[0].name == "notes/note_detail.html"
    assert comment_bodies(html) == ["Comment 0"]
    assert "Back to the newest comments" in html
    assert "More comments" not in html


@pytest.mark.parametrize("threads", [2, 20])
def test_more_comments_costs_the_same_queries_whatever_its_size(
    client, user, settings, django_assert_num_queries, threads
):
    settings.FEED_PAGE_SIZE = threads
    note = note_with_threads(author=user, threads=threads + 1, photos=0, replies=4)
    cursor = client.get(note.get_absolute_url()).context["threads_next_query"]

    # the note, threads, their first replies (anonymous: no likes)
    with django_assert_num_queries(3):
        client.get(f"{note.get_absolute_url()}?{cursor}", **HTMX)


def test_a_thread_shows_its_first_three_replies_and_a_link_to_the_rest(client, user):
    note = note_with_threads(author=user, threads=1, photos=0, replies=5)
    thread = note.comments.get(parent=None)

    html = client.get(note.get_absolute_url()).content.decode()

    assert comment_bodies(html) == ["Comment 0", "Reply 0.0", "Reply 0.1", "Reply 0.2"]
    assert f'hx-target="#replies-{thread.pk}" hx-swap="beforeend"' in html
    assert "Show 2 more replies" in html


def test_threads_without_replies_are_read_in_one_query(django_assert_num_queries):
    # given: a note whose threads have no replies, and one whose thread has one
    quiet = NoteFactory()
    CommentFactory.create_batch(3, note=quiet)
    talked = NoteFactory()
    thread = CommentFactory(note=talked)
    CommentFactory(note=talked, parent=thread)
    # when / then: the threads, then the first replies only where a thread has some
    with django_assert_num_queries(1):
        quiet_page = selectors.comment_threads(note=quiet, cursor=None, size=10)
    with django_assert_num_queries(2):
        talked_page = selectors.comment_threads(note=talked, cursor=None, size=10)
    assert [len(t.shown_replies) for t in quiet_page.items] == [0, 0, 0]
    assert [len(t.shown_replies) for t in talked_page.items] == [1]


def test_more_replies_with_htmx_appends_the_rest_of_the_thread(client, user):
    note = note_with_threads(author=user, threads=1, photos=0, replies=5)
    thread = note.comments.get(parent=None)
    link = re.search(
        r'hx-get="(/comments/\d+/replies/\?cursor=[^"]+)"',
        client.get(note.get_absolute_url()).content.decode(),
    )

    response = client.get(link.group(1).replace("&amp;", "&"), **HTMX)

    html = response.content.decode()
    assert comment_bodies(html) == ["Reply 0.3", "Reply 0.4"]
    assert f'<p class="comment__more" id="more-replies-{thread.pk}" hx-swap-oob="true"></p>' in html


def test_more_replies_without_javascript_is_a_page_of_the_thread(client, user, settings):
    settings.FEED_PAGE_SIZE = 1
    note = note_with_threads(author=user, threads=1, photos=0, replies=5)
    thread = note.comments.get(parent=None)
    link = re.search(
        r'href="(/comments/\d+/replies/\?cursor=[^"]+)"',
        client.get(note.get_absolute_url()).content.decode(),
    )

    response = client.get(link.group(1))

    html = response.content.decode()
    assert response.templates[0].name == "notes/comment_thread.html"
    assert comment_bodies(html) == ["Comment 0", "Reply 0.3"]
    assert f'<a href="/comments/{thread.pk}/replies/">From the first reply</a>' in html
    assert f'href="/comments/{thread.pk}/replies/?cursor=' in html
    assert "Show more replies" in html


def test_comments_by_a_deactivated_account_are_hidden_from_the_note_page(client, user):
    note = NoteFactory(author=user)
    banned = UserFactory()
    hidden = services.comment_create(author=banned, note_id=note.pk, body="Spam thread")
    services.comment_create(author=user, note_id=note.pk, body="Under spam", parent_id=hidden.pk)
    kept = services.comment_create(author=user, note_id=note.pk, body="Welcome")
    services.comment_create(author=banned, note_id=note.pk, body="Spam reply", parent_id=kept.pk)
    services.comment_create(author=user, note_id=note.pk, body="Thanks", parent_id=kept.pk)
    deactivate(banned)

    html = client.get(note.get_absolute_url()).content.decode()

    assert comment_bodies(html) == ["Welcome", "Thanks"]
    assert client.get(reverse("notes:comment_replies", args=[hidden.pk])).status_code == 404


def test_the_replies_page_hides_replies_by_a_deactivated_account(client, user):
    note = NoteFactory(author=user)
    banned = UserFactory()
    thread = services.comment_create(author=user, note_id=note.pk, body="Hello")
    services.comment_create(author=banned, note_id=note.pk, body="Spam", parent_id=thread.pk)
    services.comment_create(author=user, note_id=note.pk, body="Hi", parent_id=thread.pk)
    deactivate(banned)

    response = client.get(reverse("notes:comment_replies", args=[thread.pk]), **HTMX)

    assert comment_bodies(response.content.decode()) == ["Hi"]


# --- Tags.


def test_the_tag_page_lists_published_notes_with_that_tag(client, user):
    tagged = services.note_create(
        author=user,
        content=services.NoteContent(title="Tea", body="#tea", images=[image_upload()]),
        publish=True,
    )
    services.note_media_process(note_id=tagged.pk)
    services.note_create(
        author=user, content=services.NoteContent(title="Draft", body="#tea"), publish=False
    )

    response = client.get(reverse("notes:tag", args=["tea"]))

    html = response.content.decode()
    assert tagged.get_absolute_url() in html
    assert "Draft" not in html
    assert "1 note" in html


def test_the_tag_page_pages_with_a_cursor(client, user):
    notes = NoteFactory.create_batch(21, author=user, images=0)
    for note in notes:
        note.tags.add("tea")

    first = client.get(reverse("notes:tag", args=["tea"]))
    more = client.get(f"/tags/tea/?{first.context['next_query']}", **HTMX)

    assert len(first.context["page"].items) == 20
    assert more.templates[0].name == "partials/waterfall_page.html"
    assert [note.pk for note in more.context["page"].items] == [notes[0].pk]


def test_an_unknown_tag_is_not_found(client):
    assert client.get(reverse("notes:tag", args=["nothing"])).status_code == 404


def test_htmx_empty_comment_returns_the_form_with_its_error(user_client):
    note = NoteFactory()

    response = user_client.post(
        reverse("notes:comment_create", args=[note.pk]), {"body": ""}, **HTMX
    )

    html = response.content.decode()
    assert 'id="comment-form" method="post"' in html
    assert "Write something first." in html
    assert note.comments.count() == 0


def test_anonymous_like_is_sent_to_log_in_and_back_to_the_note_not_the_action(client):
    note = NoteFactory()

    response = client.post(reverse("notes:like", args=[note.pk]), {"next": note.get_absolute_url()})

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next=/notes/{note.pk}/"


@pytest.mark.parametrize("size", [3, 30])
def test_tag_page_costs_the_same_queries_at_any_page_size(
    client, django_assert_num_queries, settings, size
):
    settings.DISCOVER_SEEN_STORE = "database"
    for _ in range(size + 1):
        NoteFactory().tags.add("citywalk")

    # tag, notes, covers, the seen set and the daily impression counts written, count
    with django_assert_num_queries(6):
        response = client.get(reverse("notes:tag", args=["citywalk"]), {"size": size})

    assert len(response.context["page"].items) == size
    assert "size=" in response.context["next_query"]


def test_the_tag_page_reads_its_count_from_the_last_refresh_without_counting(
    client, django_assert_num_queries, settings
):
    settings.DISCOVER_SEEN_STORE = "database"
    for _ in range(3):
        NoteFactory().tags.add("citywalk")
    NoteFactory(status=Note.Status.DRAFT, published_at=None).tags.add("citywalk")
    NoteFactory(author=UserFactory(is_active=False)).tags.add("citywalk")
    services.tag_counts_refresh()

    # tag, notes, covers, the seen set and the daily impression counts written: no count
    with django_assert_num_queries(5):
        response = client.get(reverse("notes:tag", args=["citywalk"]))

    assert response.context["notes_count"] == 3


def test_refreshing_tag_counts_counts_each_tags_visible_notes_in_one_query(
    django_assert_num_queries,
):
    NoteFactory().tags.add("tea", "citywalk")
    NoteFactory().tags.add("tea")
    NoteFactory(status=Note.Status.DRAFT, published_at=None).tags.add("coffee")

    with django_assert_num_queries(1):
        assert services.tag_counts_refresh() == 2

    assert selectors.tag_counts() == {
        Tag.objects.get(name="tea").pk: 2,
        Tag.objects.get(name="citywalk").pk: 1,
    }


def test_htmx_like_costs_the_same_whatever_the_note_carries(user_client, django_assert_num_queries):
    note = NoteFactory(images=5)
    note.tags.add("brunch", "citywalk")

    # session, reader, the like (17 statements with growth and the author's message, see
    # tests/notes/test_services.py), note again, liked state
    with django_assert_num_queries(21):
        response = user_client.post(
            reverse("notes:like", args=[note.pk]), headers={"HX-Request": "true"}
        )

    assert response.status_code == 200


# --- @mentions link to profiles.


def test_mentions_in_the_note_and_its_comments_link_to_profiles_in_one_query(
    client, user, django_assert_num_queries
):
    UserFactory(username="lihua")
    UserFactory(username="wang")
    plain = NoteFactory(author=user, body="No names here")
    thread = CommentFactory(note=plain, body="Nice")
    CommentFactory(note=plain, parent=thread, body="Thanks")
    with django_assert_num_queries(5) as without:  # anonymous: the note, media, comments…
        client.get(plain.get_absolute_url())
    note = NoteFactory(author=user, body="With @lihua and @ghost")
    CommentFactory(note=note, body="@wang look")
    reply = CommentFactory(note=note, body="@lihua too")
    reply.parent = note.comments.get(body="@wang look")
    reply.save(update_fields=["parent"])

    with django_assert_num_queries(len(without) + 1):
        response = client.get(note.get_absolute_url())

    html = response.content.decode()
    assert html.count('<a class="note-mention" href="/u/lihua/">@lihua</a>') == 2
    assert html.count('<a class="note-mention" href="/u/wang/">@wang</a>') == 1
    assert "@ghost" in html
    assert 'href="/u/ghost/"' not in html


def test_a_mention_of_a_deactivated_account_stays_plain_text(client):
    UserFactory(username="gone", is_active=False)
    note = NoteFactory(body="Ask @gone")

    html = client.get(note.get_absolute_url()).content.decode()

    assert "Ask @gone" in html
    assert 'href="/u/gone/"' not in html


def test_a_page_of_replies_links_their_mentions(client):
    UserFactory(username="lihua")
    thread = CommentFactory(body="Top")
    CommentFactory(note=thread.note, parent=thread, body="cc @lihua")

    response = client.get(reverse("notes:comment_replies", args=[thread.pk]))

    assert '<a class="note-mention" href="/u/lihua/">@lihua</a>' in response.content.decode()


def test_a_comment_just_posted_links_its_mentions(user_client, user):
    UserFactory(username="lihua")
    note = NoteFactory()

    response = user_client.post(
        reverse("notes:comment_create", args=[note.pk]),
        {"body": "hi @lihua"},
        HTTP_HX_REQUEST="true",
    )

    assert '<a class="note-mention" href="/u/lihua/">@lihua</a>' in response.content.decode()

"""Comments on the note page ({% comment_item %}): each is rendered once per state and then
served from memory, with the reader's own like, delete button and CSRF token, and a new
rendering for any change."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from notes.services import comment_like
from tests.factories import CommentFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

ITEM_TEMPLATE = "partials/comment_item.html"


def renders(response, template_name: str) -> int:
    return sum(1 for template in response.templates if template.name == template_name)


def rendered_items(response) -> int:
    return renders(response, ITEM_TEMPLATE)


def test_a_comment_is_rendered_once_then_served_from_memory(client):
    # given
    note = NoteFactory()
    thread = CommentFactory(note=note)
    CommentFactory(note=note, parent=thread)
    first = client.get(note.get_absolute_url())
    # when
    second = client.get(note.get_absolute_url())
    # then
    assert rendered_items(first) == 2
    assert rendered_items(second) == 0
    assert second.content.count(b'<li class="comment') == 2


def test_a_kept_thread_still_shows_a_reply_posted_since(client):
    # given
    note = NoteFactory()
    thread = CommentFactory(note=note)
    client.get(note.get_absolute_url())
    # when
    reply = CommentFactory(note=note, parent=thread, body="来晚了")
    response = client.get(note.get_absolute_url())
    # then: the reply sits inside its thread's list of replies
    html = response.content.decode()
    assert re.search(rf'id="replies-{thread.pk}">\s*<li class="comment comment--reply"', html)
    assert f'id="comment-{reply.pk}"' in html


def test_a_kept_comment_shows_each_reader_their_own_like_and_delete(client):
    # given
    note = NoteFactory()
    commenter, fan = UserFactory(), UserFactory()
    comment = CommentFactory(note=note, author=commenter)
    comment_like(actor=fan, comment_id=comment.pk)
    client.force_login(fan)
    as_fan = client.get(note.get_absolute_url()).content.decode()
    # when
    client.force_login(commenter)
    as_commenter = client.get(note.get_absolute_url()).content.decode()
    # then
    unlike = reverse("notes:comment_unlike", args=[comment.pk])
    delete = reverse("notes:comment_delete", args=[comment.pk])
    assert f'action="{unlike}"' in as_fan
    assert f'action="{delete}"' not in as_fan
    assert f'action="{unlike}"' not in as_commenter
    assert f'action="{delete}"' in as_commenter


def test_a_kept_comments_form_carries_this_readers_token(client):
    # given: the comment was rendered for another reader
    note = NoteFactory()
    comment = CommentFactory(note=note)
    client.force_login(UserFactory())
    client.get(note.get_absolute_url())
    reader = UserFactory()
    client.force_login(reader)
    client.handler.enforce_csrf_checks = True
    # when
    html = client.get(note.get_absolute_url()).content.decode()
    action = reverse("notes:comment_like", args=[comment.pk])
    token = re.search(
        rf'action="{re.escape(action)}".*?name="csrfmiddlewaretoken" value="([^"]*)"',
        html,
        re.DOTALL,
    )[1]
    liked = client.post(action, {"csrfmiddlewaretoken": token})
    # then
    assert liked.status_code in (200, 302)
    assert comment.likes.filter(user=reader).exists()


def test_a_new_like_count_shows_at_once(client):
    # given
    note = NoteFactory()
    comment = CommentFactory(note=note)
    client.get(note.get_absolute_url())
    # when
    comment_like(actor=UserFactory(), comment_id=comment.pk)
    response = client.get(note.get_absolute_url())
    # then
    assert rendered_items(response) == 1
    assert re.search(r"<span>1</span></(a|button)>", response.content.decode())


REPLIES_TEMPLATE = "partials/comment_thread_replies.html"


def rendered_replies(response) -> int:
    return renders(response, REPLIES_TEMPLATE)


def test_threads_are_kept_with_their_replies_or_their_empty_list_of_replies(client):
    # given: two threads, one with a reply
    note = NoteFactory()
    bare = CommentFactory(note=note)
    answered = CommentFactory(note=note)
    CommentFactory(note=note, parent=answered)
    first = client.get(note.get_absolute_url())
    # when
    second = client.get(note.get_absolute_url())
    # then: neither renders its replies again
    assert rendered_replies(first) == 2
    assert rendered_replies(second) == 0
    html = second.content.decode()
    assert re.search(rf'id="replies-{bare.pk}">\s*</ol>', html)  # where a new reply goes
    assert f'id="more-replies-{bare.pk}"' in html
    assert second.content.count(b'<li class="comment') == 3


def test_staff_are_offered_the_delete_button_on_anyones_comment(client):
    # given: a moderator reading someone else's note
    note = NoteFactory()
    comment = CommentFactory(note=note)
    client.force_login(UserFactory(is_staff=True))
    # when
    html = client.get(note.get_absolute_url()).content.decode()
    # then: the button comment_delete would honour
    assert f'action="{reverse("notes:comment_delete", args=[comment.pk])}"' in html


def test_a_reply_in_a_kept_thread_carries_this_readers_token(client):
    # given: the thread and its reply were rendered for another reader, in another browser
    note = NoteFactory()
    thread = CommentFactory(note=note)
    reply = CommentFactory(note=note, parent=thread)
    other_browser = Client()
    other_browser.force_login(UserFactory())
    other_browser.get(note.get_absolute_url())
    reader = UserFactory()
    client.force_login(reader)
    client.handler.enforce_csrf_checks = True
    # when
    response = client.get(note.get_absolute_url())
    action = reverse("notes:comment_like", args=[reply.pk])
    token = re.search(
        rf'action="{re.escape(action)}".*?name="csrfmiddlewaretoken" value="([^"]*)"',
        response.content.decode(),
        re.DOTALL,
    )[1]
    liked = client.post(action, {"csrfmiddlewaretoken": token})
    # then
    assert rendered_replies(response) == 0
    assert liked.status_code in (200, 302)
    assert reply.likes.filter(user=reader).exists()


def test_a_kept_thread_shows_a_new_like_of_its_reply_at_once(client):
    # given
    note = NoteFactory()
    thread = CommentFactory(note=note)
    reply = CommentFactory(note=note, parent=thread)
    client.get(note.get_absolute_url())
    # when
    comment_like(actor=UserFactory(), comment_id=reply.pk)
    response = client.get(note.get_absolute_url())
    # then: the thread and the reply are rendered again, the thread's own item is not
    assert rendered_replies(response) == 1
    assert rendered_items(response) == 1
    assert re.search(r"<span>1</span></(a|button)>", response.content.decode())

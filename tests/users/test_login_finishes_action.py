"""What a reader does while logged out (like, save, follow, comment) is done once they log in."""

import time

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from core.http import PENDING_ACTION_KEY, PENDING_ACTION_MAX_AGE
from notes.models import Bookmark, Comment, Like, Note
from tests.factories import PASSWORD, NoteFactory, UserFactory
from users.models import Follow

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def log_in(client, user, *, next_url):
    return client.post(
        reverse("users:login"),
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )


def login_url(next_url):
    return f"{reverse('users:login')}?next={next_url}"


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_like_sent_logged_out_is_done_after_logging_in(client, user):
    note = NoteFactory()
    back = note.get_absolute_url()

    sent = client.post(reverse("notes:like", args=[note.pk]), {"next": back})
    assert sent["Location"] == login_url(back)
    response = log_in(client, user, next_url=back)

    note.refresh_from_db()
    assert response["Location"] == back
    assert Like.objects.filter(note=note, user=user).exists()
    assert note.likes_count == 1


def test_an_htmx_like_sent_logged_out_is_done_after_logging_in(client, user):
    note = NoteFactory()
    back = note.get_absolute_url()

    sent = client.post(
        reverse("notes:like", args=[note.pk]),
        {"next": back},
        HTTP_HX_CURRENT_URL=f"http://testserver{back}",
        **HTMX,
    )
    response = log_in(client, user, next_url=back)

    assert sent["HX-Redirect"] == login_url(back)
    assert response["Location"] == back
    assert Like.objects.filter(note=note, user=user).count() == 1


def test_the_login_page_says_the_action_will_be_finished(client):
    note = NoteFactory()

    response = client.post(
        reverse("notes:like", args=[note.pk]), {"next": note.get_absolute_url()}, follow=True
    )

    assert "Log in, and we will finish that for you." in response.content.decode()


def test_a_comment_typed_logged_out_is_posted_after_logging_in(client, user):
    note = NoteFactory()
    back = note.get_absolute_url()

    client.post(reverse("notes:comment_create", args=[note.pk]), {"body": "去过，超好喝！"})
    response = log_in(client, user, next_url="/")

    comment = Comment.objects.get(note=note)
    assert (comment.author, comment.body) == (user, "去过，超好喝！")
    assert response["Location"].startswith(back)
    assert response["Location"].endswith(f"#comment-{comment.pk}")


def test_an_htmx_comment_typed_logged_out_is_posted_after_logging_in(client, user):
    note = NoteFactory()
    back = note.get_absolute_url()

    client.post(
        reverse("notes:comment_create", args=[note.pk]),
        {"body": "Saving this for Sunday"},
        HTTP_HX_CURRENT_URL=f"http://testserver{back}",
        **HTMX,
    )
    response = log_in(client, user, next_url=back)

    comment = Comment.objects.get(note=note)
    assert comment.body == "Saving this for Sunday"
    assert response["Location"].startswith(back)
    assert response["Location"].endswith(f"#comment-{comment.pk}")


def test_a_comment_refused_after_logging_in_comes_back_with_what_was_typed(client, user):
    note = NoteFactory()
    too_long = "好" * 501

    client.post(reverse("notes:comment_create", args=[note.pk]), {"body": too_long})
    response = log_in(client, user, next_url="/")

    assert response.status_code == 200
    assert Comment.objects.count() == 0
    assert response.context["comment_form"]["body"].value() == too_long
    assert response.context["comment_form"].errors["body"] == [
        "Ensure this value has at most 500 characters (it has 501)."
    ]


def test_a_save_sent_logged_out_is_done_after_signing_up(client):
    note = NoteFactory()
    back = note.get_absolute_url()
    client.post(reverse("notes:bookmark", args=[note.pk]), {"next": back})

    response = client.post(
        f"{reverse('users:signup')}?next={back}",
        {
            "username": "meimei",
            "display_name": "美美",
            "email": "meimei@example.com",
            "password1": "plum-blossom-river-42",
            "password2": "plum-blossom-river-42",
            "next": back,
        },
    )

    bookmark = Bookmark.objects.get(note=note)
    assert bookmark.user.username == "meimei"
    assert bookmark.board is None
    assert response["Location"] == f"{back}?saved=1"


def test_following_an_author_from_their_note_logged_out_is_done_after_logging_in(
    client, user, other_user
):
    note = NoteFactory(author=other_user)
    back = note.get_absolute_url()

    client.post(reverse("notes:follow_author", args=[note.pk]), {"next": back})
    response = log_in(client, user, next_url=back)

    note.refresh_from_db()
    assert response["Location"] == back
    assert Follow.objects.filter(follower=user, followee=other_user).exists()
    assert note.follows_gained == 1


def test_following_from_a_profile_logged_out_is_done_after_logging_in(client, user, other_user):
    back = other_user.get_absolute_url()

    client.post(reverse("users:follow", args=[other_user.username]), {"next": back})
    response = log_in(client, user, next_url=back)

    assert response["Location"] == back
    assert Follow.objects.filter(follower=user, followee=other_user).exists()


def test_an_action_is_done_only_once(client, user):
    note = NoteFactory()
    client.post(reverse("notes:comment_create", args=[note.pk]), {"body": "Once"})
    log_in(client, user, next_url="/")
    client.post(reverse("users:logout"))

    log_in(client, user, next_url="/")

    assert Comment.objects.filter(note=note).count() == 1


def test_logging_in_from_elsewhere_drops_the_action(client, user):
    note = NoteFactory()
    back = note.get_absolute_url()
    client.post(reverse("notes:like", args=[note.pk]), {"next": back})

    response = log_in(client, user, next_url="/")

    assert response["Location"] == "/"
    assert Like.objects.count() == 0
    assert PENDING_ACTION_KEY not in client.session


def test_an_action_older_than_half_an_hour_is_not_done(client, user):
    note = NoteFactory()
    back = note.get_absolute_url()
    client.post(reverse("notes:like", args=[note.pk]), {"next": back})
    session = client.session
    session[PENDING_ACTION_KEY]["at"] -= PENDING_ACTION_MAX_AGE + 1
    session.save()

    response = log_in(client, user, next_url=back)

    assert response["Location"] == back
    assert Like.objects.count() == 0


def test_an_action_on_a_note_gone_meanwhile_is_dropped_with_a_message(client, user):
    note = NoteFactory()
    back = note.get_absolute_url()
    client.post(reverse("notes:like", args=[note.pk]), {"next": back})
    Note.objects.filter(pk=note.pk).delete()

    response = log_in(client, user, next_url=back)

    assert response["Location"] == back
    assert "What you started before logging in is no longer possible." in message_texts(response)


def test_a_logged_out_get_of_an_action_url_remembers_nothing(client):
    note = NoteFactory()

    client.get(reverse("notes:like", args=[note.pk]))

    assert PENDING_ACTION_KEY not in client.session


def test_a_post_without_a_csrf_token_remembers_nothing():
    csrf_client = Client(enforce_csrf_checks=True)
    note = NoteFactory()

    response = csrf_client.post(reverse("notes:like", args=[note.pk]))

    assert response.status_code == 403
    assert PENDING_ACTION_KEY not in csrf_client.session


def test_the_csrf_token_is_not_remembered(client):
    note = NoteFactory()

    client.post(
        reverse("notes:comment_create", args=[note.pk]),
        {"body": "Hi", "csrfmiddlewaretoken": "token"},
    )

    assert client.session[PENDING_ACTION_KEY]["fields"] == [["body", "Hi"]]


def test_only_views_marked_to_complete_after_login_are_replayed(client, user):
    note = NoteFactory(author=user)
    session = client.session
    session[PENDING_ACTION_KEY] = {
        "path": reverse("notes:delete", args=[note.pk]),
        "fields": [],
        "back": "/",
        "at": int(time.time()),
    }
    session.save()

    response = log_in(client, user, next_url="/")

    assert response["Location"] == "/"
    assert Note.objects.filter(pk=note.pk).exists()


def test_the_latest_action_wins(client, user):
    first, second = NoteFactory(), NoteFactory()
    client.post(reverse("notes:like", args=[first.pk]), {"next": "/"})
    client.post(reverse("notes:like", args=[second.pk]), {"next": "/"})

    log_in(client, user, next_url="/")

    assert list(Like.objects.values_list("note_id", flat=True)) == [second.pk]


def test_a_logged_out_reader_gets_forms_that_carry_their_action(client):
    author = UserFactory()
    note = NoteFactory(author=author)

    html = client.get(note.get_absolute_url()).content.decode()

    assert f'action="{reverse("notes:like", args=[note.pk])}"' in html
    assert f'action="{reverse("notes:bookmark", args=[note.pk])}"' in html
    assert f'action="{reverse("notes:follow_author", args=[note.pk])}"' in html
    assert f'action="{reverse("notes:comment_create", args=[note.pk])}"' in html

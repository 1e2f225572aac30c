"""E-mail digests of unread messages: off by default, never in quiet hours, once a day."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notes import services as note_services
from tests.factories import NoteFactory
from users.days import COMMUNITY_TIME_ZONE
from users.models import User
from users.services import (
    notification_digests_send,
    notifications_mark_read,
    user_digest_settings_update,
    user_follow,
)
from users.services.digests import quiet_at
from users.tasks import notification_digests_send_task

pytestmark = pytest.mark.django_db


def shanghai(*, days: int, hour: int) -> datetime:
    """`hour` o'clock in Shanghai, `days` after today there (after anything a test made)."""
    today = timezone.localtime(timezone.now(), COMMUNITY_TIME_ZONE)
    return (today + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def wants_digests(user: User, *, tabs=("likes", "follows", "comments", "system")) -> User:
    return user_digest_settings_update(
        actor=user, by_email=True, tabs=tabs, quiet_start=22, quiet_end=8
    )


def send(at: datetime) -> int:
    """Run the periodic digests at `at`, their e-mails leaving as each send commits."""
    return notification_digests_send(at=at)


@pytest.fixture
def liked(user, other_user):
    """`user` has one unread message: other_user liked their note."""
    note_services.note_like(actor=other_user, note_id=NoteFactory(author=user).pk)
    return user


@pytest.mark.parametrize(
    ("start", "end", "hour", "quiet"),
    [
        (22, 8, 23, True),
        (22, 8, 3, True),
        (22, 8, 8, False),
        (22, 8, 12, False),
        (13, 15, 14, True),
        (13, 15, 15, False),
        (9, 9, 9, False),
    ],
)
def test_quiet_hours_may_run_past_midnight(start, end, hour, quiet):
    assert quiet_at(start=start, end=end, hour=hour) is quiet


def test_digests_are_off_unless_asked_for(liked, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(shanghai(days=1, hour=12))

    assert (sent, len(mail.outbox)) == (0, 0)


def test_a_digest_tells_what_is_waiting_and_links_to_it(
    liked, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hongshu.example"
    wants_digests(liked)

    with django_capture_on_commit_callbacks(execute=True):
        sent = send(shanghai(days=1, hour=12))

    [message] = mail.outbox
    assert sent == 1
    assert message.to == ["xiaohong@example.com"]
    assert message.subject == "1 new message on Hongshu"
    assert "- Likes & saves: 1" in message.body
    assert "https://hongshu.example/me/messages/" in message.body


def test_no_digest_in_quiet_hours(liked, django_capture_on_commit_callbacks):
    wants_digests(liked)

    with django_capture_on_commit_callbacks(execute=True):
        sent = send(shanghai(days=1, hour=0))

    assert (sent, len(mail.outbox)) == (0, 0)


def test_at_most_one_digest_a_day(liked, django_capture_on_commit_callbacks):
    wants_digests(liked)

    with django_capture_on_commit_callbacks(execute=True):
        first = send(shanghai(days=1, hour=12))
        again = send(shanghai(days=1, hour=15))

    assert (first, again, len(mail.outbox)) == (1, 0, 1)


def test_the_next_digest_is_only_of_what_came_since(
    liked, other_user, monkeypatch, django_capture_on_commit_callbacks
):
    wants_digests(liked)
    with django_capture_on_commit_callbacks(execute=True):
        send(shanghai(days=1, hour=12))
        nothing_new = send(shanghai(days=2, hour=12))
    next_afternoon = shanghai(days=2, hour=13)
    monkeypatch.setattr(timezone, "now", lambda: next_afternoon)
    user_follow(actor=other_user, followee=liked)

    with django_capture_on_commit_callbacks(execute=True):
        followed = send(shanghai(days=3, hour=12))

    assert (nothing_new, followed) == (0, 1)
    assert "- New followers: 1" in mail.outbox[-1].body
    assert "Likes" not in mail.outbox[-1].body


def test_only_the_kinds_chosen_are_in_a_digest(liked, django_capture_on_commit_callbacks):
    wants_digests(liked, tabs=["comments"])

    with django_capture_on_commit_callbacks(execute=True):
        sent = send(shanghai(days=1, hour=12))

    assert sent == 0


def test_read_messages_are_not_in_a_digest(liked, django_capture_on_commit_callbacks):
    wants_digests(liked)
    notifications_mark_read(actor=liked)

    with django_capture_on_commit_callbacks(execute=True):
        sent = send(shanghai(days=1, hour=12))

    assert sent == 0


def test_digests_need_an_e_mail_address(user):
    User.objects.filter(pk=user.pk).update(email="")
    user.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        wants_digests(user)

    assert error.value.messages == ["Add an e-mail address first."]


def test_the_periodic_task_sends_what_is_due(liked, django_capture_on_commit_callbacks):
    wants_digests(liked)
    User.objects.filter(pk=liked.pk).update(quiet_hours_start=0, quiet_hours_end=0)

    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_digests_send_task.apply().get()

    assert (sent, len(mail.outbox)) == (1, 1)


def test_the_settings_page_saves_digests_and_quiet_hours(user_client, user):
    response = user_client.post(
        reverse("me:message_settings"),
        {"by_email": "on", "tabs": ["likes", "comments"], "quiet_start": "23", "quiet_end": "7"},
        follow=True,
    )

    user.refresh_from_db()
    assert "Your message settings are saved." in response.content.decode()
    assert (user.digest_by_email, user.digest_tabs) == (True, ["likes", "comments"])
    assert (user.quiet_hours_start, user.quiet_hours_end) == (23, 7)


def test_the_settings_page_shows_the_current_choices(user_client, user):
    wants_digests(user, tabs=["system"])

    html = user_client.get(reverse("me:message_settings")).content.decode()

    assert 'id="id_by_email" checked>' in html
    assert 'value="system" id="id_tabs_3" checked' in html
    assert '<option value="22" selected>22:00</option>' in html


def test_a_digest_of_nothing_is_refused(user):
    with pytest.raises(ValidationError) as error:
        wants_digests(user, tabs=[])

    assert error.value.messages == ["Choose at least one kind of message."]

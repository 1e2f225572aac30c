"""Banning an account for fake engagement (bought likes, sockpuppets) takes that engagement
back: every counter, CES and follower count it inflated is put right; its notes stay."""

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from community.services import account_ban_for_fake_engagement, account_close
from notes import services as note_services
from notes.models import Comment, Like, Note
from tests.factories import PASSWORD, NoteFactory, UserFactory
from users import services as user_services
from users.models import Notification, User

pytestmark = pytest.mark.usefixtures("tasks_eager")
ACCOUNTS = "/admin/users/user/"


@pytest.fixture
def staff(db):
    return UserFactory(username="moderator", is_staff=True)


@pytest.fixture
def ban(django_capture_on_commit_callbacks, staff):
    """Ban as staff, and run what follows the commit (the background job)."""

    def banned(account: User) -> User:
        with django_capture_on_commit_callbacks(execute=True):
            return account_ban_for_fake_engagement(actor=staff, account=account)

    return banned


def fresh(row):
    row.refresh_from_db()
    return row


def test_a_sockpuppets_likes_saves_reposts_and_comments_stop_counting(user, ban):
    author = UserFactory(username="author")
    note = NoteFactory(author=author)
    note_services.note_like(actor=user, note_id=note.pk)
    note_services.note_bookmark(actor=user, note_id=note.pk)
    note_services.note_repost(actor=user, note_id=note.pk)
    note_services.comment_create(author=user, note_id=note.pk, body="Amazing!!")
    assert fresh(note).ces == 1 + 1 + 4 + 4

    ban(user)

    note = fresh(note)
    counters = (note.likes_count, note.bookmarks_count, note.reposts_count, note.comments_count)
    assert counters == (0, 0, 0, 0)
    assert note.ces == 0
    assert (fresh(author).likes_received, fresh(author).bookmarks_received) == (0, 0)
    assert not Comment.objects.filter(author=user).exists()


def test_the_follower_counts_it_inflated_are_recounted(user, ban):
    creators = [UserFactory(), UserFactory()]
    for creator in creators:
        user_services.user_follow(actor=user, followee=creator)

    ban(user)

    assert [fresh(creator).followers_count for creator in creators] == [0, 0]


def test_a_banned_account_keeps_its_notes_hidden_and_cannot_log_in(client, user, ban):
    note = NoteFactory(author=user)

    ban(user)

    assert fresh(user).is_active is False
    assert Note.objects.filter(pk=note.pk).exists()
    assert client.get(note.get_absolute_url()).status_code == 404
    assert client.login(username=user.username, password=PASSWORD) is False


def test_the_messages_it_caused_are_taken_back(user, ban):
    author = UserFactory()
    note_services.note_like(actor=user, note_id=NoteFactory(author=author).pk)
    assert Notification.objects.filter(recipient=author, is_read=False).exists()

    ban(user)

    assert not Notification.objects.filter(recipient=author, is_read=False).exists()


def test_other_readers_engagement_stays(user, other_user, ban):
    note = NoteFactory()
    note_services.note_like(actor=user, note_id=note.pk)
    note_services.note_like(actor=other_user, note_id=note.pk)

    ban(user)

    assert fresh(note).likes_count == 1
    assert list(Like.objects.values_list("user", flat=True)) == [other_user.pk]


def test_only_staff_ban_and_never_a_staff_or_closed_account(user, other_user, staff):
    with pytest.raises(PermissionDenied):
        account_ban_for_fake_engagement(actor=other_user, account=user)
    with pytest.raises(ValidationError, match="Staff accounts are not banned here."):
        account_ban_for_fake_engagement(actor=staff, account=UserFactory(is_staff=True))
    account_close(account=other_user, actor=other_user, password=PASSWORD)
    with pytest.raises(ValidationError, match="This account is closed already."):
        account_ban_for_fake_engagement(actor=staff, account=fresh(other_user))


def test_taking_engagement_back_leaves_an_active_account_alone(user):
    note = NoteFactory()
    note_services.note_like(actor=user, note_id=note.pk)

    assert note_services.account_engagement_undo(account_id=user.pk) is False
    assert fresh(note).likes_count == 1


def test_the_admin_asks_first_then_bans(admin_client, user, django_capture_on_commit_callbacks):
    note = NoteFactory()
    note_services.note_like(actor=user, note_id=note.pk)
    chosen = {"action": "ban_for_fake_engagement", admin.helpers.ACTION_CHECKBOX_NAME: [user.pk]}

    asked = admin_client.post(ACCOUNTS, chosen)
    assert "Ban this account for fake engagement?" in asked.content.decode()
    assert fresh(user).is_active is True

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(ACCOUNTS, {**chosen, "apply": "1"}, follow=True)

    assert [str(m) for m in done.context["messages"]] == ["1 account banned."]
    assert fresh(user).is_active is False
    assert fresh(note).likes_count == 0

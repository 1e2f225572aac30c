"""The message centre: rows made with their cause, aggregated, taken back, read; its pages,
the unread count in the frame, and the API."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from notes import services as note_services
from notes.models import Note
from notes.services import NoteContent
from tests.factories import NoteFactory, UserFactory, image_upload
from users.models import Notification, User
from users.services import (
    growth_level_raise,
    notification_add,
    notifications_mark_read,
    user_follow,
    user_unfollow,
)

pytestmark = pytest.mark.django_db

Verb = Notification.Verb


def unread(user: User) -> int:
    return User.objects.get(pk=user.pk).unread_notifications


def likes_of(author: User) -> list[Notification]:
    return list(Notification.objects.filter(recipient=author, verb=Verb.NOTE_LIKED))


@pytest.fixture
def author(db):
    return UserFactory(username="meimei", display_name="Meimei")


@pytest.fixture
def note(author):
    return NoteFactory(author=author, title="Dim sum")


def fans(count: int) -> list[User]:
    return [UserFactory(display_name=f"Fan {number}") for number in range(count)]


# --- Made with their cause, aggregated, taken back.


def test_a_like_tells_the_author_once(note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)

    [row] = likes_of(author)
    assert (row.latest_actor, row.actors_count, row.target_text) == (user, 1, "Dim sum")
    assert row.target_url == note.get_absolute_url()
    assert unread(author) == 1


def test_likes_of_one_note_on_one_day_are_one_row_naming_the_newest(note, author):
    people = fans(13)

    for person in people:
        note_services.note_like(actor=person, note_id=note.pk)

    [row] = likes_of(author)
    assert (row.latest_actor, row.actors_count) == (people[-1], 13)
    assert unread(author) == 1


def test_likes_of_two_notes_are_two_rows(note, author, user):
    other = NoteFactory(author=author)

    note_services.note_like(actor=user, note_id=note.pk)
    note_services.note_like(actor=user, note_id=other.pk)

    assert len(likes_of(author)) == 2
    assert unread(author) == 2


def test_a_like_after_the_row_was_read_starts_a_new_row(note, author, user, other_user):
    note_services.note_like(actor=user, note_id=note.pk)
    notifications_mark_read(actor=author)

    note_services.note_like(actor=other_user, note_id=note.pk)

    assert sorted((row.is_read, row.actors_count) for row in likes_of(author)) == [
        (False, 1),
        (True, 1),
    ]
    assert unread(author) == 1


def test_likes_on_another_day_start_a_new_row(note, author, user, other_user, monkeypatch):
    monday = datetime(2025, 3, 3, 4, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: monday)
    note_services.note_like(actor=user, note_id=note.pk)

    monkeypatch.setattr(timezone, "now", lambda: monday + timedelta(days=1))
    note_services.note_like(actor=other_user, note_id=note.pk)

    assert len(likes_of(author)) == 2


def test_un_liking_before_the_row_is_read_takes_the_like_back(note, author, user, other_user):
    note_services.note_like(actor=user, note_id=note.pk)
    note_services.note_like(actor=other_user, note_id=note.pk)

    note_services.note_unlike(actor=other_user, note_id=note.pk)

    [row] = likes_of(author)
    assert (row.latest_actor, row.actors_count) == (user, 1)


def test_the_last_like_taken_back_takes_the_row_and_its_unread_count(note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)

    note_services.note_unlike(actor=user, note_id=note.pk)

    assert likes_of(author) == []
    assert unread(author) == 0


def test_un_liking_after_the_row_was_read_leaves_it_as_read(note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    notifications_mark_read(actor=author)

    note_services.note_unlike(actor=user, note_id=note.pk)

    [row] = likes_of(author)
    assert (row.is_read, row.actors_count) == (True, 1)


def test_nobody_is_told_about_what_they_did_themselves(note, author):
    note_services.note_like(actor=author, note_id=note.pk)
    note_services.note_bookmark(actor=author, note_id=note.pk)
    note_services.comment_create(author=author, note_id=note.pk, body="Thanks all @meimei")

    assert Notification.objects.filter(recipient=author).count() == 0


def test_a_bookmark_is_told_in_its_own_row(note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)

    note_services.note_bookmark(actor=user, note_id=note.pk)

    assert sorted(author.notifications.values_list("verb", flat=True)) == [
        "note_bookmarked",
        "note_liked",
    ]


def test_a_follow_is_told_and_an_unfollow_before_it_is_read_takes_it_back(author, user):
    user_follow(actor=user, followee=author)
    told = list(author.notifications.values_list("verb", "latest_actor"))

    user_unfollow(actor=user, followee=author)

    assert told == [("followed", user.pk)]
    assert author.notifications.count() == 0
    assert unread(author) == 0


def test_a_comment_tells_the_author_and_a_reply_tells_the_commenter(note, author, user):
    comment = note_services.comment_create(author=user, note_id=note.pk, body="Which branch?")
    reply = note_services.comment_create(
        author=author, note_id=note.pk, body="The one on Nanjing Road", parent_id=comment.pk
    )

    told = author.notifications.get()
    answered = user.notifications.get()
    assert (told.verb, told.target_text) == ("commented", "Which branch?")
    assert told.target_url == f"/notes/{note.pk}/?comment={comment.pk}#comment-{comment.pk}"
    assert (answered.verb, answered.target_id) == ("replied", reply.pk)


def test_an_at_mention_in_a_comment_tells_the_person_mentioned(note, author, user, other_user):
    note_services.comment_create(
        author=user, note_id=note.pk, body="@xiaolan, you have to try this. @nobody"
    )

    mention = other_user.notifications.get()
    assert (mention.verb, mention.latest_actor) == ("mentioned", user)
    assert author.notifications.get().verb == "commented"


def test_a_mentioned_note_author_is_told_once(note, author, user):
    note_services.comment_create(author=user, note_id=note.pk, body="@meimei where is this?")

    assert list(author.notifications.values_list("verb", flat=True)) == ["commented"]


def test_an_at_mention_in_a_published_note_tells_the_person(user, other_user):
    note_services.note_create(
        author=user,
        content=NoteContent(title="Brunch", body="With @xiaolan.", images=[image_upload()]),
        publish=True,
    )

    assert other_user.notifications.get().verb == "mentioned"


def test_a_moderators_removal_is_a_system_message(note, author):
    moderator = UserFactory(is_staff=True)

    note_services.note_remove(actor=moderator, note_id=note.pk)

    message = author.notifications.get()
    assert (message.verb, message.latest_actor, message.target_text) == (
        "note_removed",
        None,
        "Dim sum",
    )


def test_any_app_can_tell_about_its_own_objects(author):
    # Notes (and later the mall) pass their objects; users stores only the type and id.
    note = NoteFactory(author=author)

    row = notification_add(recipient_id=author.pk, verb=Verb.NOTE_RESTORED, target=note)

    assert (row.target_type, row.target_id) == (ContentType.objects.get_for_model(Note), note.pk)


def test_marking_one_tab_read_leaves_the_others(note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    user_follow(actor=user, followee=author)

    marked = notifications_mark_read(actor=author, tab="likes")

    assert marked == 1
    assert unread(author) == 1


# --- Pages.


def test_the_messages_page_shows_an_aggregated_row(client, note, author):
    for person in fans(3):
        note_services.note_like(actor=person, note_id=note.pk)
    client.force_login(author)

    html = client.get(reverse("me:messages")).content.decode()

    assert "<strong>Fan 2</strong> and 2 others liked your note" in html
    assert '<span class="message__quote">Dim sum</span>' in html
    assert 'class="message message--unread"' in html


@pytest.mark.parametrize("count", [2, 25])
def test_the_messages_page_costs_the_same_queries_at_any_length(
    client, author, count, django_assert_num_queries
):
    for number, person in enumerate(fans(count)):
        note_services.note_like(actor=person, note_id=NoteFactory(author=author, images=0).pk)
        if number % 2:
            user_follow(actor=person, followee=author)
    client.force_login(author)

    # session, account, unread by tab, a page of rows with their newest person, which of
    # their notes are still there
    with django_assert_num_queries(5):
        response = client.get(reverse("me:messages"))

    assert response.content.decode().count('class="message__main"') == min(count, 20)


def test_the_followers_tab_offers_to_follow_back_in_one_more_query(
    client, author, django_assert_num_queries
):
    for person in fans(3):
        user_follow(actor=person, followee=author)
    client.force_login(author)

    # session, account, unread by tab, rows, which of those accounts are still there, whom the
    # reader follows among them
    with django_assert_num_queries(6):
        html = client.get(reverse("me:messages"), {"tab": "follows"}).content.decode()

    assert html.count("started following you") == 3
    assert html.count('class="button button--small button--primary" type="submit">Follow<') == 3


def test_the_tabs_say_how_many_are_unread(client, note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    note_services.comment_create(author=user, note_id=note.pk, body="Yum")
    note_services.comment_create(author=user, note_id=note.pk, body="Again")
    client.force_login(author)

    response = client.get(reverse("me:messages"))

    assert response.context["unread_by_tab"] == {
        "likes": 1,
        "follows": 0,
        "comments": 2,
        "system": 0,
    }


def test_the_unread_count_shows_in_the_top_bar_and_the_tab_bar(client, note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    client.force_login(author)

    html = client.get(reverse("community:home")).content.decode()

    assert html.count('data-unread="1"') == 2
    assert 'aria-label="Messages, 1 unread"' in html


def test_opening_a_message_marks_it_read_and_goes_to_its_cause(client, note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    row = author.notifications.get()
    client.force_login(author)

    response = client.get(reverse("me:message_open", args=[row.pk]))

    assert response.url == note.get_absolute_url()
    assert Notification.objects.get(pk=row.pk).is_read is True
    assert unread(author) == 0


def test_nobody_opens_someone_elses_message(client, note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    client.force_login(user)

    response = client.get(reverse("me:message_open", args=[author.notifications.get().pk]))

    assert response.status_code == 404


def test_mark_all_read_clears_the_count(client, note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    user_follow(actor=user, followee=author)
    client.force_login(author)

    response = client.post(reverse("me:messages_read"), {"back": "follows"})

    assert response.url == "/me/messages/?tab=follows"
    assert unread(author) == 0
    assert not author.notifications.filter(is_read=False).exists()


def test_a_level_up_shows_in_the_system_tab(client, user):
    User.objects.filter(pk=user.pk).update(notes_read=10, likes_given=5, days_signed_in=2)
    growth_level_raise(account_id=user.pk)
    client.force_login(user)

    html = client.get(reverse("me:messages"), {"tab": "system"}).content.decode()

    assert "Level up: you are now <strong>Lv.2 Baby-bottle Potato</strong>" in html


# --- API.


def test_the_api_lists_a_tab_and_counts_unread(make_api_client, note, author, user):
    for person in fans(2):
        note_services.note_like(actor=person, note_id=note.pk)
    api = make_api_client(author)

    listed = api.get("/api/v1/notifications/", {"tab": "likes"}).json()
    counted = api.get("/api/v1/notifications/unread/").json()

    [row] = listed["results"]
    assert (row["verb"], row["tab"], row["actors_count"], row["actor"]["name"]) == (
        "note_liked",
        "likes",
        2,
        "Fan 1",
    )
    assert (row["target_type"], row["target_id"], row["text"]) == ("notes.note", note.pk, "Dim sum")
    assert row["url"] == f"http://testserver{note.get_absolute_url()}"
    assert counted == {"total": 1, "by_tab": {"likes": 1, "follows": 0, "comments": 0, "system": 0}}


def test_the_api_marks_messages_read(make_api_client, note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    user_follow(actor=user, followee=author)
    api = make_api_client(author)
    like = author.notifications.get(verb="note_liked")

    one = api.post("/api/v1/notifications/read/", {"ids": [like.pk]}, format="json").json()
    rest = api.post("/api/v1/notifications/read/", {}, format="json").json()

    assert (one, rest) == ({"marked": 1, "unread": 1}, {"marked": 1, "unread": 0})


def test_the_api_refuses_an_unknown_tab(make_api_client, author):
    response = make_api_client(author).get("/api/v1/notifications/", {"tab": "orders"})

    assert response.status_code == 400


# --- About something deleted since.


def test_a_message_about_a_note_deleted_since_says_it_was_removed(client, note, author, user):
    note_services.note_like(actor=user, note_id=note.pk)
    kept = NoteFactory(author=author, title="Tea eggs")
    note_services.note_like(actor=user, note_id=kept.pk)
    note_services.note_delete(actor=author, note_id=note.pk)
    client.force_login(author)

    html = client.get(reverse("me:messages")).content.decode()

    assert html.count("This note was removed.") == 1
    assert "Dim sum" not in html
    assert "Tea eggs" in html


def test_opening_a_message_about_a_deleted_note_returns_to_the_tab_saying_so(
    client, note, author, user
):
    note_services.note_like(actor=user, note_id=note.pk)
    note_services.note_delete(actor=author, note_id=note.pk)
    [row] = likes_of(author)
    client.force_login(author)

    response = client.get(reverse("me:message_open", args=[row.pk]), follow=True)

    assert response.redirect_chain == [(f"{reverse('me:messages')}?tab=likes", 302)]
    assert "This note was removed." in response.content.decode()
    assert unread(author) == 0


def test_a_comment_message_whose_note_was_deleted_since_says_the_comment_was_removed(
    client, note, author, user
):
    note_services.comment_create(author=user, note_id=note.pk, body="Looks great")
    note_services.note_delete(actor=author, note_id=note.pk)
    client.force_login(author)

    html = client.get(reverse("me:messages"), {"tab": "comments"}).content.decode()

    assert "This comment was removed." in html
    assert "Looks great" not in html


def test_the_api_says_which_messages_are_about_something_deleted_since(
    make_api_client, note, author, user
):
    note_services.note_like(actor=user, note_id=note.pk)
    note_services.note_bookmark(actor=user, note_id=NoteFactory(author=author).pk)
    note_services.note_delete(actor=author, note_id=note.pk)

    rows = make_api_client(author).get("/api/v1/notifications/").json()["results"]

    assert [(row["verb"], row["is_target_gone"]) for row in rows] == [
        ("note_bookmarked", False),
        ("note_liked", True),
    ]


def test_the_api_says_each_message_as_the_page_does_in_the_readers_language(
    make_api_client, client, note, author
):
    for person in fans(3):
        note_services.note_like(actor=person, note_id=note.pk)
    client.force_login(author)

    english = make_api_client(author).get("/api/v1/notifications/", {"tab": "likes"}).json()
    chinese = (
        make_api_client(author)
        .get("/api/v1/notifications/", {"tab": "likes"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        .json()
    )
    page = client.get(reverse("me:messages"), {"tab": "likes"}).content.decode()

    assert english["results"][0]["message"] == "Fan 2 and 2 others liked your note"
    assert chinese["results"][0]["message"] == "Fan 2 等 2 人赞了你的笔记"
    assert "<strong>Fan 2</strong> and 2 others liked your note" in page


def test_a_name_with_markup_is_escaped_on_the_page_and_plain_in_the_api(
    make_api_client, client, note, author
):
    note_services.note_like(actor=UserFactory(display_name="<b>Kit</b>"), note_id=note.pk)
    client.force_login(author)

    row = make_api_client(author).get("/api/v1/notifications/").json()["results"][0]
    page = client.get(reverse("me:messages"), {"tab": "likes"}).content.decode()

    assert row["message"] == "<b>Kit</b> liked your note"
    assert "<strong>&lt;b&gt;Kit&lt;/b&gt;</strong> liked your note" in page

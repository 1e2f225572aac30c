"""Red-potato growth: counters move with their cause, levels rise (never fall), the nightly
recount repairs drift, perks are enforced, and the growth page, badge and API show it."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.uploads import VideoInfo
from notes import services as note_services
from notes.services import NoteContent
from notes.tasks import growth_counters_recount_task
from tests.factories import CommentFactory, NoteFactory, UserFactory, image_upload, video_upload
from tests.users.test_levels import enough_for
from users import levels
from users.days import community_day
from users.models import Notification, User
from users.selectors import user_account_weight
from users.services import (
    growth_level_award,
    growth_level_raise,
    growth_record,
    sign_in_today,
)

pytestmark = pytest.mark.django_db


def with_counters(user: User, **fields: int) -> User:
    User.objects.filter(pk=user.pk).update(**fields)
    user.refresh_from_db()
    return user


def fields_for(counters: dict[str, int]) -> dict[str, int]:
    """Account fields that make these counters (a two-field counter all in its first field)."""
    return {levels.COUNTERS[name].fields[0]: value for name, value in counters.items()}


def published_note(author: User):
    """A note published through the services, so its author's counters are exact."""
    content = NoteContent(title="Tea", images=[image_upload(size=(4, 4))])
    note = note_services.note_create(author=author, content=content, publish=True)
    note_services.note_media_process(note_id=note.pk)  # as the worker does after the commit
    return note


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def at(monkeypatch, moment: datetime) -> None:
    """Freeze the clock at `moment`."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- The level in SQL agrees with the table.


@pytest.mark.parametrize("number", range(2, 11))
def test_the_database_raises_an_account_to_each_level_at_its_targets(user, number):
    with_counters(user, **fields_for(enough_for(number)))

    assert growth_level_raise(account_id=user.pk) == number


@pytest.mark.parametrize("number", range(2, 11))
def test_the_database_stops_a_level_short_when_one_task_is_short(user, number):
    counters = enough_for(number)
    task = levels.level(number).tasks[-1]
    counters[task.counter] = task.target - 1
    with_counters(user, **fields_for(counters))

    growth_level_raise(account_id=user.pk)

    assert fresh(user).red_potato_level == number - 1


# --- Counters move with their cause.


def test_a_like_counts_for_the_liker_and_un_liking_takes_it_back(user, other_user):
    note = NoteFactory(author=other_user)

    note_services.note_like(actor=user, note_id=note.pk)
    after_like = fresh(user).likes_given
    note_services.note_unlike(actor=user, note_id=note.pk)

    assert (after_like, fresh(user).likes_given) == (1, 0)


def test_a_bookmark_counts_for_the_saver_and_unsaving_takes_it_back(user, other_user):
    note = NoteFactory(author=other_user)

    note_services.note_bookmark(actor=user, note_id=note.pk)
    after_bookmark = fresh(user).bookmarks_given
    note_services.note_unbookmark(actor=user, note_id=note.pk)

    assert (after_bookmark, fresh(user).bookmarks_given) == (1, 0)


def test_deleting_a_thread_takes_back_each_of_its_authors_comments(user, other_user):
    note = NoteFactory()
    thread = note_services.comment_create(author=user, note_id=note.pk, body="Where is this?")
    note_services.comment_create(
        author=other_user, note_id=note.pk, body="Hangzhou", parent_id=thread.pk
    )
    counted = (fresh(user).comments_written, fresh(other_user).comments_written)

    note_services.comment_delete(actor=user, comment_id=thread.pk)

    assert counted == (1, 1)
    assert (fresh(user).comments_written, fresh(other_user).comments_written) == (0, 0)


def test_publishing_counts_a_note_and_taking_it_back_to_drafts_uncounts_it(user):
    content = NoteContent(title="Tea", images=[image_upload()])
    note = note_services.note_create(author=user, content=content, publish=True)
    published = fresh(user).notes_published

    note_services.note_update(
        actor=user, note_id=note.pk, changes=note_services.NoteChanges(), publish=False
    )

    assert (published, fresh(user).notes_published) == (1, 0)


def test_a_draft_does_not_count_until_it_is_published(user):
    note = note_services.note_create(author=user, content=NoteContent(title="Tea"), publish=False)
    draft = fresh(user).notes_published

    note_services.note_update(
        actor=user,
        note_id=note.pk,
        changes=note_services.NoteChanges(images=[image_upload()]),
        publish=True,
    )

    assert (draft, fresh(user).notes_published) == (0, 1)


def test_deleting_or_removing_a_published_note_uncounts_it_and_restoring_counts_it(user):
    first, second = (
        note_services.note_create(
            author=user, content=NoteContent(title=title, images=[image_upload()]), publish=True
        )
        for title in ("One", "Two")
    )
    moderator = UserFactory(is_staff=True)

    note_services.note_delete(actor=user, note_id=first.pk)
    note_services.note_remove(actor=moderator, note_id=second.pk)
    removed = fresh(user).notes_published
    note_services.note_restore(actor=moderator, note_id=second.pk)

    assert (removed, fresh(user).notes_published) == (0, 1)


def test_a_note_read_counts_once_a_day(user, other_user, monkeypatch):
    note = NoteFactory(author=other_user)
    at(monkeypatch, datetime(2025, 3, 1, 2, 0, tzinfo=UTC))

    note_services.note_read(actor=user, note=note)
    note_services.note_read(actor=user, note=note)
    same_day = fresh(user).notes_read
    at(monkeypatch, datetime(2025, 3, 2, 2, 0, tzinfo=UTC))
    note_services.note_read(actor=user, note=note)

    assert (same_day, fresh(user).notes_read) == (1, 2)


def test_the_reading_day_turns_at_midnight_in_shanghai_not_utc(user, other_user, monkeypatch):
    note = NoteFactory(author=other_user)
    at(monkeypatch, datetime(2025, 3, 1, 15, 59, tzinfo=UTC))  # 23:59 in Shanghai
    note_services.note_read(actor=user, note=note)

    at(monkeypatch, datetime(2025, 3, 1, 16, 1, tzinfo=UTC))  # 00:01 the next day there
    note_services.note_read(actor=user, note=note)

    assert community_day() == date(2025, 3, 2)
    assert fresh(user).notes_read == 2


def test_opening_a_note_page_counts_a_read_and_ones_own_note_does_not(user_client, user):
    others = NoteFactory()
    own = NoteFactory(author=user)

    user_client.get(others.get_absolute_url())
    user_client.get(own.get_absolute_url())

    assert fresh(user).notes_read == 1


def test_reading_a_note_through_the_api_counts_too(api, user):
    note = NoteFactory()

    api.get(f"/api/v1/notes/{note.pk}/")

    assert fresh(user).notes_read == 1


# --- Levels rise on the action that completes a task, and never fall.


def one_like_short_of_level_two(user: User) -> User:
    return with_counters(user, notes_read=10, likes_given=4, days_signed_in=2)


def test_the_like_that_completes_the_last_task_raises_the_level(user, other_user):
    one_like_short_of_level_two(user)

    note_services.note_like(actor=user, note_id=NoteFactory(author=other_user).pk)

    assert fresh(user).red_potato_level == 2


def test_a_level_up_leaves_a_message(user, other_user):
    one_like_short_of_level_two(user)

    note_services.note_like(actor=user, note_id=NoteFactory(author=other_user).pk)

    message = Notification.objects.get(recipient=user, verb=Notification.Verb.LEVEL_UP)
    assert (message.target_text, message.target_url, message.is_read) == ("2", "/me/growth/", False)
    assert fresh(user).unread_notifications == 1


def test_received_likes_and_new_followers_can_raise_the_authors_level(user, other_user):
    counters = enough_for(6)
    counters["followers"] -= 1
    with_counters(user, **fields_for(counters), red_potato_level=5)

    note_services.note_author_follow(actor=other_user, note_id=NoteFactory(author=user).pk)

    assert fresh(user).red_potato_level == 6


def test_a_level_is_announced_once_when_two_raises_race(user):
    with_counters(user, **fields_for(enough_for(3)))

    first = growth_level_raise(account_id=user.pk)
    second = growth_level_raise(account_id=user.pk)

    assert (first, second) == (3, None)
    assert Notification.objects.filter(verb=Notification.Verb.LEVEL_UP).count() == 1


def test_levels_never_go_down_when_counters_do(user, other_user):
    one_like_short_of_level_two(user)
    note = NoteFactory(author=other_user)
    note_services.note_like(actor=user, note_id=note.pk)

    note_services.note_unlike(actor=user, note_id=note.pk)
    growth_counters_recount_task.apply().get()

    assert (fresh(user).likes_given, fresh(user).red_potato_level) == (0, 2)


def test_a_counter_never_goes_below_zero(user):
    growth_record(actor=user, action="comment_written", amount=-1)

    assert fresh(user).comments_written == 0


# --- The nightly recount.


def test_the_nightly_recount_repairs_drift_from_the_source_rows(user, other_user):
    note = published_note(other_user)
    note_services.note_like(actor=user, note_id=note.pk)
    note_services.note_read(actor=user, note=note)
    CommentFactory(note=note, author=user)  # a row without its counter: drift
    with_counters(user, likes_given=9, notes_read=0, notes_published=4)

    corrected = growth_counters_recount_task.apply().get()

    user = fresh(user)
    assert corrected == 1
    assert (user.likes_given, user.notes_read, user.comments_written) == (1, 1, 1)
    assert user.notes_published == 0


def test_the_nightly_recount_raises_levels_the_source_rows_reach(user, other_user):
    notes = NoteFactory.create_batch(10, author=other_user, images=0)
    for note in notes:
        note_services.note_read(actor=user, note=note)
    for note in notes[:5]:
        note_services.note_like(actor=user, note_id=note.pk)
    for days_ago in (1, 0):
        sign_in_today(actor=user, at=timezone.now() - timedelta(days=days_ago))
    with_counters(user, red_potato_level=1, notes_read=0, days_signed_in=0)

    growth_counters_recount_task.apply().get()

    assert fresh(user).red_potato_level == 2


def test_the_nightly_recount_changes_nothing_when_nothing_drifted(user, other_user):
    note = published_note(other_user)
    note_services.note_like(actor=user, note_id=note.pk)
    note_services.note_read(actor=user, note=note)
    note_services.comment_create(author=user, note_id=note.pk, body="Lovely")

    assert growth_counters_recount_task.apply().get() == 0


# --- Perks, by level, enforced by the services.


def test_a_level_five_author_may_publish_fifteen_photos(user):
    with_counters(user, red_potato_level=5)
    content = NoteContent(title="Lots", images=[image_upload(size=(4, 4)) for _ in range(15)])

    note = note_services.note_create(author=user, content=content, publish=True)

    assert note.images.count() == 15


def test_a_video_longer_than_the_authors_level_allows_is_refused(user, monkeypatch):
    six_minutes = VideoInfo(extension="mp4", width=64, height=48, duration_seconds=360)
    monkeypatch.setattr("notes.services.publishing.inspect_note_video", lambda upload: six_minutes)

    with pytest.raises(ValidationError) as error:
        note_services.note_create(
            author=user, content=NoteContent(title="Long", video=video_upload()), publish=True
        )

    assert error.value.message_dict == {
        "video": ["At your level (Lv.1) videos may be up to 5 minutes."]
    }


def test_the_publish_form_says_the_authors_own_limits(user_client, user):
    with_counters(user, red_potato_level=5)

    html = user_client.get(reverse("notes:create")).content.decode()

    assert "Up to 15 photos" in html
    assert "up to 10 minutes" in html
    assert 'data-max="15"' in html


def test_account_weight_grows_with_level_and_audience():
    newcomer = UserFactory.build(red_potato_level=1, followers_count=0)
    star = UserFactory.build(red_potato_level=10, followers_count=999)

    assert user_account_weight(author=newcomer) == 1.0
    assert user_account_weight(author=star) == pytest.approx(3.3)


# --- The growth page, the banner, the badge, the API.


@pytest.mark.parametrize("level", [1, 10])
def test_the_growth_page_costs_three_queries_at_any_level(
    user_client, user, level, django_assert_num_queries
):
    with_counters(user, red_potato_level=level, red_potato_level_seen=level)

    with django_assert_num_queries(3):  # session, account, this month's sign-ins
        response = user_client.get(reverse("me:growth"))

    assert response.status_code == 200


def test_the_growth_page_shows_the_next_levels_tasks_with_numbers(user_client, user):
    with_counters(user, notes_read=7, likes_given=2, bookmarks_given=1)

    html = user_client.get(reverse("me:growth")).content.decode()

    assert "Next: Lv.2 Baby-bottle Potato" in html
    assert '<progress class="growth-task__bar" max="10" value="7"' in html
    assert "7 / 10" in html
    assert "3 / 5" in html
    assert html.count('<li class="growth-level') == 10


def test_a_new_level_is_congratulated_once_on_the_next_page(user_client, user):
    with_counters(user, red_potato_level=3)

    first = user_client.get(reverse("community:home")).content.decode()
    second = user_client.get(reverse("community:home")).content.decode()

    assert "Level up! You are now Lv.3 Sleepy Potato." in first
    assert "Level up!" not in second


def test_the_level_badge_shows_beside_authors_everywhere(client, other_user):
    with_counters(other_user, red_potato_level=5)
    note = NoteFactory(author=other_user)
    CommentFactory(note=note, author=other_user)
    badge = 'title="Ice-cream Potato"'

    home = client.get(reverse("community:home")).content.decode()
    page = client.get(note.get_absolute_url()).content.decode()
    profile = client.get(other_user.get_absolute_url()).content.decode()

    assert home.count(badge) == 1
    assert page.count(badge) == 2  # the author, their comment
    assert profile.count(badge) >= 1


def test_the_growth_api_gives_the_level_progress_and_own_limits(api, user):
    with_counters(user, notes_read=12, red_potato_level=1)

    data = api.get("/api/v1/me/growth/").json()

    assert data["level"]["number"] == 1
    assert data["next_level"]["name"] == "Baby-bottle Potato"
    assert data["next_tasks"][0] == {
        "counter": "notes_read",
        "label": "Notes read (once per note a day)",
        "target": 10,
        "done": 10,
    }
    assert data["perks"] == {"photos_per_note": 9, "video_seconds": 300}
    assert data["counters"]["notes_read"] == 12
    assert len(data["levels"]) == 10


def test_the_growth_api_needs_signing_in(anonymous):
    assert anonymous.get("/api/v1/me/growth/").status_code == 403


def test_the_level_up_message_reads_as_the_day_it_happened(user, monkeypatch):
    at(monkeypatch, datetime(2025, 3, 1, 16, 30, tzinfo=UTC))
    with_counters(user, **fields_for(enough_for(2)))

    growth_level_raise(account_id=user.pk)

    message = Notification.objects.get(recipient=user)
    assert message.day == date(2025, 3, 2)


def test_staff_can_award_a_level_which_is_announced_and_rewarded(user):
    staff = UserFactory(is_staff=True)

    reached = growth_level_award(staff=staff, account=user, level=3)

    assert (reached, fresh(user).red_potato_level, fresh(user).points_balance) == (3, 3, 50)
    assert Notification.objects.get(recipient=user).target_text == "3"


def test_an_award_never_lowers_a_level(user):
    with_counters(user, red_potato_level=5)

    reached = growth_level_award(staff=UserFactory(is_staff=True), account=user, level=3)

    assert (reached, fresh(user).red_potato_level) == (None, 5)


def test_only_staff_award_levels(user, other_user):
    with pytest.raises(PermissionDenied):
        growth_level_award(staff=other_user, account=user, level=3)

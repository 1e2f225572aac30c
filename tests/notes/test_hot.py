"""The hot list: engagement of the last hours against each topic's and note's own baseline,
recent hours counting most; staff pin and ban topics; ranks remember where they were."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notes.models import Comment, HotListEntry
from notes.services import comment_create, hot_list_refresh, hot_topic_rule_set, note_like
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def tagged(tag: str):
    note = NoteFactory(images=0)
    note.tags.add(tag)
    return note


def liked_now(note, times: int) -> None:
    for _ in range(times):
        note_like(actor=UserFactory(), note_id=note.pk)


def commented_every_hour(note, *, per_hour: int, days: int) -> None:
    """A steady favourite: the same stream of comments, hour after hour, up to now."""
    author = UserFactory()
    now = timezone.now()
    for hour in range(days * 24):
        ids = [
            comment_create(author=author, note_id=note.pk, body="Again!").pk
            for _ in range(per_hour)
        ]
        Comment.objects.filter(pk__in=ids).update(created_at=now - timedelta(hours=hour))


def topics() -> list[str]:
    return list(
        HotListEntry.objects.filter(kind="topic")
        .order_by("rank")
        .values_list("tag__slug", flat=True)
    )


def test_a_sudden_topic_outranks_a_steady_favourite_with_more_engagement(settings):
    # given: tea gets its usual 8 CES an hour; matcha, usually quiet, just got 10 likes
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    commented_every_hour(tagged("tea"), per_hour=2, days=7)
    liked_now(tagged("matcha"), 10)
    # when
    hot_list_refresh()
    # then
    assert topics()[0] == "matcha"


def test_a_steady_favourite_is_not_hot_at_its_usual_pace(settings):
    # given
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    commented_every_hour(tagged("tea"), per_hour=2, days=7)
    # when
    hot_list_refresh()
    # then
    assert "tea" not in topics()


def test_too_little_engagement_is_not_hot(settings):
    # given
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    liked_now(tagged("matcha"), 4)
    # when
    hot_list_refresh()
    # then
    assert topics() == []


def test_a_banned_topic_and_its_notes_leave_the_list_at_the_next_refresh(admin_user, settings):
    # given
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    matcha = tagged("matcha")
    liked_now(matcha, 10)
    hot_list_refresh()
    # when
    hot_topic_rule_set(actor=admin_user, tag=matcha.tags.get(), action="ban")
    hot_list_refresh()
    # then
    assert topics() == []
    assert not HotListEntry.objects.filter(note=matcha).exists()


def test_a_pinned_topic_leads_even_when_quiet(admin_user, settings):
    # given
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    liked_now(tagged("matcha"), 10)
    quiet = tagged("ceramics")
    # when
    hot_topic_rule_set(actor=admin_user, tag=quiet.tags.get(), action="pin")
    hot_list_refresh()
    # then
    assert topics() == ["ceramics", "matcha"]
    assert HotListEntry.objects.get(tag__slug="ceramics").is_pinned is True


def test_ranks_remember_where_they_were_for_the_arrows(settings):
    # given: matcha leads, then hojicha surges past it
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    liked_now(tagged("matcha"), 10)
    hot_list_refresh()
    liked_now(tagged("hojicha"), 30)
    # when
    hot_list_refresh()
    # then
    matcha = HotListEntry.objects.get(tag__slug="matcha")
    hojicha = HotListEntry.objects.get(tag__slug="hojicha")
    assert (matcha.rank, matcha.previous_rank, matcha.movement) == (2, 1, "down")
    assert (hojicha.rank, hojicha.previous_rank, hojicha.movement) == (1, None, "new")


def test_refreshing_twice_keeps_every_place(settings):
    # given
    settings.HOT_LIST_MIN_ENGAGEMENT = 5
    liked_now(tagged("matcha"), 10)
    hot_list_refresh()
    # when
    hot_list_refresh()
    # then
    entry = HotListEntry.objects.get(tag__slug="matcha")
    assert (entry.rank, entry.previous_rank, entry.movement) == (1, 1, "same")

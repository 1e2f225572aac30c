"""Reader interests: tag weights learned by batches from likes, bookmarks, comments and long
reads, lowered at once by "not interested", decaying with a half-life, bounded per reader."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notes.models import ReaderInterest
from notes.services import (
    comment_create,
    note_bookmark,
    note_like,
    note_not_interested,
    note_read_record,
    onboarding_interests_choose,
    onboarding_skip,
    reader_interests_update,
)
from notes.services.interests import weights_decayed, weights_trimmed
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def tagged(*tags: str):
    note = NoteFactory(images=0)
    note.tags.add(*tags)
    return note


def later() -> timezone.datetime:
    """Past the minute a new row waits before the batch takes it."""
    return timezone.now() + timedelta(minutes=2)


def weights_of(reader) -> dict[str, float]:
    return ReaderInterest.objects.get(reader=reader).weights


def test_a_like_teaches_its_notes_tags_at_the_next_batch(user):
    # given
    note_like(actor=user, note_id=tagged("tea", "hangzhou").pk)
    # when
    changed = reader_interests_update(now=later())
    # then
    assert changed == 1
    assert weights_of(user) == {"hangzhou": 1.0, "tea": 1.0}


def test_bookmarks_comments_and_long_reads_weigh_more_than_likes(user, settings):
    # given
    settings.READER_INTEREST_SIGNALS = {
        **settings.READER_INTEREST_SIGNALS,
        "like": 1.0,
        "bookmark": 2.0,
        "comment": 3.0,
        "long_read": 0.5,
    }
    note_like(actor=user, note_id=tagged("a").pk)
    note_bookmark(actor=user, note_id=tagged("b").pk)
    comment_create(author=user, note_id=tagged("c").pk, body="Where?")
    note_read_record(actor=user, note_id=tagged("d").pk)
    # when
    reader_interests_update(now=later())
    # then
    assert weights_of(user) == {"c": 3.0, "b": 2.0, "a": 1.0, "d": 0.5}


def test_a_second_batch_counts_nothing_twice(user):
    # given
    note_like(actor=user, note_id=tagged("tea").pk)
    now = later()
    reader_interests_update(now=now)
    # when
    changed = reader_interests_update(now=now)
    # then
    assert changed == 0
    assert weights_of(user) == {"tea": 1.0}


def test_a_like_of_the_last_minute_waits_for_the_next_batch(user):
    # given
    note_like(actor=user, note_id=tagged("tea").pk)
    # when
    changed = reader_interests_update(now=timezone.now())
    # then
    assert changed == 0
    assert reader_interests_update(now=later()) == 1


def test_weights_halve_every_half_life(settings):
    # given
    settings.READER_INTEREST_HALF_LIFE_DAYS = 30
    now = timezone.now()
    # when
    decayed = weights_decayed({"tea": 4.0}, since=now - timedelta(days=60), now=now)
    # then
    assert decayed == {"tea": 1.0}


def test_older_weights_fade_before_new_signals_are_added(user, settings):
    # given: a tea weight of 4 learned 30 days ago
    settings.READER_INTEREST_HALF_LIFE_DAYS = 30
    now = later()
    ReaderInterest.objects.create(
        reader=user, weights={"tea": 4.0}, updated_at=now - timedelta(days=30)
    )
    note_like(actor=user, note_id=tagged("tea").pk)
    # when
    reader_interests_update(now=now)
    # then
    assert weights_of(user) == {"tea": 3.0}


def test_each_reader_keeps_only_their_strongest_weights(settings):
    # given
    settings.READER_INTEREST_TAGS_MAX = 2
    # when
    kept = weights_trimmed({"a": 1.0, "b": -5.0, "c": 3.0, "d": 0.01})
    # then
    assert kept == {"b": -5.0, "c": 3.0}


def test_not_interested_lowers_the_notes_tags_at_once(user):
    # given
    note = tagged("durian", "fruit")
    # when
    hidden = note_not_interested(actor=user, note_id=note.pk)
    # then
    interests = ReaderInterest.objects.get(reader=user)
    assert hidden is True
    assert interests.weights == {"durian": -3.0, "fruit": -3.0}
    assert interests.hidden_note_ids == [note.pk]


def test_not_interested_twice_changes_nothing_the_second_time(user):
    # given
    note = tagged("durian")
    note_not_interested(actor=user, note_id=note.pk)
    # when
    hidden = note_not_interested(actor=user, note_id=note.pk)
    # then
    assert hidden is False
    assert weights_of(user) == {"durian": -3.0}


def test_a_long_read_of_ones_own_note_teaches_nothing(user):
    # given
    note = NoteFactory(author=user, images=0)
    # when
    recorded = note_read_record(actor=user, note_id=note.pk)
    # then
    assert recorded is False


# --- Onboarding


def test_onboarding_picks_become_first_interests(user):
    # given
    for tag in ("tea", "hiking", "ceramics"):
        tagged(tag)
    # when
    onboarding_interests_choose(actor=user, tag_slugs=["tea", "hiking", "ceramics"])
    # then
    interests = ReaderInterest.objects.get(reader=user)
    assert interests.weights == {"ceramics": 3.0, "hiking": 3.0, "tea": 3.0}
    assert interests.onboarded_at is not None


def test_onboarding_needs_three_real_topics(user, settings):
    # given
    settings.ONBOARDING_MIN_INTERESTS = 3
    tagged("tea")
    tagged("hiking")
    # when
    with pytest.raises(ValidationError) as refused:
        onboarding_interests_choose(actor=user, tag_slugs=["tea", "hiking", "no-such-topic"])
    # then
    assert refused.value.messages == ["Pick at least 3 interests."]
    assert not ReaderInterest.objects.filter(reader=user).exists()


def test_skipping_onboarding_is_remembered(user):
    # when
    onboarding_skip(actor=user)
    # then
    interests = ReaderInterest.objects.get(reader=user)
    assert (interests.weights, interests.onboarded_at is not None) == ({}, True)

"""Impressions: one write per page served, a reader counted once per note in the seen window,
lasting per-day counts that Note.impressions is rebuilt from, and a bounded seen set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notes.models import NoteImpressionDay, SeenNote
from notes.seen import DatabaseSeenStore, RedisSeenStore
from notes.services import (
    impressions_record,
    note_impressions_refresh,
    seen_sets_purge,
)
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def day_counts(note) -> list[int]:
    return list(
        NoteImpressionDay.objects.filter(note=note).order_by("day").values_list("count", flat=True)
    )


@pytest.mark.parametrize("cards", [2, 20])
def test_a_page_of_cards_costs_three_queries_whatever_its_size(
    django_assert_num_queries, settings, cards
):
    # given
    settings.DISCOVER_SEEN_STORE = "database"
    notes = NoteFactory.create_batch(cards, images=0)
    # when / then: which were seen already, the seen set written, the daily counts written
    with django_assert_num_queries(3):
        counted = impressions_record(reader_key="u1", note_ids=[note.pk for note in notes])
    assert counted == cards


def test_a_page_known_to_be_unseen_skips_the_look_up(django_assert_num_queries, settings):
    # given
    settings.DISCOVER_SEEN_STORE = "database"
    notes = NoteFactory.create_batch(3, images=0)
    # when / then: the seen set and the daily counts written
    with django_assert_num_queries(2):
        impressions_record(reader_key="u1", note_ids=[note.pk for note in notes], unseen=True)


def test_a_reader_shown_a_note_twice_in_the_window_counts_once():
    # given
    note = NoteFactory(images=0)
    now = timezone.now()
    impressions_record(reader_key="u1", note_ids=[note.pk], now=now)
    # when
    counted = impressions_record(reader_key="u1", note_ids=[note.pk], now=now + timedelta(days=3))
    # then
    assert counted == 0
    assert day_counts(note) == [1]


def test_a_reader_counts_again_once_the_window_has_passed(settings):
    # given
    settings.DISCOVER_SEEN_DAYS = 7
    note = NoteFactory(images=0)
    now = timezone.now()
    impressions_record(reader_key="u1", note_ids=[note.pk], now=now)
    # when
    counted = impressions_record(reader_key="u1", note_ids=[note.pk], now=now + timedelta(days=8))
    # then
    assert counted == 1
    assert day_counts(note) == [1, 1]


def test_each_reader_counts_for_a_note():
    # given
    note = NoteFactory(images=0)
    # when
    for reader_key in ("u1", "u2", "aanonymous1"):
        impressions_record(reader_key=reader_key, note_ids=[note.pk])
    # then
    assert day_counts(note) == [3]


def test_a_note_deleted_before_its_page_is_recorded_is_skipped():
    # given
    kept, deleted = NoteFactory(images=0), NoteFactory(images=0)
    deleted_id = deleted.pk
    deleted.delete()
    # when
    impressions_record(reader_key="u1", note_ids=[kept.pk, deleted_id])
    # then
    assert list(NoteImpressionDay.objects.values_list("note_id", "count")) == [(kept.pk, 1)]


def test_refresh_puts_note_impressions_to_the_sum_of_its_days():
    # given
    note = NoteFactory(images=0)
    now = timezone.now()
    for reader_key in ("u1", "u2"):
        impressions_record(reader_key=reader_key, note_ids=[note.pk], now=now - timedelta(days=1))
    impressions_record(reader_key="u3", note_ids=[note.pk], now=now)
    # when
    changed = note_impressions_refresh(since=None)
    # then
    note.refresh_from_db()
    assert (changed, note.impressions) == (1, 3)


def test_refreshing_twice_changes_nothing_the_second_time():
    # given
    note = NoteFactory(images=0)
    impressions_record(reader_key="u1", note_ids=[note.pk])
    note_impressions_refresh(since=None)
    # when
    changed = note_impressions_refresh(since=None)
    # then
    assert changed == 0


def test_the_recent_refresh_leaves_notes_not_shown_lately_alone():
    # given: a note whose column drifted, not shown since long ago
    note = NoteFactory(images=0, impressions=40)
    today = timezone.localdate()
    # when
    changed = note_impressions_refresh(since=today - timedelta(days=1))
    # then
    note.refresh_from_db()
    assert (changed, note.impressions) == (0, 40)


def test_the_nightly_rebuild_puts_a_drifted_column_right():
    # given
    note = NoteFactory(images=0, impressions=40)
    # when
    changed = note_impressions_refresh(since=None)
    # then
    note.refresh_from_db()
    assert (changed, note.impressions) == (1, 0)


# --- The seen set


def test_database_seen_set_forgets_what_is_older_than_the_window(settings):
    # given
    settings.DISCOVER_SEEN_STORE = "database"
    settings.DISCOVER_SEEN_DAYS = 7
    old, recent = NoteFactory(images=0), NoteFactory(images=0)
    now = timezone.now()
    store = DatabaseSeenStore()
    store.add("u1", [old.pk], now=now - timedelta(days=8))
    store.add("u1", [recent.pk], now=now - timedelta(days=1))
    # when
    purged = seen_sets_purge(now=now)
    # then
    assert purged == 1
    assert list(SeenNote.objects.values_list("note_id", flat=True)) == [recent.pk]


def test_database_seen_set_answers_only_within_the_window(settings):
    # given
    settings.DISCOVER_SEEN_DAYS = 7
    old, recent = NoteFactory(images=0), NoteFactory(images=0)
    now = timezone.now()
    store = DatabaseSeenStore()
    store.add("u1", [old.pk], now=now - timedelta(days=8))
    store.add("u1", [recent.pk], now=now - timedelta(days=1))
    # when
    seen = store.recent("u1", now=now)
    among = store.among("u1", [old.pk, recent.pk], now=now)
    # then
    assert seen == {recent.pk}
    assert among == {recent.pk}


def test_seeing_a_note_again_moves_it_to_now():
    # given
    note = NoteFactory(images=0)
    now = timezone.now()
    store = DatabaseSeenStore()
    store.add("u1", [note.pk], now=now - timedelta(days=6))
    # when
    store.add("u1", [note.pk], now=now)
    # then: still seen a week after the first time
    assert store.recent("u1", now=now + timedelta(days=5)) == {note.pk}
    assert SeenNote.objects.count() == 1


@pytest.mark.services
def test_redis_seen_set_answers_within_the_window_and_trims_itself(settings):
    # given
    settings.DISCOVER_SEEN_DAYS = 7
    store = RedisSeenStore(settings.REDIS_URL)
    store.client.delete(store.PREFIX + "u-redis-test")
    now = timezone.now()
    store.add("u-redis-test", [1, 2], now=now - timedelta(days=8))
    # when
    store.add("u-redis-test", [3], now=now)
    # then: the old entries went with the write
    assert store.recent("u-redis-test", now=now) == {3}
    assert store.among("u-redis-test", [1, 2, 3, 4], now=now) == {3}
    assert store.client.zcard(store.PREFIX + "u-redis-test") == 1
    store.client.delete(store.PREFIX + "u-redis-test")

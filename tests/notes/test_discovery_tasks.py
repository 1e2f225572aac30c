"""The discovery tasks: scheduled, one run at a time, idempotent."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone

from community.celery import app
from core.locks import job_lock
from notes.models import DiscoverCandidate, Note, NoteTraffic, SeenNote
from notes.seen import DatabaseSeenStore
from notes.selectors import CANDIDATES_BUILT_KEY, discover_candidate_lists
from notes.services import impressions_record
from notes.services.discovery import discover_candidates_build
from notes.services.pools import traffic_pool_enter
from notes.tasks import (
    DISCOVERY_LOCK,
    INTERESTS_LOCK,
    discovery_nightly_task,
    discovery_refresh_task,
    reader_interests_update_task,
)
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

DISCOVERY_BEAT = ("discovery-refresh", "reader-interests-update", "note-counters-recount-nightly")


@pytest.mark.parametrize("entry", DISCOVERY_BEAT)
def test_the_beat_runs_each_discovery_task_by_a_registered_name(entry):
    task = django_settings.CELERY_BEAT_SCHEDULE[entry]["task"]

    assert task in app.tasks


def test_the_refresh_counts_impressions_then_promotes_then_lists(settings):
    # given: a note whose 10 readers all liked it, with a pool of 10
    settings.TRAFFIC_POOL_BUDGETS = (10, 20)
    settings.TRAFFIC_POOL_PROMOTION_RATES = (0.2,)
    note = NoteFactory(images=0, ces=10)
    discovery_refresh_task.apply().get()
    for reader in range(10):
        impressions_record(reader_key=f"u{reader}", note_ids=[note.pk])
    # when
    run = discovery_refresh_task.apply().get()
    # then
    note.refresh_from_db()
    assert note.impressions == 10
    assert NoteTraffic.objects.get(note=note).pool == 1
    assert run["pools"]["promoted"] == 1
    assert DiscoverCandidate.objects.filter(note=note, pool=1).exists()


def test_the_refresh_skips_while_another_run_holds_the_lock():
    # given
    note = NoteFactory(images=0)
    # when
    with job_lock(DISCOVERY_LOCK, timeout=60):
        result = discovery_refresh_task.apply().get()
    # then
    assert result is None
    assert not NoteTraffic.objects.filter(note=note).exists()


def test_the_refresh_releases_its_lock():
    discovery_refresh_task.apply().get()

    with job_lock(DISCOVERY_LOCK, timeout=60) as acquired:
        assert acquired


def test_the_nightly_run_rebuilds_impressions_and_trims_seen_sets(settings):
    # given
    settings.DISCOVER_SEEN_STORE = "database"
    note = NoteFactory(images=0)
    Note.objects.filter(pk=note.pk).update(impressions=99)
    DatabaseSeenStore().add("u1", [note.pk], now=timezone.now() - timedelta(days=30))
    # when
    run = discovery_nightly_task.apply().get()
    # then
    note.refresh_from_db()
    assert (note.impressions, run["impressions_changed"], run["seen_purged"]) == (0, 1, 1)
    assert not SeenNote.objects.exists()


def test_the_interests_task_skips_while_another_run_holds_the_lock():
    with job_lock(INTERESTS_LOCK, timeout=60):
        result = reader_interests_update_task.apply().get()

    assert result is None


def beach_note():
    """A note tagged 海边 that the pools offer (so it is a candidate)."""
    note = NoteFactory(images=0)
    note.tags.add("海边")
    traffic_pool_enter(note=note)
    return note


def test_candidate_lists_read_once_are_kept_in_memory_for_the_build(django_assert_num_queries):
    beach_note()
    discover_candidates_build()
    first = discover_candidate_lists(["海边"])
    built = cache.get(CANDIDATES_BUILT_KEY)
    cache.clear()  # the shared cache loses the lists, the build keeps its name
    cache.set(CANDIDATES_BUILT_KEY, built)

    with django_assert_num_queries(0):
        again = discover_candidate_lists(["海边"])

    assert again == first
    assert len(first["海边"]) == 1


def test_a_rebuild_replaces_the_candidate_lists_a_process_kept():
    now = timezone.now()
    beach_note()
    discover_candidates_build(now=now)
    discover_candidate_lists(["海边"])
    added = beach_note()

    discover_candidates_build(now=now)  # the same second: still a new build

    assert added.pk in [row[0] for row in discover_candidate_lists(["海边"])["海边"]]

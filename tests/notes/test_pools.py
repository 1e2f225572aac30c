"""Stepped traffic pools: a note enters the first pool when published, moves up when it has used
its budget with an engagement rate beating the threshold, settles otherwise; staff can boost,
hold and release."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from notes.models import DiscoverCandidate, Note, NotePoolEntry, NoteTraffic
from notes.services import (
    NoteChanges,
    NoteContent,
    discovery_refresh,
    note_create,
    note_traffic_boost,
    note_traffic_hold,
    note_traffic_release,
    note_update,
    traffic_pool_enter,
    traffic_pools_evaluate,
)
from notes.tasks import discovery_refresh_task
from tests.factories import NoteFactory, UserFactory, image_upload

pytestmark = pytest.mark.django_db

Reason = NotePoolEntry.Reason


@pytest.fixture
def small_pools(settings):
    """Pools of 10, 20 and 30 readers; leaving either of the first two needs 0.2 per reader."""
    settings.TRAFFIC_POOL_BUDGETS = (10, 20, 30)
    settings.TRAFFIC_POOL_PROMOTION_RATES = (0.2, 0.2)


def pooled_note(**fields) -> Note:
    """A published note in pool 0, entered with no impressions and no CES."""
    note = NoteFactory(images=0, **fields)
    traffic_pool_enter(note=note)
    return note


def shown(note: Note, *, impressions: int, ces: int) -> None:
    """What the discovery refresh and the counters would say after readers saw the note."""
    Note.objects.filter(pk=note.pk).update(impressions=impressions, ces=ces)


def history(note: Note) -> list[tuple[int, str]]:
    return list(
        NotePoolEntry.objects.filter(note=note).order_by("pk").values_list("pool", "reason")
    )


# --- Entering


def test_publishing_a_note_puts_it_in_the_first_pool(user):
    # when
    note = note_create(
        author=user, content=NoteContent(title="Hotpot", images=[image_upload()]), publish=True
    )
    # then
    traffic = NoteTraffic.objects.get(note=note)
    assert (traffic.pool, traffic.state) == (0, NoteTraffic.State.OFFERED)
    assert history(note) == [(0, Reason.PUBLISHED)]


def test_publishing_queues_a_discovery_refresh_once_committed(
    user, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as queued:
        note_create(
            author=user, content=NoteContent(title="Hotpot", images=[image_upload()]), publish=True
        )
    # then: the new note meets its first readers after the refresh, not at the next beat
    assert discovery_refresh_task.delay in queued


def test_a_second_note_within_the_minute_queues_no_second_refresh(
    user, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks():
        note_create(
            author=user, content=NoteContent(title="One", images=[image_upload()]), publish=True
        )
    # when
    with django_capture_on_commit_callbacks() as queued:
        note_create(
            author=user, content=NoteContent(title="Two", images=[image_upload()]), publish=True
        )
    # then: only the new photo's processing
    assert discovery_refresh_task.delay not in queued


def test_a_draft_enters_a_pool_only_when_published(user):
    # given
    draft = note_create(
        author=user, content=NoteContent(title="Later", images=[image_upload()]), publish=False
    )
    assert not NoteTraffic.objects.filter(note=draft).exists()
    # when
    note_update(actor=user, note_id=draft.pk, changes=NoteChanges(), publish=True)
    # then
    assert NoteTraffic.objects.get(note=draft).pool == 0


def test_a_heavy_accounts_note_starts_one_pool_higher(settings):
    # given: level 8 (1.8) with 999 followers (×1.5) weighs 2.7
    settings.TRAFFIC_POOL_HEAVY_AUTHOR_WEIGHT = 2.0
    author = UserFactory(red_potato_level=8, followers_count=999)
    # when
    note = pooled_note(author=author)
    # then
    assert NoteTraffic.objects.get(note=note).pool == 1


def test_followers_alone_do_not_make_a_newcomer_heavy(settings):
    # given: level 1 with 999 followers weighs 1.5, levels count as much as audience
    settings.TRAFFIC_POOL_HEAVY_AUTHOR_WEIGHT = 2.0
    author = UserFactory(red_potato_level=1, followers_count=999)
    # when
    note = pooled_note(author=author)
    # then
    assert NoteTraffic.objects.get(note=note).pool == 0


def test_entering_twice_keeps_the_first_pool(small_pools):
    # given
    note = pooled_note()
    shown(note, impressions=10, ces=5)
    traffic_pools_evaluate()
    # when
    traffic_pool_enter(note=note)
    # then
    assert NoteTraffic.objects.get(note=note).pool == 1


def test_notes_published_without_the_service_get_their_first_pool_at_evaluation():
    # given: imported or demo notes
    published_at = timezone.now() - timedelta(days=2)
    note = NoteFactory(images=0, published_at=published_at)
    draft = NoteFactory(images=0, status=Note.Status.DRAFT, published_at=None)
    # when
    result = traffic_pools_evaluate()
    # then
    traffic = NoteTraffic.objects.get(note=note)
    assert (result.entered, traffic.pool, traffic.entered_at) == (1, 0, published_at)
    assert not NoteTraffic.objects.filter(note=draft).exists()


# --- Promotion


def test_a_note_that_used_its_budget_with_a_rate_above_the_threshold_moves_up(small_pools):
    # given: 10 readers, 3 CES: 0.3 per reader
    note = pooled_note()
    shown(note, impressions=10, ces=3)
    # when
    result = traffic_pools_evaluate()
    # then
    traffic = NoteTraffic.objects.get(note=note)
    assert (result.promoted, result.settled) == (1, 0)
    assert (traffic.pool, traffic.state) == (1, NoteTraffic.State.OFFERED)
    assert (traffic.impressions_at_entry, traffic.ces_at_entry) == (10, 3)
    assert history(note) == [(0, Reason.PUBLISHED), (1, Reason.PROMOTED)]


def test_a_note_one_reader_short_of_its_budget_stays_where_it_is(small_pools):
    # given
    note = pooled_note()
    shown(note, impressions=9, ces=9)
    # when
    result = traffic_pools_evaluate()
    # then
    traffic = NoteTraffic.objects.get(note=note)
    assert (result.promoted, result.settled) == (0, 0)
    assert (traffic.pool, traffic.state) == (0, NoteTraffic.State.OFFERED)


def test_a_rate_equal_to_the_threshold_does_not_beat_it(small_pools):
    # given: 2 CES over 10 readers is exactly 0.2
    note = pooled_note()
    shown(note, impressions=10, ces=2)
    # when
    traffic_pools_evaluate()
    # then
    traffic = NoteTraffic.objects.get(note=note)
    assert (traffic.pool, traffic.state) == (0, NoteTraffic.State.SETTLED)
    assert history(note) == [(0, Reason.PUBLISHED), (0, Reason.SETTLED)]


def test_the_rate_counts_only_what_was_gained_in_the_current_pool(small_pools):
    # given: promoted with 10 CES; in pool 1, 20 more readers bring only 2 more CES
    note = pooled_note()
    shown(note, impressions=10, ces=10)
    traffic_pools_evaluate()
    shown(note, impressions=30, ces=12)
    # when
    traffic_pools_evaluate()
    # then
    assert NoteTraffic.objects.get(note=note).state == NoteTraffic.State.SETTLED


def test_a_note_can_climb_pool_after_pool(small_pools):
    # given
    note = pooled_note()
    shown(note, impressions=10, ces=5)
    traffic_pools_evaluate()
    shown(note, impressions=30, ces=15)
    # when
    traffic_pools_evaluate()
    # then
    assert NoteTraffic.objects.get(note=note).pool == 2


def test_the_last_pool_has_nowhere_further_to_go(small_pools):
    # given: a note in pool 2 (the last) that used its 30 readers superbly
    note = pooled_note()
    NoteTraffic.objects.filter(note=note).update(pool=2)
    shown(note, impressions=30, ces=30)
    # when
    result = traffic_pools_evaluate()
    # then
    traffic = NoteTraffic.objects.get(note=note)
    assert (result.promoted, traffic.pool, traffic.state) == (0, 2, NoteTraffic.State.SETTLED)


def test_evaluating_twice_changes_nothing_the_second_time(small_pools):
    # given
    promoted, settled = pooled_note(), pooled_note()
    shown(promoted, impressions=10, ces=5)
    shown(settled, impressions=10, ces=0)
    traffic_pools_evaluate()
    before = list(NoteTraffic.objects.order_by("pk").values_list("pool", "state", "entered_at"))
    entries = NotePoolEntry.objects.count()
    # when
    result = traffic_pools_evaluate()
    # then
    assert (result.entered, result.promoted, result.settled) == (0, 0, 0)
    after = list(NoteTraffic.objects.order_by("pk").values_list("pool", "state", "entered_at"))
    assert after == before
    assert NotePoolEntry.objects.count() == entries


def test_a_settled_note_leaves_discovers_offered_lists_for_the_long_tail(small_pools):
    # given
    note = pooled_note()
    discovery_refresh()
    assert DiscoverCandidate.objects.filter(note=note).exists()
    shown(note, impressions=10, ces=0)
    # when
    discovery_refresh()
    # then
    lists = DiscoverCandidate.objects.filter(note=note).values_list("list_key", flat=True)
    assert list(lists) == [DiscoverCandidate.MORE]


# --- Staff


def test_only_staff_may_boost_hold_or_release(user):
    # given
    note = pooled_note()
    # when / then
    for verb in (note_traffic_boost, note_traffic_hold, note_traffic_release):
        with pytest.raises(PermissionDenied):
            verb(actor=user, note_id=note.pk)


def test_a_boost_moves_the_note_up_with_a_fresh_budget(admin_user, small_pools):
    # given
    note = pooled_note()
    shown(note, impressions=4, ces=1)
    # when
    note_traffic_boost(actor=admin_user, note_id=note.pk)
    # then
    traffic = NoteTraffic.objects.get(note=note)
    assert (traffic.pool, traffic.state, traffic.impressions_at_entry) == (1, "offered", 4)
    entry = NotePoolEntry.objects.filter(note=note).last()
    assert (entry.reason, entry.staff) == (Reason.BOOSTED, admin_user)


def test_a_held_note_leaves_the_candidates_until_released(admin_user):
    # given
    note = pooled_note()
    note_traffic_hold(actor=admin_user, note_id=note.pk)
    # when
    discovery_refresh()
    held = DiscoverCandidate.objects.filter(note=note).exists()
    note_traffic_release(actor=admin_user, note_id=note.pk)
    discovery_refresh()
    # then
    assert held is False
    assert DiscoverCandidate.objects.filter(note=note).exists()
    assert [reason for _pool, reason in history(note)] == [
        Reason.PUBLISHED,
        Reason.HELD,
        Reason.RELEASED,
    ]


def test_holding_twice_writes_history_once(admin_user):
    # given
    note = pooled_note()
    note_traffic_hold(actor=admin_user, note_id=note.pk)
    # when
    note_traffic_hold(actor=admin_user, note_id=note.pk)
    # then
    assert [reason for _pool, reason in history(note)] == [Reason.PUBLISHED, Reason.HELD]


# --- Shown to staff in the admin and to the author on the note


def test_staff_boost_a_note_from_the_notes_admin(admin_client, small_pools):
    # given
    note = pooled_note()
    # when
    response = admin_client.post(
        reverse("admin:notes_note_changelist"),
        {"action": "boost_traffic", "_selected_action": [note.pk]},
        follow=True,
    )
    # then
    assert NoteTraffic.objects.get(note=note).pool == 1
    assert "1 note boosted." in response.content.decode()


def test_staff_hold_a_note_from_the_pools_admin(admin_client):
    # given
    note = pooled_note()
    # when
    admin_client.post(
        reverse("admin:notes_notetraffic_changelist"),
        {"action": "hold_traffic", "_selected_action": [note.pk]},
    )
    # then
    assert NoteTraffic.objects.get(note=note).state == NoteTraffic.State.HELD


def test_the_note_admin_shows_the_pool_and_its_history(admin_client, small_pools):
    # given
    note = pooled_note()
    shown(note, impressions=10, ces=5)
    traffic_pools_evaluate()
    # when
    response = admin_client.get(reverse("admin:notes_note_change", args=[note.pk]))
    # then
    html = response.content.decode()
    assert "Pool 2 of 3 · Offered · 0 / 20 readers · 0 CES gained, 0.00 per reader" in html
    assert "Promoted by engagement" in html


def test_the_pool_admin_shows_the_history(admin_client, small_pools):
    # given
    note = pooled_note()
    shown(note, impressions=10, ces=5)
    traffic_pools_evaluate()
    # when
    response = admin_client.get(reverse("admin:notes_notetraffic_change", args=[note.pk]))
    # then
    html = response.content.decode()
    assert "pool 1 · Published" in html
    assert "pool 2 · Promoted by engagement" in html


def test_the_author_sees_how_many_readers_their_note_was_shown_to(client, small_pools):
    # given
    note = pooled_note()
    shown(note, impressions=1240, ces=0)
    client.force_login(note.author)
    # when
    response = client.get(note.get_absolute_url())
    # then
    html = response.content.decode()
    assert "Shown to 1,240 readers" in html
    assert "Traffic pool 1 of 3: 1,240 of 10 readers reached" in html


def test_other_readers_do_not_see_a_notes_reach(user_client):
    # given
    note = pooled_note()
    # when
    response = user_client.get(note.get_absolute_url())
    # then
    assert response.context["reach"] is None
    assert b"note-reach" not in response.content

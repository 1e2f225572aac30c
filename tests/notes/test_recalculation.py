"""The CES recalculation: the nightly task and `manage.py recalculate_ces` run one service and
leave a summary row each."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.locks import job_lock
from notes.models import CesRun, Note, NoteImpressionDay, NoteTraffic
from notes.services import note_like
from notes.services.pools import traffic_pool_enter
from notes.services.recalculation import RECOUNT_LOCK, ces_recalculate
from notes.tasks import note_counters_recount_task
from tests.factories import NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_run_records_notes_corrected_and_the_largest_drift():
    # given: CES drifted by 7 on one note and by 2 on another
    drifted, slightly = NoteFactory(images=0), NoteFactory(images=0)
    Note.objects.filter(pk=drifted.pk).update(likes_count=7, ces=7)
    Note.objects.filter(pk=slightly.pk).update(likes_count=2, ces=2)
    # when
    run = ces_recalculate(trigger=CesRun.Trigger.COMMAND)
    # then
    run.refresh_from_db()
    assert (run.notes_changed, run.largest_drift, run.largest_drift_note_id) == (2, 7, drifted.pk)
    assert run.finished_at >= run.started_at
    assert run.trigger == "command"


def test_a_run_records_the_notes_promoted_by_the_pools(settings):
    # given: a note shown to its 10-reader budget, 5 of whom liked it (0.5 per reader)
    settings.TRAFFIC_POOL_BUDGETS = (10, 20)
    settings.TRAFFIC_POOL_PROMOTION_RATES = (0.2,)
    note = NoteFactory(images=0)
    traffic_pool_enter(note=note)
    for _ in range(5):
        note_like(actor=UserFactory(), note_id=note.pk)
    NoteImpressionDay.objects.create(note=note, day=timezone.localdate(), count=10)
    # when
    run = ces_recalculate(trigger=CesRun.Trigger.NIGHTLY)
    # then
    assert (run.impressions_changed, run.promoted, run.settled) == (1, 1, 0)
    assert NoteTraffic.objects.get(note=note).pool == 1


def test_the_nightly_task_leaves_a_nightly_row():
    # when
    note_counters_recount_task.apply().get()
    # then
    assert list(CesRun.objects.values_list("trigger", flat=True)) == ["nightly"]


def test_a_run_while_another_holds_the_lock_does_nothing_and_records_nothing():
    # given
    note = NoteFactory(images=0)
    Note.objects.filter(pk=note.pk).update(likes_count=7, ces=7)
    # when
    with job_lock(RECOUNT_LOCK, timeout=60):
        run = ces_recalculate(trigger=CesRun.Trigger.COMMAND)
    # then
    assert run is None
    assert not CesRun.objects.exists()
    assert Note.objects.get(pk=note.pk).ces == 7


def test_the_command_recalculates_and_says_what_it_changed():
    # given
    note = NoteFactory(images=0)
    Note.objects.filter(pk=note.pk).update(likes_count=3, ces=3)
    out = StringIO()
    # when
    call_command("recalculate_ces", "--no-progress", stdout=out, stderr=StringIO())
    # then
    assert Note.objects.get(pk=note.pk).ces == 0
    assert "1 notes corrected (largest CES drift 3)" in out.getvalue()
    assert CesRun.objects.get().trigger == "command"


def test_the_command_refuses_while_the_nightly_run_holds_the_lock():
    with job_lock(RECOUNT_LOCK, timeout=60), pytest.raises(CommandError):
        call_command("recalculate_ces", "--no-progress", stdout=StringIO(), stderr=StringIO())

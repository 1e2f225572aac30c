import pytest
from django.core.cache import cache

from notes.models import Note
from notes.tasks import RECOUNT_LOCK, note_counters_recount_task
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def test_nightly_recount_corrects_drifted_counters_and_ces():
    note = NoteFactory()
    Note.objects.filter(pk=note.pk).update(likes_count=7, ces=7)

    corrected = note_counters_recount_task.apply().get()

    note.refresh_from_db()
    assert corrected == 1
    assert (note.likes_count, note.ces) == (0, 0)


def test_nightly_recount_skips_while_another_run_holds_the_lock():
    note = NoteFactory()
    Note.objects.filter(pk=note.pk).update(likes_count=7)
    cache.add(RECOUNT_LOCK, "1", timeout=60)

    result = note_counters_recount_task.apply().get()

    note.refresh_from_db()
    assert result is None
    assert note.likes_count == 7


def test_nightly_recount_releases_its_lock():
    note_counters_recount_task.apply().get()

    assert cache.get(RECOUNT_LOCK) is None

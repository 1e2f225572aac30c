import pytest
from django.core.cache import cache
from taggit.models import Tag

from community.celery import app
from core.locks import job_lock
from notes import services
from notes.models import Note
from notes.selectors import tag_count_key
from notes.tasks import RECOUNT_LOCK, note_counters_recount_task, tag_counts_refresh_task
from tests.factories import NoteFactory, UserFactory
from users.models import User
from users.services import user_follow

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
    with job_lock(RECOUNT_LOCK, timeout=60):
        result = note_counters_recount_task.apply().get()

    note.refresh_from_db()
    assert result is None
    assert note.likes_count == 7


def test_nightly_recount_releases_its_lock():
    note_counters_recount_task.apply().get()

    with job_lock(RECOUNT_LOCK, timeout=60) as acquired:
        assert acquired


def test_nightly_recount_also_repairs_account_counters():
    author = UserFactory()
    fan = UserFactory()
    note = NoteFactory(author=author)
    services.note_like(actor=fan, note_id=note.pk)
    user_follow(actor=fan, followee=author)
    User.objects.filter(pk=author.pk).update(likes_received=40, followers_count=9)
    User.objects.filter(pk=fan.pk).update(following_count=0)

    note_counters_recount_task.apply().get()

    author.refresh_from_db()
    fan.refresh_from_db()
    assert (author.likes_received, author.followers_count) == (1, 1)
    assert fan.following_count == 1


def test_nightly_recount_in_small_batches_repairs_every_note_and_account(settings):
    settings.COUNTER_RECOUNT_BATCH_SIZE = 2
    author = UserFactory()
    fans = [UserFactory() for _ in range(4)]
    notes = [NoteFactory(author=author, images=0) for _ in range(3)]
    for fan in fans:
        user_follow(actor=fan, followee=author)
        for note in notes:
            services.note_like(actor=fan, note_id=note.pk)
    services.note_like(actor=author, note_id=notes[0].pk)
    Note.objects.update(likes_count=0, ces=0)
    User.objects.update(likes_received=0, followers_count=0, following_count=0)

    corrected = note_counters_recount_task.apply().get()

    author.refresh_from_db()
    assert corrected == 3
    assert list(Note.objects.order_by("pk").values_list("likes_count", "ces")) == [
        (5, 4),
        (4, 4),
        (4, 4),
    ]
    assert (author.likes_received, author.followers_count) == (12, 4)
    following = User.objects.filter(pk__in=[fan.pk for fan in fans]).values_list(
        "following_count", flat=True
    )
    assert list(following) == [1, 1, 1, 1]


def test_the_beat_refreshes_tag_counts_by_a_registered_name(settings):
    task = settings.CELERY_BEAT_SCHEDULE["tag-counts-refresh"]["task"]

    assert task in app.tasks


def test_the_tag_counts_task_puts_each_tags_count_where_the_tag_page_reads_it():
    NoteFactory().tags.add("tea")
    tag = Tag.objects.get(name="tea")

    assert tag_counts_refresh_task.apply().get() == 1

    assert cache.get(tag_count_key(tag.pk)) == 1

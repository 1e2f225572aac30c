"""Counters stay exact when many readers act at once (PostgreSQL row locking, F() updates)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from notes import services
from notes.models import Like, Note
from tests.factories import NoteFactory, UserFactory
from users.models import User
from users.services import user_follow

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_at_once(work, arguments):
    def call(argument):
        try:
            return work(argument)
        finally:
            connection.close()  # each thread has its own connection; give it back

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(call, arguments))


def test_simultaneous_likes_count_each_reader_once():
    note = NoteFactory()
    readers = [UserFactory() for _ in range(12)]

    results = run_at_once(
        lambda reader: services.note_like(actor=reader, note_id=note.pk), readers + readers
    )

    note.refresh_from_db()
    assert results.count(True) == 12
    assert Like.objects.filter(note=note).count() == 12
    assert (note.likes_count, note.ces) == (12, 12)


def test_simultaneous_follows_of_one_author_keep_follower_count_exact():
    author = UserFactory()
    fans = [UserFactory() for _ in range(10)]

    run_at_once(lambda fan: user_follow(actor=fan, followee=author), fans + fans)

    assert User.objects.get(pk=author.pk).followers_count == 10


def test_database_is_postgresql_in_this_run():
    assert connection.vendor == "postgresql"
    assert Note.objects.count() == 0

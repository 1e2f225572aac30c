"""Sign-ins and points stay exact when requests race (PostgreSQL row locks, unique keys)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from threading import Barrier

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from notes import services as note_services
from tests.factories import NoteFactory, UserFactory
from users.models import Notification, PointsEntry, SignIn, User
from users.services import points_grant, points_spend, sign_in_today

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

NOON = datetime(2025, 3, 1, 4, 0, tzinfo=UTC)


def run_at_once(work, arguments: list) -> list:
    """Call `work` on each argument from its own thread and connection, all released at once."""
    start = Barrier(len(arguments))

    def call(argument):
        try:
            start.wait()
            return work(argument)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(call, arguments))


def test_simultaneous_sign_ins_of_one_account_give_one_sign_in_and_one_reward():
    user = UserFactory()

    results = run_at_once(lambda _: sign_in_today(actor=user, at=NOON)[1], range(8))

    assert results.count(True) == 1
    assert SignIn.objects.count() == 1
    assert PointsEntry.objects.count() == 1
    assert User.objects.get(pk=user.pk).points_balance == 5
    assert User.objects.get(pk=user.pk).days_signed_in == 1


def test_simultaneous_spends_never_take_the_balance_below_zero():
    user = UserFactory()
    points_grant(actor=user, amount=100, reason="sign_in", idempotency_key="gift")

    def spend(number: int) -> bool:
        try:
            points_spend(
                actor=user, amount=30, reason="order_payment", idempotency_key=f"o{number}"
            )
        except ValidationError:
            return False
        return True

    results = run_at_once(spend, list(range(10)))

    assert results.count(True) == 3
    assert User.objects.get(pk=user.pk).points_balance == 10
    assert list(PointsEntry.objects.order_by("id").values_list("balance_after", flat=True)) == [
        100,
        70,
        40,
        10,
    ]


def test_simultaneous_grants_with_one_key_pay_once():
    user = UserFactory()

    results = run_at_once(
        lambda _: points_grant(actor=user, amount=50, reason="first_note", idempotency_key="k")[1],
        range(8),
    )

    assert results.count(True) == 1
    assert User.objects.get(pk=user.pk).points_balance == 50


def test_simultaneous_first_likes_of_a_note_make_one_message():
    author = UserFactory()
    note = NoteFactory(author=author)
    readers = [UserFactory() for _ in range(8)]

    run_at_once(lambda reader: note_services.note_like(actor=reader, note_id=note.pk), readers)

    message = Notification.objects.get(recipient=author)
    assert message.actors_count == 8
    assert message.actors.count() == 8
    assert User.objects.get(pk=author.pk).unread_notifications == 1

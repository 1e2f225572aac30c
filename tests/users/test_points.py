"""The points ledger: append-only entries, a balance that never goes negative, each cause
booked once; the ledger page, the API and the staff screens."""

import pytest
from django.contrib import admin, messages
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from notes import services as note_services
from notes.services import NoteContent
from tests.factories import UserFactory, image_upload
from users.models import PointsEntry, User
from users.services import growth_level_raise, points_grant, points_spend

pytestmark = pytest.mark.django_db

SIGN_IN = PointsEntry.Reason.SIGN_IN
PAYMENT = PointsEntry.Reason.ORDER_PAYMENT
STAFF = PointsEntry.Reason.STAFF_ADJUSTMENT


def balance(user: User) -> int:
    return User.objects.get(pk=user.pk).points_balance


def grant(user: User, amount: int, key: str) -> tuple[PointsEntry, bool]:
    return points_grant(actor=user, amount=amount, reason=SIGN_IN, idempotency_key=key)


def test_a_grant_adds_to_the_balance_and_books_an_entry(user):
    entry, created = grant(user, 30, "gift:1")

    assert created is True
    assert (entry.amount, entry.balance_after, entry.reason) == (30, 30, "sign_in")
    assert balance(user) == 30


def test_a_spend_takes_points_and_books_a_negative_entry(user):
    grant(user, 30, "gift:1")

    entry, created = points_spend(actor=user, amount=12, reason=PAYMENT, idempotency_key="order:7")

    assert created is True
    assert (entry.amount, entry.balance_after) == (-12, 18)
    assert balance(user) == 18


def test_spending_more_than_the_balance_is_refused_and_books_nothing(user):
    grant(user, 5, "gift:1")

    with pytest.raises(ValidationError) as error:
        points_spend(actor=user, amount=6, reason=PAYMENT, idempotency_key="order:7")

    assert error.value.messages == ["Not enough points: you have 5 points."]
    assert error.value.code == "not_enough_points"
    assert balance(user) == 5
    assert PointsEntry.objects.count() == 1


def test_the_same_key_is_booked_once(user):
    first, _created = grant(user, 30, "sign-in:1:2025-03-01")

    again, created = grant(user, 30, "sign-in:1:2025-03-01")

    assert (created, again.pk) == (False, first.pk)
    assert balance(user) == 30


def test_a_spend_retried_with_its_key_spends_once(user):
    grant(user, 30, "gift:1")
    points_spend(actor=user, amount=10, reason=PAYMENT, idempotency_key="order:7")

    _entry, created = points_spend(actor=user, amount=10, reason=PAYMENT, idempotency_key="order:7")

    assert created is False
    assert balance(user) == 20


def test_a_key_reused_for_another_movement_is_a_bug_not_a_replay(user, other_user):
    grant(user, 30, "gift:1")

    with pytest.raises(ValueError, match="gift:1"):
        grant(other_user, 30, "gift:1")


def test_the_database_refuses_a_negative_balance(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(points_balance=-1)


def test_a_staff_adjustment_says_why(user):
    staff = UserFactory(is_staff=True)

    with pytest.raises(ValidationError) as error:
        points_grant(
            actor=user, amount=5, reason=STAFF, idempotency_key="staff:1", note=" ", staff=staff
        )

    assert error.value.messages == ["Say why the points change."]


def test_only_staff_adjust_points(user, other_user):
    with pytest.raises(PermissionDenied):
        points_grant(
            actor=user, amount=5, reason=STAFF, idempotency_key="x", note="Nice", staff=other_user
        )


def test_the_first_published_note_pays_fifty_points_once(user):
    for title in ("One", "Two"):
        note_services.note_create(
            author=user, content=NoteContent(title=title, images=[image_upload()]), publish=True
        )

    assert list(PointsEntry.objects.values_list("reason", "amount")) == [("first_note", 50)]


def test_each_level_reached_pays_its_reward_once(user):
    User.objects.filter(pk=user.pk).update(
        notes_read=50, likes_given=20, comments_written=3, days_signed_in=5
    )

    growth_level_raise(account_id=user.pk)

    rewards = PointsEntry.objects.filter(reason="level_up").order_by("amount")
    assert list(rewards.values_list("amount", flat=True)) == [20, 30]  # levels 2 and 3
    assert balance(user) == 50


# --- The ledger page and API.


@pytest.mark.parametrize("entries", [2, 25])
def test_the_ledger_page_costs_three_queries_at_any_length(
    user_client, user, entries, django_assert_num_queries
):
    for number in range(entries):
        grant(user, number + 1, f"gift:{number}")

    with django_assert_num_queries(3):  # session, account, a page of entries
        response = user_client.get(reverse("me:points"))

    html = response.content.decode()
    assert html.count('<li class="ledger__row">') == min(entries, 20)
    assert (entries > 20) == ('rel="next"' in html)


def test_the_ledger_page_shows_the_balance_and_each_entry(user_client, user):
    grant(user, 30, "gift:1")
    points_spend(actor=user, amount=12, reason=PAYMENT, idempotency_key="order:7")

    html = user_client.get(reverse("me:points")).content.decode()

    assert '<p class="points__balance" data-balance>18</p>' in html
    assert "Paid toward an order" in html
    assert '<p class="ledger__amount ledger__amount--out">-12</p>' in html
    assert "Balance 18" in html


def test_an_empty_ledger_says_how_to_earn_points(user_client):
    html = user_client.get(reverse("me:points")).content.decode()

    assert "No points yet. Sign in today to earn your first." in html


def test_the_api_lists_the_ledger_and_me_has_the_balance(api, user):
    grant(user, 30, "gift:1")

    ledger = api.get("/api/v1/me/points/").json()
    me = api.get("/api/v1/me/").json()

    assert ledger["results"][0]["amount"] == 30
    assert ledger["results"][0]["reason_label"] == "Daily sign-in"
    assert me["points_balance"] == 30


# --- Staff.


def adjust(client, accounts, **data):
    return client.post(
        reverse("admin:users_user_changelist"),
        {
            "action": "adjust_points",
            admin.helpers.ACTION_CHECKBOX_NAME: [account.pk for account in accounts],
            **data,
        },
    )


def test_staff_are_asked_for_the_points_and_a_reason_first(admin_client, user):
    response = adjust(admin_client, [user])

    assert response.status_code == 200
    assert "Grant or deduct points" in response.content.decode()
    assert PointsEntry.objects.count() == 0


def test_staff_grant_points_with_a_reason(admin_client, user):
    shown = adjust(
        admin_client,
        [user],
        apply="1",
        amount="40",
        reason="Sorry for the outage",
        key="3b7c1f7e-0d0c-4f43-9a57-3d1f4f3c2a11",
    )

    entry = PointsEntry.objects.get()
    assert (entry.amount, entry.reason, entry.note) == (
        40,
        "staff_adjustment",
        "Sorry for the outage",
    )
    assert entry.staff.is_superuser
    assert [m.message for m in get_messages(shown.wsgi_request)] == [
        "Points adjusted for 1 account."
    ]


def test_the_same_adjustment_sent_twice_is_booked_once(admin_client, user):
    data = {
        "apply": "1",
        "amount": "40",
        "reason": "Gift",
        "key": "3b7c1f7e-0d0c-4f43-9a57-3d1f4f3c2a11",
    }

    adjust(admin_client, [user], **data)
    adjust(admin_client, [user], **data)

    assert balance(user) == 40


def test_staff_cannot_deduct_more_than_an_account_has(admin_client, user, other_user):
    grant(user, 50, "gift:1")

    shown = adjust(
        admin_client,
        [user, other_user],
        apply="1",
        amount="-20",
        reason="Abuse of the sign-in",
        key="3b7c1f7e-0d0c-4f43-9a57-3d1f4f3c2a11",
    )

    assert (balance(user), balance(other_user)) == (30, 0)
    assert (messages.WARNING, "xiaolan: Not enough points: you have 0 points.") in [
        (m.level, m.message) for m in get_messages(shown.wsgi_request)
    ]


def test_an_adjustment_without_a_reason_is_asked_again(admin_client, user):
    response = adjust(
        admin_client,
        [user],
        apply="1",
        amount="40",
        reason="",
        key="3b7c1f7e-0d0c-4f43-9a57-3d1f4f3c2a11",
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert PointsEntry.objects.count() == 0


def test_ledger_entries_are_read_only_for_staff(admin_client, user):
    entry, _created = grant(user, 5, "gift:1")

    change = admin_client.get(reverse("admin:users_pointsentry_change", args=[entry.pk]))
    add = admin_client.get(reverse("admin:users_pointsentry_add"))

    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert add.status_code == 403

"""Points as part payment through the ledger, given back on cancel or refund, and the
shopping reward paid once when an order completes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mall import services
from mall.models import Order
from mall.money import points_max, points_value, reward_points
from tests.mall.promotions import coupon
from users.models import PointsEntry, User

pytestmark = pytest.mark.django_db
Reason = PointsEntry.Reason


def balance(user: User) -> int:
    return User.objects.values_list("points_balance", flat=True).get(pk=user.pk)


@pytest.fixture
def rich(user):
    User.objects.filter(pk=user.pk).update(points_balance=5000)
    user.refresh_from_db()
    return user


@pytest.fixture
def order_with(rich, address):
    def place(sku, quantity: int = 1, **discounts):
        services.cart_add(actor=rich, sku_id=sku.pk, quantity=quantity)
        return services.order_place(actor=rich, address_id=address.pk, **discounts)

    return place


def test_points_pay_part_of_the_order_through_the_ledger(order_with, rich, red):
    order = order_with(red, points=2000)

    assert (order.points_used, order.points_discount, order.total) == (
        2000,
        Decimal("20.00"),
        Decimal("109.00"),
    )
    entry = PointsEntry.objects.get(reason=Reason.ORDER_PAYMENT)
    assert (entry.amount, entry.cause_id, entry.note) == (-2000, order.pk, order.number)
    assert balance(rich) == 3000


def test_more_points_than_the_balance_is_refused_with_a_message(order_with, rich, red):
    User.objects.filter(pk=rich.pk).update(points_balance=500)
    rich.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        order_with(red, points=600)

    assert refused.value.messages == ["Not enough points: you have 500 points."]
    assert not Order.objects.exists()
    assert balance(rich) == 500


def test_points_over_the_share_of_the_goods_are_refused(order_with, red):
    # 20 % of ¥129.00 is ¥25.80: 2580 points at most
    with pytest.raises(ValidationError) as refused:
        order_with(red, points=2581)

    assert refused.value.messages == ["At most 2580 points can pay for this order."]


def test_the_points_cap_is_taken_after_the_coupon(order_with, red):
    coupon(code="SAVE20")  # ¥129.00 - ¥20.00 = ¥109.00: 2180 points at most

    order = order_with(red, coupon_code="SAVE20", points=2180)

    assert order.total == Decimal("129.00") - Decimal("20.00") - Decimal("21.80")


def test_points_value_and_cap_round_in_the_buyers_favour_never_past_the_cap(settings):
    settings.MALL_POINTS_PER_YUAN = 3

    assert points_value(1) == Decimal("0.33")
    assert points_value(2) == Decimal("0.67")
    assert points_max(Decimal("10.00"), balance=100) == 6  # 20 % of ¥10 is ¥2: 6 points


def test_the_reward_counts_whole_yuan_paid(settings):
    settings.MALL_REWARD_POINTS_PER_YUAN = 2

    assert reward_points(Decimal("109.99")) == 218


def test_cancelling_grants_the_points_back_naming_the_order(order_with, rich, red):
    order = order_with(red, points=2000)

    services.order_cancel(actor=rich, number=order.number)

    back = PointsEntry.objects.get(reason=Reason.ORDER_REFUND)
    assert (back.amount, back.cause_id, back.note) == (2000, order.pk, order.number)
    assert balance(rich) == 5000


def test_an_expired_order_grants_its_points_back_once(order_with, rich, red):
    order = order_with(red, points=1000)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    services.order_expire(order_id=order.pk)
    services.order_expire(order_id=order.pk)

    assert PointsEntry.objects.filter(reason=Reason.ORDER_REFUND).count() == 1
    assert balance(rich) == 5000


def test_a_refund_grants_the_points_back(order_with, rich, staff, red):
    order = order_with(red, points=1000)
    services.order_pay_with_demo(actor=rich, number=order.number)

    services.order_refund(actor=staff, order_id=order.pk)

    assert balance(rich) == 5000


def test_completing_an_order_pays_the_shopping_reward_once(order_with, rich, staff, red):
    order = order_with(red, points=900)  # pays ¥120.00
    services.order_pay_with_demo(actor=rich, number=order.number)
    services.order_ship(actor=staff, order_id=order.pk, carrier="SF", tracking_number="SF1")

    services.order_confirm_receipt(actor=rich, number=order.number)
    with pytest.raises(ValidationError):
        services.order_confirm_receipt(actor=rich, number=order.number)

    reward = PointsEntry.objects.get(reason=Reason.SHOPPING_REWARD)
    assert (reward.amount, reward.cause_id) == (120, order.pk)
    assert balance(rich) == 5000 - 900 + 120


@pytest.fixture
def completed(order_with, rich, staff, red):
    """An order paying ¥120.00 (after 900 points), shipped and received: rewarded 120."""
    order = order_with(red, points=900)
    services.order_pay_with_demo(actor=rich, number=order.number)
    services.order_ship(actor=staff, order_id=order.pk, carrier="SF", tracking_number="SF1")
    services.order_confirm_receipt(actor=rich, number=order.number)
    return order


def test_refunding_a_completed_order_takes_its_shopping_reward_back(completed, rich, staff):
    # when
    services.order_refund(actor=staff, order_id=completed.pk)
    # then: the points paid come back, the reward goes
    taken = PointsEntry.objects.get(reason=Reason.SHOPPING_REWARD_TAKEN_BACK)
    assert (taken.amount, taken.cause_id, taken.note) == (-120, completed.pk, completed.number)
    assert balance(rich) == 5000


def test_a_partial_refund_takes_back_the_reward_of_the_money_returned(completed, rich, staff):
    # when: ¥50.50 of ¥120.00 back; ¥69.50 kept earns 69 points
    services.order_refund(actor=staff, order_id=completed.pk, amount=Decimal("50.50"))
    # then
    taken = PointsEntry.objects.get(reason=Reason.SHOPPING_REWARD_TAKEN_BACK)
    assert taken.amount == -(120 - 69)
    assert balance(rich) == 5000 - 900 + 69 + 900  # the 900 points paid came back too


def test_points_a_refund_gives_back_cover_the_reward_taken_back(completed, rich, staff):
    # given: the buyer holds 30 points of the 120 rewarded
    User.objects.filter(pk=rich.pk).update(points_balance=30)
    # when
    services.order_refund(actor=staff, order_id=completed.pk)
    # then: the 900 paid came back first, so all 120 could be taken
    assert balance(rich) == 30 + 900 - 120


def test_a_reward_is_taken_back_only_as_far_as_points_are_left(order_with, rich, staff, red):
    # given: an order paid in money only, completed, and its reward spent
    order = order_with(red)
    services.order_pay_with_demo(actor=rich, number=order.number)
    services.order_ship(actor=staff, order_id=order.pk, carrier="SF", tracking_number="SF1")
    services.order_confirm_receipt(actor=rich, number=order.number)
    User.objects.filter(pk=rich.pk).update(points_balance=40)
    # when
    services.order_refund(actor=staff, order_id=order.pk)
    # then: the 40 left are taken, never below zero
    assert PointsEntry.objects.get(reason=Reason.SHOPPING_REWARD_TAKEN_BACK).amount == -40
    assert balance(rich) == 0


def test_refunding_an_order_never_rewarded_takes_no_points(order_with, rich, staff, red):
    # given
    order = order_with(red, points=1000)
    services.order_pay_with_demo(actor=rich, number=order.number)
    # when
    services.order_refund(actor=staff, order_id=order.pk)
    # then
    assert not PointsEntry.objects.filter(reason=Reason.SHOPPING_REWARD_TAKEN_BACK).exists()


def test_the_order_page_shows_the_coupon_and_points(client, order_with, rich, red):
    coupon(code="SAVE20")
    order = order_with(red, coupon_code="SAVE20", points=1000)
    client.force_login(rich)

    page = client.get(reverse("mall:order", args=[order.number])).content.decode()

    assert "−¥20.00" in page
    assert "1000 points" in page
    assert "−¥10.00" in page
    assert "¥99.00" in page


def test_the_api_places_an_order_with_a_code_and_points(make_api_client, rich, address, red):
    coupon(code="SAVE20")
    services.cart_add(actor=rich, sku_id=red.pk)

    response = make_api_client(rich).post(
        reverse("mall_api:orders"),
        {"address": address.pk, "coupon_code": "SAVE20", "points": 1000},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert (response.data["coupon_discount"], response.data["points_used"]) == ("20.00", 1000)
    assert response.data["total"] == "99.00"

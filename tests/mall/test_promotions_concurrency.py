"""Promotions under concurrent checkouts, on PostgreSQL: a flash sale's quota and per-buyer
limit, a coupon's last use and a buyer's points each hold when many checkouts race."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from threading import Barrier

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mall import services
from mall.models import Coupon, FlashSale, Order
from tests.factories import UserFactory
from tests.mall.factories import AddressFactory, ProductFactory
from tests.mall.promotions import coupon, flash_sale
from users.models import User
from users.services.points import points_spend

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def run_at_once(work, arguments: list) -> list:
    """Call `work` once per argument, each in its own thread, all released together; a
    refusal (ValidationError) comes back as "refused"."""
    start = Barrier(len(arguments))

    def call(argument):
        try:
            start.wait(timeout=30)
            return work(argument)
        except ValidationError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(call, arguments))


def buyers_with(sku, count: int, quantity: int = 1) -> list[tuple[User, int]]:
    buyers = []
    for index in range(count):
        buyer = UserFactory(username=f"racer{index}")
        services.cart_add(actor=buyer, sku_id=sku.pk, quantity=quantity)
        buyers.append((buyer, AddressFactory(owner=buyer).pk))
    return buyers


def test_fifty_buyers_of_a_sale_with_a_quota_of_ten_make_ten_orders_at_its_price():
    sku = ProductFactory(skus=[{"stock": 100, "price": "129.00"}]).skus.get()
    sale = flash_sale(sku, price="99.00", quota=10, per_user_limit=1)
    buyers = buyers_with(sku, 50)

    def check_out(entry):
        buyer, address_id = entry
        return services.order_place(
            actor=buyer, address_id=address_id, expected_total=Decimal("99.00")
        )

    results = run_at_once(check_out, buyers)

    placed = [result for result in results if result != "refused"]
    assert len(placed) == 10
    assert Order.objects.count() == 10
    assert set(Order.objects.values_list("subtotal", flat=True)) == {Decimal("99.00")}
    assert FlashSale.objects.get(pk=sale.pk).remaining == 0


def test_one_buyers_concurrent_checkouts_keep_the_per_buyer_limit():
    sku = ProductFactory(skus=[{"stock": 100, "price": "129.00"}]).skus.get()
    sale = flash_sale(sku, price="99.00", quota=10, per_user_limit=1)
    [(buyer, address_id)] = buyers_with(sku, 1)

    def check_out(attempt):
        return services.order_place(actor=buyer, address_id=address_id)

    run_at_once(check_out, list(range(5)))

    assert Order.objects.filter(buyer=buyer, lines__flash_sale=sale).count() == 1
    assert FlashSale.objects.get(pk=sale.pk).remaining == 9


def test_a_coupon_with_one_use_left_is_redeemed_once_by_ten_concurrent_checkouts():
    sku = ProductFactory(skus=[{"stock": 100, "price": "129.00"}]).skus.get()
    single = coupon(code="ONCE", amount="20.00", total_uses=1)
    buyers = buyers_with(sku, 10)

    def check_out(entry):
        buyer, address_id = entry
        return services.order_place(actor=buyer, address_id=address_id, coupon_code="ONCE")

    results = run_at_once(check_out, buyers)

    assert len([result for result in results if result != "refused"]) == 1
    assert Order.objects.filter(coupon=single).count() == 1
    assert Coupon.objects.get(pk=single.pk).used_count == 1


def test_a_checkout_paying_with_points_racing_other_spends_never_drives_the_balance_negative():
    sku = ProductFactory(skus=[{"stock": 100, "price": "100.00"}]).skus.get()
    [(buyer, address_id)] = buyers_with(sku, 1)
    User.objects.filter(pk=buyer.pk).update(points_balance=3000)

    def spend(kind):
        fresh = User.objects.get(pk=buyer.pk)
        if kind == "checkout":
            return services.order_place(actor=fresh, address_id=address_id, points=2000)
        return points_spend(
            actor=fresh, amount=2000, reason="order_payment", idempotency_key=f"other-{kind}"
        )

    results = run_at_once(spend, ["checkout", 1, 2, 3, 4])

    assert len([result for result in results if result != "refused"]) == 1
    assert User.objects.get(pk=buyer.pk).points_balance == 1000

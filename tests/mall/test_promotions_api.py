"""The API of what the mall runs (campaigns, the 限时购 strip, coupons on offer) and of a
checkout priced before the order is placed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from mall import services
from mall.models import Campaign, Order
from tests.mall.factories import ProductFactory
from tests.mall.promotions import coupon, flash_sale, staff_member
from users.models import User

pytestmark = pytest.mark.django_db


def test_promotions_list_the_running_campaign_and_the_sales_on_and_coming(anonymous, red):
    services.campaign_save(
        actor=staff_member(),
        campaign=Campaign(
            name="Red Friday",
            starts_at=timezone.now() - timedelta(hours=1),
            ends_at=timezone.now() + timedelta(days=2),
        ),
    )
    on_now = flash_sale(red, price="99.00", quota=10)
    coming = flash_sale(ProductFactory().skus.get(), price="1.00", starts_in=timedelta(hours=3))

    body = anonymous.get("/api/v1/mall/promotions/").json()

    assert [campaign["name"] for campaign in body["campaigns"]] == ["Red Friday"]
    sales = {sale["id"]: sale for sale in body["flash_sales"]}
    assert sales[on_now.pk]["price"] == "99.00"
    assert sales[on_now.pk]["regular_price"] == "129.00"
    assert sales[on_now.pk]["remaining"] == 10
    assert sales[on_now.pk]["product"]["title"] == "Velvet lipstick"
    assert (sales[on_now.pk]["is_upcoming"], sales[coming.pk]["is_upcoming"]) == (False, True)


def test_promotions_cost_the_same_queries_for_more_sales(anonymous, red, django_assert_num_queries):
    flash_sale(red)
    with django_assert_num_queries(3) as one:
        anonymous.get("/api/v1/mall/promotions/")
    for _ in range(3):
        flash_sale(ProductFactory().skus.get(), price="1.00")

    with django_assert_num_queries(len(one)):
        response = anonymous.get("/api/v1/mall/promotions/")

    assert len(response.json()["flash_sales"]) == 4


def test_coupons_on_offer_say_which_the_buyer_has_claimed(api, user):
    claimed = coupon(code="", is_claimable=True)
    other = coupon(code="", is_claimable=True)
    coupon(code="TYPED")  # typed at checkout, not on offer
    services.coupon_claim(actor=user, coupon_id=claimed.pk)

    body = api.get("/api/v1/mall/coupons/on-offer/").json()

    assert {row["coupon"]["id"]: row["is_claimed"] for row in body} == {
        claimed.pk: True,
        other.pk: False,
    }


def test_coupons_on_offer_are_shown_to_signed_out_readers(anonymous):
    offered = coupon(code="", is_claimable=True)

    body = anonymous.get("/api/v1/mall/coupons/on-offer/").json()

    assert [(row["coupon"]["id"], row["is_claimed"]) for row in body] == [(offered.pk, False)]


def test_checkout_prices_a_code_and_points_as_the_order_then_charges(api, user, address, red):
    coupon(code="SAVE20")
    User.objects.filter(pk=user.pk).update(points_balance=1000)
    services.cart_add(actor=user, sku_id=red.pk)

    quote = api.get("/api/v1/mall/checkout/", {"coupon_code": "save20", "points": 100}).json()
    placed = api.post(
        "/api/v1/mall/orders/",
        {
            "address": address.pk,
            "coupon_code": "save20",
            "points": 100,
            "expected_total": quote["total"],
        },
        format="json",
    )

    assert quote["coupon"]["discount"] == "20.00"
    assert (quote["points"], quote["problems"], quote["can_check_out"]) == (100, [], True)
    assert placed.status_code == 201, placed.json()
    assert Order.objects.get().total == Decimal(quote["total"])


def test_checkout_says_why_a_code_is_refused(api, user, red):
    services.cart_add(actor=user, sku_id=red.pk)

    quote = api.get("/api/v1/mall/checkout/", {"coupon_code": "NOPE"}).json()

    assert quote["problems"] == ["No coupon has the code NOPE."]
    assert quote["can_check_out"] is False
    assert quote["total"] == quote["cart"]["total"]


def test_checkout_refuses_points_below_zero(api, user, red):
    services.cart_add(actor=user, sku_id=red.pk)

    response = api.get("/api/v1/mall/checkout/", {"points": -5})

    assert response.status_code == 400
    assert "points" in response.json()


def test_checkout_is_for_a_signed_in_buyer(anonymous):
    assert anonymous.get("/api/v1/mall/checkout/").status_code in (401, 403)

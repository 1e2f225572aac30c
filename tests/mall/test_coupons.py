"""Coupons: typed or claimed, their rules at each boundary, one per order, given back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mall import services
from mall.models import Coupon, CouponClaim, CouponRedemption, Order
from tests.mall.factories import BrandFactory, CategoryFactory, ProductFactory
from tests.mall.promotions import coupon

pytestmark = pytest.mark.django_db
S = Order.Status


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the clock: frozen(moment)."""

    def freeze(moment) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


@pytest.fixture
def order_with(user, address):
    """Put `quantity` of an SKU in the user's cart and order it with a coupon."""

    def place(sku, quantity: int = 1, **discounts):
        services.cart_add(actor=user, sku_id=sku.pk, quantity=quantity)
        return services.order_place(actor=user, address_id=address.pk, **discounts)

    return place


def uses(made: Coupon) -> int:
    return Coupon.objects.values_list("used_count", flat=True).get(pk=made.pk)


def refusal(place, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as refused:
        place(*args, **kwargs)
    return " ".join(refused.value.messages)


# --- Using a code.


def test_a_fixed_coupon_takes_its_amount_off_and_is_used_once(order_with, red):
    made = coupon(code="SAVE20", amount="20.00")

    order = order_with(red, coupon_code="SAVE20")

    assert (order.subtotal, order.coupon_discount, order.total) == (
        Decimal("129.00"),
        Decimal("20.00"),
        Decimal("109.00"),
    )
    assert order.coupon == made
    assert uses(made) == 1
    assert CouponRedemption.objects.get().amount == Decimal("20.00")


def test_a_code_is_read_whatever_its_case_and_spaces(order_with, red):
    coupon(code="SAVE20")

    order = order_with(red, coupon_code="  save20 ")

    assert order.coupon_discount == Decimal("20.00")


def test_an_unknown_code_stops_the_order_with_a_message(order_with, red):
    message = refusal(order_with, red, coupon_code="NOPE")

    assert message == "No coupon has the code NOPE."
    assert not Order.objects.exists()


def test_a_percentage_coupon_is_capped(order_with, red):
    coupon(code="PCT", kind="percent", amount=None, percent=15, max_discount="30.00")

    order = order_with(red, quantity=2, coupon_code="PCT")  # 15% of ¥258.00 is ¥38.70

    assert order.coupon_discount == Decimal("30.00")


def test_a_percentage_is_rounded_half_up_to_the_fen(order_with):
    sku = ProductFactory(skus=[{"price": "12.50"}]).skus.get()
    coupon(code="PCT", kind="percent", amount=None, percent=5)

    order = order_with(sku, coupon_code="PCT")  # 5% of ¥12.50 is ¥0.625

    assert order.coupon_discount == Decimal("0.63")


def test_a_coupon_worth_more_than_the_goods_leaves_them_at_a_fen(order_with):
    sku = ProductFactory(skus=[{"price": "15.00"}]).skus.get()
    coupon(code="BIG", amount="50.00")

    order = order_with(sku, coupon_code="BIG")

    assert order.coupon_discount == Decimal("14.99")
    assert order.total == Decimal("0.01") + order.shipping_fee


def test_the_minimum_spend_is_met_at_exactly_the_amount(order_with, red):
    coupon(code="MIN", min_spend="129.00")

    order = order_with(red, coupon_code="MIN")

    assert order.coupon_discount == Decimal("20.00")


def test_a_fen_below_the_minimum_spend_is_refused(order_with, red):
    coupon(code="MIN", min_spend="129.01")

    message = refusal(order_with, red, coupon_code="MIN")

    assert message == "Spend ¥129.01 on the products it applies to to use this coupon."


def test_a_coupon_works_from_the_first_second_of_its_window(order_with, red, frozen):
    made = coupon(code="WIN", starts_in=timedelta(hours=1))
    frozen(made.starts_at)

    order = order_with(red, coupon_code="WIN")

    assert order.coupon_discount == Decimal("20.00")


def test_a_coupon_is_refused_a_second_before_its_window(order_with, red, frozen):
    made = coupon(code="WIN", starts_in=timedelta(hours=1))
    frozen(made.starts_at - timedelta(seconds=1))

    message = refusal(order_with, red, coupon_code="WIN")

    assert message.startswith("This coupon can be used from ")


def test_a_coupon_is_refused_from_the_end_of_its_window(order_with, red, frozen):
    made = coupon(code="WIN")
    frozen(made.ends_at)

    assert refusal(order_with, red, coupon_code="WIN") == "This coupon has expired."


def test_a_buyer_uses_a_coupon_as_often_as_it_allows(order_with, red):
    coupon(code="ONCE", per_user_uses=1)
    order_with(red, coupon_code="ONCE")

    assert refusal(order_with, red, coupon_code="ONCE") == "You have already used this coupon."


def test_a_coupon_with_no_uses_left_is_refused(order_with, red, other_user):
    made = coupon(code="GONE", total_uses=1)
    Coupon.objects.filter(pk=made.pk).update(used_count=1)

    assert refusal(order_with, red, coupon_code="GONE") == "This coupon has run out."


def test_a_coupon_limited_to_a_top_category_applies_to_its_subcategories(order_with, red, beauty):
    coupon(code="BEAUTY", categories=[beauty])

    order = order_with(red, coupon_code="BEAUTY")

    assert order.coupon_discount == Decimal("20.00")


def test_a_coupon_limited_to_another_category_is_refused(order_with, red):
    coupon(code="SHOES", categories=[CategoryFactory(slug="shoes")])

    message = refusal(order_with, red, coupon_code="SHOES")

    assert message == "This coupon does not apply to these products."


def test_a_category_coupon_counts_only_its_products_toward_the_minimum(
    order_with, user, red, beauty
):
    services.cart_add(actor=user, sku_id=ProductFactory(skus=[{"price": "200.00"}]).skus.get().pk)
    coupon(code="BEAUTY", categories=[beauty], min_spend="150.00")

    message = refusal(order_with, red, coupon_code="BEAUTY")  # ¥129.00 of beauty, ¥329.00 in all

    assert message == "Spend ¥150.00 on the products it applies to to use this coupon."


def test_a_brand_coupon_takes_off_at_most_what_its_products_cost(order_with, user, red):
    brand = BrandFactory(slug="velvet")
    sku = ProductFactory(brand=brand, skus=[{"price": "10.00"}]).skus.get()
    services.cart_add(actor=user, sku_id=red.pk)
    coupon(code="BRAND", amount="20.00", brands=[brand])

    order = order_with(sku, coupon_code="BRAND")

    assert order.coupon_discount == Decimal("10.00")


# --- The wallet.


def test_a_claimed_coupon_is_used_from_the_wallet(order_with, user, red):
    made = coupon(code="", is_claimable=True)
    services.coupon_claim(actor=user, coupon_id=made.pk)

    order = order_with(red, coupon_id=made.pk)

    assert order.coupon == made


def test_a_coupon_not_in_the_wallet_cannot_be_used_by_its_id(order_with, red):
    made = coupon(code="", is_claimable=True)

    message = refusal(order_with, red, coupon_id=made.pk)

    assert message == "That coupon is not in your wallet."


def test_a_typed_code_is_the_orders_one_coupon_even_with_a_wallet_coupon(order_with, user, red):
    claimed = coupon(code="", is_claimable=True, amount="5.00")
    services.coupon_claim(actor=user, coupon_id=claimed.pk)
    typed = coupon(code="SAVE20")

    order = order_with(red, coupon_code="SAVE20", coupon_id=claimed.pk)

    assert order.coupon == typed
    assert CouponRedemption.objects.get().coupon == typed


def test_claiming_twice_keeps_one_claim(user):
    made = coupon(code="", is_claimable=True)

    services.coupon_claim(actor=user, coupon_id=made.pk)
    _claim, created = services.coupon_claim(actor=user, coupon_id=made.pk)

    assert created is False
    assert CouponClaim.objects.count() == 1


def test_a_coupon_not_on_offer_cannot_be_claimed(user):
    made = coupon(code="STAFFONLY")

    with pytest.raises(ValidationError):
        services.coupon_claim(actor=user, coupon_id=made.pk)


def test_the_coupons_page_claims_into_the_wallet(user_client, user):
    made = coupon(code="", is_claimable=True)

    response = user_client.post(reverse("mall:coupon_claim", args=[made.pk]), follow=True)

    assert "Added to your coupons." in response.content.decode()
    assert [entry["coupon"] for entry in response.context["wallet"]] == [made]


def test_the_coupons_page_costs_the_same_queries_for_more_coupons(
    user_client, user, django_assert_num_queries
):
    services.coupon_claim(actor=user, coupon_id=coupon(code="", is_claimable=True).pk)
    with django_assert_num_queries(6) as one:
        user_client.get(reverse("mall:coupons"))
    for _ in range(3):
        services.coupon_claim(actor=user, coupon_id=coupon(code="", is_claimable=True).pk)
        coupon(code="", is_claimable=True)

    with django_assert_num_queries(len(one)):
        response = user_client.get(reverse("mall:coupons"))

    assert len(response.context["wallet"]) == 4


# --- Checkout page.


def test_the_checkout_page_applies_a_code_and_shows_the_new_total(user_client, user, address, red):
    coupon(code="SAVE20")
    services.cart_add(actor=user, sku_id=red.pk)

    response = user_client.post(
        reverse("mall:checkout"),
        {"address": address.pk, "coupon_code": "SAVE20", "action": "apply"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "−¥20.00" in page
    assert 'name="expected_total" value="109.00"' in page
    assert not Order.objects.exists()


def test_the_checkout_page_says_why_a_code_is_refused(user_client, user, address, red):
    services.cart_add(actor=user, sku_id=red.pk)

    response = user_client.post(
        reverse("mall:checkout"), {"address": address.pk, "coupon_code": "X", "action": "apply"}
    )

    assert "No coupon has the code X." in response.content.decode()


def test_placing_from_the_checkout_page_uses_the_code(user_client, user, address, red):
    coupon(code="SAVE20")
    services.cart_add(actor=user, sku_id=red.pk)

    user_client.post(
        reverse("mall:checkout"),
        {"address": address.pk, "coupon_code": "SAVE20", "expected_total": "109.00"},
    )

    assert Order.objects.get().total == Decimal("109.00")


def test_a_code_typed_with_place_order_is_priced_first_for_the_buyer_to_confirm(
    user_client, user, address, red
):
    coupon(code="SAVE20")
    services.cart_add(actor=user, sku_id=red.pk)
    shown = user_client.get(reverse("mall:checkout")).content.decode()
    assert 'name="quoted" value="||0"' in shown

    response = user_client.post(
        reverse("mall:checkout"),
        {
            "address": address.pk,
            "coupon_code": "save20",
            "expected_total": "129.00",
            "quoted": "||0",
        },
    )

    page = response.content.decode()
    assert not Order.objects.exists()
    assert "the total is now ¥109.00" in page
    assert "Prices changed" not in page
    assert 'name="expected_total" value="109.00"' in page
    assert 'name="quoted" value="|SAVE20|0"' in page


def test_place_order_after_the_code_was_priced_places_it(user_client, user, address, red):
    coupon(code="SAVE20")
    services.cart_add(actor=user, sku_id=red.pk)

    user_client.post(
        reverse("mall:checkout"),
        {
            "address": address.pk,
            "coupon_code": "save20",
            "expected_total": "109.00",
            "quoted": "|SAVE20|0",
        },
    )

    assert Order.objects.get().total == Decimal("109.00")


def test_the_checkout_page_costs_the_same_queries_with_a_coupon_for_more_lines(
    user_client, user, address, django_assert_num_queries
):
    coupon(code="SAVE20")
    services.cart_add(actor=user, sku_id=ProductFactory().skus.get().pk)
    data = {"coupon_code": "SAVE20", "action": "apply"}
    with django_assert_num_queries(11) as one:
        user_client.post(reverse("mall:checkout"), data)
    for product in ProductFactory.create_batch(3):
        services.cart_add(actor=user, sku_id=product.skus.get().pk)

    with django_assert_num_queries(len(one)):
        user_client.post(reverse("mall:checkout"), data)


# --- Given back.


def test_cancelling_an_unpaid_order_gives_the_coupons_use_back(order_with, user, red):
    made = coupon(code="ONCE", total_uses=1)
    order = order_with(red, coupon_code="ONCE")

    services.order_cancel(actor=user, number=order.number)

    assert uses(made) == 0
    assert not CouponRedemption.objects.exists()
    assert order_with(red, coupon_code="ONCE").coupon == made


def test_an_expired_order_gives_the_coupons_use_back(order_with, red):
    made = coupon(code="ONCE")
    order = order_with(red, coupon_code="ONCE")
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    services.order_expire(order_id=order.pk)

    assert uses(made) == 0


def test_a_refund_gives_the_coupons_use_back(order_with, user, staff, red):
    made = coupon(code="ONCE")
    order = order_with(red, coupon_code="ONCE")
    services.order_pay_with_demo(actor=user, number=order.number)

    services.order_refund(actor=staff, order_id=order.pk)

    assert uses(made) == 0
    assert not CouponRedemption.objects.exists()

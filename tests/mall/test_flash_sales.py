"""Flash sales (限时购): scheduled by staff, priced and limited at checkout, units given back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from mall import services
from mall.models import FlashSale, Order
from mall.templatetags.mall import countdown, time_left
from tests.mall.factories import ProductFactory
from tests.mall.promotions import flash_sale, staff_member

pytestmark = pytest.mark.django_db


def remaining(sale: FlashSale) -> int:
    return FlashSale.objects.values_list("remaining", flat=True).get(pk=sale.pk)


# --- Scheduling.


def test_a_new_sale_has_its_whole_quota_left(red):
    sale = flash_sale(red, quota=5)

    assert sale.remaining == 5


def test_a_sale_priced_at_or_above_the_skus_price_is_refused_with_the_price(red):
    with pytest.raises(ValidationError) as refused:
        flash_sale(red, price="129.00")

    assert refused.value.message_dict["price"] == [
        "The sale price must be below the SKU's price (¥129.00)."
    ]
    assert not FlashSale.objects.exists()


def test_a_sale_overlapping_another_of_the_same_sku_is_refused(red):
    flash_sale(red, starts_in=timedelta(hours=1), lasts=timedelta(hours=2))

    with pytest.raises(ValidationError) as refused:
        flash_sale(red, starts_in=timedelta(hours=2), lasts=timedelta(hours=2))

    assert "cannot overlap" in refused.value.messages[0]
    assert FlashSale.objects.count() == 1


def test_back_to_back_sales_of_one_sku_are_allowed(red):
    first = flash_sale(red, starts_in=timedelta(hours=1), lasts=timedelta(hours=2))

    flash_sale(red, starts_in=first.ends_at - timezone.now(), lasts=timedelta(hours=1))

    assert FlashSale.objects.count() == 2


def test_sales_of_different_skus_may_overlap(red, product):
    pink = product.skus.get(code="LIP-PINK")
    flash_sale(red)

    flash_sale(pink, price="100.00")

    assert FlashSale.objects.count() == 2


def test_the_admin_refuses_an_overlapping_sale_with_its_message(client, staff, red):
    flash_sale(red)
    client.force_login(staff)
    start = timezone.localtime() + timedelta(minutes=10)

    response = client.post(
        reverse("admin:mall_flashsale_add"),
        {
            "sku": red.pk,
            "price": "90.00",
            "starts_at_0": start.strftime("%Y-%m-%d"),
            "starts_at_1": start.strftime("%H:%M:%S"),
            "ends_at_0": (start + timedelta(hours=1)).strftime("%Y-%m-%d"),
            "ends_at_1": (start + timedelta(hours=1)).strftime("%H:%M:%S"),
            "quota": "5",
            "per_user_limit": "1",
        },
    )

    assert response.status_code == 200
    assert "sales of one SKU cannot overlap" in response.content.decode()
    assert FlashSale.objects.count() == 1


def test_lowering_the_quota_keeps_units_already_sold(user, place_order, red):
    sale = flash_sale(red, quota=5)
    place_order(red, quantity=2)
    sale.quota = 4

    services.flash_sale_save(actor=staff_member(), sale=sale)

    assert remaining(sale) == 2


def test_the_quota_cannot_go_below_units_already_sold(place_order, red):
    sale = flash_sale(red, quota=5)
    place_order(red, quantity=2)
    sale.quota = 1

    with pytest.raises(ValidationError):
        services.flash_sale_save(actor=staff_member(), sale=sale)


# --- Buying.


def test_an_order_during_the_sale_pays_the_sale_price_and_takes_its_units(place_order, red):
    sale = flash_sale(red, price="99.00", quota=5)

    order = place_order(red, quantity=2)

    line = order.lines.get()
    assert (line.unit_price, line.line_total, line.flash_sale_id) == (
        Decimal("99.00"),
        Decimal("198.00"),
        sale.pk,
    )
    assert remaining(sale) == 3


def test_before_the_sale_the_normal_price_is_paid(place_order, red):
    sale = flash_sale(red, starts_in=timedelta(minutes=5))

    order = place_order(red)

    assert order.lines.get().unit_price == Decimal("129.00")
    assert remaining(sale) == sale.quota


def test_after_the_sale_the_normal_price_returns(place_order, red):
    flash_sale(red, starts_in=timedelta(hours=-3), lasts=timedelta(hours=1))

    order = place_order(red)

    assert order.lines.get().unit_price == Decimal("129.00")


def test_a_sold_out_sale_leaves_the_normal_price(place_order, red, other_user):
    sale = flash_sale(red, quota=1, per_user_limit=1)
    place_order(red, buyer=other_user)

    order = place_order(red)

    assert remaining(sale) == 0
    assert order.lines.get().unit_price == Decimal("129.00")


def test_more_than_the_per_buyer_limit_is_refused_with_a_message(place_order, red):
    flash_sale(red, per_user_limit=1)

    with pytest.raises(ValidationError) as refused:
        place_order(red, quantity=2)

    assert "at most 1 per buyer" in refused.value.messages[0]
    assert not Order.objects.exists()


def test_the_per_buyer_limit_counts_earlier_orders(user, address, place_order, red):
    flash_sale(red, per_user_limit=1)
    place_order(red)
    services.cart_add(actor=user, sku_id=red.pk)

    with pytest.raises(ValidationError):
        services.order_place(actor=user, address_id=address.pk)

    assert Order.objects.count() == 1


def test_cancelling_an_order_gives_its_units_back_to_the_sale(user, place_order, red):
    sale = flash_sale(red, quota=5)
    order = place_order(red, quantity=2)

    services.order_cancel(actor=user, number=order.number)

    assert remaining(sale) == 5


def test_an_expired_order_gives_its_units_back_to_the_sale(place_order, red):
    sale = flash_sale(red, quota=5)
    order = place_order(red, quantity=2)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    services.order_expire(order_id=order.pk)

    assert remaining(sale) == 5


def test_a_cancelled_order_frees_the_buyers_limit(user, address, place_order, red):
    flash_sale(red, per_user_limit=1)
    order = place_order(red)
    services.order_cancel(actor=user, number=order.number)

    again = place_order(red)

    assert again.lines.get().unit_price == Decimal("99.00")


def test_sale_windows_are_shown_in_shanghai_time(red):
    flash_sale(red, starts_in=timedelta(hours=1), lasts=timedelta(hours=1))
    start = timezone.now().replace(microsecond=0) + timedelta(minutes=30)

    with pytest.raises(ValidationError) as refused:
        flash_sale(red, starts_in=start - timezone.now(), lasts=timedelta(hours=1))

    first = FlashSale.objects.get()
    shanghai = timezone.localtime(first.starts_at).strftime("%Y-%m-%d %H:%M")
    assert str(timezone.get_current_timezone()) == "Asia/Shanghai"
    assert f"from {shanghai}" in refused.value.messages[0]


# --- Pages.


def test_the_mall_home_shows_a_countdown_before_a_sale(client, red):
    flash_sale(red, starts_in=timedelta(hours=2))

    page = client.get(reverse("mall:home")).content.decode()

    assert "Flash sale" in page
    assert "Starts in" in page
    assert "data-countdown" in page
    assert "js/countdown.js" in page


def test_the_product_page_shows_the_price_and_units_left_during_a_sale(client, product, red):
    flash_sale(red, price="99.00", quota=7, per_user_limit=2)

    page = client.get(product.get_absolute_url()).content.decode()

    assert "¥99.00" in page
    assert "7 left at this price" in page
    assert "Ends in" in page


def test_the_product_pages_price_is_the_sale_price_with_the_skus_struck_through(
    client, product, red
):
    flash_sale(red, price="99.00")

    page = client.get(product.get_absolute_url()).content.decode()

    assert "data-sku-price>¥99.00</span>" in page
    assert 'data-price="¥99.00" data-was="¥129.00"' in page


def test_the_product_page_has_no_sale_after_it_ends(client, product, red):
    flash_sale(red, starts_in=timedelta(hours=-3), lasts=timedelta(hours=1))

    page = client.get(product.get_absolute_url()).content.decode()

    assert "left at this price" not in page
    assert "js/countdown.js" not in page


def test_the_cart_shows_the_sale_price(user_client, user, red):
    flash_sale(red, price="99.00")
    services.cart_add(actor=user, sku_id=red.pk)

    page = user_client.get(reverse("mall:cart")).content.decode()

    assert "¥99.00" in page
    assert "Price changed" not in page


def test_the_home_costs_the_same_queries_for_more_sales(client, django_assert_num_queries):
    flash_sale(ProductFactory().skus.get(), price="50.00")
    with django_assert_num_queries(10) as one:
        client.get(reverse("mall:home"))
    for product in ProductFactory.create_batch(3):
        flash_sale(product.skus.get(), price="50.00")

    with django_assert_num_queries(len(one)):
        response = client.get(reverse("mall:home"))

    assert len(response.context["flash_sales"]) == 4


def test_a_countdown_shows_days_then_a_clock():
    now = timezone.now()

    assert time_left(now + timedelta(days=2, hours=1, minutes=2, seconds=3), now) == "2d 01:02:03"
    assert time_left(now - timedelta(seconds=5), now) == "00:00:00"


def test_a_countdown_past_a_day_reads_in_chinese_and_tells_the_script_how():
    ends = timezone.now() + timedelta(days=3, minutes=5)

    with translation.override("zh-hans"):
        html = countdown(ends)

    assert ">3天 00:0" in html
    assert 'data-days="%(days)s天 %(clock)s"' in html

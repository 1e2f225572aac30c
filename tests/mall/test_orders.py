"""Orders: placing one from the cart in one transaction, and every change of status after."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from mall import services
from mall.models import CartLine, Order, OrderEvent, Product, Sku
from mall.tasks import orders_expire_task
from tests.mall.factories import ProductFactory

pytestmark = pytest.mark.django_db
S = Order.Status


def stock(sku: Sku) -> int:
    return Sku.objects.values_list("stock", flat=True).get(pk=sku.pk)


# --- Placing.


def test_placing_an_order_takes_the_stock_copies_the_lines_and_empties_the_cart(user, address, red):
    services.cart_add(actor=user, sku_id=red.pk, quantity=2)

    order = services.order_place(actor=user, address_id=address.pk)

    line = order.lines.get()
    assert (line.title, line.sku_label, line.sku_code) == ("Velvet lipstick", "Red", "LIP-RED")
    assert (line.unit_price, line.quantity, line.line_total) == (
        Decimal("129.00"),
        2,
        Decimal("258.00"),
    )
    assert (order.subtotal, order.shipping_fee, order.total) == (
        Decimal("258.00"),
        Decimal("0.00"),
        Decimal("258.00"),
    )
    assert order.status == S.PENDING_PAYMENT
    assert order.ship_address == "上海市 上海市 静安区 南京西路 1266 号"
    assert stock(red) == 1
    assert not CartLine.objects.filter(owner=user).exists()


def test_order_numbers_are_long_random_and_unambiguous(place_order, red):
    first, second = place_order(red), place_order(red)

    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{16}", first.number)
    assert first.number != second.number


def test_prices_are_read_from_the_database_not_from_the_form(user_client, user, address, red):
    services.cart_add(actor=user, sku_id=red.pk)

    user_client.post(
        reverse("mall:checkout"),
        {
            "address": address.pk,
            "expected_total": "129.00",
            "unit_price": "0.01",
            "total": "0.01",
            "subtotal": "0.01",
        },
    )

    assert Order.objects.get(buyer=user).total == Decimal("129.00")


def test_prices_are_read_from_the_database_not_from_the_api(api, user, address, red):
    services.cart_add(actor=user, sku_id=red.pk)

    response = api.post(
        "/api/v1/mall/orders/",
        {"address": address.pk, "total": "0.01", "lines": [{"sku": red.pk, "unit_price": "0.01"}]},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["total"], response.json()["lines"][0]["unit_price"]) == (
        "129.00",
        "129.00",
    )


def test_a_price_changed_since_the_buyer_looked_stops_the_order_and_says_the_new_total(
    user, address, red
):
    services.cart_add(actor=user, sku_id=red.pk)
    Sku.objects.filter(pk=red.pk).update(price=Decimal("149.00"))

    with pytest.raises(ValidationError) as error:
        services.order_place(actor=user, address_id=address.pk, expected_total=Decimal("129.00"))

    assert error.value.messages == [
        "Prices changed since you looked: the total is now ¥149.00. Check and try again."
    ]
    assert (Order.objects.count(), stock(red)) == (0, 3)


def test_a_line_that_sold_out_since_is_left_in_the_cart_and_the_rest_is_ordered(user, address, red):
    gone = ProductFactory(title="Hand cream").skus.get()
    services.cart_add(actor=user, sku_id=red.pk)
    services.cart_add(actor=user, sku_id=gone.pk)
    Sku.objects.filter(pk=gone.pk).update(stock=0)

    order = services.order_place(actor=user, address_id=address.pk)

    assert [line.sku_id for line in order.lines.all()] == [red.pk]
    assert list(CartLine.objects.filter(owner=user).values_list("sku_id", flat=True)) == [gone.pk]


def test_a_line_over_the_stock_stops_the_order_and_loses_nothing(user, address, red):
    services.cart_add(actor=user, sku_id=red.pk, quantity=3)
    Sku.objects.filter(pk=red.pk).update(stock=2)

    with pytest.raises(ValidationError) as error:
        services.order_place(actor=user, address_id=address.pk)

    assert error.value.messages == ["Velvet lipstick: Only 2 left."]
    assert CartLine.objects.get(owner=user).quantity == 3
    assert stock(red) == 2


def test_checkout_page_says_why_an_order_was_refused_and_keeps_the_cart(
    user_client, user, address, red
):
    services.cart_add(actor=user, sku_id=red.pk)

    response = user_client.post(
        reverse("mall:checkout"), {"address": address.pk, "expected_total": "1.00"}, follow=True
    )

    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        "Prices changed since you looked: the total is now ¥129.00. Check and try again."
    ]
    assert CartLine.objects.filter(owner=user).count() == 1


def test_checkout_sends_the_buyer_on_to_pay(user_client, user, address, red):
    services.cart_add(actor=user, sku_id=red.pk)

    response = user_client.post(
        reverse("mall:checkout"), {"address": address.pk, "expected_total": "129.00"}
    )

    order = Order.objects.get(buyer=user)
    assert response.url == reverse("mall:order_pay_demo", args=[order.number])


def test_an_order_cannot_be_shipped_to_another_buyers_address(other_user, address, red):
    services.cart_add(actor=other_user, sku_id=red.pk)

    with pytest.raises(Http404):
        services.order_place(actor=other_user, address_id=address.pk)


# --- Before payment.


def test_the_buyer_cancels_an_unpaid_order_and_its_stock_is_back_at_once(user, place_order, red):
    order = place_order(red, 2)

    services.order_cancel(actor=user, number=order.number)

    order.refresh_from_db()
    assert (order.status, stock(red)) == (S.CANCELLED, 3)
    assert order.events.last().actor == user


def test_an_unpaid_order_expires_after_its_deadline_and_gives_its_stock_back(place_order, red):
    order = place_order(red, 2)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    expired = orders_expire_task()

    order.refresh_from_db()
    assert (expired, order.status, stock(red)) == (1, S.CANCELLED, 3)
    assert order.events.last().detail == "Not paid in time."


def test_expiring_twice_gives_the_stock_back_once(place_order, red):
    order = place_order(red, 2)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    results = [services.order_expire(order_id=order.pk), services.order_expire(order_id=order.pk)]

    assert (results, stock(red)) == ([True, False], 3)


def test_an_order_not_yet_due_or_paid_does_not_expire(place_order, red, user):
    waiting = place_order(red)
    paid = place_order(red)
    services.order_pay_with_demo(actor=user, number=paid.number)
    Order.objects.filter(pk=paid.pk).update(expires_at=timezone.now() - timedelta(minutes=5))

    assert orders_expire_task() == 0

    assert set(Order.objects.values_list("status", flat=True)) == {S.PENDING_PAYMENT, S.PAID}
    assert Order.objects.get(pk=waiting.pk).status == S.PENDING_PAYMENT


# --- The transition table.


def test_an_illegal_change_of_status_raises_and_changes_nothing(staff, place_order, red):
    order = place_order(red)

    with pytest.raises(ValidationError) as error:
        services.order_ship(actor=staff, order_id=order.pk, carrier="SF", tracking_number="SF1")

    assert error.value.messages == ["This order is Awaiting payment and cannot become Shipped."]
    order.refresh_from_db()
    assert (order.status, order.carrier) == (S.PENDING_PAYMENT, "")


def test_a_paid_order_cannot_be_cancelled_by_the_buyer(user, place_order, red):
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)

    with pytest.raises(ValidationError):
        services.order_cancel(actor=user, number=order.number)

    assert stock(red) == 2


def test_each_change_is_recorded_with_who_and_when(user, staff, place_order, red):
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)
    services.order_ship(actor=staff, order_id=order.pk, carrier="SF Express", tracking_number="SF1")
    services.order_mark_delivered(actor=staff, order_id=order.pk)
    services.order_confirm_receipt(actor=user, number=order.number)

    events = list(
        OrderEvent.objects.filter(order=order).values_list(
            "from_status", "to_status", "actor__username", "detail"
        )
    )

    assert events == [
        ("", S.PENDING_PAYMENT, "xiaohong", ""),
        (S.PENDING_PAYMENT, S.PAID, None, "Paid (demo)."),
        (S.PAID, S.SHIPPED, "staffer", "SF Express SF1"),
        (S.SHIPPED, S.DELIVERED, "staffer", ""),
        (S.DELIVERED, S.COMPLETED, "xiaohong", ""),
    ]


def test_paying_counts_units_sold_once(user, place_order, red, product):
    order = place_order(red, 2)

    services.order_pay_with_demo(actor=user, number=order.number)
    outcome = services.order_mark_paid(
        order_id=order.pk, provider="demo", payment_reference=f"demo-{order.number}"
    )

    assert outcome == services.PaymentOutcome.ALREADY_PAID
    assert Product.objects.get(pk=product.pk).sold_count == 2


def test_only_staff_ship_orders(user, place_order, red):
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)

    with pytest.raises(PermissionDenied):
        services.order_ship(actor=user, order_id=order.pk, carrier="SF", tracking_number="1")


# --- Refunds.


def test_a_buyer_asks_for_a_refund_and_staff_refund_it_putting_the_stock_back(
    user, staff, place_order, red, product
):
    order = place_order(red, 2)
    services.order_pay_with_demo(actor=user, number=order.number)

    services.order_refund_request(actor=user, number=order.number, reason="Wrong shade")
    refund = services.order_refund(actor=staff, order_id=order.pk, restock=True)

    order.refresh_from_db()
    assert (order.status, order.refunded_amount, order.refund_reason) == (
        S.REFUNDED,
        Decimal("258.00"),
        "Wrong shade",
    )
    assert (refund.amount, refund.restocked, refund.provider_reference[:12]) == (
        Decimal("258.00"),
        True,
        "demo-refund-",
    )
    assert (stock(red), Product.objects.get(pk=product.pk).sold_count) == (3, 0)


def test_a_partial_refund_keeps_the_stock_sold(user, staff, place_order, red):
    order = place_order(red, 2)
    services.order_pay_with_demo(actor=user, number=order.number)

    services.order_refund(actor=staff, order_id=order.pk, amount=Decimal("50.00"))

    order.refresh_from_db()
    assert (order.status, order.refunded_amount, stock(red)) == (S.REFUNDED, Decimal("50.00"), 1)


def test_a_refund_larger_than_what_was_paid_is_refused(user, staff, place_order, red):
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)

    with pytest.raises(ValidationError) as error:
        services.order_refund(actor=staff, order_id=order.pk, amount=Decimal("500.00"))

    assert error.value.messages == ["Refund between ¥0.01 and ¥129.00."]


def test_a_declined_refund_request_puts_the_order_back_where_it_was(user, staff, place_order, red):
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)
    services.order_ship(actor=staff, order_id=order.pk, carrier="SF", tracking_number="SF9")
    services.order_refund_request(actor=user, number=order.number, reason="Late")

    services.order_refund_decline(actor=staff, order_id=order.pk)

    order.refresh_from_db()
    assert order.status == S.SHIPPED


def test_an_unpaid_order_cannot_be_refunded(staff, place_order, red):
    order = place_order(red)

    with pytest.raises(ValidationError) as error:
        services.order_refund(actor=staff, order_id=order.pk)

    assert error.value.messages == ["This order is Awaiting payment: it cannot be refunded."]


# --- E-mails.


def test_the_buyer_is_emailed_once_when_paid_and_once_when_shipped(
    user, staff, place_order, red, django_capture_on_commit_callbacks
):
    order = place_order(red)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_pay_with_demo(actor=user, number=order.number)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_ship(actor=staff, order_id=order.pk, carrier="SF", tracking_number="SF7")
    sent_again = services.order_email_send(order_id=order.pk, kind="confirmation")

    subjects = [message.subject for message in mail.outbox]

    assert subjects == [
        f"Hongshu mall: order {order.number} is paid",
        f"Hongshu mall: order {order.number} is on its way",
    ]
    assert "Velvet lipstick (Red) × 1: ¥129.00" in mail.outbox[0].body
    assert mail.outbox[0].to == ["xiaohong@example.com"]
    assert sent_again is False


# --- Pages and API: the buyer's own orders only.


def test_my_orders_lists_the_buyers_orders_newest_first_at_a_fixed_cost(
    user_client, place_order, red, django_assert_num_queries
):
    first = place_order(red)
    with django_assert_num_queries(4):
        user_client.get(reverse("mall:orders"))
    second = place_order(red)

    with django_assert_num_queries(4):
        response = user_client.get(reverse("mall:orders"))

    assert [order.pk for order in response.context["page"].items] == [second.pk, first.pk]


def test_the_order_page_shows_its_history_and_how_to_pay(user_client, place_order, red):
    order = place_order(red)

    response = user_client.get(order.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert f'action="/mall/orders/{order.number}/pay/"' in content
    assert "This site takes no real payments: paying is simulated." in content


def test_another_buyers_order_is_not_found_through_pages_or_api(
    client, make_api_client, other_user, place_order, red
):
    order = place_order(red)
    client.force_login(other_user)

    assert client.get(order.get_absolute_url()).status_code == 404
    assert client.post(reverse("mall:order_cancel", args=[order.number])).status_code == 404
    api = make_api_client(other_user)
    assert api.get(f"/api/v1/mall/orders/{order.number}/").status_code == 404
    assert api.post(f"/api/v1/mall/orders/{order.number}/cancel/").status_code == 404
    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT


def test_api_places_an_order_and_cancels_it(api, user, address, red):
    services.cart_add(actor=user, sku_id=red.pk, quantity=2)

    placed = api.post(
        "/api/v1/mall/orders/", {"address": address.pk, "expected_total": "258.00"}, format="json"
    )
    cancelled = api.post(f"/api/v1/mall/orders/{placed.json()['number']}/cancel/")

    assert placed.status_code == 201
    assert [event["to_status"] for event in cancelled.json()["events"]] == [
        "pending_payment",
        "cancelled",
    ]
    assert stock(red) == 3


def test_api_names_expected_total_when_prices_changed(api, user, address, red):
    services.cart_add(actor=user, sku_id=red.pk)

    response = api.post(
        "/api/v1/mall/orders/", {"address": address.pk, "expected_total": "1.00"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "expected_total": [
            "Prices changed since you looked: the total is now ¥129.00. Check and try again."
        ]
    }


def test_a_completed_order_counts_toward_the_growth_task(user, staff, place_order, red):
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)
    services.order_ship(actor=staff, order_id=order.pk, carrier="SF Express", tracking_number="SF1")

    services.order_confirm_receipt(actor=user, number=order.number)

    user.refresh_from_db()
    assert user.orders_completed == 1

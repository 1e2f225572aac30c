"""Payments: the demo provider where nothing is configured, Stripe Checkout where it is.

Stripe is exercised for real: its library sends requests to a local server that answers like
Stripe's API (tests/mall/stripe_fake.py), and webhooks carry signatures made as Stripe makes
them.
"""

import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
import stripe
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mall import services
from mall.models import Order, PaymentEvent, Product, Refund
from tests.mall import stripe_fake
from tests.mall.promotions import coupon

pytestmark = pytest.mark.django_db
S = Order.Status
WEBHOOK = "/mall/stripe/webhook/"


@pytest.fixture
def fake_stripe(settings, monkeypatch):
    """Stripe configured with test keys, its API answered by a local server."""
    fake = stripe_fake.FakeStripe()
    server = stripe_fake.start(fake)
    monkeypatch.setattr(stripe, "api_base", fake.url)
    settings.STRIPE_SECRET_KEY = "sk_test_hongshu"
    settings.STRIPE_WEBHOOK_SECRET = stripe_fake.WEBHOOK_SECRET
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_hongshu"
    yield fake
    server.shutdown()
    server.server_close()


def event(event_id: str, event_type: str, payload: dict) -> bytes:
    return json.dumps(
        {"id": event_id, "object": "event", "type": event_type, "data": {"object": payload}}
    ).encode()


def session_completed(order: Order, *, event_id: str = "evt_1", amount: int | None = None) -> bytes:
    return event(
        event_id,
        "checkout.session.completed",
        {
            "id": "cs_test_1",
            "object": "checkout.session",
            "client_reference_id": order.number,
            "metadata": {"order_number": order.number},
            "payment_status": "paid",
            "payment_intent": "pi_test_1",
            "amount_total": int(order.total * 100) if amount is None else amount,
            "currency": "cny",
        },
    )


def payment_succeeded(order: Order, *, event_id: str = "evt_2") -> bytes:
    return event(
        event_id,
        "payment_intent.succeeded",
        {
            "id": "pi_test_1",
            "object": "payment_intent",
            "metadata": {"order_number": order.number},
            "amount_received": int(order.total * 100),
            "currency": "cny",
        },
    )


def deliver(client, payload: bytes, *, signature: str | None = None):
    return client.post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature or stripe_fake.stripe_signature(payload),
    )


# --- The demo provider.


def test_paying_goes_to_the_clearly_labelled_demo_page_when_stripe_is_not_configured(
    user_client, place_order, red
):
    order = place_order(red)

    started = user_client.post(reverse("mall:order_pay", args=[order.number]))
    page = user_client.get(started.url)

    assert started.url == f"/mall/orders/{order.number}/pay/demo/"
    assert b"Demo payment: no money moves" in page.content
    assert "Pay ¥129.00 (demo)".encode() in page.content


def test_the_demo_page_marks_the_order_paid(user_client, place_order, red, product):
    order = place_order(red)

    response = user_client.post(reverse("mall:order_pay_demo", args=[order.number]), follow=True)

    order.refresh_from_db()
    assert (order.status, order.payment_provider) == (S.PAID, "demo")
    assert Product.objects.get(pk=product.pk).sold_count == 1
    assert [str(m) for m in response.context["messages"]] == ["Paid. Thank you for your order!"]


def test_an_order_past_its_deadline_cannot_be_paid_on_the_demo_page(user, place_order, red):
    order = place_order(red)
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError):
        services.order_pay_with_demo(actor=user, number=order.number)


def test_api_says_where_to_pay_and_that_it_is_a_demo(api, place_order, red):
    order = place_order(red)

    response = api.post(f"/api/v1/mall/orders/{order.number}/payment/")

    assert response.json() == {
        "provider": "demo",
        "is_demo": True,
        "url": f"http://testserver/mall/orders/{order.number}/pay/demo/",
    }


# --- Stripe Checkout.


def test_paying_creates_a_stripe_checkout_session_in_fen_and_sends_the_buyer_there(
    user_client, place_order, red, fake_stripe
):
    order = place_order(red, 2)

    response = user_client.post(reverse("mall:order_pay", args=[order.number]))

    [created] = fake_stripe.made("POST", "/v1/checkout/sessions")
    assert response.url == "https://checkout.stripe.test/pay/cs_test_1"
    assert created.headers["authorization"] == "Bearer sk_test_hongshu"
    assert created.form["mode"] == "payment"
    assert created.form["client_reference_id"] == order.number
    assert created.form["metadata[order_number]"] == order.number
    assert created.form["payment_intent_data[metadata][order_number]"] == order.number
    assert created.form["line_items[0][quantity]"] == "2"
    assert created.form["line_items[0][price_data][unit_amount]"] == "12900"
    assert created.form["line_items[0][price_data][currency]"] == "cny"
    order.refresh_from_db()
    assert (order.payment_provider, order.checkout_reference) == ("stripe", "cs_test_1")


def test_stripe_charges_a_discounted_order_as_one_line_of_its_total(
    user_client, user, address, red, fake_stripe
):
    coupon(code="SAVE20")
    services.cart_add(actor=user, sku_id=red.pk, quantity=2)
    order = services.order_place(actor=user, address_id=address.pk, coupon_code="SAVE20")

    user_client.post(reverse("mall:order_pay", args=[order.number]))

    [created] = fake_stripe.made("POST", "/v1/checkout/sessions")
    assert created.form["line_items[0][quantity]"] == "1"
    assert created.form["line_items[0][price_data][unit_amount]"] == "23800"
    assert "line_items[1][quantity]" not in created.form


def test_pressing_pay_twice_sends_the_buyer_to_the_same_open_session(
    user_client, place_order, red, fake_stripe
):
    order = place_order(red)

    first = user_client.post(reverse("mall:order_pay", args=[order.number]))
    second = user_client.post(reverse("mall:order_pay", args=[order.number]))

    assert first.url == second.url
    assert len(fake_stripe.made("POST", "/v1/checkout/sessions")) == 1
    assert len(fake_stripe.made("GET", "/v1/checkout/sessions/cs_test_1")) == 1


def test_the_demo_page_does_not_exist_once_stripe_is_configured(
    user_client, place_order, red, fake_stripe
):
    order = place_order(red)

    assert user_client.get(reverse("mall:order_pay_demo", args=[order.number])).status_code == 404
    assert user_client.post(reverse("mall:order_pay_demo", args=[order.number])).status_code == 404


# --- Stripe's webhook.


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(
    client, place_order, red, fake_stripe
):
    order = place_order(red)
    payload = session_completed(order)

    forged = deliver(
        client, payload, signature=stripe_fake.stripe_signature(payload, secret="whsec_wrong")
    )
    unsigned = client.post(WEBHOOK, payload, content_type="application/json")
    stale = deliver(
        client, payload, signature=stripe_fake.stripe_signature(payload, at=int(time.time()) - 3600)
    )

    assert (forged.status_code, unsigned.status_code, stale.status_code) == (400, 400, 400)
    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT
    assert PaymentEvent.objects.count() == 0


def test_a_completed_checkout_marks_the_order_paid(client, place_order, red, fake_stripe, product):
    order = place_order(red, 2)

    response = deliver(client, session_completed(order))

    assert (response.status_code, response.content) == (200, b"paid")
    order.refresh_from_db()
    assert (order.status, order.payment_provider, order.payment_reference) == (
        S.PAID,
        "stripe",
        "pi_test_1",
    )
    assert Product.objects.get(pk=product.pk).sold_count == 2
    record = PaymentEvent.objects.get()
    assert (record.event_id, record.type, record.order, record.outcome) == (
        "evt_1",
        "checkout.session.completed",
        order,
        "paid",
    )


def test_the_same_event_delivered_twice_has_one_effect(
    client, place_order, red, fake_stripe, product
):
    order = place_order(red, 2)
    payload = session_completed(order)

    first, second = deliver(client, payload), deliver(client, payload)

    assert (first.content, second.content) == (b"paid", b"duplicate")
    assert PaymentEvent.objects.count() == 1
    assert Product.objects.get(pk=product.pk).sold_count == 2
    assert order.events.filter(to_status=S.PAID).count() == 1


def test_a_payment_reported_before_its_checkout_is_counted_once(
    client, place_order, red, fake_stripe, product
):
    order = place_order(red)

    early = deliver(client, payment_succeeded(order, event_id="evt_pi"))
    late = deliver(client, session_completed(order, event_id="evt_cs"))

    assert (early.content, late.content) == (b"paid", b"already paid")
    order.refresh_from_db()
    assert (order.status, order.payment_reference) == (S.PAID, "pi_test_1")
    assert Product.objects.get(pk=product.pk).sold_count == 1


def test_a_payment_of_the_wrong_amount_does_not_mark_the_order_paid(
    client, place_order, red, fake_stripe
):
    order = place_order(red)

    response = deliver(client, session_completed(order, amount=100))

    assert response.content == b"amount does not match the order; not marked paid"
    order.refresh_from_db()
    assert order.status == S.PENDING_PAYMENT


def test_an_event_for_an_unknown_order_is_recorded_and_answered(client, fake_stripe):
    payload = event(
        "evt_x", "payment_intent.succeeded", {"id": "pi_x", "metadata": {"order_number": "NOPE"}}
    )

    response = deliver(client, payload)

    assert (response.status_code, response.content) == (200, b"unknown order")
    assert PaymentEvent.objects.get().outcome == "unknown order"


def test_a_refund_goes_through_stripe_and_back(client, staff, place_order, red, fake_stripe):
    # given: paid through Stripe
    order = place_order(red, 2)
    deliver(client, session_completed(order))
    # when
    refund = services.order_refund(actor=staff, order_id=order.pk, amount=Decimal("100.00"))
    # then
    [sent] = fake_stripe.made("POST", "/v1/refunds")
    assert (sent.form["payment_intent"], sent.form["amount"]) == ("pi_test_1", "10000")
    assert sent.headers["idempotency-key"] == f"refund-{order.number}-1"
    assert refund.provider_reference == "re_test_1"
    order.refresh_from_db()
    assert (order.status, order.refunded_amount) == (S.REFUNDED, Decimal("100.00"))


def test_a_payment_that_arrives_after_the_order_expired_is_refunded(
    client, place_order, red, fake_stripe, django_capture_on_commit_callbacks
):
    # given: the order expired and its stock went back
    order = place_order(red)
    Order.objects.filter(pk=order.pk).update(expires_at=order.created_at)
    services.order_expire(order_id=order.pk)
    # when: the buyer's payment lands anyway
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, session_completed(order))
    # then: the money goes back, the order stays cancelled
    assert response.content == b"stray payment, refund scheduled"
    [sent] = fake_stripe.made("POST", "/v1/refunds")
    assert (sent.form["payment_intent"], sent.form["amount"]) == ("pi_test_1", "12900")
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert Refund.objects.get(order=order).amount == Decimal("129.00")

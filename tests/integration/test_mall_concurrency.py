"""The mall under concurrent buyers, on PostgreSQL with Redis: stock is never oversold, an order
expiring while it is paid has one outcome, a webhook delivered twice at once acts once, and taps
on products in notes are counted in Redis and written in batches."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
import redis
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mall import services
from mall.models import NoteProduct, Order, OrderEvent, PaymentEvent, Sku
from tests.factories import NoteFactory, UserFactory
from tests.mall.factories import AddressFactory, ProductFactory
from tests.mall.stripe_fake import WEBHOOK_SECRET, stripe_signature

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
S = Order.Status


def run_at_once(work, arguments: list):
    """Call `work` once per argument, each in its own thread, all released together."""
    start = Barrier(len(arguments))

    def call(argument):
        try:
            start.wait(timeout=30)
            return work(argument)
        finally:
            connection.close()  # each thread has its own connection; give it back

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(call, arguments))


def test_fifty_buyers_for_the_last_ten_units_make_exactly_ten_orders():
    # given: 50 buyers, each with one unit of the same SKU in their cart and an address
    sku = ProductFactory(skus=[{"stock": 10, "price": "129.00"}]).skus.get()
    buyers = []
    for index in range(50):
        buyer = UserFactory(username=f"buyer{index}")
        address = AddressFactory(owner=buyer)
        services.cart_add(actor=buyer, sku_id=sku.pk)
        buyers.append((buyer, address))

    def check_out(entry):
        buyer, address = entry
        client = Client()
        client.force_login(buyer)
        response = client.post(
            reverse("mall:checkout"), {"address": address.pk, "expected_total": "129.00"}
        )
        return response.status_code

    # when: all of them check out at once
    statuses = run_at_once(check_out, buyers)
    # then
    assert all(code < 500 for code in statuses)
    assert statuses.count(302) == 10
    assert Order.objects.count() == 10
    assert Sku.objects.get(pk=sku.pk).stock == 0


def test_an_order_expiring_while_it_is_paid_ends_one_way_only():
    sku = ProductFactory(skus=[{"stock": 30}]).skus.get()
    buyer = UserFactory()
    address = AddressFactory(owner=buyer)
    orders = []
    for _ in range(10):
        services.cart_add(actor=buyer, sku_id=sku.pk)
        orders.append(services.order_place(actor=buyer, address_id=address.pk))
    Order.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    def race(job):
        kind, order = job
        if kind == "expire":
            return services.order_expire(order_id=order.pk)
        return services.order_mark_paid(
            order_id=order.pk, provider="stripe", payment_reference=f"pi_{order.number}"
        )

    jobs = [(kind, order) for order in orders for kind in ("expire", "pay")]
    run_at_once(race, jobs)

    paid = Order.objects.filter(status=S.PAID).count()
    cancelled = Order.objects.filter(status=S.CANCELLED).count()
    assert paid + cancelled == 10
    for order in orders:
        assert (
            OrderEvent.objects.filter(order=order).exclude(to_status=S.PENDING_PAYMENT).count() == 1
        )
    assert Sku.objects.get(pk=sku.pk).stock == 30 - 10 + cancelled


def test_a_webhook_delivered_twice_at_the_same_moment_acts_once(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_hongshu"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    buyer = UserFactory()
    sku = ProductFactory(skus=[{"stock": 5, "price": "129.00"}]).skus.get()
    services.cart_add(actor=buyer, sku_id=sku.pk)
    order = services.order_place(actor=buyer, address_id=AddressFactory(owner=buyer).pk)
    payload = json.dumps(
        {
            "id": "evt_same",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": "cs_1",
                    "client_reference_id": order.number,
                    "payment_status": "paid",
                    "payment_intent": "pi_1",
                    "amount_total": 12900,
                    "currency": "cny",
                }
            },
        }
    ).encode()

    def deliver(_index):
        return (
            Client()
            .post(
                reverse("mall:stripe_webhook"),
                payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=stripe_signature(payload),
            )
            .content
        )

    answers = run_at_once(deliver, list(range(6)))

    assert sorted(answers) == [b"duplicate"] * 5 + [b"paid"]
    assert PaymentEvent.objects.count() == 1
    assert OrderEvent.objects.filter(order=order, to_status=S.PAID).count() == 1


def test_taps_on_products_in_notes_are_counted_in_redis_and_written_in_batches(settings):
    redis.Redis.from_url(settings.REDIS_URL).delete(services.links.CLICKS_KEY)
    link = NoteProduct.objects.create(note=NoteFactory(), product=ProductFactory())

    run_at_once(
        lambda _index: services.note_product_click_record(
            note_id=link.note_id, product_id=link.product_id
        ),
        list(range(12)),
    )
    before = NoteProduct.objects.get(pk=link.pk).clicks
    changed = services.note_product_clicks_flush()

    assert (before, changed) == (0, 1)
    assert NoteProduct.objects.get(pk=link.pk).clicks == 12
    assert services.note_product_clicks_flush() == 0


def test_database_is_postgresql_in_this_run():
    assert connection.vendor == "postgresql"


def test_a_double_tap_on_place_order_makes_one_order():
    buyer = UserFactory()
    address = AddressFactory(owner=buyer)
    sku = ProductFactory(skus=[{"stock": 10, "price": "129.00"}]).skus.get()
    services.cart_add(actor=buyer, sku_id=sku.pk, quantity=2)

    def place(_index):
        client = Client()
        client.force_login(buyer)
        return client.post(
            reverse("mall:checkout"), {"address": address.pk, "expected_total": "258.00"}
        ).status_code

    statuses = run_at_once(place, list(range(4)))

    assert all(code < 500 for code in statuses)
    assert Order.objects.filter(buyer=buyer).count() == 1
    assert Sku.objects.get(pk=sku.pk).stock == 8

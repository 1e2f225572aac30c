"""What the payment provider tells us: Stripe's webhook events, verified by the view
(stripe.Webhook.construct_event) and processed here once per event id.

Events may come twice or out of order (the payment before the checkout it belongs to): each is
recorded by id first, and the order is found by the order number we put in both the Checkout
Session and its PaymentIntent, so whichever arrives first marks the order paid and the other
changes nothing.
"""

import logging
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from mall.models import Order, PaymentEvent
from mall.money import CURRENCY, minor_units
from mall.services.orders import order_mark_paid

logger = logging.getLogger(__name__)

STRIPE = "stripe"
PAID_SESSION_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


def _order_paid(
    order: Order, *, amount: int | None, currency: str | None, payment: str, checkout: str = ""
) -> str:
    if amount != minor_units(order.total) or (currency or "").upper() != CURRENCY:
        logger.error("Stripe amount %s %s does not match order %s", amount, currency, order)
        return "amount does not match the order; not marked paid"
    outcome = order_mark_paid(
        order_id=order.pk,
        provider=STRIPE,
        payment_reference=payment,
        checkout_reference=checkout,
    )
    return str(outcome)


def _handle(event_type: str, payload: Mapping[str, Any]) -> tuple[str, Order | None]:
    """(outcome, order) of one event; types we do not act on are only recorded."""
    if event_type in PAID_SESSION_EVENTS:
        number = payload.get("client_reference_id") or (payload.get("metadata") or {}).get(
            "order_number"
        )
    elif event_type == "payment_intent.succeeded":
        number = (payload.get("metadata") or {}).get("order_number")
    else:
        return "ignored", None
    order = Order.objects.filter(number=number).first() if number else None
    if order is None:
        logger.warning("Stripe %s for unknown order %r", event_type, number)
        return "unknown order", None
    if event_type == "payment_intent.succeeded":
        outcome = _order_paid(
            order,
            amount=payload.get("amount_received"),
            currency=payload.get("currency"),
            payment=payload["id"],
        )
    elif payload.get("payment_status") != "paid":
        outcome = "checkout complete, payment still processing"
    else:
        outcome = _order_paid(
            order,
            amount=payload.get("amount_total"),
            currency=payload.get("currency"),
            payment=payload.get("payment_intent") or "",
            checkout=payload.get("id") or "",
        )
    return outcome, order


@transaction.atomic
def stripe_event_process(*, event: Mapping[str, Any]) -> str:
    """Act on a verified Stripe event once: a second delivery of its id does nothing.

    Returns what happened, for the log and the admin's list of payment events.
    """
    try:
        with transaction.atomic():
            record = PaymentEvent.objects.create(
                provider=STRIPE, event_id=event["id"], type=event["type"]
            )
    except IntegrityError:
        return "duplicate"
    outcome, order = _handle(event["type"], event["data"]["object"])
    record.outcome, record.order = outcome[:200], order
    record.save(update_fields=["outcome", "order"])
    return outcome

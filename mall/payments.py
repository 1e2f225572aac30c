"""Payment providers behind one interface: Stripe Checkout when it is configured, otherwise a
demo provider that completes a purchase offline and says so on every page it shows.

Providers only talk to the outside world; the mall's services decide what their answers mean.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Protocol

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from mall.models import Order
from mall.money import CURRENCY, minor_units

# Stripe keeps a Checkout Session open between 30 minutes and 24 hours.
STRIPE_SESSION_MIN = timedelta(minutes=31)
STRIPE_SESSION_MAX = timedelta(hours=23)


@dataclass(frozen=True)
class CheckoutStart:
    """Where to send the buyer to pay, and the provider's name for that checkout."""

    url: str
    reference: str


class PaymentProvider(Protocol):
    name: str
    is_demo: bool

    def checkout_start(self, *, order: Order, success_url: str, cancel_url: str) -> CheckoutStart:
        """A checkout for the order's total; `order.lines` must be readable."""
        ...

    def refund(self, *, payment_reference: str, amount: Decimal, idempotency_key: str) -> str:
        """Give `amount` of a payment back; returns the provider's refund reference."""
        ...


class DemoProvider:
    """No money moves: a page of ours, clearly labelled, marks the order paid."""

    name = "demo"
    is_demo = True

    def checkout_start(self, *, order: Order, success_url: str, cancel_url: str) -> CheckoutStart:
        url = reverse("mall:order_pay_demo", kwargs={"number": order.number})
        return CheckoutStart(url=url, reference=f"demo-checkout-{order.number}")

    def refund(self, *, payment_reference: str, amount: Decimal, idempotency_key: str) -> str:
        return f"demo-refund-{get_random_string(12)}"


class StripeProvider:
    """Stripe Checkout (hosted payment page); the webhook tells us when the buyer paid."""

    name = "stripe"
    is_demo = False

    def _line_items(self, order: Order) -> list[dict]:
        """The lines as the buyer knows them; an order with a coupon or points is one line of
        its total, since Stripe's line items cannot carry our discounts."""
        if order.coupon_discount or order.points_discount:
            return [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": CURRENCY.lower(),
                        "unit_amount": minor_units(order.total),
                        "product_data": {
                            "name": str(_("Order %(number)s") % {"number": order.number})
                        },
                    },
                }
            ]
        items = [
            {
                "quantity": line.quantity,
                "price_data": {
                    "currency": CURRENCY.lower(),
                    "unit_amount": minor_units(line.unit_price),
                    "product_data": {"name": f"{line.title} {line.sku_label}".strip()},
                },
            }
            for line in order.lines.all()
        ]
        if order.shipping_fee:
            items.append(
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": CURRENCY.lower(),
                        "unit_amount": minor_units(order.shipping_fee),
                        "product_data": {"name": str(_("Shipping"))},
                    },
                }
            )
        return items

    def checkout_start(self, *, order: Order, success_url: str, cancel_url: str) -> CheckoutStart:
        """The order's open Checkout Session if it has one, else a new one: a buyer who presses
        "pay" twice gets one session, never two that could both be paid."""
        if order.checkout_reference:
            session = stripe.checkout.Session.retrieve(
                order.checkout_reference, api_key=settings.STRIPE_SECRET_KEY
            )
            if session["status"] == "open":
                return CheckoutStart(url=session["url"], reference=session["id"])
        now = timezone.now()
        closes = min(max(order.expires_at, now + STRIPE_SESSION_MIN), now + STRIPE_SESSION_MAX)
        session = stripe.checkout.Session.create(
            api_key=settings.STRIPE_SECRET_KEY,
            mode="payment",
            client_reference_id=order.number,
            metadata={"order_number": order.number},
            payment_intent_data={"metadata": {"order_number": order.number}},
            line_items=self._line_items(order),
            success_url=success_url,
            cancel_url=cancel_url,
            expires_at=int(closes.timestamp()),
        )
        return CheckoutStart(url=session["url"], reference=session["id"])

    def refund(self, *, payment_reference: str, amount: Decimal, idempotency_key: str) -> str:
        refund = stripe.Refund.create(
            api_key=settings.STRIPE_SECRET_KEY,
            payment_intent=payment_reference,
            amount=minor_units(amount),
            idempotency_key=idempotency_key,
        )
        return refund["id"]


def stripe_is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def payment_provider() -> PaymentProvider:
    """The provider new payments use: Stripe when both its keys are set, else the demo."""
    return StripeProvider() if stripe_is_configured() else DemoProvider()


def provider_named(name: str) -> PaymentProvider:
    """The provider an order was paid with, which must also refund it."""
    return StripeProvider() if name == StripeProvider.name else DemoProvider()

"""Orders: placing one from the cart, and every change of its status afterwards.

Placing takes the stock with one conditional UPDATE per SKU (`stock >= quantity`) inside the
order's transaction, so concurrent buyers can never oversell. Every later change locks the order's
row (core.locks), checks mall.models.ORDER_TRANSITIONS and records who did it and when; an
illegal change raises ValidationError. Stock goes back exactly once: with the change to
cancelled (by the buyer, or by expiry) or with a refund that restocks.
"""

import logging
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from core.locks import lock_row, lock_rows
from mall.models import (
    CartLine,
    Order,
    OrderEvent,
    OrderLine,
    Product,
    ProductImage,
    Refund,
    Sku,
    purchase_problem,
)
from mall.money import format_money, line_total, money, shipping_fee
from mall.payments import payment_provider, provider_named
from mall.selectors import cart_lines
from mall.services.cart import address_get_for_owner, cart_units_sync
from users.models import User

logger = logging.getLogger(__name__)

# Unguessable order numbers: 16 characters from 31 unambiguous ones (about 79 bits).
ORDER_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ORDER_NUMBER_LENGTH = 16
S = Order.Status


def order_get_for_buyer(*, actor: User, number: str) -> Order:
    """The buyer's own order with its lines (and their products' covers) and history: four
    queries. Anyone else's order is a 404."""
    covers = Prefetch(
        "product__images",
        queryset=ProductImage.objects.filter(position=0),
        to_attr="cover_images",
    )
    order = (
        Order.objects.filter(number=number, buyer=actor)
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("product").prefetch_related(covers),
            ),
            Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "id")),
        )
        .first()
    )
    if order is None:
        raise Http404
    return order


def _transition(order: Order, to: str, *, actor: User | None, detail: str = "") -> None:
    """Move a locked order to `to` if the table allows it, and record the change."""
    if not order.can_become(to):
        raise ValidationError(
            _("This order is %(status)s and cannot become %(to)s.")
            % {"status": order.get_status_display(), "to": Order.Status(to).label},
            code="illegal_transition",
        )
    OrderEvent.objects.create(
        order=order, from_status=order.status, to_status=to, actor=actor, detail=detail
    )
    order.status = to


def _locked(order_id: int) -> Order:
    return lock_row(Order.objects.all(), pk=order_id)


def _restock(order: Order) -> None:
    """Give every line's units back to its SKU."""
    for line in order.lines.order_by("sku_id"):
        Sku.objects.filter(pk=line.sku_id).update(stock=F("stock") + line.quantity)


def _sold(order: Order, sign: int) -> None:
    for line in order.lines.order_by("product_id"):
        Product.objects.filter(pk=line.product_id).update(
            sold_count=F("sold_count") + sign * line.quantity
        )


def _order_number() -> str:
    return get_random_string(ORDER_NUMBER_LENGTH, ORDER_NUMBER_ALPHABET)


# --- Placing.


@transaction.atomic
def order_place(*, actor: User, address_id: int, expected_total: Decimal | None = None) -> Order:
    """Turn the buyer's cart into an order awaiting payment, in one transaction.

    Prices are read from the database here, never taken from the buyer; `expected_total` is the
    total the buyer was shown, and a different one (a price changed meanwhile) stops the order
    so they see the new total first. Lines that cannot be bought now are left in the cart; a line
    that needs fewer units stops the order. Stock is taken with a conditional UPDATE per SKU in
    SKU order: a buyer who loses the race for the last units gets a message, never an oversell.
    """
    address = address_get_for_owner(actor=actor, address_id=address_id)
    # The buyer's cart rows stay locked until the order is placed: a second "place order" sent
    # at the same moment (a double tap) waits, then finds the cart empty.
    lock_rows(CartLine.objects.filter(owner=actor))
    lines = sorted(cart_lines(owner=actor), key=lambda line: line.sku_id)
    if not lines:
        raise ValidationError(_("Your cart is empty."), code="empty_cart")
    chosen = []
    for line in lines:
        problem = purchase_problem(line.sku, line.quantity)
        if problem is None:
            chosen.append(line)
        elif not problem.is_unavailable:
            raise ValidationError(
                _("%(title)s: %(problem)s")
                % {"title": line.sku.product.title, "problem": problem.message},
                code="quantity",
            )
    if not chosen:
        raise ValidationError(
            _("Nothing in your cart can be bought right now."), code="nothing_available"
        )
    subtotal = money(sum(line_total(line.sku.price, line.quantity) for line in chosen))
    fee = shipping_fee(subtotal)
    if expected_total is not None and money(expected_total) != subtotal + fee:
        raise ValidationError(
            _("Prices changed since you looked: the total is now %(total)s. Check and try again.")
            % {"total": format_money(subtotal + fee)},
            code="total_changed",
        )
    for line in chosen:
        taken = Sku.objects.filter(pk=line.sku_id, is_active=True, stock__gte=line.quantity).update(
            stock=F("stock") - line.quantity
        )
        if not taken:
            raise ValidationError(
                _("%(title)s sold out just now. Your cart is kept; check it and try again.")
                % {"title": line.sku.product.title},
                code="sold_out",
            )
    order = Order.objects.create(
        number=_order_number(),
        buyer=actor,
        subtotal=subtotal,
        shipping_fee=fee,
        total=subtotal + fee,
        ship_name=address.name,
        ship_phone=address.phone,
        ship_address=address.one_line,
        expires_at=timezone.now() + timedelta(minutes=settings.MALL_ORDER_PAYMENT_MINUTES),
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            sku_id=line.sku_id,
            product_id=line.sku.product_id,
            title=line.sku.product.title,
            sku_label=line.sku.label if line.sku.attributes else "",
            sku_code=line.sku.code,
            unit_price=line.sku.price,
            quantity=line.quantity,
            line_total=line_total(line.sku.price, line.quantity),
            source_note_id=line.source_note_id,
        )
        for line in chosen
    )
    OrderEvent.objects.create(order=order, to_status=S.PENDING_PAYMENT, actor=actor)
    CartLine.objects.filter(pk__in=[line.pk for line in chosen]).delete()
    cart_units_sync(actor=actor)
    return order


# --- Before payment: cancelling and expiring give the stock back.


@transaction.atomic
def order_cancel(*, actor: User, number: str) -> Order:
    """The buyer cancels an order they have not paid; its stock is back at once."""
    order = _locked(order_get_for_buyer(actor=actor, number=number).pk)
    _transition(order, S.CANCELLED, actor=actor, detail=_("Cancelled by the buyer."))
    order.save(update_fields=["status"])
    _restock(order)
    return order


@transaction.atomic
def order_expire(*, order_id: int) -> bool:
    """Cancel an order still unpaid after its deadline and give its stock back.

    Idempotent, and one outcome with a payment arriving at the same moment: both lock the
    order's row, and whichever comes second sees the other's status.
    """
    order = _locked(order_id)
    if order.status != S.PENDING_PAYMENT or order.expires_at > timezone.now():
        return False
    _transition(order, S.CANCELLED, actor=None, detail=_("Not paid in time."))
    order.save(update_fields=["status"])
    _restock(order)
    return True


def orders_expire_due() -> int:
    """Expire every unpaid order past its deadline, each in its own transaction."""
    due = Order.objects.filter(status=S.PENDING_PAYMENT, expires_at__lte=timezone.now())
    return sum(order_expire(order_id=order_id) for order_id in due.values_list("pk", flat=True))


# --- Payment.


class PaymentOutcome(StrEnum):
    PAID = "paid"
    ALREADY_PAID = "already paid"
    # The money arrived for an order that can no longer take it (cancelled, or paid twice):
    # it is given back (mall.tasks.order_stray_payment_refund_task).
    STRAY = "stray payment, refund scheduled"


@transaction.atomic
def order_mark_paid(
    *,
    order_id: int,
    provider: str,
    payment_reference: str,
    checkout_reference: str = "",
    notify_buyer: bool = True,
) -> PaymentOutcome:
    """Record that the buyer paid. Idempotent for the same payment; a payment the order cannot
    take (it expired meanwhile, or was already paid with another) is refunded, never kept.
    The buyer is e-mailed unless `notify_buyer` is off (the demo's orders of long ago)."""
    from mall.tasks import (  # noqa: I001 - tasks import services, so not at the top
        order_confirmation_email_task,
        order_stray_payment_refund_task,
    )

    order = _locked(order_id)
    if order.status != S.PENDING_PAYMENT:
        if order.payment_reference == payment_reference:
            return PaymentOutcome.ALREADY_PAID
        logger.warning("Stray payment %s for order %s (%s)", payment_reference, order, order.status)
        transaction.on_commit(
            lambda: order_stray_payment_refund_task.delay(order.pk, provider, payment_reference)
        )
        return PaymentOutcome.STRAY
    _transition(
        order, S.PAID, actor=None, detail=_("Paid (%(provider)s).") % {"provider": provider}
    )
    order.payment_provider = provider
    order.payment_reference = payment_reference
    if checkout_reference:
        order.checkout_reference = checkout_reference
    order.paid_at = timezone.now()
    order.save(
        update_fields=[
            "status",
            "payment_provider",
            "payment_reference",
            "checkout_reference",
            "paid_at",
        ]
    )
    _sold(order, +1)
    if notify_buyer:
        transaction.on_commit(lambda: order_confirmation_email_task.delay(order.pk))
    return PaymentOutcome.PAID


def order_checkout_start(*, actor: User, number: str, success_url: str, cancel_url: str) -> str:
    """Where the buyer pays: the provider's checkout for this order (Stripe's page, or ours for
    the demo). The provider is called outside any transaction; only its answer is saved."""
    order = order_get_for_buyer(actor=actor, number=number)
    if not order.is_awaiting_payment:
        raise ValidationError(_("This order is not awaiting payment."), code="not_payable")
    if order.expires_at <= timezone.now():
        raise ValidationError(
            _("The time to pay this order is over; it will be cancelled."), code="expired"
        )
    provider = payment_provider()
    start = provider.checkout_start(order=order, success_url=success_url, cancel_url=cancel_url)
    Order.objects.filter(pk=order.pk, status=S.PENDING_PAYMENT).update(
        payment_provider=provider.name, checkout_reference=start.reference
    )
    return start.url


def order_pay_with_demo(*, actor: User, number: str) -> Order:
    """The demo provider's "pay" button: only while no real provider is configured."""
    if not payment_provider().is_demo:
        raise Http404
    order = order_get_for_buyer(actor=actor, number=number)
    if not order.is_awaiting_payment:
        raise ValidationError(_("This order is not awaiting payment."), code="not_payable")
    if order.expires_at <= timezone.now():
        raise ValidationError(
            _("The time to pay this order is over; it will be cancelled."), code="expired"
        )
    order_mark_paid(order_id=order.pk, provider="demo", payment_reference=f"demo-{order.number}")
    order.refresh_from_db()
    return order


@transaction.atomic
def order_stray_payment_refund(*, order_id: int, provider: str, payment_reference: str) -> bool:
    """Give back a payment the order could not take; once per payment (a Refund names it)."""
    order = _locked(order_id)
    key = f"stray-{payment_reference}"
    if order.refunds.filter(provider_reference__startswith=f"{key}:").exists():
        return False
    reference = provider_named(provider).refund(
        payment_reference=payment_reference, amount=order.total, idempotency_key=key
    )
    Refund.objects.create(order=order, amount=order.total, provider_reference=f"{key}:{reference}")
    OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        detail=_("A payment that arrived too late was refunded."),
    )
    return True


# --- After payment: shipping, delivery, completion, refunds.


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only staff can do this."))


@transaction.atomic
def order_ship(
    *, actor: User, order_id: int, carrier: str, tracking_number: str, notify_buyer: bool = True
) -> Order:
    from mall.tasks import order_shipped_email_task  # tasks import services: not at the top

    _require_staff(actor)
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise ValidationError(_("Give the carrier and the tracking number."), code="tracking")
    order = _locked(order_id)
    detail = f"{carrier} {tracking_number}"
    _transition(order, S.SHIPPED, actor=actor, detail=detail)
    order.carrier, order.tracking_number = carrier, tracking_number
    order.save(update_fields=["status", "carrier", "tracking_number"])
    if notify_buyer:
        transaction.on_commit(lambda: order_shipped_email_task.delay(order.pk))
    return order


@transaction.atomic
def order_mark_delivered(*, actor: User, order_id: int) -> Order:
    _require_staff(actor)
    order = _locked(order_id)
    _transition(order, S.DELIVERED, actor=actor)
    order.save(update_fields=["status"])
    return order


@transaction.atomic
def order_confirm_receipt(*, actor: User, number: str) -> Order:
    """The buyer says the parcel arrived: the order is complete."""
    order = _locked(order_get_for_buyer(actor=actor, number=number).pk)
    if order.status not in (S.SHIPPED, S.DELIVERED):
        raise ValidationError(_("This order has not been shipped yet."), code="not_shipped")
    _transition(order, S.COMPLETED, actor=actor)
    order.save(update_fields=["status"])
    return order


@transaction.atomic
def order_refund_request(*, actor: User, number: str, reason: str) -> Order:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tell us why you want a refund."), code="reason")
    order = _locked(order_get_for_buyer(actor=actor, number=number).pk)
    _transition(order, S.REFUND_REQUESTED, actor=actor, detail=reason[:300])
    order.refund_reason = reason[:300]
    order.save(update_fields=["status", "refund_reason"])
    return order


@transaction.atomic
def order_refund_decline(*, actor: User, order_id: int, detail: str = "") -> Order:
    """Staff turn a refund request down: the order goes back to where it was."""
    _require_staff(actor)
    order = _locked(order_id)
    if order.status != S.REFUND_REQUESTED:
        raise ValidationError(_("No refund was requested."), code="no_request")
    before = (
        order.events.filter(to_status=S.REFUND_REQUESTED)
        .order_by("-created_at", "-id")
        .values_list("from_status", flat=True)
        .first()
    )
    _transition(order, before or S.PAID, actor=actor, detail=detail)
    order.save(update_fields=["status"])
    return order


@transaction.atomic
def order_refund(
    *, actor: User, order_id: int, amount: Decimal | None = None, restock: bool = False
) -> Refund:
    """Give money back through the provider that took it: all that is left by default, or part.
    The order ends refunded; `restock` puts its units back on sale (unsold)."""
    _require_staff(actor)
    order = _locked(order_id)
    if not order.can_become(S.REFUNDED):
        raise ValidationError(
            _("This order is %(status)s: it cannot be refunded.")
            % {"status": order.get_status_display()},
            code="illegal_transition",
        )
    left = order.total - order.refunded_amount
    amount = left if amount is None else money(amount)
    if amount <= 0 or amount > left:
        raise ValidationError(
            _("Refund between ¥0.01 and %(left)s.") % {"left": format_money(left)},
            code="amount",
        )
    provider = provider_named(order.payment_provider)
    reference = provider.refund(
        payment_reference=order.payment_reference,
        amount=amount,
        idempotency_key=f"refund-{order.number}-{order.refunds.count() + 1}",
    )
    refund = Refund.objects.create(
        order=order, amount=amount, restocked=restock, provider_reference=reference, actor=actor
    )
    detail = _("Refunded %(amount)s.") % {"amount": format_money(amount)}
    if restock:
        detail += " " + _("Stock put back.")
    _transition(order, S.REFUNDED, actor=actor, detail=detail)
    order.refunded_amount = F("refunded_amount") + amount
    order.save(update_fields=["status", "refunded_amount"])
    if restock:
        _restock(order)
        _sold(order, -1)
    return refund


# --- E-mails (sent by mall.tasks, at most once each).

EMAILS = {
    "confirmation": ("confirmation_sent_at", "mall/email/order_paid"),
    "shipping": ("shipping_sent_at", "mall/email/order_shipped"),
}


def order_email_send(*, order_id: int, kind: str) -> bool:
    """Send the order's `kind` e-mail unless it went already; marked first, so a task run twice
    sends it once."""
    field, template = EMAILS[kind]
    now = timezone.now()
    if not Order.objects.filter(pk=order_id, **{f"{field}__isnull": True}).update(**{field: now}):
        return False
    order = Order.objects.select_related("buyer").prefetch_related("lines").get(pk=order_id)
    if not order.buyer.email:
        return False
    context = {"order": order, "buyer": order.buyer}
    send_mail(
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        message=render_to_string(f"{template}.txt", context),
        from_email=None,
        recipient_list=[order.buyer.email],
    )
    return True


# --- Demo data.


@transaction.atomic
def orders_delete_for_accounts(*, user_ids: list[int]) -> int:
    """Delete the orders of accounts about to be deleted (the demo's reset); returns how many.

    Orders protect their buyer otherwise: a real account with orders is never deleted by mistake.
    """
    deleted, _detail = Order.objects.filter(buyer_id__in=user_ids).delete()
    return deleted

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
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from core.locks import lock_row, lock_rows
from mall.models import (
    Address,
    CartLine,
    Coupon,
    CouponClaim,
    CouponRedemption,
    FlashSale,
    Order,
    OrderEvent,
    OrderLine,
    Product,
    ProductImage,
    Refund,
    Sku,
)
from mall.money import format_money, money, reward_points
from mall.payments import payment_provider, provider_named
from mall.selectors import (
    cart_lines,
    checkout_quote,
    order_numbers_in_progress,
    order_numbers_unpaid,
)
from mall.services.cart import address_get_for_owner, cart_units_sync
from mall.services.reviews import review_invite
from users import services as user_services
from users.models import PointsEntry, User
from users.services.points import points_grant, points_spend

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
                queryset=OrderLine.objects.select_related(
                    "product", "review_link__note"
                ).prefetch_related(covers),
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
def order_place(
    *,
    actor: User,
    address_id: int,
    expected_total: Decimal | None = None,
    coupon_code: str = "",
    coupon_id: int | None = None,
    points: int = 0,
) -> Order:
    """Turn the buyer's cart into an order awaiting payment, in one transaction.

    Prices are read from the database here, never taken from the buyer, and priced by
    mall.selectors.checkout_quote, as the checkout page was: a live flash sale's price, the
    coupon (a typed code or one from the wallet) and points at settings.MALL_POINTS_PER_YUAN.
    `expected_total` is the total the buyer was shown, and a different one (a price changed
    meanwhile) stops the order so they see the new total first. Lines that cannot be bought now
    are left in the cart; a line that needs fewer units stops the order.

    Everything scarce is taken with a conditional UPDATE in this transaction, so a buyer who
    loses a race gets a message, never an oversell: stock per SKU in SKU order, a flash sale's
    units, the coupon's uses, and the points (through the ledger's spend). The buyer's row is
    locked first, so their own concurrent checkouts queue and per-buyer limits hold.
    """
    address = address_get_for_owner(actor=actor, address_id=address_id)
    buyer = lock_row(User.objects.all(), pk=actor.pk)
    # The buyer's cart rows stay locked until the order is placed: a second "place order" sent
    # at the same moment (a double tap) waits, then finds the cart empty.
    lock_rows(CartLine.objects.filter(owner=actor))
    now = timezone.now()
    quote = checkout_quote(
        owner=buyer,
        coupon_code=coupon_code,
        coupon_id=coupon_id,
        points=points,
        lines=sorted(cart_lines(owner=actor), key=lambda line: line.sku_id),
        now=now,
    )
    review = quote.review
    if not review.lines:
        raise ValidationError(_("Your cart is empty."), code="empty_cart")
    for reviewed in review.lines:
        if reviewed.problem is not None and not reviewed.is_unavailable:
            raise ValidationError(
                _("%(title)s: %(problem)s")
                % {"title": reviewed.sku.product.title, "problem": reviewed.problem.message},
                code="quantity",
            )
    chosen = review.buyable
    if not chosen:
        raise ValidationError(
            _("Nothing in your cart can be bought right now."), code="nothing_available"
        )
    if quote.problems:
        raise ValidationError(" ".join(quote.problems), code="discount")
    if expected_total is not None and money(expected_total) != quote.total:
        raise ValidationError(
            _("Prices changed since you looked: the total is now %(total)s. Check and try again.")
            % {"total": format_money(quote.total)},
            code="total_changed",
        )
    for reviewed in chosen:
        taken = Sku.objects.filter(
            pk=reviewed.sku.pk, is_active=True, stock__gte=reviewed.line.quantity
        ).update(stock=F("stock") - reviewed.line.quantity)
        if reviewed.sale is not None and taken:
            taken = FlashSale.objects.filter(
                pk=reviewed.sale.pk,
                starts_at__lte=now,
                ends_at__gt=now,
                remaining__gte=reviewed.line.quantity,
            ).update(remaining=F("remaining") - reviewed.line.quantity)
        if not taken:
            raise ValidationError(
                _("%(title)s sold out just now. Your cart is kept; check it and try again.")
                % {"title": reviewed.sku.product.title},
                code="sold_out",
            )
    coupon = quote.coupon.coupon if quote.coupon is not None else None
    if coupon is not None:
        uses_left = Q(total_uses__isnull=True) | Q(used_count__lt=F("total_uses"))
        if not Coupon.objects.filter(uses_left, pk=coupon.pk).update(
            used_count=F("used_count") + 1
        ):
            raise ValidationError(_("This coupon has run out."), code="coupon_run_out")
    order = Order.objects.create(
        number=_order_number(),
        buyer=actor,
        subtotal=quote.subtotal,
        shipping_fee=quote.shipping_fee,
        coupon=coupon,
        coupon_discount=quote.coupon_discount,
        points_used=quote.points,
        points_discount=quote.points_discount,
        total=quote.total,
        ship_name=address.name,
        ship_phone=address.phone,
        ship_address=address.one_line,
        expires_at=now + timedelta(minutes=settings.MALL_ORDER_PAYMENT_MINUTES),
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            sku_id=reviewed.sku.pk,
            product_id=reviewed.sku.product_id,
            title=reviewed.sku.product.title,
            sku_label=reviewed.sku.label if reviewed.sku.attributes else "",
            sku_code=reviewed.sku.code,
            unit_price=reviewed.unit_price,
            quantity=reviewed.line.quantity,
            line_total=reviewed.total,
            flash_sale=reviewed.sale,
            source_note_id=reviewed.line.source_note_id,
        )
        for reviewed in chosen
    )
    if coupon is not None:
        CouponRedemption.objects.create(
            coupon=coupon, buyer=actor, order=order, amount=quote.coupon_discount
        )
    if quote.points:
        points_spend(
            actor=buyer,
            amount=quote.points,
            reason=PointsEntry.Reason.ORDER_PAYMENT,
            idempotency_key=f"mall-order-{order.number}-points",
            cause=order,
            note=order.number,
        )
    OrderEvent.objects.create(order=order, to_status=S.PENDING_PAYMENT, actor=actor)
    CartLine.objects.filter(pk__in=[reviewed.line.pk for reviewed in chosen]).delete()
    cart_units_sync(actor=actor)
    return order


def _give_back(order: Order, *, sale_units: bool) -> None:
    """What the order took besides stock, given back once: the coupon's use, the points (to
    the ledger, naming the order), and with `sale_units` its flash-sale units (an unpaid order
    cancelled or expired; a refunded one's sale is usually over)."""
    if sale_units:
        for line in order.lines.filter(flash_sale__isnull=False).order_by("flash_sale_id"):
            FlashSale.objects.filter(pk=line.flash_sale_id).update(
                remaining=F("remaining") + line.quantity
            )
    deleted, _detail = CouponRedemption.objects.filter(order=order).delete()
    if deleted and order.coupon_id is not None:
        Coupon.objects.filter(pk=order.coupon_id, used_count__gt=0).update(
            used_count=F("used_count") - 1
        )
    if order.points_used:
        points_grant(
            actor=order.buyer,
            amount=order.points_used,
            reason=PointsEntry.Reason.ORDER_REFUND,
            idempotency_key=f"mall-order-{order.number}-points-back",
            cause=order,
            note=order.number,
        )


# --- Before payment: cancelling and expiring give the stock back.


@transaction.atomic
def order_cancel(*, actor: User, number: str) -> Order:
    """The buyer cancels an order they have not paid; its stock is back at once."""
    order = _locked(order_get_for_buyer(actor=actor, number=number).pk)
    _transition(order, S.CANCELLED, actor=actor, detail=_("Cancelled by the buyer."))
    order.save(update_fields=["status"])
    _restock(order)
    _give_back(order, sale_units=True)
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
    _give_back(order, sale_units=True)
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
    review_invite(order=order)
    return order


@transaction.atomic
def order_confirm_receipt(*, actor: User, number: str) -> Order:
    """The buyer says the parcel arrived: the order is complete."""
    order = _locked(order_get_for_buyer(actor=actor, number=number).pk)
    if order.status not in (S.SHIPPED, S.DELIVERED):
        raise ValidationError(_("This order has not been shipped yet."), code="not_shipped")
    was_delivered = order.status == S.DELIVERED
    _transition(order, S.COMPLETED, actor=actor)
    order.save(update_fields=["status"])
    _reward(order)
    user_services.growth_record(actor=order.buyer, action="order_completed")
    if not was_delivered:
        review_invite(order=order)
    return order


def _reward_key(order: Order) -> str:
    return f"mall-order-{order.number}-reward"


def _reward(order: Order) -> None:
    """Shopping reward points for a completed order, once whatever happens (its key)."""
    amount = reward_points(order.total - order.refunded_amount)
    if amount:
        points_grant(
            actor=order.buyer,
            amount=amount,
            reason=PointsEntry.Reason.SHOPPING_REWARD,
            idempotency_key=_reward_key(order),
            cause=order,
            note=order.number,
        )


def _reward_take_back(order: Order, *, refunded: Decimal) -> None:
    """A rewarded order refunded (all or part of it): its reward comes down to what the money
    kept earns. The difference is taken from the points the buyer still holds; points of it
    already spent stay spent (the balance never goes below zero). Once per order, like the
    refund itself."""
    granted = (
        PointsEntry.objects.filter(idempotency_key=_reward_key(order))
        .values_list("amount", flat=True)
        .first()
    )
    if not granted:
        return
    owed = granted - reward_points(order.total - refunded)
    # The buyer's row is locked, so the balance read is the balance the spend finds.
    held = (
        User.objects.select_for_update()
        .values_list("points_balance", flat=True)
        .get(pk=order.buyer_id)
    )
    amount = min(owed, held)
    if amount > 0:
        points_spend(
            actor=order.buyer,
            amount=amount,
            reason=PointsEntry.Reason.SHOPPING_REWARD_TAKEN_BACK,
            idempotency_key=f"{_reward_key(order)}-back",
            cause=order,
            note=order.number,
        )


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
    The order ends refunded; `restock` puts its units back on sale (unsold); the points it
    took come back, and a shopping reward it earned comes down with the money it kept."""
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
    refunded = order.refunded_amount + amount
    order.refunded_amount = F("refunded_amount") + amount
    order.save(update_fields=["status", "refunded_amount"])
    if restock:
        _restock(order)
        _sold(order, -1)
    _give_back(order, sale_units=False)
    _reward_take_back(order, refunded=refunded)
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


@transaction.atomic
def buyer_leave(*, buyer: User) -> None:
    """A closing account's part of the mall (community.services.account_close).

    Refused while one of its orders is under way (paid, goods or refund not settled): the
    orders stay with the closed account, which can no longer answer for them. Orders still
    awaiting payment are cancelled, which gives their stock back; the cart, the address book
    and the coupon wallet are emptied. Placed orders keep their own copy of the address.
    """
    in_progress = order_numbers_in_progress(buyer=buyer)
    if in_progress:
        raise ValidationError(
            _(
                "Orders %(numbers)s are still under way. An account can be closed once its "
                "orders are completed or refunded."
            )
            % {"numbers": ", ".join(in_progress)},
            code="orders_in_progress",
        )
    for number in order_numbers_unpaid(buyer=buyer):
        order_cancel(actor=buyer, number=number)
    CartLine.objects.filter(owner=buyer).delete()
    user_services.user_cart_units_set(user_id=buyer.pk, units=0)
    Address.objects.filter(owner=buyer).delete()
    CouponClaim.objects.filter(owner=buyer).delete()

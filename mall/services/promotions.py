"""Promotions: staff schedule campaigns, flash sales and coupons; buyers claim coupons.

The rules of a sale (cheaper than its SKU, alone in its window) and of a coupon live on their
models' clean(), once; these verbs run them and save, one transaction each. A sale's SKU row is
locked while it is checked and saved, so two staff scheduling the same SKU at once cannot both
pass the overlap check.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock_row
from mall.models import Brand, Campaign, Category, Coupon, CouponClaim, FlashSale, Sku
from users.models import User


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only staff can run promotions."))


@transaction.atomic
def campaign_save(*, actor: User, campaign: Campaign) -> Campaign:
    _require_staff(actor)
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def flash_sale_save(*, actor: User, sale: FlashSale) -> FlashSale:
    """Create or change a sale. A new sale has its whole quota left; a changed quota moves the
    units left by the difference, so units bought meanwhile stay bought (never below zero)."""
    _require_staff(actor)
    lock_row(Sku.objects.all(), pk=sale.sku_id)
    sale.full_clean(exclude=["remaining"])
    if sale.pk is None:
        sale.remaining = sale.quota
        sale.save()
        return sale
    before = FlashSale.objects.get(pk=sale.pk)
    sold = before.quota - before.remaining
    if sale.quota < sold:
        raise ValidationError(
            {"quota": _("%(sold)d units are already sold at this price.") % {"sold": sold}},
            code="quota_below_sold",
        )
    sale.save(
        update_fields=[
            "sku",
            "campaign",
            "price",
            "starts_at",
            "ends_at",
            "quota",
            "per_user_limit",
        ]
    )
    FlashSale.objects.filter(pk=sale.pk).update(
        remaining=F("remaining") + (sale.quota - before.quota)
    )
    sale.refresh_from_db(fields=["remaining"])
    return sale


@transaction.atomic
def coupon_save(
    *,
    actor: User,
    coupon: Coupon,
    brands: Iterable[Brand] | None = None,
    categories: Iterable[Category] | None = None,
) -> Coupon:
    """Create or change a coupon and, when given, the brands and categories it is limited to
    (None leaves them as they are; empty: every product), in one transaction."""
    _require_staff(actor)
    coupon.full_clean(exclude=["used_count"])
    if coupon.pk is None:
        coupon.save()
    else:
        coupon.save(
            update_fields=[
                field.name
                for field in Coupon._meta.concrete_fields
                if not field.primary_key and field.name not in ("used_count", "created_at")
            ]
        )
    if brands is not None:
        coupon.brands.set(brands)
    if categories is not None:
        coupon.categories.set(categories)
    return coupon


def coupon_claim(*, actor: User, coupon_id: int) -> tuple[CouponClaim, bool]:
    """Put a claimable, valid coupon in the buyer's wallet; (claim, created). Claiming twice
    keeps one claim."""
    now = timezone.now()
    coupon = Coupon.objects.filter(
        pk=coupon_id, is_claimable=True, starts_at__lte=now, ends_at__gt=now
    ).first()
    if coupon is None:
        raise ValidationError(_("This coupon cannot be claimed."), code="not_claimable")
    if coupon.total_uses is not None and coupon.used_count >= coupon.total_uses:
        raise ValidationError(_("This coupon has run out."), code="coupon_run_out")
    try:
        with transaction.atomic():
            return CouponClaim.objects.get_or_create(owner=actor, coupon=coupon)
    except IntegrityError:
        return CouponClaim.objects.get(owner=actor, coupon=coupon), False

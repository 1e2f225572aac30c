"""Helpers of the promotions tests: a flash sale and a coupon made as staff make them."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from mall import services
from mall.models import Coupon, FlashSale, Sku
from tests.factories import UserFactory


def staff_member():
    return UserFactory(is_staff=True)


def flash_sale(
    sku: Sku,
    *,
    price: str = "99.00",
    quota: int = 10,
    per_user_limit: int = 2,
    starts_in: timedelta = timedelta(hours=-1),
    lasts: timedelta = timedelta(hours=2),
    **fields,
) -> FlashSale:
    starts_at = timezone.now() + starts_in
    sale = FlashSale(
        sku=sku,
        price=Decimal(price),
        starts_at=starts_at,
        ends_at=starts_at + lasts,
        quota=quota,
        per_user_limit=per_user_limit,
        **fields,
    )
    return services.flash_sale_save(actor=staff_member(), sale=sale)


def coupon(
    *,
    code: str = "SAVE20",
    kind: str = "fixed",
    amount: str | None = "20.00",
    percent: int | None = None,
    max_discount: str | None = None,
    min_spend: str = "0",
    total_uses: int | None = None,
    per_user_uses: int = 1,
    is_claimable: bool = False,
    starts_in: timedelta = timedelta(days=-1),
    lasts: timedelta = timedelta(days=7),
    brands=(),
    categories=(),
) -> Coupon:
    starts_at = timezone.now() + starts_in
    made = Coupon(
        name=f"Coupon {code or 'claim'}",
        code=code,
        kind=kind,
        amount=Decimal(amount) if amount else None,
        percent=percent,
        max_discount=Decimal(max_discount) if max_discount else None,
        min_spend=Decimal(min_spend),
        starts_at=starts_at,
        ends_at=starts_at + lasts,
        total_uses=total_uses,
        per_user_uses=per_user_uses,
        is_claimable=is_claimable,
    )
    return services.coupon_save(
        actor=staff_member(), coupon=made, brands=brands, categories=categories
    )

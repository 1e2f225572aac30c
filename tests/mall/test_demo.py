"""seed_demo's mall: brands, a category tree, products with photos and stock, products linked
from demo notes, the demo account's past orders, and a campaign with flash sales and coupons."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from community.demo.mall import CAMPAIGN_DAYS, CAMPAIGN_NAME, sale_windows
from mall import selectors
from mall.models import (
    Brand,
    Campaign,
    Category,
    Coupon,
    CouponClaim,
    FlashSale,
    NoteProduct,
    Order,
    Product,
)
from notes.models import Note
from users.models import User

pytestmark = pytest.mark.django_db


def seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, users=8, notes=30, **options)
    return out.getvalue()


def test_seed_fills_the_mall_with_products_on_sale_with_photos_and_stock():
    output = seed()

    assert Brand.objects.count() == 8
    assert Brand.objects.filter(account__isnull=False).count() == 3
    assert Category.objects.filter(parent__isnull=True).count() == 6
    assert Category.objects.filter(parent__isnull=False).count() == 12
    products = Product.objects.annotate(
        photos=Count("images", distinct=True), variants=Count("skus")
    )
    assert products.count() == 22
    assert all(product.photos >= 1 and product.variants >= 1 for product in products)
    assert all(product.price > 0 for product in products)
    assert "mall       products 22 (new 22)" in output


def test_seed_links_products_from_some_notes_and_their_cards_know_it():
    seed()

    linked = Note.objects.filter(products_count__gt=0)
    assert linked.exists()
    for note in linked:
        assert note.products_count == NoteProduct.objects.filter(note=note).count()


def test_the_demo_account_has_past_orders_in_several_states():
    seed()

    states = sorted(Order.objects.filter(buyer__username="demo").values_list("status", flat=True))
    assert states == ["cancelled", "completed", "paid", "pending_payment", "shipped"]


def test_reset_keeps_the_catalogue_and_makes_the_demo_orders_again():
    seed()
    products = set(Product.objects.values_list("pk", flat=True))

    output = seed(reset=True)

    assert set(Product.objects.values_list("pk", flat=True)) == products
    assert Order.objects.filter(buyer__username="demo").count() == 5
    assert "mall       products 22 (new 0)" in output


def test_seed_runs_a_campaign_with_flash_sales_on_now_and_more_to_come():
    output = seed()

    assert [campaign.name for campaign in selectors.campaigns_running()] == [CAMPAIGN_NAME]
    shown = selectors.flash_sales_shown()
    assert any(not sale.is_upcoming for sale in shown)
    assert any(sale.is_upcoming for sale in shown)
    sales = FlashSale.objects.select_related("sku")
    assert all(0 < sale.price < sale.sku.price and sale.remaining == sale.quota for sale in sales)
    assert f"flash sales {sales.count()}, coupons 3" in output


def test_the_demo_account_has_a_coupon_claimed_and_more_to_claim_or_type():
    seed()

    demo = User.objects.get(username="demo")
    wallet = CouponClaim.objects.filter(owner=demo).values_list("coupon__name", flat=True)
    assert list(wallet) == ["好物节满 199 减 20"]
    claimable = {coupon.name for coupon in selectors.coupons_claimable()}
    assert claimable == {"好物节满 199 减 20", "山茶实验室 Camellia Lab 85 折券"}
    assert Coupon.objects.get(code="HONGSHU10").is_claimable is False


def test_reset_keeps_a_running_campaign_and_its_sales():
    seed()
    sales = set(FlashSale.objects.values_list("pk", flat=True))

    seed(reset=True)

    assert Campaign.objects.count() == 1
    assert set(FlashSale.objects.values_list("pk", flat=True)) == sales
    assert CouponClaim.objects.filter(owner__username="demo").count() == 1


def test_reset_starts_a_new_week_when_the_campaign_is_about_to_end():
    seed()
    soon = timezone.now() + timedelta(hours=2)
    Campaign.objects.update(ends_at=soon)
    FlashSale.objects.filter(starts_at__gte=soon).delete()
    FlashSale.objects.update(ends_at=soon)

    seed(reset=True)

    latest = Campaign.objects.order_by("-ends_at").first()
    assert Campaign.objects.count() == 2
    assert latest.ends_at > timezone.now() + timedelta(days=6)
    assert latest.flash_sales.exists()
    assert Coupon.objects.get(code="HONGSHU10").ends_at == latest.ends_at


SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("hour", [3, 9, 10, 15, 23])
def test_the_demo_sales_run_now_and_the_next_opens_within_a_day_at_any_hour(hour, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    now = datetime(2026, 12, 1, hour, 20, tzinfo=SHANGHAI)

    windows = sale_windows(now, ends=now + timedelta(days=CAMPAIGN_DAYS))

    (on_from, on_until), (next_from, _next_until) = windows[:2]
    assert on_from < now < on_until
    assert now < next_from <= now + timedelta(hours=settings.MALL_FLASH_SALE_SOON_HOURS)
    assert next_from.astimezone(SHANGHAI).hour == 10
    assert on_until == next_from  # one day's sales hand over to the next at 10:00

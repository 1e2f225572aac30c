"""Promotions in a real Chromium on a phone: a flash sale (限时购) on the mall home and the
product page, a coupon claimed into the wallet, and checkout paying part with points."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from mall import services
from mall.models import Brand, NoteProduct, Order
from tests.e2e.conftest import LAPTOP, PHONE
from tests.e2e.test_mall import log_in
from tests.factories import NoteFactory, UserFactory, image_upload
from tests.mall.factories import (
    AddressFactory,
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
)
from tests.mall.promotions import coupon, flash_sale
from users.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sale():
    """A lipstick at ¥99.00 instead of ¥129.00 for the next hour, a cleanser's sale starting
    soon, a ¥10 coupon on offer from ¥50, and a buyer with 3000 points and an address."""
    beauty = CategoryFactory(name="Beauty", slug="beauty")
    lipstick = ProductFactory(
        title="Velvet matte lipstick",
        brand=BrandFactory(name="Hanami", slug="hanami"),
        category=CategoryFactory(name="Lipstick", slug="lipstick", parent=beauty),
        images=0,
        skus=[{"code": "RED", "attributes": {"Shade": "Ruby red"}, "price": "129.00"}],
    )
    ProductImageFactory(
        product=lipstick, image=image_upload(size=(600, 600)), width=600, height=600
    )
    cleanser = ProductFactory(title="Rose cleanser", category=beauty, skus=[{"price": "79.00"}])
    flash_sale(lipstick.skus.get(), price="99.00", quota=5, per_user_limit=1)
    flash_sale(cleanser.skus.get(), price="59.00", starts_in=timedelta(hours=3))
    coupon(code="", is_claimable=True, amount="10.00", min_spend="50.00")
    buyer = UserFactory(username="xiaoming", display_name="小明")
    User.objects.filter(pk=buyer.pk).update(points_balance=3000)
    AddressFactory(owner=buyer)
    return {"product": lipstick, "buyer": buyer}


def test_a_buyer_gets_the_flash_price_with_a_coupon_and_points_on_a_phone(
    site, new_page, screenshot, sale
):
    page = new_page(viewport=PHONE)
    log_in(page, site, "xiaoming")

    # The mall home's strip: the sale on now with its countdown, the next one to start.
    page.goto(f"{site}/mall/")
    strip = page.locator(".flash-strip")
    expect(strip.locator(".flash-card")).to_have_count(2)
    expect(strip.locator(".flash-card").first).to_contain_text("¥99.00")
    expect(strip.locator(".flash-card").first).to_contain_text("Ends in")
    expect(strip.locator(".flash-card").nth(1)).to_contain_text("Starts in")
    screenshot(page, "mall-flash-home-phone")

    # The product page shows the sale price and what is left; buy now.
    strip.locator(".flash-card").first.locator(".card__title a").click()
    panel = page.locator(".flash-panel")
    expect(panel).to_contain_text("5 left at this price")
    expect(panel).to_contain_text("Limit 1 per buyer")
    screenshot(page, "mall-flash-product-phone")

    # Claim the coupon on offer into the wallet.
    page.goto(f"{site}/mall/coupons/")
    page.get_by_role("button", name="Claim").click()
    expect(page.locator(".toast")).to_have_text("Added to your coupons.")
    screenshot(page, "mall-coupons-phone")

    # Checkout: the flash price, the wallet coupon and 1000 points.
    page.goto(f"{site}{sale['product'].get_absolute_url()}")
    page.locator(".buy-bar__now").click()
    expect(page.locator(".cart-line__flash")).to_have_text("Flash sale")
    page.select_option("select[name=coupon]", index=1)
    page.fill("input[name=points]", "1000")
    page.get_by_role("button", name="Apply").click()
    totals = page.locator(".totals")
    expect(totals).to_contain_text("−¥10.00")
    expect(totals).to_contain_text("1000 points")
    expect(page.get_by_role("button", name="Place order · ¥79.00")).to_be_visible()
    screenshot(page, "mall-checkout-discounts-phone")
    page.get_by_role("button", name="Place order · ¥79.00").click()

    page.get_by_role("button", name="Pay ¥79.00 (demo)").click()
    expect(page.locator(".order-status")).to_have_text("Paid")
    expect(page.locator(".order-totals")).to_contain_text("−¥10.00")
    screenshot(page, "mall-order-discounts-phone")

    order = Order.objects.get(buyer=sale["buyer"])
    assert (order.subtotal, order.coupon_discount, order.points_used, order.total) == (
        Decimal("99.00"),
        Decimal("10.00"),
        1000,
        Decimal("79.00"),
    )
    assert User.objects.get(pk=sale["buyer"].pk).points_balance == 2000
    assert page.csp_errors == []


def test_the_flash_strip_on_a_laptop(site, new_page, screenshot, sale):
    page = new_page(viewport=LAPTOP)

    page.goto(f"{site}/mall/")
    expect(page.locator(".flash-strip .flash-card")).to_have_count(2)
    screenshot(page, "mall-flash-home-laptop")
    page.goto(f"{site}{sale['product'].get_absolute_url()}")
    expect(page.locator(".flash-panel")).to_contain_text("¥99.00")
    screenshot(page, "mall-flash-product-laptop")
    assert page.csp_errors == []


def test_staff_read_the_sales_report_with_its_chart(site, new_page, screenshot, sale):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    buyer = sale["buyer"]
    services.cart_add(actor=buyer, sku_id=sale["product"].skus.get().pk)
    order = services.order_place(actor=buyer, address_id=buyer.addresses.get().pk)
    services.order_pay_with_demo(actor=buyer, number=order.number)
    page = new_page(viewport=LAPTOP)
    log_in(page, site, "boss")

    page.goto(f"{site}/admin/mall/order/")
    page.get_by_role("link", name="Sales report").click()
    expect(page.locator("svg.sales-chart rect")).to_have_count(30)
    expect(page.locator("table", has_text="Top products")).to_contain_text("Velvet matte lipstick")
    screenshot(page, "mall-sales-report-laptop")
    assert page.csp_errors == []


def test_a_brand_reads_its_sales_by_note_on_a_phone(site, new_page, screenshot, sale):
    account = UserFactory(username="hanami_official", kind="brand")
    product = sale["product"]
    Brand.objects.filter(pk=product.brand_id).update(account=account)
    note = NoteFactory(title="My everyday red", images=0)
    NoteProduct.objects.create(note=note, product=product)
    buyer = sale["buyer"]
    services.cart_add(actor=buyer, sku_id=product.skus.get().pk, source_note_id=note.pk)
    order = services.order_place(actor=buyer, address_id=buyer.addresses.get().pk)
    services.order_pay_with_demo(actor=buyer, number=order.number)
    page = new_page(viewport=PHONE)
    log_in(page, site, "hanami_official")

    page.goto(f"{site}/mall/brand/sales/")
    expect(page.locator(".sales-table")).to_contain_text("My everyday red")
    screenshot(page, "mall-brand-sales-phone")
    assert page.csp_errors == []

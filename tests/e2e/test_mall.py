"""The mall in a real Chromium: from a note to a paid order with the demo payment provider."""

import re

import pytest
from playwright.sync_api import expect

from mall import services
from mall.models import Order
from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE
from tests.factories import PASSWORD, NoteFactory, NoteImageFactory, UserFactory, image_upload
from tests.mall.factories import (
    BrandFactory,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop():
    """A creator's note linking a lipstick (two shades, one sold out), a second note about it,
    and a reader."""
    creator = UserFactory(username="meimei", display_name="美美 Meimei")
    beauty = CategoryFactory(name="Beauty", slug="beauty")
    lipstick = ProductFactory(
        title="Velvet matte lipstick",
        brand=BrandFactory(name="Hanami", slug="hanami"),
        category=CategoryFactory(name="Lipstick", slug="lipstick", parent=beauty),
        origin_country="Japan",
        images=0,
        skus=[
            {
                "code": "RED",
                "attributes": {"Shade": "Ruby red"},
                "price": "129.00",
                "compare_at_price": "159.00",
                "stock": 8,
            },
            {"code": "NUDE", "attributes": {"Shade": "Nude"}, "price": "129.00", "stock": 0},
        ],
    )
    ProductImageFactory(
        product=lipstick, image=image_upload(size=(600, 600)), width=600, height=600
    )
    ProductFactory(title="Rose cleanser", category=beauty, skus=[{"price": "79.00"}])
    notes = []
    for title in ("My everyday red", "Lipstick swatches"):
        note = NoteFactory(
            author=creator, title=title, body="Creamy and it lasts all day.", images=0
        )
        NoteImageFactory(note=note, image=image_upload(size=(600, 800)), width=600, height=800)
        services.note_products_set(actor=creator, note_id=note.pk, product_ids=[lipstick.pk])
        notes.append(note)
    reader = UserFactory(username="xiaoming", display_name="小明")
    return {"note": notes[0], "product": lipstick, "reader": reader}


def log_in(page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".account-menu__toggle")).to_be_visible()


def test_a_reader_buys_from_a_note_and_pays_with_the_demo_provider(
    site, new_page, screenshot, shop
):
    page = new_page(viewport=PHONE)
    log_in(page, site, "xiaoming")

    # The note shows the product; its card leads to the product page.
    page.goto(f"{site}{shop['note'].get_absolute_url()}")
    card = page.locator(".note-product", has_text="Velvet matte lipstick")
    expect(card).to_contain_text("¥129.00")
    card.evaluate("card => card.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(ARTIFACTS / "mall-note-product-card-phone-view.png"))
    card.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/mall/products/{shop['product'].pk}/\?note=\d+$"))

    # The sold-out shade cannot be chosen; the red one is, and shows its price and stock.
    expect(page.locator("input[name=sku][value]").nth(1)).to_be_disabled()
    expect(page.locator("[data-sku-price]")).to_have_text("¥129.00")
    expect(page.locator("[data-sku-stock]")).to_have_text("In stock")
    expect(page.locator(".product-notes .card")).to_have_count(2)
    screenshot(page, "mall-product-phone")
    page.locator(".sku-picker").evaluate("picker => picker.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(ARTIFACTS / "mall-product-phone-view.png"))
    page.locator(".sku-chip", has_text="Ruby red").click()
    page.fill("input[name=quantity]", "2")
    page.locator(".buy-bar__cart").click()
    expect(page.locator(".toast")).to_have_text("Added to your cart.")
    expect(page.locator(".mall-cart__count")).to_have_text("2")

    # The cart, then checkout: no address yet, so one is added on the way.
    page.locator(".mall-cart").click()
    expect(page.locator(".totals")).to_contain_text("¥258.00")
    screenshot(page, "mall-cart-phone")
    page.get_by_role("link", name="Check out").click()
    page.get_by_role("link", name="Add an address").click()
    page.fill("input[name=name]", "小明")
    page.fill("input[name=phone]", "138 0013 8000")
    page.fill("input[name=province]", "上海市")
    page.fill("input[name=city]", "上海市")
    page.fill("input[name=district]", "徐汇区")
    page.fill("input[name=street]", "武康路 100 号")
    page.get_by_role("button", name="Save address").click()
    expect(page).to_have_url(f"{site}/mall/checkout/")
    screenshot(page, "mall-checkout-phone")
    page.get_by_role("button", name=re.compile("Place order")).click()

    # The demo provider's page says what it is; paying marks the order paid.
    expect(page.locator(".demo-badge")).to_have_text("Demo payment")
    expect(page.locator("h1")).to_have_text("Demo payment: no money moves")
    screenshot(page, "mall-demo-pay-phone")
    page.get_by_role("button", name="Pay ¥258.00 (demo)").click()
    expect(page.locator(".order-status")).to_have_text("Paid")
    screenshot(page, "mall-order-paid-phone")

    order = Order.objects.get(buyer=shop["reader"])
    assert (order.status, order.total, order.lines.get().source_note) == (
        "paid",
        order.subtotal,
        shop["note"],
    )
    assert page.csp_errors == []


def test_the_mall_on_a_laptop_shows_the_product_beside_its_gallery_and_the_notes_below(
    site, new_page, screenshot, shop
):
    page = new_page(viewport=LAPTOP)

    page.goto(f"{site}/mall/")
    expect(page.locator(".mall-chip", has_text="Beauty")).to_be_visible()
    screenshot(page, "mall-home-laptop")
    page.goto(f"{site}{shop['product'].get_absolute_url()}")
    gallery = page.locator(".product-page__gallery").bounding_box()
    info = page.locator(".product-page__info").bounding_box()
    assert info["x"] > gallery["x"] + gallery["width"] - 1  # side by side
    expect(page.locator(".product-notes .card")).to_have_count(2)
    screenshot(page, "mall-product-laptop")
    assert page.csp_errors == []


def test_the_cart_count_shows_in_the_top_bar_and_on_the_phones_mall_tab(
    site, new_page, screenshot, shop
):
    red = shop["product"].skus.get(code="RED")
    services.cart_add(actor=shop["reader"], sku_id=red.pk, quantity=2)
    laptop = new_page(viewport=LAPTOP)
    log_in(laptop, site, "xiaoming")

    laptop.goto(f"{site}/")

    expect(laptop.locator(".topnav__cart .unread-count")).to_have_text("2")
    screenshot(laptop, "topbar-cart-laptop")
    laptop.locator(".topnav__cart").click()
    expect(laptop).to_have_url(f"{site}/mall/cart/")

    phone = new_page(viewport=PHONE)
    log_in(phone, site, "xiaoming")
    phone.goto(f"{site}/")
    expect(phone.locator(".tabbar .cart-count")).to_contain_text("2")
    expect(phone.locator(".topnav__cart")).to_be_hidden()
    screenshot(phone, "topbar-cart-phone")


def test_a_creator_who_just_published_is_offered_the_link_sheet(site, new_page, screenshot):
    creator = UserFactory(username="meimei")
    note = NoteFactory(author=creator, title="Spring haul", images=0)
    NoteImageFactory(note=note, image=image_upload(size=(600, 800)), width=600, height=800)
    ProductFactory(title="Velvet matte lipstick")
    page = new_page(viewport=PHONE)
    log_in(page, site, "meimei")

    page.goto(f"{site}{note.get_absolute_url()}?published=1")
    screenshot(page, "note-just-published-phone")
    page.locator(".note-products__offer .button").click()

    expect(page).to_have_url(f"{site}/mall/notes/{note.pk}/products/")

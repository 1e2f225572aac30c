"""Staff screens: the catalogue saved through mall.services, orders changed by their actions."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from mall import services
from mall.models import Coupon, Order, Product, Sku
from tests.factories import NoteFactory, image_bytes
from tests.mall import promotions
from tests.mall.factories import AddressFactory, BrandFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def inline_management(prefix: str, total: int, initial: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_staff_add_a_product_with_a_photo_and_a_variant_through_the_services(
    staff_client, lipstick
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "title": "Silk scarf",
        "description": "",
        "category": lipstick.pk,
        "origin_country": "Italy",
        "status": "active",
        **inline_management("images", 1, 0),
        "images-0-image": SimpleUploadedFile("a.png", image_bytes(image_format="PNG"), "image/png"),
        "images-0-position": "0",
        **inline_management("skus", 1, 0),
        "skus-0-code": "SCARF-1",
        "skus-0-attributes": '{"Colour": "Blue"}',
        "skus-0-price": "259.00",
        "skus-0-stock": "12",
        "skus-0-position": "0",
        "skus-0-is_active": "on",
    }

    response = staff_client.post(reverse("admin:mall_product_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get(title="Silk scarf")
    assert (product.price, product.published_at is not None) == (Decimal("259.00"), True)
    assert product.images.get().image.name.startswith("mall/")
    assert product.skus.get().stock == 12


def test_stock_edited_in_the_admin_changes_by_the_difference_staff_typed(
    staff_client, product, red
):
    # given: staff open the form showing 3; a buyer then takes 2
    pink = product.skus.get(code="LIP-PINK")
    form_stock = red.stock
    Sku.objects.filter(pk=red.pk).update(stock=1)
    data = {
        "title": product.title,
        "description": product.description,
        "category": product.category_id,
        "brand": product.brand_id,
        "origin_country": "",
        "status": "active",
        **inline_management("images", 1, 1),
        "images-0-id": product.images.get().pk,
        "images-0-product": product.pk,
        "images-0-position": "0",
        **inline_management("skus", 2, 2),
    }
    for index, sku in enumerate((red, pink)):
        data.update(
            {
                f"skus-{index}-id": sku.pk,
                f"skus-{index}-product": product.pk,
                f"skus-{index}-code": sku.code,
                f"skus-{index}-attributes": json.dumps(sku.attributes),
                f"skus-{index}-price": str(sku.price),
                f"skus-{index}-compare_at_price": str(sku.compare_at_price or ""),
                f"skus-{index}-stock": str(form_stock + 10 if sku == red else 0),
                f"skus-{index}-position": str(index),
                f"skus-{index}-is_active": "on",
                f"skus-{index}-stock_seen": str(form_stock if sku == red else 0),
            }
        )
    # when: staff add 10 on the form
    response = staff_client.post(reverse("admin:mall_product_change", args=[product.pk]), data)
    # then
    assert response.status_code == 302
    red.refresh_from_db()
    assert red.stock == 11


def test_the_low_stock_filter_finds_products_with_a_variant_almost_gone(staff_client):
    low = ProductFactory(title="Almost gone", skus=[{"stock": 2}])
    ProductFactory(title="Plenty", skus=[{"stock": 50}])

    response = staff_client.get(reverse("admin:mall_product_changelist"), {"stock": "low"})

    assert list(response.context["cl"].queryset) == [low]


# --- Orders.


def test_staff_ship_orders_with_a_carrier_and_tracking_number(staff_client, user, place_order, red):
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)
    url = reverse("admin:mall_order_changelist")
    selection = {"action": "ship", "_selected_action": [order.pk]}

    asked = staff_client.post(url, selection)
    done = staff_client.post(
        url, {**selection, "apply": "1", "carrier": "SF Express", "tracking_number": "SF123"}
    )

    assert b'name="tracking_number"' in asked.content
    assert done.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.carrier, order.tracking_number) == (
        "shipped",
        "SF Express",
        "SF123",
    )


def test_staff_refund_in_full_putting_the_stock_back(staff_client, user, place_order, red):
    order = place_order(red, 2)
    services.order_pay_with_demo(actor=user, number=order.number)

    staff_client.post(
        reverse("admin:mall_order_changelist"),
        {
            "action": "refund",
            "_selected_action": [order.pk],
            "apply": "1",
            "amount": "",
            "restock": "on",
        },
    )

    order.refresh_from_db()
    red.refresh_from_db()
    assert (order.status, order.refunded_amount, red.stock) == ("refunded", Decimal("258.00"), 3)


def test_an_action_refused_for_one_order_is_reported_and_the_others_change(
    staff_client, staff, user, place_order, red
):
    unpaid = place_order(red)
    paid = place_order(red)
    services.order_pay_with_demo(actor=user, number=paid.number)
    services.order_ship(actor=staff, order_id=paid.pk, carrier="SF", tracking_number="SF1")

    response = staff_client.post(
        reverse("admin:mall_order_changelist"),
        {"action": "mark_delivered", "_selected_action": [paid.pk, unpaid.pk]},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert (
        f"{unpaid.number}: This order is Awaiting payment and cannot become Delivered."
        in messages[0]
    )
    assert Order.objects.get(pk=paid.pk).status == "delivered"


def test_staff_see_how_many_units_each_note_sold(staff_client, user, other_user, red):
    note = NoteFactory(author=other_user)
    services.note_product_attach(actor=other_user, note_id=note.pk, product_id=red.product_id)
    services.cart_add(actor=user, sku_id=red.pk, quantity=2, source_note_id=note.pk)
    order = services.order_place(actor=user, address_id=AddressFactory(owner=user).pk)
    services.order_pay_with_demo(actor=user, number=order.number)

    response = staff_client.get(reverse("admin:mall_noteproduct_changelist"))

    [link] = response.context["cl"].result_list
    assert (link.note, link.sold) == (note, 2)


def test_staff_limit_a_coupon_to_a_brand_and_category_through_the_service(
    staff_client, lipstick, monkeypatch
):
    brand = BrandFactory()
    saved = []
    real_save = services.coupon_save

    def spy(**kwargs):
        saved.append(kwargs)
        return real_save(**kwargs)

    monkeypatch.setattr(services, "coupon_save", spy)
    data = {
        "name": "Lipstick week",
        "code": "lips10",
        "kind": "fixed",
        "amount": "10.00",
        "min_spend": "0",
        "starts_at_0": "2026-01-01",
        "starts_at_1": "00:00:00",
        "ends_at_0": "2026-02-01",
        "ends_at_1": "00:00:00",
        "per_user_uses": "1",
        "brands": [brand.pk],
        "categories": [lipstick.pk],
    }

    response = staff_client.post(reverse("admin:mall_coupon_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    coupon = Coupon.objects.get(code="LIPS10")
    assert list(coupon.brands.all()) == [brand]
    assert list(coupon.categories.all()) == [lipstick]
    assert [list(call["brands"]) for call in saved] == [[brand]]


def test_a_coupon_saved_without_brands_keeps_the_brands_it_had(staff):
    brand = BrandFactory()
    coupon = promotions.coupon(code="KEEP", brands=[brand])
    coupon.name = "Renamed"

    services.coupon_save(actor=staff, coupon=coupon)

    assert list(Coupon.objects.get(pk=coupon.pk).brands.all()) == [brand]


def test_staff_archive_products_and_cannot_delete_them(staff_client, product):
    page = staff_client.get(reverse("admin:mall_product_delete", args=[product.pk]))
    listing = staff_client.get(reverse("admin:mall_product_changelist"))

    assert page.status_code == 403
    assert "delete_selected" not in listing.content.decode()
    assert 'value="archive"' in listing.content.decode()

"""A brand's sales of its products by note (part 1's attribution), for its account only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mall import services
from mall.models import NoteProduct
from tests.factories import NoteFactory, UserFactory
from tests.mall.factories import AddressFactory, BrandFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand_account():
    return UserFactory(username="hanami", kind="brand")


@pytest.fixture
def sold_through_note(brand_account, user):
    """The brand's product bought twice through a note, and another brand's product too."""
    brand = BrandFactory(name="Hanami", slug="hanami", account=brand_account)
    note = NoteFactory(title="My everyday red")
    for product in (ProductFactory(brand=brand), ProductFactory()):
        NoteProduct.objects.create(note=note, product=product)
        services.cart_add(
            actor=user, sku_id=product.skus.get().pk, quantity=2, source_note_id=note.pk
        )
    order = services.order_place(actor=user, address_id=AddressFactory(owner=user).pk)
    services.order_pay_with_demo(actor=user, number=order.number)
    return note


def test_a_brand_sees_the_notes_that_sold_its_products(
    client, brand_account, sold_through_note, django_assert_num_queries
):
    client.force_login(brand_account)

    with django_assert_num_queries(4):
        response = client.get(reverse("mall:brand_sales"))

    [row] = response.context["rows"]
    assert (row["source_note__title"], row["units"], row["revenue"]) == (
        "My everyday red",
        2,
        Decimal("198.00"),
    )


def test_an_account_without_a_brand_store_finds_nothing(user_client):
    assert user_client.get(reverse("mall:brand_sales")).status_code == 404

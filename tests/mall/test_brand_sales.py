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


def test_a_brand_account_without_a_store_yet_is_told_so(client, brand_account):
    client.force_login(brand_account)

    response = client.get(reverse("mall:brand_sales"))

    assert response.status_code == 200
    assert "Your account has no store in the mall yet." in response.content.decode()


def test_a_brand_account_finds_its_sales_in_the_account_menu(client, brand_account):
    client.force_login(brand_account)

    html = client.get(reverse("community:hot")).content.decode()

    assert f'href="{reverse("mall:brand_sales")}"' in html


def test_a_personal_account_has_no_sales_link(user_client):
    html = user_client.get(reverse("community:hot")).content.decode()

    assert reverse("mall:brand_sales") not in html


def test_an_account_made_a_brand_finds_the_link_on_its_next_page(user_client, user):
    user_client.get(reverse("community:hot"))  # the menu kept without the link
    user.kind = "brand"
    user.save(update_fields=["kind"])

    html = user_client.get(reverse("community:hot")).content.decode()

    assert f'href="{reverse("mall:brand_sales")}"' in html

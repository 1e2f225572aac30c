"""Fixtures of the mall's tests: a shop with a little stock, buyers with an address."""

import pytest

from mall import services
from tests.mall.factories import AddressFactory, CategoryFactory, ProductFactory


@pytest.fixture(autouse=True)
def _tasks_run_in_the_test(tasks_eager):
    """Every mall test runs the tasks its services enqueue (tests/conftest.py's tasks_eager)."""


@pytest.fixture
def staff(db):
    from tests.factories import UserFactory

    return UserFactory(username="staffer", is_staff=True, is_superuser=True)


@pytest.fixture
def beauty(db):
    return CategoryFactory(name="Beauty", slug="beauty")


@pytest.fixture
def lipstick(beauty):
    return CategoryFactory(name="Lipstick", slug="lipstick", parent=beauty)


@pytest.fixture
def product(lipstick):
    """A lipstick in two shades: Red ¥129.00 (was ¥159.00, 3 left), Pink ¥139.00 (sold out)."""
    return ProductFactory(
        title="Velvet lipstick",
        category=lipstick,
        skus=[
            {
                "code": "LIP-RED",
                "attributes": {"Shade": "Red"},
                "price": "129.00",
                "compare_at_price": "159.00",
                "stock": 3,
            },
            {"code": "LIP-PINK", "attributes": {"Shade": "Pink"}, "price": "139.00", "stock": 0},
        ],
    )


@pytest.fixture
def red(product):
    return product.skus.get(code="LIP-RED")


@pytest.fixture
def address(user):
    return AddressFactory(owner=user)


@pytest.fixture
def place_order(user, address):
    """Put `quantity` of an SKU in the user's cart and order it; returns the order."""

    def place(sku, quantity: int = 1, buyer=None):
        buyer = buyer or user
        services.cart_add(actor=buyer, sku_id=sku.pk, quantity=quantity)
        address_id = address.pk if buyer == user else AddressFactory(owner=buyer).pk
        return services.order_place(actor=buyer, address_id=address_id)

    return place

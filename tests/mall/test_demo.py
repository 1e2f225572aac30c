"""seed_demo's mall: brands, a category tree, products with photos and stock, products linked
from demo notes, and the demo account's past orders."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from mall.models import Brand, Category, NoteProduct, Order, Product
from notes.models import Note

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

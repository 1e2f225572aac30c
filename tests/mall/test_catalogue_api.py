"""/api/v1/mall/: products (the list with its filters, one product, the notes about it),
categories and brands."""

import pytest

from mall.models import NoteProduct, Product
from tests.factories import NoteFactory
from tests.mall.factories import BrandFactory, CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_product_list_answers_cards_with_prices_as_decimal_strings(anonymous, product):
    response = anonymous.get("/api/v1/mall/products/")

    assert response.status_code == 200
    [card] = response.json()["results"]
    assert card["id"] == product.pk
    assert card["title"] == "Velvet lipstick"
    assert (card["price"], card["compare_at_price"], card["currency"]) == (
        "129.00",
        "159.00",
        "CNY",
    )
    assert card["is_on_sale"] is True
    assert card["cover"]["width"] == 80
    assert card["url"] == f"http://testserver/mall/products/{product.pk}/"
    assert response.json()["next"] is None


def test_product_list_filters_by_category_brand_and_price_and_sorts(anonymous, lipstick):
    brand = BrandFactory(slug="sk-ii")
    cheap = ProductFactory(brand=brand, category=lipstick, skus=[{"price": "99.00"}])
    dear = ProductFactory(brand=brand, category=lipstick, skus=[{"price": "899.00"}])
    ProductFactory(brand=brand, skus=[{"price": "199.00"}])

    response = anonymous.get(
        "/api/v1/mall/products/",
        {"category": "beauty", "brand": "sk-ii", "max_price": "1000", "sort": "-price"},
    )

    assert [card["id"] for card in response.json()["results"]] == [dear.pk, cheap.pk]


def test_an_unknown_category_is_a_400_naming_the_field(anonymous):
    response = anonymous.get("/api/v1/mall/products/", {"category": "nope"})

    assert response.status_code == 400
    assert response.json() == {"category": ["No such category."]}


def test_product_detail_lists_variants_with_their_stock(anonymous, product):
    response = anonymous.get(f"/api/v1/mall/products/{product.pk}/")

    data = response.json()
    assert data["category"] == {"id": product.category_id, "name": "Lipstick", "slug": "lipstick"}
    assert [
        (sku["code"], sku["label"], sku["price"], sku["stock"], sku["is_available"])
        for sku in data["skus"]
    ] == [
        ("LIP-RED", "Red", "129.00", 3, True),
        ("LIP-PINK", "Pink", "139.00", 0, False),
    ]


def test_a_draft_product_is_404_in_the_api(anonymous):
    draft = ProductFactory(status=Product.Status.DRAFT, published_at=None)

    assert anonymous.get(f"/api/v1/mall/products/{draft.pk}/").status_code == 404


def test_product_notes_lists_visible_notes_best_first(anonymous, product):
    good = NoteFactory(ces=50)
    fair = NoteFactory(ces=5)
    draft = NoteFactory(status="draft", published_at=None)
    for note in (fair, good, draft):
        NoteProduct.objects.create(note=note, product=product)

    response = anonymous.get(f"/api/v1/mall/products/{product.pk}/notes/")

    assert [card["id"] for card in response.json()["results"]] == [good.pk, fair.pk]


# --- Categories and brands.


def test_category_list_gives_the_tree_flat_each_row_naming_its_parent(anonymous, lipstick):
    response = anonymous.get("/api/v1/mall/categories/")

    assert [(row["slug"], row["parent"]) for row in response.json()["results"]] == [
        ("beauty", None),
        ("lipstick", "beauty"),
    ]


def test_category_list_pages_through_every_category_once(anonymous, settings):
    settings.MALL_PAGE_SIZE = 2
    categories = [CategoryFactory(position=index) for index in range(5)]

    seen, url = [], "/api/v1/mall/categories/"
    while url:
        page = anonymous.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]

    assert seen == [category.pk for category in categories]


@pytest.mark.parametrize("count", [2, 6])
def test_category_list_costs_the_same_queries_whatever_its_length(
    anonymous, count, django_assert_num_queries
):
    top = CategoryFactory()
    for _ in range(count):
        CategoryFactory(parent=top)

    with django_assert_num_queries(1):
        response = anonymous.get("/api/v1/mall/categories/")

    assert len(response.json()["results"]) == count + 1


def test_brand_list_shows_only_brands_with_products_on_sale_by_name(anonymous):
    zeta, alpha = BrandFactory(name="Zeta"), BrandFactory(name="Alpha")
    idle = BrandFactory(name="Idle")
    ProductFactory(brand=zeta)
    ProductFactory(brand=alpha)
    ProductFactory(brand=idle, status=Product.Status.DRAFT, published_at=None)

    response = anonymous.get("/api/v1/mall/brands/")

    assert [row["name"] for row in response.json()["results"]] == ["Alpha", "Zeta"]


def test_brand_list_pages_through_every_brand_once(anonymous, settings):
    settings.MALL_PAGE_SIZE = 2
    brands = [BrandFactory(name=f"Brand {letter}") for letter in "EDCBA"]
    for brand in brands:
        ProductFactory(brand=brand)

    seen, url = [], "/api/v1/mall/brands/"
    while url:
        page = anonymous.get(url).json()
        seen += [row["name"] for row in page["results"]]
        url = page["next"]

    assert seen == ["Brand A", "Brand B", "Brand C", "Brand D", "Brand E"]


@pytest.mark.parametrize("count", [2, 6])
def test_brand_list_costs_the_same_queries_whatever_its_length(
    anonymous, count, django_assert_num_queries
):
    for _ in range(count):
        ProductFactory(brand=BrandFactory())

    with django_assert_num_queries(1):
        response = anonymous.get("/api/v1/mall/brands/")

    assert len(response.json()["results"]) == count

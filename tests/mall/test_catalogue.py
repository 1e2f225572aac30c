"""The catalogue: the mall's home, product lists with filters, sorting and cursor pages, the
product page, and the catalogue services staff use."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mall import services
from mall.models import Brand, Category, NoteProduct, Product, ProductImage, Sku
from tests.factories import NoteFactory, UserFactory, image_upload
from tests.mall.factories import BrandFactory, CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def shown_ids(response) -> list[int]:
    return [product.pk for product in response.context["page"].items]


# --- The mall's home.


def test_mall_home_shows_products_on_sale_best_sellers_first(client):
    # given
    few = ProductFactory(sold_count=2)
    many = ProductFactory(sold_count=40)
    ProductFactory(status=Product.Status.DRAFT, published_at=None)
    ProductFactory(status=Product.Status.ARCHIVED)
    # when
    response = client.get(reverse("mall:home"))
    # then
    assert response.status_code == 200
    assert shown_ids(response) == [many.pk, few.pk]
    assert response.context["nav"] == "mall"


def test_mall_home_shows_staff_picks_and_new_arrivals(client):
    # given
    older = ProductFactory(published_at=timezone.now() - timedelta(days=3))
    picked = ProductFactory(is_featured=True)
    # when
    response = client.get(reverse("mall:home"))
    # then
    assert [product.pk for product in response.context["featured"]] == [picked.pk]
    assert [product.pk for product in response.context["newest"]] == [picked.pk, older.pk]


def test_mall_home_costs_the_same_queries_whatever_the_number_of_products(
    client, django_assert_num_queries, lipstick
):
    # given
    ProductFactory.create_batch(3, category=lipstick, is_featured=True)
    # + the 限时购 strip's sales and the running campaigns (none here: no covers to prefetch)
    with django_assert_num_queries(10):
        client.get(reverse("mall:home"))
    ProductFactory.create_batch(9, category=lipstick, is_featured=True)
    # when / then
    with django_assert_num_queries(10):
        response = client.get(reverse("mall:home"))
    assert len(response.context["page"].items) == 12


def test_signed_in_buyer_sees_the_cart_count_in_the_mall_bar(user_client, user, red):
    services.cart_add(actor=user, sku_id=red.pk, quantity=2)

    response = user_client.get(reverse("mall:home"))

    assert response.context["cart_count"] == 2
    assert b'class="mall-cart__count" aria-label="2 items">2<' in response.content


# --- Product lists.


def test_a_top_category_lists_its_subcategories_products(client, beauty, lipstick):
    # given
    in_top = ProductFactory(category=beauty)
    in_child = ProductFactory(category=lipstick)
    ProductFactory(category=CategoryFactory(slug="food"))
    # when
    response = client.get(reverse("mall:products"), {"category": "beauty"})
    # then
    assert sorted(shown_ids(response)) == sorted([in_top.pk, in_child.pk])
    assert response.context["current_top"] == beauty


def test_products_filter_by_brand_price_range_and_stock(client):
    # given
    brand = BrandFactory(slug="shiseido")
    cheap = ProductFactory(brand=brand, skus=[{"price": "50.00"}])
    dear = ProductFactory(brand=brand, skus=[{"price": "500.00"}])
    ProductFactory(brand=brand, skus=[{"price": "120.00", "stock": 0}])
    ProductFactory(skus=[{"price": "80.00"}])
    # when
    response = client.get(
        reverse("mall:products"),
        {"brand": "shiseido", "min_price": "40", "max_price": "600", "in_stock": "1"},
    )
    # then
    assert sorted(shown_ids(response)) == sorted([cheap.pk, dear.pk])


@pytest.mark.parametrize(
    ("sort", "expected"), [("price", ["a", "b", "c"]), ("-price", ["c", "b", "a"])]
)
def test_products_sort_by_price_both_ways(client, sort, expected):
    made = {
        "b": ProductFactory(skus=[{"price": "20.00"}]),
        "c": ProductFactory(skus=[{"price": "30.00"}]),
        "a": ProductFactory(skus=[{"price": "10.00"}]),
    }

    response = client.get(reverse("mall:products"), {"sort": sort})

    assert shown_ids(response) == [made[name].pk for name in expected]


def test_products_sort_newest_first(client):
    old = ProductFactory(published_at=timezone.now() - timedelta(days=9))
    new = ProductFactory(published_at=timezone.now() - timedelta(days=1))

    response = client.get(reverse("mall:products"), {"sort": "newest"})

    assert shown_ids(response) == [new.pk, old.pk]


def test_a_price_range_upside_down_is_ignored_and_explained(client):
    product = ProductFactory(skus=[{"price": "50.00"}])

    response = client.get(reverse("mall:products"), {"min_price": "100", "max_price": "10"})

    assert shown_ids(response) == [product.pk]
    assert b"The highest price is below the lowest." in response.content


def test_search_finds_products_by_title_or_brand(client):
    by_title = ProductFactory(title="Silk pyjamas")
    by_brand = ProductFactory(brand=BrandFactory(name="Silkworm Co", slug="silkworm"))
    ProductFactory(title="Wool socks")

    response = client.get(reverse("mall:products"), {"q": "silk"})

    assert sorted(shown_ids(response)) == sorted([by_title.pk, by_brand.pk])


def test_product_list_pages_with_a_cursor_keeping_the_filters(client, lipstick):
    # given
    made = [ProductFactory(category=lipstick, sold_count=count) for count in range(5)]
    # when
    first = client.get(reverse("mall:products"), {"category": "lipstick", "size": 2})
    second = client.get(f"{reverse('mall:products')}?{first.context['next_query']}")
    # then
    assert shown_ids(first) == [made[4].pk, made[3].pk]
    assert "category=lipstick" in first.context["next_query"]
    assert shown_ids(second) == [made[2].pk, made[1].pk]


def test_infinite_scroll_gets_only_the_next_cards_at_a_fixed_query_cost(
    client, django_assert_num_queries
):
    ProductFactory.create_batch(6)
    first = client.get(reverse("mall:products"), {"size": 2})
    url = f"{reverse('mall:products')}?{first.context['next_query']}"

    with django_assert_num_queries(2):
        response = client.get(url, HTTP_HX_REQUEST="true")

    assert [t.name for t in response.templates][0] == "partials/waterfall_page.html"
    assert response.content.count(b'<article class="card product-card">') == 2


def test_product_list_costs_the_same_queries_for_more_products(
    client, django_assert_num_queries, lipstick
):
    ProductFactory.create_batch(2, category=lipstick)
    with django_assert_num_queries(6):
        client.get(reverse("mall:products"), {"category": "lipstick"})
    ProductFactory.create_batch(8, category=lipstick, brand=BrandFactory())

    with django_assert_num_queries(6):
        response = client.get(reverse("mall:products"), {"category": "lipstick"})

    assert len(response.context["page"].items) == 10


def test_a_product_card_shows_price_compare_at_price_and_units_sold(client, product):
    Product.objects.filter(pk=product.pk).update(sold_count=1299)

    response = client.get(reverse("mall:products"))

    content = response.content.decode()
    assert '<span class="price">¥129.00</span>' in content
    assert "¥159.00</s>" in content
    assert "1299 sold" in content


# --- The product page.


def test_product_page_offers_each_variant_with_sold_out_ones_disabled(client, product, red):
    response = client.get(product.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["chosen_sku"] == red
    assert f'value="{red.pk}" checked' in content
    pink = product.skus.get(code="LIP-PINK")
    assert f'value="{pink.pk}" disabled' in content
    assert "Only 3 left" in content


def test_product_page_of_a_sold_out_product_disables_buying(client):
    product = ProductFactory(skus=[{"stock": 0}])

    response = client.get(product.get_absolute_url())

    assert response.context["is_sold_out"] is True
    assert b'name="buy_now" value="1" disabled' in response.content


def test_product_page_costs_the_same_queries_whatever_its_photos_variants_and_notes(
    client, django_assert_num_queries
):
    # given: product, photos, SKUs, the ids of the notes linking it, those notes and their
    # covers
    product = ProductFactory(images=1, skus=[{}])
    NoteProduct.objects.create(note=NoteFactory(), product=product)
    # + the product's flash sales
    with django_assert_num_queries(7):
        client.get(product.get_absolute_url())
    bigger = ProductFactory(images=4, skus=[{}, {}, {}])
    for note in NoteFactory.create_batch(3):
        NoteProduct.objects.create(note=note, product=bigger)
    # when / then
    with django_assert_num_queries(7):
        response = client.get(bigger.get_absolute_url())
    assert len(response.context["pictures"]) == 4
    assert len(response.context["page"].items) == 3


def test_a_draft_product_is_hidden_from_buyers_but_not_from_staff(client, staff):
    draft = ProductFactory(status=Product.Status.DRAFT, published_at=None)

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_an_archived_product_page_says_it_is_no_longer_on_sale(client):
    archived = ProductFactory(status=Product.Status.ARCHIVED)

    response = client.get(archived.get_absolute_url())

    assert response.status_code == 200
    assert b"This product is no longer on sale." in response.content
    assert b'name="buy_now"' not in response.content


# --- Catalogue services (staff, the admin, the seeder).


def test_a_product_shows_its_cheapest_active_variant_price(staff):
    product = ProductFactory(
        skus=[{"price": "80.00"}, {"price": "60.00", "compare_at_price": "75.00"}]
    )
    cheapest = product.skus.get(price=Decimal("60.00"))

    cheapest.is_active = False
    services.sku_save(actor=staff, sku=cheapest)

    product.refresh_from_db()
    assert (product.price, product.compare_at_price) == (Decimal("80.00"), None)


def test_stock_typed_by_staff_is_applied_as_a_difference(staff, red):
    # given: staff opened the form at 3; a buyer takes 2 meanwhile
    Sku.objects.filter(pk=red.pk).update(stock=1)
    # when: staff raise it to 10 on their form (+7)
    services.sku_save(actor=staff, sku=red, stock_change=7)
    # then: the buyer's 2 stay taken
    red.refresh_from_db()
    assert red.stock == 8


def test_stock_cannot_be_taken_below_zero(staff, red):
    with pytest.raises(ValidationError) as error:
        services.sku_stock_adjust(actor=staff, sku_id=red.pk, change=-4)

    assert error.value.messages == ["Only 3 in stock: 4 cannot be taken away."]
    red.refresh_from_db()
    assert red.stock == 3


def test_a_product_is_dated_when_it_first_goes_on_sale(staff, lipstick):
    product = Product(title="Cushion", category=lipstick, status=Product.Status.DRAFT)
    services.product_save(actor=staff, product=product)
    assert product.published_at is None

    product.status = Product.Status.ACTIVE
    services.product_save(actor=staff, product=product)

    product.refresh_from_db()
    assert product.published_at is not None


def test_only_staff_change_the_catalogue(user, lipstick):
    with pytest.raises(PermissionDenied):
        services.product_save(actor=user, product=Product(title="X", category=lipstick))


def test_a_product_photo_is_checked_and_stored_under_a_name_we_pick(staff):
    product = ProductFactory(images=0)

    picture = services.product_image_add(
        actor=staff, product_id=product.pk, upload=image_upload("../../evil name.png")
    )

    assert picture.image.name.startswith("mall/")
    assert "evil" not in picture.image.name
    assert (picture.width, picture.height) == (60, 80)


def test_a_file_that_is_not_a_picture_is_refused(staff):
    product = ProductFactory(images=0)
    fake = image_upload("photo.jpg")
    fake.file.write(b"not a picture")
    fake.file.seek(0)
    fake.file.truncate(13)

    with pytest.raises(ValidationError):
        services.product_image_add(actor=staff, product_id=product.pk, upload=fake)

    assert ProductImage.objects.count() == 0


def test_categories_have_two_levels(staff, beauty, lipstick):
    deeper = Category(name="Matte", slug="matte", parent=lipstick)

    with pytest.raises(ValidationError) as error:
        services.category_save(actor=staff, category=deeper)

    assert error.value.message_dict == {
        "parent": ["Categories have two levels: choose a top category."]
    }


def test_only_a_brand_account_runs_a_brand_store(staff):
    person = UserFactory()

    with pytest.raises(ValidationError):
        services.brand_save(actor=staff, brand=Brand(name="Mine", slug="mine", account=person))


def test_a_product_card_offers_its_photo_widths_by_srcset(client, staff):
    product = ProductFactory(images=0)
    picture = services.product_image_add(
        actor=staff, product_id=product.pk, upload=image_upload(size=(800, 600))
    )

    html = client.get(reverse("mall:home")).content.decode()

    smallest = picture.variants[0]
    assert f"{smallest['webp'].rsplit('/', 1)[-1]} {smallest['width']}w" in html

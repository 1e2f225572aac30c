"""/api/v1/search/: the same ranking as the page, any input answered, in the schema."""

import pytest

from mall import services as mall_services
from mall.models import Product
from notes.models import Note, SearchRecord
from tests.factories import UserFactory
from tests.mall.factories import BrandFactory, CategoryFactory, ProductFactory
from users.services import creator_search_update

pytestmark = pytest.mark.django_db


def test_api_finds_published_notes_best_first(client, indexed_note):
    plain = indexed_note(title="火锅", impressions=500, ces=2)
    loved = indexed_note(title="火锅", impressions=500, ces=200)
    indexed_note(title="火锅", status=Note.Status.DRAFT)
    response = client.get("/api/v1/search/", {"q": "火锅"})
    assert [card["id"] for card in response.json()["results"]] == [loved.pk, plain.pk]


def test_api_next_link_continues_the_list(client, indexed_note, settings):
    settings.FEED_PAGE_SIZE = 2
    for number in range(3):
        indexed_note(title=f"火锅 {number}")
    first = client.get("/api/v1/search/", {"q": "火锅", "sort": "newest"}).json()
    second = client.get(first["next"]).json()
    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_api_records_a_new_search_once(client, indexed_note, settings):
    settings.FEED_PAGE_SIZE = 1
    for number in range(2):
        indexed_note(title=f"火锅 {number}")
    first = client.get("/api/v1/search/", {"q": "火锅"}).json()
    client.get(first["next"])
    assert SearchRecord.objects.count() == 1


@pytest.mark.parametrize("text", ["", "' OR 1=1 --", "a:* & !b", "%_", "火" * 1000])
def test_api_answers_any_query(client, text):
    response = client.get("/api/v1/search/", {"q": text})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_api_rejects_an_unknown_sort(client):
    assert client.get("/api/v1/search/", {"q": "x", "sort": "worst"}).status_code == 400


def test_api_finds_creators(client):
    person = UserFactory(display_name="露营达人", bio="周末露营")
    creator_search_update(user=person)
    results = client.get("/api/v1/search/creators/", {"q": "露营"}).json()["results"]
    assert [(row["id"], row["is_following"]) for row in results] == [(person.pk, False)]


def test_api_finds_products_on_sale_by_title_brand_and_category(client):
    staff = UserFactory(is_staff=True)
    brand, category = BrandFactory(name="完美日记"), CategoryFactory(name="口红")
    product = mall_services.product_save(
        actor=staff,
        product=Product(title="丝绒唇釉", brand=brand, category=category, status="active"),
    )
    for word in ("唇釉", "完美", "口红"):
        results = client.get("/api/v1/search/products/", {"q": word}).json()["results"]
        assert [row["id"] for row in results] == [product.pk]


def test_a_product_taken_off_sale_leaves_the_results(client):
    staff = UserFactory(is_staff=True)
    product = mall_services.product_save(
        actor=staff,
        product=ProductFactory.build(
            title="丝绒唇釉", brand=BrandFactory(), category=CategoryFactory()
        ),
    )
    product.status = Product.Status.DRAFT
    mall_services.product_save(actor=staff, product=product)
    assert client.get("/api/v1/search/products/", {"q": "唇釉"}).json()["results"] == []


def test_search_is_in_the_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"/api/v1/search/", "/api/v1/search/creators/", "/api/v1/search/products/"} <= set(paths)

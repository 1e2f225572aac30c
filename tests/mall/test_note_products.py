"""Products on notes: authors link them, note pages show them, product pages show the notes,
cards carry a chip, taps and sales are counted per note."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mall import services
from mall.models import NoteProduct, Product
from notes.models import Note
from tests.factories import NoteFactory, UserFactory, image_upload
from tests.mall.factories import AddressFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(user):
    return NoteFactory(author=user, title="My lipstick haul")


def products_count(note: Note) -> int:
    return Note.objects.values_list("products_count", flat=True).get(pk=note.pk)


# --- Linking.


def test_an_author_links_products_in_order_and_the_note_counts_them(user, note):
    first, second = ProductFactory(), ProductFactory()

    services.note_products_set(actor=user, note_id=note.pk, product_ids=[second.pk, first.pk])

    assert services.note_product_ids(note_id=note.pk) == [second.pk, first.pk]
    assert products_count(note) == 2


def test_a_note_links_at_most_five_products(user, note, settings):
    settings.MALL_NOTE_PRODUCTS_MAX = 5
    products = ProductFactory.create_batch(6)

    with pytest.raises(ValidationError) as error:
        services.note_products_set(
            actor=user, note_id=note.pk, product_ids=[p.pk for p in products]
        )

    assert error.value.messages == ["A note can link at most 5 products."]
    assert products_count(note) == 0


def test_only_products_on_sale_can_be_linked(user, note):
    draft = ProductFactory(status=Product.Status.DRAFT, published_at=None)

    with pytest.raises(ValidationError) as error:
        services.note_product_attach(actor=user, note_id=note.pk, product_id=draft.pk)

    assert error.value.messages == ["Only products on sale in the mall can be linked."]


def test_a_linked_product_archived_since_stays_linked(user, note):
    kept = ProductFactory()
    services.note_product_attach(actor=user, note_id=note.pk, product_id=kept.pk)
    Product.objects.filter(pk=kept.pk).update(status=Product.Status.ARCHIVED)

    services.note_product_attach(actor=user, note_id=note.pk, product_id=ProductFactory().pk)

    assert services.note_product_ids(note_id=note.pk)[0] == kept.pk
    assert products_count(note) == 2


def test_removing_a_product_updates_the_count(user, note):
    product = ProductFactory()
    services.note_product_attach(actor=user, note_id=note.pk, product_id=product.pk)

    services.note_product_detach(actor=user, note_id=note.pk, product_id=product.pk)

    assert services.note_product_ids(note_id=note.pk) == []
    assert products_count(note) == 0


def test_only_the_author_links_products(other_user, note):
    with pytest.raises(PermissionDenied):
        services.note_product_attach(
            actor=other_user, note_id=note.pk, product_id=ProductFactory().pk
        )


def test_the_link_sheet_searches_products_as_the_author_types(user_client, note):
    ProductFactory(title="Rose serum")
    ProductFactory(title="Rice cooker")

    response = user_client.get(
        reverse("mall:note_products", args=[note.pk]), {"q": "rose"}, HTTP_HX_REQUEST="true"
    )

    assert [t.name for t in response.templates][0] == "mall/partials/link_results.html"
    assert [product.title for product in response.context["results"]] == ["Rose serum"]


def test_linking_from_the_sheet_goes_back_to_the_sheet(user_client, note):
    product = ProductFactory()

    response = user_client.post(
        reverse("mall:note_product_attach", args=[note.pk]), {"product": product.pk, "q": "rose"}
    )

    assert response.url == f"/mall/notes/{note.pk}/products/?q=rose"
    assert services.note_product_ids(note_id=note.pk) == [product.pk]


def test_api_sets_and_reads_a_notes_products(make_api_client, user, note):
    product = ProductFactory(title="Cushion")
    api = make_api_client(user)

    put = api.put(
        f"/api/v1/mall/notes/{note.pk}/products/", {"products": [product.pk]}, format="json"
    )
    read = make_api_client().get(f"/api/v1/mall/notes/{note.pk}/products/")

    assert put.status_code == 200
    assert [card["title"] for card in read.json()["products"]] == ["Cushion"]


def test_api_refuses_a_sixth_product_under_its_field(make_api_client, user, note):
    products = ProductFactory.create_batch(6)

    response = make_api_client(user).put(
        f"/api/v1/mall/notes/{note.pk}/products/",
        {"products": [product.pk for product in products]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"products": ["A note can link at most 5 products."]}


# --- The note page and the cards.


def test_the_note_page_shows_the_linked_products_leading_to_their_pages(client, user, note):
    on_sale = ProductFactory(title="Velvet lipstick")
    archived = ProductFactory(title="Old palette")
    services.note_products_set(actor=user, note_id=note.pk, product_ids=[on_sale.pk, archived.pk])
    Product.objects.filter(pk=archived.pk).update(status=Product.Status.ARCHIVED)

    response = client.get(note.get_absolute_url())

    content = response.content.decode()
    assert f'href="/mall/products/{on_sale.pk}/?note={note.pk}"' in content
    assert "Old palette" in content
    assert "No longer on sale" in content


def test_products_cost_the_note_page_two_queries_and_none_when_there_are_none(
    client, user, note, django_assert_num_queries
):
    # given: the same page without products, then with three
    plain = NoteFactory(author=user)
    with django_assert_num_queries(4) as without:
        client.get(plain.get_absolute_url())
    services.note_products_set(
        actor=user, note_id=note.pk, product_ids=[p.pk for p in ProductFactory.create_batch(3)]
    )
    # when / then
    with django_assert_num_queries(len(without) + 2):
        response = client.get(note.get_absolute_url())
    assert response.content.count(b'class="note-product"') == 3


def test_the_author_is_offered_the_link_sheet_on_their_note_page(user_client, note):
    response = user_client.get(note.get_absolute_url())

    assert f'href="/mall/notes/{note.pk}/products/"'.encode() in response.content
    assert b"Link products" in response.content


def test_a_card_in_the_feed_carries_the_chip_at_no_extra_query(
    client, user, note, django_assert_num_queries, django_assert_max_num_queries
):
    # The author's profile: a waterfall of cards like every feed, rendered for each request.
    url = reverse("community:profile", kwargs={"username": note.author.username})
    with django_assert_max_num_queries(10) as before:
        client.get(url)
    services.note_product_attach(actor=user, note_id=note.pk, product_id=ProductFactory().pk)

    with django_assert_num_queries(len(before)):
        response = client.get(url)

    assert response.content.count(b'class="card__shop"') == 1


# --- The product page's notes, taps and sales.


def test_the_product_page_shows_the_notes_that_link_it_best_first(client):
    product = ProductFactory()
    best, good = NoteFactory(ces=90), NoteFactory(ces=10)
    hidden = NoteFactory(ces=99, author=UserFactory(is_active=False))
    for note in (good, hidden, best):
        NoteProduct.objects.create(note=note, product=product)

    response = client.get(product.get_absolute_url())

    assert [note.pk for note in response.context["page"].items] == [best.pk, good.pk]


def test_a_tap_from_a_note_is_counted_for_that_note_and_carried_to_the_cart(
    client, user, note, settings
):
    settings.REDIS_URL = ""  # embedded: written at once (in batches through Redis: integration)
    product = ProductFactory()
    services.note_product_attach(actor=user, note_id=note.pk, product_id=product.pk)

    response = client.get(product.get_absolute_url(), {"note": note.pk})

    assert NoteProduct.objects.get(note=note, product=product).clicks == 1
    assert f'name="note" value="{note.pk}"'.encode() in response.content


def test_an_order_remembers_the_note_and_its_author_sees_what_it_sold(
    client, user, note, other_user
):
    # given
    product = ProductFactory()
    services.note_product_attach(actor=user, note_id=note.pk, product_id=product.pk)
    sku = product.skus.get()
    services.cart_add(actor=other_user, sku_id=sku.pk, quantity=2, source_note_id=note.pk)
    order = services.order_place(actor=other_user, address_id=AddressFactory(owner=other_user).pk)
    services.order_pay_with_demo(actor=other_user, number=order.number)
    # when
    client.force_login(user)
    response = client.get(note.get_absolute_url())
    # then
    assert order.lines.get().source_note == note
    assert b"2 bought through this note" in response.content


def test_a_note_that_does_not_link_the_product_is_not_credited(other_user, note):
    sku = ProductFactory().skus.get()

    line = services.cart_add(actor=other_user, sku_id=sku.pk, source_note_id=note.pk)

    assert line.source_note_id is None


# --- Offered right after publishing.


def test_publishing_a_note_leads_to_its_page_offering_the_link_sheet(user_client, user):
    data = {"title": "My haul", "body": "Lipsticks", "action": "publish"}
    data["images"] = [image_upload("haul.jpg")]

    response = user_client.post(reverse("notes:create"), data, follow=True)

    note = Note.objects.get(author=user)
    assert response.redirect_chain == [(f"{note.get_absolute_url()}?published=1", 302)]
    assert response.content.count(b'class="note-products__offer"') == 1
    sheet = reverse("mall:note_products", args=[note.pk]).encode()
    assert b'<a class="button button--primary" href="' + sheet in response.content


def test_publishing_a_draft_from_the_editor_also_offers_the_link_sheet(user_client, user):
    draft = NoteFactory(author=user, status=Note.Status.DRAFT, published_at=None)

    response = user_client.post(
        reverse("notes:edit", args=[draft.pk]), {"title": draft.title, "action": "publish"}
    )

    assert response["Location"] == f"{draft.get_absolute_url()}?published=1"


def test_saving_a_published_note_again_offers_nothing_new(user_client, user, note):
    response = user_client.post(
        reverse("notes:edit", args=[note.pk]), {"title": note.title, "action": "publish"}
    )

    assert response["Location"] == note.get_absolute_url()


def test_another_reader_of_a_just_published_note_is_not_offered_the_sheet(client, note):
    response = client.get(f"{note.get_absolute_url()}?published=1")

    assert response.status_code == 200
    assert b"note-products__offer" not in response.content


def test_a_note_that_already_links_products_is_not_offered_the_sheet_again(user_client, user, note):
    services.note_product_attach(actor=user, note_id=note.pk, product_id=ProductFactory().pk)

    response = user_client.get(f"{note.get_absolute_url()}?published=1")

    assert b"note-products__offer" not in response.content
    assert b"Change linked products" in response.content

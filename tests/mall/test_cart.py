"""The cart and the address book: what may go in, and who may touch it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mall import services
from mall.models import Address, CartLine, Product, Sku
from mall.selectors import cart_review
from tests.mall.factories import AddressFactory, ProductFactory
from users.models import User

pytestmark = pytest.mark.django_db


# --- Adding.


def test_adding_the_same_variant_again_adds_to_its_line(user, red):
    services.cart_add(actor=user, sku_id=red.pk, quantity=1)

    line = services.cart_add(actor=user, sku_id=red.pk, quantity=2)

    assert CartLine.objects.filter(owner=user).count() == 1
    assert (line.quantity, line.price_when_added) == (3, Decimal("129.00"))


@pytest.mark.parametrize(
    ("quantity", "message"),
    [(0, "Choose at least 1."), (-2, "Choose at least 1."), (100, "At most 99 at a time.")],
)
def test_a_quantity_out_of_bounds_is_refused(user, red, quantity, message):
    with pytest.raises(ValidationError) as error:
        services.cart_add(actor=user, sku_id=red.pk, quantity=quantity)

    assert error.value.messages == [message]
    assert not CartLine.objects.exists()


def test_more_than_the_stock_is_refused_with_what_is_left(user, red):
    with pytest.raises(ValidationError) as error:
        services.cart_add(actor=user, sku_id=red.pk, quantity=4)

    assert error.value.messages == ["Only 3 left."]


def test_a_sold_out_variant_cannot_be_added(user, product):
    pink = product.skus.get(code="LIP-PINK")

    with pytest.raises(ValidationError) as error:
        services.cart_add(actor=user, sku_id=pink.pk)

    assert error.value.messages == ["Sold out."]


def test_the_per_order_limit_is_kept(user):
    sku = ProductFactory(skus=[{"stock": 50, "per_order_limit": 2}]).skus.get()

    with pytest.raises(ValidationError) as error:
        services.cart_add(actor=user, sku_id=sku.pk, quantity=3)

    assert error.value.messages == ["Limit 2 per order."]


def test_a_product_off_sale_cannot_be_added(user):
    sku = ProductFactory(status=Product.Status.ARCHIVED).skus.get()

    with pytest.raises(ValidationError) as error:
        services.cart_add(actor=user, sku_id=sku.pk)

    assert error.value.messages == ["No longer on sale."]


def test_adding_from_the_product_page_keeps_what_was_typed_when_refused(user_client, red, product):
    response = user_client.post(
        reverse("mall:cart_add"),
        {"sku": red.pk, "quantity": 9, "next": product.get_absolute_url()},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == product.get_absolute_url()
    assert [str(message) for message in response.context["messages"]] == ["Only 3 left."]


def test_buy_now_goes_straight_to_checkout(user_client, red):
    response = user_client.post(
        reverse("mall:cart_add"), {"sku": red.pk, "quantity": 1, "buy_now": "1"}
    )

    assert response.url == reverse("mall:checkout")


def test_an_anonymous_buyer_is_asked_to_log_in_and_comes_back_to_the_product(client, red, product):
    response = client.post(
        reverse("mall:cart_add"), {"sku": red.pk, "next": product.get_absolute_url()}
    )

    assert response.url == f"/accounts/login/?next=/mall/products/{product.pk}/"


# --- The cart page.


def test_the_cart_flags_a_price_change_and_a_line_that_sold_out_and_keeps_both(
    user_client, user, red
):
    # given
    other = ProductFactory(title="Hand cream", skus=[{"price": "30.00"}]).skus.get()
    services.cart_add(actor=user, sku_id=red.pk, quantity=1)
    services.cart_add(actor=user, sku_id=other.pk, quantity=1)
    Sku.objects.filter(pk=red.pk).update(price=Decimal("119.00"))
    Sku.objects.filter(pk=other.pk).update(stock=0)
    # when
    response = user_client.get(reverse("mall:cart"))
    # then
    review = response.context["review"]
    content = response.content.decode()
    assert len(review.lines) == 2
    assert "Price changed from ¥129.00 to ¥119.00 since you added it." in content
    assert "Sold out. It stays in your cart but is left out of the order." in content
    assert (review.subtotal, review.shipping_fee, review.total) == (
        Decimal("119.00"),
        Decimal("0.00"),
        Decimal("119.00"),
    )


def test_the_cart_page_costs_the_same_queries_for_more_lines(
    user_client, user, django_assert_num_queries
):
    services.cart_add(actor=user, sku_id=ProductFactory().skus.get().pk)
    # session, user, lines, covers, their flash sales (the bar's count is the account's)
    with django_assert_num_queries(5):
        user_client.get(reverse("mall:cart"))
    for product in ProductFactory.create_batch(4):
        services.cart_add(actor=user, sku_id=product.skus.get().pk)

    with django_assert_num_queries(5):
        response = user_client.get(reverse("mall:cart"))

    assert len(response.context["review"].lines) == 5


def test_shipping_is_charged_below_the_free_shipping_threshold(user, settings):
    settings.MALL_FREE_SHIPPING_OVER = Decimal("99.00")
    settings.MALL_SHIPPING_FEE = Decimal("10.00")
    sku = ProductFactory(skus=[{"price": "45.50"}]).skus.get()
    services.cart_add(actor=user, sku_id=sku.pk, quantity=2)

    review = cart_review(owner=user)

    assert (review.subtotal, review.shipping_fee, review.total) == (
        Decimal("91.00"),
        Decimal("10.00"),
        Decimal("101.00"),
    )


def test_changing_a_quantity_checks_the_stock(user_client, user, red):
    line = services.cart_add(actor=user, sku_id=red.pk)

    response = user_client.post(
        reverse("mall:cart_line_update", args=[line.pk]), {"quantity": 5}, follow=True
    )

    line.refresh_from_db()
    assert line.quantity == 1
    assert [str(message) for message in response.context["messages"]] == ["Only 3 left."]


def test_another_buyers_cart_line_is_not_found(client, user, other_user, red):
    line = services.cart_add(actor=user, sku_id=red.pk)
    client.force_login(other_user)

    assert client.post(reverse("mall:cart_line_remove", args=[line.pk])).status_code == 404
    assert (
        client.post(reverse("mall:cart_line_update", args=[line.pk]), {"quantity": 2}).status_code
        == 404
    )
    assert CartLine.objects.get(pk=line.pk).quantity == 1


# --- The cart API.


def test_api_adds_a_line_and_ignores_a_price_sent_with_it(api, user, red):
    response = api.post(
        "/api/v1/mall/cart/lines/", {"sku": red.pk, "quantity": 2, "price": "0.01"}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["unit_price"], response.json()["total"]) == ("129.00", "258.00")
    assert api.get("/api/v1/mall/cart/").json()["total"] == "258.00"


def test_api_names_the_field_of_a_refused_quantity(api, red):
    response = api.post("/api/v1/mall/cart/lines/", {"sku": red.pk, "quantity": 0}, format="json")

    assert response.status_code == 400
    assert response.json() == {"quantity": ["Choose at least 1."]}


def test_api_cannot_reach_another_buyers_cart_line(make_api_client, user, other_user, red):
    line = services.cart_add(actor=user, sku_id=red.pk)
    stranger = make_api_client(other_user)

    assert (
        stranger.patch(
            f"/api/v1/mall/cart/lines/{line.pk}/", {"quantity": 2}, format="json"
        ).status_code
        == 404
    )
    assert stranger.delete(f"/api/v1/mall/cart/lines/{line.pk}/").status_code == 404
    assert stranger.get("/api/v1/mall/cart/").json()["lines"] == []


# --- The count in the site's top bar.


def cart_units(user) -> int:
    return User.objects.values_list("cart_units", flat=True).get(pk=user.pk)


def test_adding_to_the_cart_puts_its_units_on_the_account(user, red):
    services.cart_add(actor=user, sku_id=red.pk, quantity=1)
    services.cart_add(actor=user, sku_id=ProductFactory().skus.get().pk, quantity=2)

    assert cart_units(user) == 3


def test_changing_a_quantity_moves_the_accounts_cart_units(user, red):
    line = services.cart_add(actor=user, sku_id=red.pk, quantity=1)

    services.cart_line_update(actor=user, line_id=line.pk, quantity=3)

    assert cart_units(user) == 3


def test_removing_a_line_takes_its_units_off_the_account(user, red):
    line = services.cart_add(actor=user, sku_id=red.pk, quantity=2)

    services.cart_line_remove(actor=user, line_id=line.pk)

    assert cart_units(user) == 0


def test_placing_an_order_leaves_only_the_lines_kept_in_the_cart_counted(user, red, address):
    services.cart_add(actor=user, sku_id=red.pk, quantity=2)
    kept = ProductFactory()
    services.cart_add(actor=user, sku_id=kept.skus.get().pk, quantity=1)
    Product.objects.filter(pk=kept.pk).update(status=Product.Status.ARCHIVED)

    services.order_place(actor=user, address_id=address.pk)

    assert cart_units(user) == 1


def test_every_page_shows_the_cart_count_in_the_top_bar_at_no_extra_query(
    user_client, user, red, django_assert_num_queries
):
    with django_assert_num_queries(2) as before:  # session, reader
        user_client.get(reverse("users:profile_edit"))
    services.cart_add(actor=user, sku_id=red.pk, quantity=2)

    with django_assert_num_queries(len(before)):
        response = user_client.get(reverse("users:profile_edit"))

    assert response.content.count(b'data-cart-units="2"') == 2  # top bar and tab bar


# --- Addresses.


def test_the_first_address_becomes_the_default(user):
    address = services.address_create(
        actor=user,
        name="小红",
        phone="13800138000",
        province="上海市",
        city="上海市",
        street="南京西路 1 号",
    )

    assert address.is_default is True


def test_making_another_address_the_default_leaves_one_default(user, address):
    second = AddressFactory(owner=user, is_default=False)

    services.address_set_default(actor=user, address_id=second.pk)

    assert list(Address.objects.filter(owner=user, is_default=True)) == [second]


def test_deleting_the_default_address_makes_the_newest_other_the_default(user, address):
    other = AddressFactory(owner=user, is_default=False)

    services.address_delete(actor=user, address_id=address.pk)

    other.refresh_from_db()
    assert other.is_default is True


def test_a_phone_number_must_look_like_one(user):
    with pytest.raises(ValidationError) as error:
        services.address_create(
            actor=user,
            name="小红",
            phone="call me",
            province="上海市",
            city="上海市",
            street="1 号",
        )

    assert error.value.message_dict == {
        "phone": ["Enter a phone number: digits, spaces or dashes."]
    }


def test_another_buyers_address_is_not_found_through_pages_or_api(
    client, make_api_client, address, other_user
):
    client.force_login(other_user)

    assert client.get(reverse("mall:address_edit", args=[address.pk])).status_code == 404
    assert client.post(reverse("mall:address_delete", args=[address.pk])).status_code == 404
    assert (
        make_api_client(other_user).get(f"/api/v1/mall/addresses/{address.pk}/").status_code == 404
    )
    assert Address.objects.filter(pk=address.pk).exists()


def test_a_new_address_from_checkout_goes_back_to_checkout(user_client):
    response = user_client.post(
        reverse("mall:addresses"),
        {
            "name": "小红",
            "phone": "13800138000",
            "province": "浙江省",
            "city": "杭州市",
            "district": "西湖区",
            "street": "文三路 1 号",
            "next": reverse("mall:checkout"),
        },
    )

    assert response.url == reverse("mall:checkout")

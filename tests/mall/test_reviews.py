"""Reviews as notes: invited after delivery, one per order line, marked "bought on Hongshu"."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from mall import services
from mall.models import NoteProduct, Order
from mall.tasks import growth_counters_recount_task
from notes import services as note_services
from notes.models import Note
from notes.services import NoteContent
from tests.factories import image_upload
from users.models import Notification, PointsEntry, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(user, staff, place_order, red):
    """The user's order of the red lipstick, paid, shipped and delivered."""
    order = place_order(red)
    services.order_pay_with_demo(actor=user, number=order.number)
    services.order_ship(actor=staff, order_id=order.pk, carrier="SF", tracking_number="SF1")
    services.order_mark_delivered(actor=staff, order_id=order.pk)
    return Order.objects.get(pk=order.pk)


def review(user, order, **content):
    return services.review_publish(
        actor=user,
        number=order.number,
        line_id=order.lines.get().pk,
        content=NoteContent(
            title=content.get("title", "Lovely red"), body="It lasts.", images=[image_upload()]
        ),
    )


def test_delivery_invites_the_buyer_to_review_in_the_message_centre(user, delivered):
    invite = Notification.objects.get(recipient=user, verb=Notification.Verb.REVIEW_INVITE)

    assert invite.target_url == delivered.get_absolute_url()
    assert invite.target_text == "Velvet lipstick"


def test_completing_a_delivered_order_does_not_invite_twice(user, delivered):
    services.order_confirm_receipt(actor=user, number=delivered.number)

    assert Notification.objects.filter(verb=Notification.Verb.REVIEW_INVITE).count() == 1


def test_a_review_is_a_published_note_linked_to_the_product_as_a_verified_purchase(
    user, delivered, product
):
    note = review(user, delivered)

    link = NoteProduct.objects.get(note=note)
    assert note.status == Note.Status.PUBLISHED
    assert (link.product, link.order_line, link.is_verified_purchase) == (
        product,
        delivered.lines.get(),
        True,
    )
    assert Note.objects.get(pk=note.pk).products_count == 1


def test_a_review_pays_the_review_reward(user, delivered, settings):
    settings.MALL_REVIEW_REWARD_POINTS = 20

    review(user, delivered)

    entry = PointsEntry.objects.get(reason=PointsEntry.Reason.PRODUCT_REVIEW)
    assert entry.amount == 20


def test_a_line_is_reviewed_once(user, delivered):
    review(user, delivered)

    with pytest.raises(ValidationError) as refused:
        review(user, delivered, title="Again")

    assert refused.value.messages == ["You have already reviewed this."]
    assert Note.objects.count() == 1


def test_an_order_not_yet_delivered_cannot_be_reviewed(user, place_order, red):
    order = place_order(red)

    with pytest.raises(ValidationError):
        review(user, order)


def test_another_buyers_line_is_not_found(other_user, delivered):
    with pytest.raises(Http404):
        review(other_user, delivered)


def test_the_order_page_offers_a_review_then_links_it(user_client, user, delivered):
    url = delivered.get_absolute_url()
    review_url = reverse("mall:order_review", args=[delivered.number, delivered.lines.get().pk])
    assert review_url in user_client.get(url).content.decode()

    note = review(user, delivered)

    page = user_client.get(url).content.decode()
    assert review_url not in page
    assert note.get_absolute_url() in page


def test_the_review_page_publishes_the_note(user_client, delivered):
    line = delivered.lines.get()

    response = user_client.post(
        reverse("mall:order_review", args=[delivered.number, line.pk]),
        {"title": "Lovely red", "body": "It lasts.", "images": [image_upload()]},
    )

    note = Note.objects.get()
    assert response.status_code == 302
    assert response["Location"] == note.get_absolute_url()


def test_the_note_and_the_product_page_say_bought_on_hongshu(client, user, delivered, product):
    note = review(user, delivered)
    note_services.note_media_process(note_id=note.pk)  # what the worker does once it commits

    assert "Bought on Hongshu" in client.get(note.get_absolute_url()).content.decode()
    assert "Bought on Hongshu" in client.get(product.get_absolute_url()).content.decode()


def test_a_published_review_counts_toward_the_growth_task(user, delivered):
    review(user, delivered)

    user.refresh_from_db()
    assert user.reviews_published == 1


def test_the_nightly_mall_recount_repairs_the_review_and_order_counters(user, delivered):
    review(user, delivered)
    User.objects.filter(pk=user.pk).update(reviews_published=5, orders_completed=3)

    corrected = growth_counters_recount_task.apply().get()

    user.refresh_from_db()
    assert corrected == 1
    assert (user.reviews_published, user.orders_completed) == (1, 0)

"""A copy of one's data (PIPL's right to a copy): one JSON file with everything one put in."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mall import services as mall_services
from notes import services as note_services
from tests.factories import NoteFactory, UserFactory
from tests.mall.factories import AddressFactory, ProductFactory
from users import services as user_services

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("community:account_data_download")


def downloaded(response) -> dict:
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_the_copy_holds_what_the_account_put_in(user_client, user, settings):
    settings.SITE_URL = "https://hongshu.example"
    own = NoteFactory(author=user, title="My tea")
    own.tags.add("tea")
    NoteFactory(author=user, title="Half written", status="draft", published_at=None)
    theirs = NoteFactory(title="Their walk")
    board = note_services.board_create(owner=user, name="Walks")
    note_services.note_like(actor=user, note_id=theirs.pk)
    note_services.note_bookmark(actor=user, note_id=theirs.pk, board_id=board.pk)
    note_services.comment_create(author=user, note_id=theirs.pk, body="Where is this?")
    user_services.user_follow(actor=user, followee=theirs.author)

    data = downloaded(user_client.get(DOWNLOAD))

    assert data["account"]["username"] == "xiaohong"
    assert [note["title"] for note in data["notes"]] == ["My tea", "Half written"]
    assert data["notes"][0]["tags"] == ["tea"]
    assert data["notes"][0]["photos"][0].startswith("https://hongshu.example/media/")
    assert [like["title"] for like in data["likes"]] == ["Their walk"]
    assert data["saves"] == [
        {"note": theirs.pk, "title": "Their walk", "board": board.pk, "at": data["saves"][0]["at"]}
    ]
    assert [comment["body"] for comment in data["comments"]] == ["Where is this?"]
    assert data["following"][0]["username"] == theirs.author.username


def test_the_copy_holds_orders_with_their_lines_and_addresses(user_client, user):
    product = ProductFactory(skus=[{"code": "TEA-1", "price": "50.00", "stock": 5}])
    mall_services.cart_add(actor=user, sku_id=product.skus.get().pk, quantity=2)
    address = AddressFactory(owner=user)
    order = mall_services.order_place(actor=user, address_id=address.pk)

    data = downloaded(user_client.get(DOWNLOAD))

    assert data["orders"][0]["number"] == order.number
    assert data["orders"][0]["lines"][0]["quantity"] == 2
    assert data["addresses"][0]["street"] == address.street


def test_nothing_of_other_accounts_is_in_the_copy(user_client, user):
    someone = UserFactory(username="someone")
    NoteFactory(author=someone, title="Not yours")
    note_services.note_like(actor=someone, note_id=NoteFactory(author=user).pk)

    text = b"".join(user_client.get(DOWNLOAD).streaming_content).decode()

    assert "Not yours" not in text
    assert json.loads(text)["likes"] == []


def test_the_copy_costs_the_same_queries_for_three_notes_or_twelve(user_client, user):
    counts = []
    for total in (3, 12):
        for index in range(total - len(counts) * 3):
            note = NoteFactory(author=user, title=f"Note {total}-{index}")
            note.tags.add(f"tag{index}")
        with CaptureQueriesContext(connection) as queries:
            b"".join(user_client.get(DOWNLOAD).streaming_content)
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_file_is_named_for_the_account_and_never_cached(user_client):
    response = user_client.get(DOWNLOAD)

    assert response["Content-Disposition"].startswith('attachment; filename="hongshu-xiaohong-')
    assert response["Cache-Control"] == "private, no-store"


def test_copies_are_limited_per_account(user_client, settings):
    settings.RATE_LIMIT_DATA_EXPORT = "2/h"

    statuses = [user_client.get(DOWNLOAD).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_settings_lead_to_the_copy(user_client):
    settings_page = user_client.get(reverse("users:profile_edit")).content.decode()
    data_page = user_client.get(reverse("community:account_data")).content.decode()

    assert reverse("community:account_data") in settings_page
    assert DOWNLOAD in data_page


def test_the_api_gives_the_same_copy(api, user):
    NoteFactory(author=user, title="My tea")

    response = api.get("/api/v1/me/data/")

    assert response["Content-Type"].startswith("application/json")
    assert [note["title"] for note in downloaded(response)["notes"]] == ["My tea"]


def test_a_chinese_username_gives_a_file_name_browsers_read(client):
    reader = UserFactory(username="小红书迷")
    client.force_login(reader)

    response = client.get(DOWNLOAD)

    assert response.status_code == 200
    assert "filename*=utf-8''hongshu-%E5%B0%8F%E7%BA%A2" in response["Content-Disposition"]

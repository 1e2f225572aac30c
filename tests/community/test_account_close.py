"""Closing an account (注销账号): what goes, what stays, and who may."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from community.services import account_close
from mall import services as mall_services
from mall.models import Address, CartLine, Order, Sku
from notes import services as note_services
from notes.models import Board, Comment, Note
from notes.tasks import account_community_leave_task
from tests.factories import PASSWORD, NoteFactory, UserFactory
from tests.mall.factories import AddressFactory, ProductFactory
from users import services as user_services
from users.models import Notification, User

CLOSE_URL = "/accounts/close/"
pytestmark = pytest.mark.usefixtures("tasks_eager")


@pytest.fixture
def author(db):
    return UserFactory(username="author")


@pytest.fixture
def their_note(author):
    return NoteFactory(author=author)


@pytest.fixture
def sku(db):
    product = ProductFactory(skus=[{"code": "TEA-1", "price": "50.00", "stock": 5}])
    return product.skus.get()


def order_for(buyer, sku: Sku, quantity: int = 1) -> Order:
    mall_services.cart_add(actor=buyer, sku_id=sku.pk, quantity=quantity)
    address = AddressFactory(owner=buyer)
    return mall_services.order_place(actor=buyer, address_id=address.pk)


@pytest.fixture
def close_own(django_capture_on_commit_callbacks):
    """Close the account as its owner, and run what follows the commit (the background job)."""

    def close(account: User) -> User:
        with django_capture_on_commit_callbacks(execute=True):
            return account_close(account=account, actor=account, password=PASSWORD)

    return close


def test_closing_deletes_the_accounts_notes_with_their_photos(
    user, django_capture_on_commit_callbacks, close_own
):
    note = NoteFactory(author=user)
    photo = note.images.get().image.name

    with django_capture_on_commit_callbacks(execute=True):
        close_own(user)

    assert not Note.objects.filter(pk=note.pk).exists()
    assert not default_storage.exists(photo)


def test_closing_takes_back_its_likes_saves_and_reposts_and_the_counters_they_fed(
    user, author, their_note, close_own
):
    note_services.note_like(actor=user, note_id=their_note.pk)
    note_services.note_bookmark(actor=user, note_id=their_note.pk)
    note_services.note_repost(actor=user, note_id=their_note.pk)

    close_own(user)

    their_note.refresh_from_db()
    author.refresh_from_db()
    counters = (their_note.likes_count, their_note.bookmarks_count, their_note.reposts_count)
    assert counters == (0, 0, 0)
    assert their_note.ces == 0
    assert (author.likes_received, author.bookmarks_received) == (0, 0)


def test_likes_of_other_readers_stay_counted(user, other_user, author, their_note, close_own):
    note_services.note_like(actor=user, note_id=their_note.pk)
    note_services.note_like(actor=other_user, note_id=their_note.pk)

    close_own(user)

    their_note.refresh_from_db()
    author.refresh_from_db()
    assert (their_note.likes_count, their_note.ces, author.likes_received) == (1, 1, 1)


def test_closing_deletes_its_comments_and_the_notes_comment_counts_follow(
    user, other_user, their_note, close_own
):
    thread = note_services.comment_create(author=user, note_id=their_note.pk, body="Where?")
    note_services.comment_create(
        author=other_user, note_id=their_note.pk, body="Shanghai", parent_id=thread.pk
    )
    others = note_services.comment_create(author=other_user, note_id=their_note.pk, body="Nice")
    note_services.comment_create(
        author=user, note_id=their_note.pk, body="Agreed", parent_id=others.pk
    )

    close_own(user)

    their_note.refresh_from_db()
    assert list(Comment.objects.values_list("body", flat=True)) == ["Nice"]
    assert their_note.comments_count == 1


def test_closing_takes_back_its_likes_of_comments(user, other_user, their_note, close_own):
    comment = note_services.comment_create(author=other_user, note_id=their_note.pk, body="Hi")
    note_services.comment_like(actor=user, comment_id=comment.pk)

    close_own(user)

    comment.refresh_from_db()
    assert comment.likes_count == 0


def test_closing_ends_follows_both_ways_and_the_follow_counts_follow(
    user, other_user, author, close_own
):
    user_services.user_follow(actor=user, followee=author)
    user_services.user_follow(actor=other_user, followee=user)

    close_own(user)

    author.refresh_from_db()
    other_user.refresh_from_db()
    user.refresh_from_db()
    assert (author.followers_count, other_user.following_count) == (0, 0)
    assert (user.followers_count, user.following_count) == (0, 0)


def test_closing_deletes_its_boards(user, their_note, close_own):
    board = note_services.board_create(owner=user, name="Trips")
    note_services.note_bookmark(actor=user, note_id=their_note.pk, board_id=board.pk)

    close_own(user)

    assert not Board.objects.filter(pk=board.pk).exists()


def test_closing_leaves_nothing_personal_and_no_way_to_log_in(user, client, close_own):
    closed = close_own(user)

    closed.refresh_from_db()
    assert (closed.email, closed.display_name, closed.bio, closed.avatar.name) == ("", "", "", "")
    assert closed.username != "xiaohong"
    assert closed.name == "Closed account"
    assert not closed.is_active
    assert not closed.has_usable_password()
    assert closed.closed_at is not None
    assert not client.login(username="xiaohong", password=PASSWORD)


def test_the_username_is_free_again_once_its_account_is_closed(user, close_own):
    close_own(user)

    assert UserFactory(username="xiaohong").pk != user.pk


def test_every_session_of_a_closed_account_ends(user, client, close_own):
    client.force_login(user)

    close_own(user)

    settings_page = client.get(reverse("users:profile_edit"))
    assert settings_page.status_code == 302
    assert "/accounts/login/" in settings_page.url


def test_closing_deletes_its_messages(user, other_user, close_own):
    user_services.user_follow(actor=other_user, followee=user)
    assert Notification.objects.filter(recipient=user).exists()

    close_own(user)

    assert not Notification.objects.filter(recipient=user).exists()


def test_unread_messages_it_caused_others_are_taken_back(user, author, their_note, close_own):
    user_services.user_follow(actor=user, followee=author)
    note_services.note_like(actor=user, note_id=their_note.pk)
    author.refresh_from_db()
    assert author.unread_notifications == 2

    close_own(user)

    author.refresh_from_db()
    assert author.unread_notifications == 0
    assert not Notification.objects.filter(recipient=author).exists()


def test_read_messages_it_caused_others_stay_and_name_a_closed_account(
    user, author, client, close_own
):
    user_services.user_follow(actor=user, followee=author)
    user_services.notifications_mark_read(
        actor=author,
        notification_ids=list(author.notifications.values_list("pk", flat=True)),
    )

    close_own(user)

    client.force_login(author)
    page = client.get(reverse("me:messages") + "?tab=follows").content.decode()
    assert "<strong>Closed account</strong> started following you" in page
    assert "xiaohong" not in page
    assert "小红" not in page


def test_closing_empties_the_cart_address_book_and_cart_badge(user, sku, close_own):
    mall_services.cart_add(actor=user, sku_id=sku.pk, quantity=2)
    AddressFactory(owner=user)

    close_own(user)

    user.refresh_from_db()
    assert not CartLine.objects.filter(owner=user).exists()
    assert not Address.objects.filter(owner=user).exists()
    assert user.cart_units == 0


def test_closing_cancels_orders_awaiting_payment_and_gives_their_stock_back(user, sku, close_own):
    order = order_for(user, sku, 2)

    close_own(user)

    order.refresh_from_db()
    sku.refresh_from_db()
    assert (order.status, sku.stock) == (Order.Status.CANCELLED, 5)


def test_orders_it_completed_are_kept_under_the_closed_account(user, sku, close_own):
    order = order_for(user, sku)
    mall_services.order_pay_with_demo(actor=user, number=order.number)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.COMPLETED)

    close_own(user)

    order.refresh_from_db()
    assert order.buyer_id == user.pk
    assert order.status == Order.Status.COMPLETED


def test_an_order_under_way_keeps_the_account_open_and_is_named(user, sku, close_own):
    order = order_for(user, sku)
    mall_services.order_pay_with_demo(actor=user, number=order.number)
    note = NoteFactory(author=user)

    with pytest.raises(ValidationError, match=order.number):
        close_own(user)

    user.refresh_from_db()
    assert user.is_active
    assert user.closed_at is None
    assert Note.objects.filter(pk=note.pk).exists()


def test_closing_ones_own_account_needs_its_password(user):
    note = NoteFactory(author=user)

    with pytest.raises(ValidationError, match="not your password"):
        account_close(account=user, actor=user, password="not-it")

    user.refresh_from_db()
    assert user.is_active
    assert Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("kind", ["staff", "brand"])
def test_staff_and_brand_accounts_do_not_close_themselves(user, kind, close_own):
    if kind == "staff":
        User.objects.filter(pk=user.pk).update(is_staff=True)
    else:
        User.objects.filter(pk=user.pk).update(kind=User.Kind.BRAND)
    user.refresh_from_db()

    with pytest.raises(ValidationError, match="closed by an administrator"):
        close_own(user)


def test_staff_close_an_account_without_its_password(user, admin_user):
    closed = account_close(account=user, actor=admin_user)

    assert closed.closed_at is not None


def test_closing_a_closed_account_changes_nothing(user, admin_user):
    first = account_close(account=user, actor=admin_user)

    again = account_close(account=user, actor=admin_user)

    assert (again.username, again.closed_at) == (first.username, first.closed_at)


# --- The background job


def test_a_closed_accounts_notes_are_hidden_before_the_job_has_run(user, client):
    note = NoteFactory(author=user)

    account_close(account=user, actor=user, password=PASSWORD)  # the job not run yet

    assert Note.objects.filter(pk=note.pk).exists()
    assert client.get(note.get_absolute_url()).status_code == 404


def test_the_job_runs_once_the_closing_commits(user, django_capture_on_commit_callbacks):
    note = NoteFactory(author=user)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        account_close(account=user, actor=user, password=PASSWORD)

    assert len(callbacks) >= 1
    assert not Note.objects.filter(pk=note.pk).exists()


def test_the_job_leaves_an_open_account_alone(user):
    note = NoteFactory(author=user)

    assert account_community_leave_task(user.pk) is False
    assert Note.objects.filter(pk=note.pk).exists()


def test_the_job_run_twice_changes_nothing_more(user, other_user, their_note, close_own):
    note_services.note_like(actor=user, note_id=their_note.pk)
    note_services.note_like(actor=other_user, note_id=their_note.pk)
    close_own(user)

    assert account_community_leave_task(user.pk) is True

    their_note.refresh_from_db()
    assert their_note.likes_count == 1


# --- The page


def test_the_settings_page_links_to_closing_the_account(user_client):
    page = user_client.get(reverse("users:profile_edit"))

    assert CLOSE_URL in page.content.decode()


def test_the_page_closes_the_account_logs_out_and_says_goodbye(user, user_client):
    answer = user_client.post(CLOSE_URL, {"password": PASSWORD, "understood": "on"}, follow=True)

    user.refresh_from_db()
    assert user.closed_at is not None
    assert answer.redirect_chain[-1][0] == "/"
    assert SESSION_KEY not in user_client.session
    assert "Your account is closed" in answer.content.decode()


def test_a_wrong_password_on_the_page_is_said_and_closes_nothing(user, user_client):
    page = user_client.post(CLOSE_URL, {"password": "not-it", "understood": "on"})

    user.refresh_from_db()
    assert page.status_code == 200
    assert user.closed_at is None
    assert "That is not your password." in page.content.decode()
    # The tick is kept.
    assert re.search(
        r'<input type="checkbox" name="understood"[^>]* checked', page.content.decode()
    )


def test_the_page_asks_for_the_tick(user, user_client):
    page = user_client.post(CLOSE_URL, {"password": PASSWORD})

    user.refresh_from_db()
    assert user.closed_at is None
    assert "Tick the box to say you understand." in page.content.decode()


def test_the_page_names_orders_under_way_instead_of_offering_to_close(user, user_client, sku):
    order = order_for(user, sku)
    mall_services.order_pay_with_demo(actor=user, number=order.number)

    page = user_client.get(CLOSE_URL).content.decode()

    assert reverse("mall:order", args=[order.number]) in page
    assert 'name="password"' not in page


def test_the_page_sends_staff_and_brands_to_an_administrator(user, user_client):
    User.objects.filter(pk=user.pk).update(kind=User.Kind.BRAND)

    page = user_client.get(CLOSE_URL).content.decode()

    assert "closed by an administrator" in page
    assert 'name="password"' not in page


# --- The API


def test_the_api_closes_the_account_with_its_password(user, client):
    client.force_login(user)

    answer = client.post(
        "/api/v1/me/close/", {"password": PASSWORD}, content_type="application/json"
    )

    user.refresh_from_db()
    assert answer.status_code == 204
    assert user.closed_at is not None


def test_the_api_refuses_a_wrong_password_on_its_field(user, client):
    client.force_login(user)

    answer = client.post("/api/v1/me/close/", {"password": "no"}, content_type="application/json")

    user.refresh_from_db()
    assert answer.status_code == 400
    assert user.closed_at is None
    assert answer.json()["password"] == ["That is not your password."]


# --- The admin


def test_staff_confirm_before_the_admin_closes_accounts(user, admin_client):
    form = {"action": "close_accounts", "_selected_action": [user.pk]}

    page = admin_client.post(reverse("admin:users_user_changelist"), form)

    user.refresh_from_db()
    assert page.status_code == 200
    assert user.closed_at is None
    assert "cannot be undone" in page.content.decode()


def test_the_admin_closes_accounts_once_confirmed_and_names_those_left_open(
    user, other_user, admin_client, sku
):
    order = order_for(other_user, sku)
    mall_services.order_pay_with_demo(actor=other_user, number=order.number)
    form = {"action": "close_accounts", "_selected_action": [user.pk, other_user.pk], "apply": "1"}

    answer = admin_client.post(reverse("admin:users_user_changelist"), form, follow=True)

    user.refresh_from_db()
    other_user.refresh_from_db()
    assert user.closed_at is not None
    assert other_user.closed_at is None
    text = answer.content.decode()
    assert "1 account closed." in text
    assert order.number in text

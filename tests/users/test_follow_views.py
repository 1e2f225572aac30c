import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import UserFactory
from users.models import Follow
from users.services import user_follow

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Follow and unfollow


def test_follow_by_htmx_answers_with_the_following_button(user_client, user, other_user):
    response = user_client.post(reverse("users:follow", args=["xiaolan"]), headers=HTMX)

    assert response.status_code == 200
    assert [template.name for template in response.templates] == ["partials/follow_button.html"]
    assert b"Following" in response.content
    assert reverse("users:unfollow", args=["xiaolan"]).encode() in response.content
    assert Follow.objects.filter(follower=user, followee=other_user).exists()


def test_follow_without_javascript_goes_back_to_next(user_client, other_user):
    response = user_client.post(
        reverse("users:follow", args=["xiaolan"]), {"next": "/accounts/xiaolan/followers/"}
    )

    assert response.status_code == 302
    assert response.url == "/accounts/xiaolan/followers/"
    assert message_texts(response) == ["You are now following 小蓝."]


def test_follow_without_javascript_ignores_a_next_on_another_site(user_client, other_user):
    response = user_client.post(
        reverse("users:follow", args=["xiaolan"]), {"next": "https://evil.example/"}
    )

    assert response.url == other_user.get_absolute_url()


def test_anonymous_follow_is_sent_to_log_in_and_back(client, other_user):
    response = client.post(
        reverse("users:follow", args=["xiaolan"]), {"next": "/accounts/xiaolan/followers/"}
    )

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/xiaolan/followers/"
    assert Follow.objects.count() == 0


def test_anonymous_follow_by_htmx_redirects_the_whole_page_to_log_in(client, other_user):
    response = client.post(reverse("users:follow", args=["xiaolan"]), headers=HTMX)

    assert response.headers["HX-Redirect"] == "/accounts/login/?next=/u/xiaolan/"


def test_following_yourself_is_refused_with_a_message(user_client, user):
    response = user_client.post(reverse("users:follow", args=["xiaohong"]))

    assert response.status_code == 302
    assert message_texts(response) == ["You cannot follow yourself."]
    assert Follow.objects.count() == 0


def test_following_yourself_by_htmx_is_a_clear_400(user_client, user):
    response = user_client.post(reverse("users:follow", args=["xiaohong"]), headers=HTMX)

    assert response.status_code == 400
    assert response.content.decode() == "You cannot follow yourself."


def test_following_twice_changes_nothing(user_client, user, other_user):
    user_client.post(reverse("users:follow", args=["xiaolan"]))

    response = user_client.post(reverse("users:follow", args=["xiaolan"]), headers=HTMX)

    other_user.refresh_from_db()
    assert b"Following" in response.content
    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1
    assert other_user.followers_count == 1


def test_follow_by_get_is_refused(user_client, other_user):
    response = user_client.get(reverse("users:follow", args=["xiaolan"]))

    assert response.status_code == 405
    assert Follow.objects.count() == 0


def test_following_an_unknown_account_is_404(user_client):
    response = user_client.post(reverse("users:follow", args=["ghost"]))

    assert response.status_code == 404


def test_unfollow_by_htmx_answers_with_the_follow_button(user_client, user, other_user):
    user_follow(actor=user, followee=other_user)

    response = user_client.post(reverse("users:unfollow", args=["xiaolan"]), headers=HTMX)

    other_user.refresh_from_db()
    assert response.status_code == 200
    assert reverse("users:follow", args=["xiaolan"]).encode() in response.content
    assert b"Following" not in response.content
    assert other_user.followers_count == 0


def test_unfollow_without_javascript_goes_back_to_the_profile(user_client, user, other_user):
    user_follow(actor=user, followee=other_user)

    response = user_client.post(reverse("users:unfollow", args=["xiaolan"]))

    assert response.url == other_user.get_absolute_url()
    assert not Follow.objects.exists()


# --- Follower and following lists


def test_followers_page_shows_each_follower_with_the_readers_follow_state(
    user_client, user, other_user
):
    stranger = UserFactory(username="stranger", bio="Weekend baker")
    user_follow(actor=other_user, followee=user)
    user_follow(actor=stranger, followee=user)
    user_follow(actor=user, followee=other_user)

    response = user_client.get(reverse("users:followers", args=["xiaohong"]))

    assert response.status_code == 200
    assert [(someone.username, state) for someone, state in response.context["rows"]] == [
        ("stranger", False),
        ("xiaolan", True),
    ]
    assert b"Weekend baker" in response.content


def test_following_page_lists_the_accounts_followed(client, user, other_user):
    user_follow(actor=user, followee=other_user)

    response = client.get(reverse("users:following", args=["xiaohong"]))

    assert [someone.username for someone, _state in response.context["rows"]] == ["xiaolan"]


def test_follower_list_pages_by_cursor_through_everyone_once(client, user, settings):
    settings.FEED_PAGE_SIZE = 2
    fans = UserFactory.create_batch(3)
    for follower in fans:
        user_follow(actor=follower, followee=user)

    first = client.get(reverse("users:followers", args=["xiaohong"]))
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("users:followers", args=["xiaohong"]), {"cursor": cursor})

    shown = [someone for someone, _ in first.context["rows"] + second.context["rows"]]
    assert shown == list(reversed(fans))
    assert f'href="?{first.context["next_query"]}"'.encode() in first.content
    assert second.context["page"].next_cursor is None


def test_more_followers_by_htmx_answers_only_the_rows(client, user, settings):
    settings.FEED_PAGE_SIZE = 1
    for follower in UserFactory.create_batch(2):
        user_follow(actor=follower, followee=user)
    cursor = client.get(reverse("users:followers", args=["xiaohong"])).context["page"].next_cursor

    response = client.get(
        reverse("users:followers", args=["xiaohong"]), {"cursor": cursor}, HTTP_HX_REQUEST="true"
    )

    assert response.templates[0].name == "users/partials/people_rows.html"
    assert b"<html" not in response.content


def test_empty_following_list_says_so(client, user):
    response = client.get(reverse("users:following", args=["xiaohong"]))

    assert response.context["rows"] == []
    assert b"Not following anyone yet." in response.content


@pytest.mark.parametrize("size", [3, 25])
def test_followers_page_costs_the_same_queries_whatever_its_size(
    user_client, user, size, django_assert_max_num_queries
):
    followers = UserFactory.create_batch(size)
    for follower in followers:
        user_follow(actor=follower, followee=user)
        user_follow(actor=user, followee=follower)

    # session, reader, owner, rows, the reader's follow state for all rows
    with django_assert_max_num_queries(5):
        response = user_client.get(reverse("users:followers", args=["xiaohong"]), {"size": 30})

    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [3, 25])
def test_following_page_costs_the_same_queries_whatever_its_size(
    user_client, other_user, size, django_assert_max_num_queries
):
    for followee in UserFactory.create_batch(size):
        user_follow(actor=other_user, followee=followee)

    with django_assert_max_num_queries(5):
        response = user_client.get(reverse("users:following", args=["xiaolan"]), {"size": 30})

    assert len(response.context["rows"]) == size

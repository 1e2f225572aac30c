import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory, image_upload
from users import services
from users.models import Follow

pytestmark = pytest.mark.django_db


# --- Tokens


def test_token_is_issued_for_the_right_password(anonymous, user, password):
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": "xiaohong", "password": password}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_token_is_refused_for_a_wrong_password(anonymous, user):
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": "xiaohong", "password": "guess"}, format="json"
    )

    assert response.status_code == 400
    assert not Token.objects.filter(user=user).exists()


def test_token_authenticates_later_requests(anonymous, user):
    token = Token.objects.create(user=user)
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = anonymous.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "xiaohong"


def test_token_requests_over_the_login_rate_are_throttled(anonymous, user, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "user": "100/min", "login": "2/min"},
    }
    for attempt in range(2):
        anonymous.post("/api/v1/auth/token/", {"username": f"x{attempt}", "password": "p"})

    response = anonymous.post("/api/v1/auth/token/", {"username": "x9", "password": "p"})

    assert response.status_code == 429


def test_token_requests_for_one_account_are_throttled_across_addresses(anonymous, user, settings):
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = "2/m"
    for address in ("10.0.0.1", "10.0.0.2"):
        anonymous.post(
            "/api/v1/auth/token/",
            {"username": "xiaohong", "password": "guess"},
            REMOTE_ADDR=address,
        )

    response = anonymous.post(
        "/api/v1/auth/token/",
        {"username": "XiaoHong", "password": "guess"},
        REMOTE_ADDR="10.0.0.3",
    )

    assert response.status_code == 429


# --- Profiles


def test_profile_shows_counts_and_whether_the_reader_follows(api, user, other_user):
    services.user_follow(actor=user, followee=other_user)

    response = api.get("/api/v1/users/xiaolan/")

    body = response.json()
    assert response.status_code == 200
    assert (body["username"], body["name"], body["kind"]) == ("xiaolan", "小蓝", "personal")
    assert (body["followers_count"], body["following_count"]) == (1, 0)
    assert body["is_following"] is True
    assert body["avatar"] is None
    assert body["url"] == "http://testserver/u/xiaolan/"


def test_profile_of_an_unknown_user_is_404(anonymous):
    response = anonymous.get("/api/v1/users/nobody/")

    assert response.status_code == 404


def test_me_needs_a_signed_in_reader(anonymous):
    response = anonymous.get("/api/v1/me/")

    assert response.status_code == 403


def test_me_patch_changes_only_the_fields_sent(api, user):
    user.bio = "Tea lover"
    user.save(update_fields=["bio"])

    response = api.patch("/api/v1/me/", {"city": "Chengdu"}, format="json")

    user.refresh_from_db()
    assert response.status_code == 200
    assert (user.city, user.bio, user.display_name) == ("Chengdu", "Tea lover", "小红")


def test_me_patch_stores_an_avatar_sent_as_multipart(api, user):
    response = api.patch("/api/v1/me/", {"avatar": image_upload("me.png", image_format="PNG")})

    user.refresh_from_db()
    assert response.status_code == 200
    assert user.avatar.name.endswith(".jpg")  # the pipeline's JPEG, not the upload
    assert response.json()["avatar"] == f"http://testserver{user.avatar.url}"


def test_me_patch_with_a_text_file_as_avatar_names_the_file(api, user):
    fake = SimpleUploadedFile("selfie.jpg", b"not a picture", content_type="image/jpeg")

    response = api.patch("/api/v1/me/", {"avatar": fake})

    assert response.status_code == 400
    assert "selfie.jpg" in response.json()["avatar"][0]


def test_me_patch_cannot_make_a_brand_account(api, user):
    response = api.patch("/api/v1/me/", {"kind": "brand"}, format="json")

    user.refresh_from_db()
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]
    assert user.kind == "personal"


# --- Follows


def test_first_follow_answers_201_with_the_new_count(api, other_user):
    response = api.post("/api/v1/users/xiaolan/follow/")

    assert response.status_code == 201
    assert response.json() == {"is_following": True, "followers_count": 1}


def test_second_follow_is_idempotent(api, other_user):
    api.post("/api/v1/users/xiaolan/follow/")

    response = api.post("/api/v1/users/xiaolan/follow/")

    assert response.status_code == 200
    assert response.json() == {"is_following": True, "followers_count": 1}
    assert Follow.objects.count() == 1


def test_unfollow_answers_204_and_drops_the_count(api, user, other_user):
    services.user_follow(actor=user, followee=other_user)

    response = api.delete("/api/v1/users/xiaolan/follow/")

    other_user.refresh_from_db()
    assert response.status_code == 204
    assert other_user.followers_count == 0
    assert not Follow.objects.exists()


def test_following_yourself_is_400(api, user):
    response = api.post("/api/v1/users/xiaohong/follow/")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["You cannot follow yourself."]}


def test_following_needs_a_signed_in_reader(anonymous, other_user):
    response = anonymous.post("/api/v1/users/xiaolan/follow/")

    assert response.status_code == 403


def test_followers_are_listed_newest_first_with_the_readers_follow_state(api, user, other_user):
    early, late = UserFactory(username="early"), UserFactory(username="late")
    services.user_follow(actor=early, followee=other_user)
    services.user_follow(actor=late, followee=other_user)
    services.user_follow(actor=user, followee=early)

    response = api.get("/api/v1/users/xiaolan/followers/")

    results = response.json()["results"]
    assert [(p["username"], p["is_following"]) for p in results] == [
        ("late", False),
        ("early", True),
    ]
    assert response.json()["next"] is None


def test_following_list_pages_through_everyone_once(api, user, settings):
    settings.FEED_PAGE_SIZE = 2
    for index in range(3):
        services.user_follow(actor=user, followee=UserFactory(username=f"star{index}"))

    first = api.get("/api/v1/users/xiaohong/following/").json()
    second = api.get(first["next"]).json()

    names = [p["username"] for p in first["results"] + second["results"]]
    assert names == ["star2", "star1", "star0"]
    assert second["next"] is None


@pytest.mark.parametrize("followers", [2, 8])
def test_followers_list_costs_the_same_queries_whatever_its_length(
    api, other_user, followers, django_assert_num_queries
):
    for index in range(followers):
        services.user_follow(actor=UserFactory(username=f"fan{index}"), followee=other_user)

    # session + reader, the profile, the page of follows with people, the reader's follows
    with django_assert_num_queries(5):
        response = api.get("/api/v1/users/xiaolan/followers/")

    assert len(response.json()["results"]) == followers

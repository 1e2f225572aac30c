import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory, image_upload
from users.models import User

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    return {
        "display_name": "小红 Red",
        "bio": "Film cameras and hikes",
        "city": "Hangzhou",
        "kind": "creator",
        **overrides,
    }


def test_settings_page_needs_a_logged_in_reader(client):
    response = client.get(reverse("users:profile_edit"))

    assert response.status_code == 302
    assert response.url == f"{reverse('users:login')}?next=/accounts/settings/"


def test_settings_page_shows_the_saved_profile(user_client, user):
    user.bio = "Coffee first"
    user.save(update_fields=["bio"])

    response = user_client.get(reverse("users:profile_edit"))

    assert response.status_code == 200
    assert response.context["form"]["bio"].value() == "Coffee first"
    assert reverse("users:password_change").encode() in response.content


def test_settings_saves_the_profile_and_the_avatar(user_client, user):
    response = user_client.post(
        reverse("users:profile_edit"), profile_data(avatar=image_upload("me.jpg"))
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("users:profile_edit")
    assert (user.display_name, user.bio, user.city, user.kind) == (
        "小红 Red",
        "Film cameras and hikes",
        "Hangzhou",
        "creator",
    )
    assert user.avatar.name.endswith(".jpg")


def test_settings_keeps_the_typed_text_and_explains_a_bad_avatar(user_client, user):
    fake = SimpleUploadedFile("selfie.jpg", b"not a picture", content_type="image/jpeg")

    response = user_client.post(
        reverse("users:profile_edit"), profile_data(bio="Typed, not yet saved", avatar=fake)
    )

    user.refresh_from_db()
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["avatar"] == [
        "“selfie.jpg” is not a picture we can read. Use JPEG, PNG, WebP, GIF or HEIC."
    ]
    assert form["bio"].value() == "Typed, not yet saved"
    assert b"Typed, not yet saved" in response.content
    assert user.bio == ""
    assert not user.avatar


def test_settings_shows_the_saved_name_in_the_top_bar_after_a_refusal(user_client):
    fake = SimpleUploadedFile("selfie.jpg", b"not a picture", content_type="image/jpeg")

    response = user_client.post(
        reverse("users:profile_edit"), profile_data(display_name="Unsaved", avatar=fake)
    )

    assert response.context["user"].display_name == "小红"


def test_settings_refuses_to_make_an_account_a_brand(user_client, user):
    response = user_client.post(reverse("users:profile_edit"), profile_data(kind="brand"))

    user.refresh_from_db()
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert user.kind == User.Kind.PERSONAL


def test_brand_account_keeps_its_kind_and_sees_no_choice(client):
    brand = UserFactory(username="bloom", kind=User.Kind.BRAND, is_verified=True)
    client.force_login(brand)

    response = client.post(reverse("users:profile_edit"), profile_data(kind="personal"))

    brand.refresh_from_db()
    assert response.status_code == 302
    assert brand.kind == User.Kind.BRAND
    assert brand.bio == "Film cameras and hikes"


def test_brand_settings_page_shows_the_kind_without_a_choice(client):
    brand = UserFactory(username="bloom", kind=User.Kind.BRAND, is_verified=True)
    client.force_login(brand)

    response = client.get(reverse("users:profile_edit"))

    assert response.status_code == 200
    assert "kind" not in response.context["form"].fields
    assert b'name="kind"' not in response.content
    assert b"Verified" in response.content

import re

import pytest
from django.contrib import admin, messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory, image_bytes, image_upload
from users import services
from users.models import Follow, User

pytestmark = pytest.mark.django_db

USERS_MODELS = [model for model in admin.site._registry if model._meta.app_label == "users"]
USER_CHANGELIST = reverse("admin:users_user_changelist")


def run_action(client, url: str, action: str, objects) -> list:
    response = client.post(
        url, {"action": action, admin.helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]}
    )
    assert response.status_code == 302
    return list(get_messages(response.wsgi_request))


def test_verify_brand_action_verifies_a_brand_account(admin_client):
    brand = UserFactory(username="camellia", kind=User.Kind.BRAND)

    shown = run_action(admin_client, USER_CHANGELIST, "verify_brand", [brand])

    brand.refresh_from_db()
    assert brand.is_verified is True
    assert [(m.level, m.message) for m in shown] == [(messages.SUCCESS, "1 account updated.")]


def test_verify_brand_action_refuses_a_personal_account_with_a_warning(admin_client):
    brand = UserFactory(username="camellia", kind=User.Kind.BRAND)
    person = UserFactory(username="xiaolu", kind=User.Kind.PERSONAL)

    shown = run_action(admin_client, USER_CHANGELIST, "verify_brand", [brand, person])

    brand.refresh_from_db()
    person.refresh_from_db()
    assert (brand.is_verified, person.is_verified) == (True, False)
    assert (messages.WARNING, "xiaolu: Only brand accounts can be verified.") in [
        (m.level, m.message) for m in shown
    ]


def test_remove_verification_action_takes_the_badge_back(admin_client):
    brand = UserFactory(username="camellia", kind=User.Kind.BRAND, is_verified=True)

    run_action(admin_client, USER_CHANGELIST, "remove_verification", [brand])

    brand.refresh_from_db()
    assert brand.is_verified is False


def test_changing_a_verified_brand_into_a_personal_account_is_refused_by_the_form(admin_client):
    brand = UserFactory(username="camellia", kind=User.Kind.BRAND, is_verified=True)
    url = reverse("admin:users_user_change", args=[brand.pk])
    data = {"username": "camellia", "kind": User.Kind.PERSONAL, "is_active": "on"}

    response = admin_client.post(url, data)

    brand.refresh_from_db()
    assert response.status_code == 200
    assert brand.kind == User.Kind.BRAND
    assert "kind" in response.context["adminform"].form.errors


def test_remove_follow_action_unfollows_and_moves_both_counters(admin_client, user, other_user):
    services.user_follow(actor=user, followee=other_user)
    link = Follow.objects.get()

    run_action(admin_client, reverse("admin:users_follow_changelist"), "remove_follow", [link])

    user.refresh_from_db()
    other_user.refresh_from_db()
    assert Follow.objects.count() == 0
    assert (user.following_count, other_user.followers_count) == (0, 0)


def test_follow_rows_cannot_be_added_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:users_follow_add"))

    assert response.status_code == 403


@pytest.mark.parametrize("model", USERS_MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_and_change_page_render_for_a_superuser(admin_client, user, other_user, model):
    services.user_follow(actor=user, followee=other_user)
    services.sign_in_today(actor=user)
    meta = model._meta
    first = model.objects.order_by("pk").first()

    listing = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    page = admin_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
    )

    assert (listing.status_code, page.status_code) == (200, 200)


def test_user_add_page_renders(admin_client):
    response = admin_client.get(reverse("admin:users_user_add"))

    assert response.status_code == 200


def test_user_changelist_searches_display_names(admin_client):
    UserFactory(username="xiaolu", display_name="小鹿在上海")
    UserFactory(username="momo", display_name="Momo的衣橱")

    response = admin_client.get(USER_CHANGELIST, {"q": "小鹿"})

    assert [person.username for person in response.context["cl"].result_list] == ["xiaolu"]


def account_change_form(person: User, **fields) -> dict:
    """The account's change form as the admin page posts it, with `fields` typed over it."""
    return {
        "username": person.username,
        "display_name": person.display_name,
        "email": person.email,
        "bio": person.bio,
        "city": person.city,
        "kind": person.kind,
        "is_active": "on",
        **fields,
    }


def test_user_admin_stores_an_avatar_under_a_name_of_its_own(admin_client):
    person = UserFactory(username="xiaolu")

    response = admin_client.post(
        reverse("admin:users_user_change", args=[person.pk]),
        account_change_form(person, bio="Tea and trains", avatar=image_upload("我的头像.png")),
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert person.bio == "Tea and trains"
    assert re.fullmatch(r"avatars/[0-9a-f]{2}/[0-9a-f]{32}_[0-9]+\.jpg", person.avatar.name)


def test_user_admin_refuses_an_avatar_that_is_not_a_picture(admin_client):
    person = UserFactory(username="xiaolu")
    fake = SimpleUploadedFile("selfie.jpg", b"not a picture", content_type="image/jpeg")

    response = admin_client.post(
        reverse("admin:users_user_change", args=[person.pk]),
        account_change_form(person, bio="Unsaved", avatar=fake),
    )

    person.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["avatar"] == [
        "“selfie.jpg” is not a picture we can read. Use JPEG, PNG, WebP, GIF or HEIC."
    ]
    assert (person.bio, person.avatar.name) == ("", "")


def test_user_admin_refuses_an_avatar_over_the_size_limit(admin_client, settings):
    settings.AVATAR_MAX_BYTES = 1024 * 1024
    person = UserFactory(username="xiaolu")
    padded = image_bytes() + b"\0" * 1024 * 1024  # a real picture, trailing bytes and all
    large = SimpleUploadedFile("large.jpg", padded, content_type="image/jpeg")

    response = admin_client.post(
        reverse("admin:users_user_change", args=[person.pk]),
        account_change_form(person, avatar=large),
    )

    person.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["avatar"] == [
        "“large.jpg” is too large (1.0 MB); the limit is 1 MB."
    ]
    assert person.avatar.name == ""


def test_the_account_page_shows_level_progress_read_only(admin_client, user):
    User.objects.filter(pk=user.pk).update(notes_read=42, red_potato_level=3)

    page = admin_client.get(reverse("admin:users_user_change", args=[user.pk]))

    form = page.context["adminform"].form
    assert "notes_read" not in form.fields
    assert "red_potato_level" not in form.fields
    assert '<div class="readonly">42</div>' in page.content.decode()


def test_staff_deactivate_accounts_and_cannot_delete_them(admin_client):
    person = UserFactory(username="leaving")

    page = admin_client.get(reverse("admin:users_user_delete", args=[person.pk]))
    listing = admin_client.get(reverse("admin:users_user_changelist"))

    assert page.status_code == 403
    assert "delete_selected" not in listing.content.decode()
    assert User.objects.filter(pk=person.pk).exists()

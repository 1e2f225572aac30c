import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import UserFactory, image_upload
from users.models import Follow, User
from users.selectors import user_following_ids
from users.services import user_follow, user_profile_update, user_unfollow

pytestmark = pytest.mark.django_db


def test_follow_links_the_accounts_and_moves_both_counters(user, other_user):
    created = user_follow(actor=user, followee=other_user)

    user.refresh_from_db()
    other_user.refresh_from_db()
    assert created is True
    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1
    assert (user.following_count, user.followers_count) == (1, 0)
    assert (other_user.following_count, other_user.followers_count) == (0, 1)


def test_second_follow_is_idempotent(user, other_user):
    user_follow(actor=user, followee=other_user)

    created = user_follow(actor=user, followee=other_user)

    other_user.refresh_from_db()
    user.refresh_from_db()
    assert created is False
    assert Follow.objects.filter(follower=user, followee=other_user).count() == 1
    assert other_user.followers_count == 1
    assert user.following_count == 1


def test_following_yourself_is_refused(user):
    with pytest.raises(ValidationError) as error:
        user_follow(actor=user, followee=user)

    user.refresh_from_db()
    assert error.value.code == "self_follow"
    assert Follow.objects.count() == 0
    assert (user.following_count, user.followers_count) == (0, 0)


def test_unfollow_removes_the_link_and_puts_counters_back(user, other_user):
    user_follow(actor=user, followee=other_user)

    removed = user_unfollow(actor=user, followee=other_user)

    user.refresh_from_db()
    other_user.refresh_from_db()
    assert removed is True
    assert Follow.objects.count() == 0
    assert user.following_count == 0
    assert other_user.followers_count == 0


def test_unfollow_without_a_follow_changes_nothing(user, other_user):
    removed = user_unfollow(actor=user, followee=other_user)

    other_user.refresh_from_db()
    assert removed is False
    assert other_user.followers_count == 0


def test_counters_are_exact_after_several_followers_come_and_go(user):
    readers = UserFactory.create_batch(3)
    for reader in readers:
        user_follow(actor=reader, followee=user)

    user_unfollow(actor=readers[0], followee=user)

    user.refresh_from_db()
    assert user.followers_count == 2


def test_following_ids_names_only_the_accounts_followed_among_those_asked(user, other_user):
    third = UserFactory()
    user_follow(actor=user, followee=other_user)

    ids = user_following_ids(actor=user, among=[other_user.pk, third.pk])

    assert ids == {other_user.pk}


def test_profile_update_saves_the_text_and_the_avatar(user):
    user_profile_update(
        user=user,
        display_name="小红书",
        bio="Film cameras",
        city="Hangzhou",
        avatar=image_upload("me.png", image_format="PNG"),
        kind=User.Kind.CREATOR,
    )

    user.refresh_from_db()
    assert (user.display_name, user.bio, user.city, user.kind) == (
        "小红书",
        "Film cameras",
        "Hangzhou",
        "creator",
    )
    assert user.avatar.name.startswith("avatars/")
    assert user.avatar.name.endswith(".jpg")  # the pipeline's JPEG, not the upload


def test_profile_update_rejects_a_non_image_avatar_and_keeps_the_old_one(user):
    user_profile_update(
        user=user, display_name="小红", bio="", city="", avatar=image_upload("first.jpg")
    )
    user.refresh_from_db()
    old_avatar = user.avatar.name
    fake = SimpleUploadedFile("cat.jpg", b"this is text", content_type="image/jpeg")

    with pytest.raises(ValidationError) as error:
        user_profile_update(user=user, display_name="New name", bio="", city="", avatar=fake)

    user.refresh_from_db()
    assert error.value.code == "not_an_image"
    assert user.avatar.name == old_avatar
    assert user.display_name == "小红"


def test_profile_update_refuses_to_make_an_account_a_brand(user):
    with pytest.raises(ValidationError) as error:
        user_profile_update(user=user, display_name="", bio="", city="", kind=User.Kind.BRAND)

    user.refresh_from_db()
    assert error.value.code == "kind"
    assert user.kind == User.Kind.PERSONAL


def test_a_refused_profile_update_leaves_the_callers_user_as_it_was(user):
    fake = SimpleUploadedFile("cat.jpg", b"this is text", content_type="image/jpeg")

    with pytest.raises(ValidationError):
        user_profile_update(
            user=user, display_name="New name", bio="New bio", city="Xi'an", avatar=fake
        )

    assert (user.display_name, user.bio, user.city) == ("小红", "", "")


def test_a_refused_kind_change_leaves_the_callers_user_as_it_was(user):
    with pytest.raises(ValidationError):
        user_profile_update(user=user, display_name="New name", bio="", city="", kind="brand")

    assert (user.display_name, user.kind) == ("小红", User.Kind.PERSONAL)


def test_profile_update_refuses_to_take_a_brand_out_of_brand_accounts():
    brand = UserFactory(username="bloom", kind=User.Kind.BRAND)

    with pytest.raises(ValidationError) as error:
        user_profile_update(user=brand, display_name="", bio="", city="", kind=User.Kind.PERSONAL)

    brand.refresh_from_db()
    assert error.value.code == "kind"
    assert brand.kind == User.Kind.BRAND


def test_profile_update_keeps_what_the_change_leaves_out(user):
    User.objects.filter(pk=user.pk).update(bio="Coffee and cats", city="Shanghai")
    user.refresh_from_db()

    user_profile_update(user=user, display_name="New name")

    user.refresh_from_db()
    assert (user.display_name, user.bio, user.city) == ("New name", "Coffee and cats", "Shanghai")

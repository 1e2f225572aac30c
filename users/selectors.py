"""Reads of accounts shared by pages and the API."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from users.models import Follow, User


def user_get_by_username(*, username: str) -> User:
    return get_object_or_404(User, username=username, is_active=True)


def user_is_following(*, follower: User | None, followee: User) -> bool:
    if follower is None or not follower.is_authenticated or follower.pk == followee.pk:
        return False
    return Follow.objects.filter(follower=follower, followee=followee).exists()


def user_following_ids(*, follower: User | None, among: list[int]) -> set[int]:
    """Which of these accounts the reader follows: one query for a whole list of cards."""
    if follower is None or not follower.is_authenticated or not among:
        return set()
    return set(
        Follow.objects.filter(follower=follower, followee_id__in=among).values_list(
            "followee_id", flat=True
        )
    )


def user_followers(*, user: User) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(followee=user, follower__is_active=True)
        .select_related("follower")
        .order_by("-created_at", "-id")
    )


def user_following(*, user: User) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(follower=user, followee__is_active=True)
        .select_related("followee")
        .order_by("-created_at", "-id")
    )

"""Reads of accounts shared by pages and the API."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.pagination import Page, keyset_page
from users.models import Follow, User


def user_get_by_username(*, username: str) -> User:
    return get_object_or_404(User, username=username, is_active=True)


def user_is_following(*, actor: User | None, followee: User) -> bool:
    if actor is None or not actor.is_authenticated or actor.pk == followee.pk:
        return False
    return Follow.objects.filter(follower=actor, followee=followee).exists()


def user_following_ids(*, actor: User | None, among: list[int]) -> set[int]:
    """Which of these accounts the reader follows: one query for a whole list of cards."""
    if actor is None or not actor.is_authenticated or not among:
        return set()
    return set(
        Follow.objects.filter(follower=actor, followee_id__in=among).values_list(
            "followee_id", flat=True
        )
    )


def _people(
    links: QuerySet[Follow], *, side: str, cursor: str | None, size: int, list_name: str
) -> Page:
    """One page of the people on one side of `links`, newest follow first, in two queries."""
    page = keyset_page(
        links.select_related(side),
        keys=("-created_at", "-id"),
        cursor=cursor,
        size=size,
        list_name=list_name,
    )
    return Page(items=[getattr(link, side) for link in page.items], next_cursor=page.next_cursor)


def user_followers(*, user: User, cursor: str | None, size: int) -> Page:
    """Who follows `user` (active accounts only), newest first."""
    links = Follow.objects.filter(followee=user, follower__is_active=True)
    return _people(links, side="follower", cursor=cursor, size=size, list_name="user.followers")


def user_following(*, user: User, cursor: str | None, size: int) -> Page:
    """Whom `user` follows (active accounts only), newest first."""
    links = Follow.objects.filter(follower=user, followee__is_active=True)
    return _people(links, side="followee", cursor=cursor, size=size, list_name="user.following")

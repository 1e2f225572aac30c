"""Reads of accounts shared by pages and the API."""

import math
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.pagination import Page, keyset_page
from users import levels
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


# --- Growth


def user_account_weight(*, author: User) -> float:
    """How much exposure an account's notes start with in Discover: its level's weight, and a
    gentle bonus for its audience (×1.5 at 1,000 followers, ×2 at a million). No query."""
    return author.level.weight * (1 + math.log10(1 + author.followers_count) / 6)


@dataclass(frozen=True)
class GrowthOverview:
    progress: levels.Progress
    counters: dict[str, int]
    levels: tuple[levels.Level, ...]


def growth_overview(*, actor: User) -> GrowthOverview:
    """The growth page: the level, the next level's tasks and all ten levels. No query: the
    counters are on the account."""
    counters = levels.counters_of(actor)
    return GrowthOverview(
        progress=levels.progress(current=actor.red_potato_level, counters=counters),
        counters=counters,
        levels=levels.LEVELS,
    )

"""Reads of accounts shared by pages and the API."""

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from core.pagination import Page, keyset_page
from users import levels
from users.days import community_day
from users.models import Follow, Notification, PointsEntry, SignIn, User
from users.services import SIGN_IN_REWARDS, TABS, sign_in_next_streak, sign_in_reward
from users.services.notifications import MENTION_PATTERN

# What a person shows beside a note or a comment (avatar, name, level badge, UserSummary in the
# API): lists of many people's things load only these of each person.
PERSON_FIELDS = (
    "id",
    "username",
    "display_name",
    "avatar",
    "avatar_variants",
    "kind",
    "is_verified",
    "red_potato_level",
    "is_active",
    "closed_at",  # the name of a closed account says so (User.name)
)


def user_get_by_username(*, username: str) -> User:
    return get_object_or_404(User, username=username, is_active=True)


# How many different @names of one page are looked up: a page of comments is bounded, and a
# text stuffed with names links only the first ones.
MENTIONED_NAMES_MAX = 200


def usernames_mentioned(*, texts: Iterable[str]) -> frozenset[str]:
    """The @usernames written in these texts that name active accounts: what a page may link
    to profiles. One query for the whole page (a note and its comments), none when no text has
    an "@"; an unknown or deactivated name is left out, so it stays plain text."""
    names: dict[str, None] = {}
    for text in texts:
        if text and "@" in text:
            names.update(dict.fromkeys(MENTION_PATTERN.findall(text)))
    if not names:
        return frozenset()
    wanted = list(names)[:MENTIONED_NAMES_MAX]
    return frozenset(
        User.objects.filter(username__in=wanted, is_active=True).values_list("username", flat=True)
    )


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


# --- Growth


def user_account_weight(*, author: User) -> float:
    """How much exposure an account's notes start with in Discover: its level's weight, and a
    gentle bonus for its audience (×1.5 at 1,000 followers, ×2 at a million). No query."""
    return account_weight(level=author.red_potato_level, followers=author.followers_count)


def account_weight(*, level: int, followers: int) -> float:
    """user_account_weight from the two columns it reads, for callers that read accounts in
    bulk as values (Discover's candidate lists) rather than as User objects."""
    return levels.level(level).weight * (1 + math.log10(1 + max(followers, 0)) / 6)


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


# --- Daily sign-in and points


@dataclass(frozen=True)
class CalendarDay:
    day: date
    is_signed_in: bool
    is_today: bool
    is_future: bool


@dataclass(frozen=True)
class RewardDay:
    number: int  # 1–7, the day of the streak's week
    points: int
    is_done: bool  # signed in on this day of the current week
    is_next: bool  # the next sign-in pays this


@dataclass(frozen=True)
class SignInState:
    today: date
    is_signed_in_today: bool
    streak: int  # days in a row up to today, or up to yesterday if today is still open
    next_points: int  # what the next sign-in pays (tomorrow's once today's is done)
    week: tuple[RewardDay, ...]
    month: tuple[tuple[CalendarDay | None, ...], ...]  # weeks Monday to Sunday
    month_total: int


def sign_in_state(*, actor: User, at: datetime | None = None) -> SignInState:
    """Today's sign-in, the streak's week of rewards and this month's calendar (Asia/Shanghai):
    one query, for the month's sign-ins; the streak is read from the account."""
    today = community_day(at)
    is_signed_in_today = actor.last_sign_in_day == today
    upcoming = sign_in_next_streak(actor=actor, at=at)
    streak = upcoming if is_signed_in_today else upcoming - 1
    if is_signed_in_today:
        upcoming += 1
    first = today.replace(day=1)
    signed = set(
        SignIn.objects.filter(account=actor, day__gte=first, day__lte=today).values_list(
            "day", flat=True
        )
    )
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(today.year, today.month):
        weeks.append(
            tuple(
                CalendarDay(day, day in signed, day == today, day > today)
                if day.month == today.month
                else None
                for day in week
            )
        )
    cycle = len(SIGN_IN_REWARDS)
    next_number = (upcoming - 1) % cycle + 1
    # Today's done sign-in completes a week on day 7: show that week full until tomorrow.
    done_this_week = (streak - 1) % cycle + 1 if is_signed_in_today else next_number - 1
    week = tuple(
        RewardDay(number, points, number <= done_this_week, number == next_number)
        for number, points in enumerate(SIGN_IN_REWARDS, start=1)
    )
    return SignInState(
        today=today,
        is_signed_in_today=is_signed_in_today,
        streak=streak,
        next_points=sign_in_reward(upcoming),
        week=week,
        month=tuple(weeks),
        month_total=len(signed),
    )


def points_ledger(*, actor: User, cursor: str | None, size: int) -> Page:
    """The actor's points entries, newest first."""
    return keyset_page(
        PointsEntry.objects.filter(account=actor),
        keys=("-created_at", "-id"),
        cursor=cursor,
        size=size,
        list_name="points.ledger",
    )


# --- The message centre


def notifications_page(*, actor: User, tab: str, cursor: str | None, size: int) -> Page:
    """One tab of the actor's messages, latest event first, with the newest person behind each
    (one query whatever the page's size)."""
    rows = Notification.objects.filter(recipient=actor, verb__in=TABS[tab]).select_related(
        "latest_actor"
    )
    page = keyset_page(
        rows, keys=("-updated_at", "-id"), cursor=cursor, size=size, list_name=f"messages.{tab}"
    )
    notifications_mark_targets(page.items, recipient=actor)
    return page


def notifications_mark_targets(rows: list[Notification], *, recipient: User) -> None:
    """Set `target_kind` (the target's model, e.g. "note") and `is_target_gone` on each row.

    A message outlives what it is about: a note deleted since, with its comments, or an
    account. Its row then says so instead of leading to a 404. Targets are generic, so each
    kind on the page is looked up once through its content type (users imports no app): a
    query per kind on the page, never per row; the recipient's own account needs none.
    """
    wanted: dict[int, set[int]] = {}
    for row in rows:
        row.target_kind = ContentType.objects.get_for_id(row.target_type_id).model
        row.is_target_gone = False
        if not (row.target_kind == "user" and row.target_id == recipient.pk):
            wanted.setdefault(row.target_type_id, set()).add(row.target_id)
    existing: set[tuple[int, int]] = set()
    for type_id, ids in sorted(wanted.items()):
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:  # the app that made it is gone altogether
            continue
        found = model._base_manager.filter(pk__in=ids).values_list("pk", flat=True)
        existing.update((type_id, pk) for pk in found)
    for row in rows:
        if row.target_type_id in wanted:
            row.is_target_gone = (row.target_type_id, row.target_id) not in existing


def notification_target_exists(*, row: Notification) -> bool:
    """Whether what a message is about is still there (one query): see above."""
    model = ContentType.objects.get_for_id(row.target_type_id).model_class()
    return model is not None and model._base_manager.filter(pk=row.target_id).exists()


def notifications_unread_by_tab(*, actor: User) -> dict[str, int]:
    """How many unread messages each tab has, in one query."""
    counts = dict.fromkeys(TABS, 0)
    tab_of = {verb: tab for tab, verbs in TABS.items() for verb in verbs}
    unread = (
        Notification.objects.filter(recipient=actor, is_read=False)
        .values("verb")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for row in unread:
        counts[tab_of[row["verb"]]] += row["total"]
    return counts

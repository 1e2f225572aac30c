"""Red-potato growth: the level tasks' progress counters, level-ups and their banner.

Other apps report what an account did through `growth_record` (notes: a note read, a like
given, a note published…) inside their own verb's transaction, so a counter moves with its cause.
Likes and bookmarks received and followers are the account counters users already keeps.
Whenever a counter rises the account's level is re-evaluated in the same transaction by one
conditional UPDATE; the nightly `growth_counters_recount` repairs drift and catches the rest.
"""

from collections import Counter as Tally
from collections.abc import Mapping, Sequence
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Count,
    Expression,
    F,
    OuterRef,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.urls import reverse

from users import levels
from users.days import community_day
from users.models import NoteRead, Notification, PointsEntry, SignIn, User
from users.services.notifications import notification_add
from users.services.points import points_grant

FIRST_NOTE_POINTS = 50

# What growth_record accepts, and the account counter each moves.
ACTIONS: dict[str, str] = {
    "note_read": "notes_read",
    "like_given": "likes_given",
    "bookmark_given": "bookmarks_given",
    "comment_written": "comments_written",
    "note_published": "notes_published",
    "order_completed": "orders_completed",
    "review_published": "reviews_published",
}


@cache
def _reached_level_sql() -> str:
    """SQL for users.levels.level_for over an account's own columns: level N needs every
    counter at the highest target any level up to N sets for it.

    Written out once: numbers and column names from the table only, and far cheaper for
    every action than building the same CASE with the ORM each time.
    """
    quote = connection.ops.quote_name
    whens = []
    for candidate in reversed(levels.LEVELS[1:]):
        needed: dict[str, int] = {}
        for lower in levels.LEVELS[1 : candidate.number]:
            for task in lower.tasks:
                needed[task.counter] = max(needed.get(task.counter, 0), task.target)
        conditions = []
        for name, target in needed.items():
            columns = (
                quote(User._meta.get_field(field).column) for field in levels.COUNTERS[name].fields
            )
            conditions.append(f"({' + '.join(columns)}) >= {int(target)}")
        whens.append(f"WHEN {' AND '.join(conditions)} THEN {int(candidate.number)}")
    return f"CASE {' '.join(whens)} ELSE {int(levels.FIRST)} END"


def _reached_level() -> RawSQL:
    # S611: the SQL holds only the level table's numbers and the account's column names.
    return RawSQL(_reached_level_sql(), (), output_field=PositiveSmallIntegerField())  # noqa: S611


def _announce(*, account: User) -> None:
    """The reward of each level reached (once, by key: a jump of two pays both) and a message
    in the message centre; the banner reads the stored level (growth_level_banner_take)."""
    for number in range(levels.FIRST + 1, account.red_potato_level + 1):
        points_grant(
            actor=account,
            amount=levels.level(number).points,
            reason=PointsEntry.Reason.LEVEL_UP,
            idempotency_key=f"level-up:{account.pk}:{number}",
        )
    notification_add(
        recipient_id=account.pk,
        verb=Notification.Verb.LEVEL_UP,
        target=account,
        text=str(account.red_potato_level),
        url=reverse("me:growth"),
    )


def growth_level_raise(*, account_id: int) -> int | None:
    """Raise an account to the level its counters reach, never lower; returns the new level.

    One conditional UPDATE, a no-op unless a level is reached: call it inside the transaction
    that moved a counter up. Of two concurrent raises only the first announces the level: the
    second one's UPDATE, run after the first commits, finds the level already there.
    """
    raised = (
        User.objects.filter(pk=account_id)
        .filter(GreaterThan(_reached_level(), F("red_potato_level")))
        .update(red_potato_level=_reached_level())
    )
    if not raised:
        return None
    account = User.objects.only("pk", "red_potato_level", "points_balance").get(pk=account_id)
    _announce(account=account)
    return account.red_potato_level


@transaction.atomic
def growth_level_award(*, staff: User, account: User, level: int) -> int | None:
    """Staff raise an account to `level` whatever its counters (a creator who grew elsewhere,
    demo data), told and rewarded as any level-up; never lower. Returns the new level or None."""
    if not staff.is_staff:
        raise PermissionDenied
    if not levels.FIRST <= level <= levels.TOP:
        raise ValueError(f"No level {level}.")
    raised = User.objects.filter(pk=account.pk, red_potato_level__lt=level).update(
        red_potato_level=level
    )
    if not raised:
        return None
    account.red_potato_level = level
    _announce(account=account)
    return level


@transaction.atomic
def growth_levels_raise(*, account_ids: Sequence[int] | None = None) -> int:
    """Raise every account (or these) whose counters reach a higher level; returns how many.

    Set-based: one read finds them, each is raised and told as on an action.
    """
    accounts = (
        User.objects.all() if account_ids is None else User.objects.filter(pk__in=account_ids)
    )
    behind = accounts.filter(GreaterThan(_reached_level(), F("red_potato_level")))
    raised = 0
    for account_id in behind.order_by("pk").values_list("pk", flat=True):
        raised += growth_level_raise(account_id=account_id) is not None
    return raised


def growth_record(
    *, actor: User, action: str, amount: int = 1, subject_id: int | None = None
) -> bool:
    """Count what `actor` did toward the level tasks (see ACTIONS); -1 takes one back.

    "note_read" needs the note's id as `subject_id` and counts once per note a day, backed by
    a unique constraint; a note read again that day costs one query. A rise re-evaluates the
    level (`growth_level_raise`); a fall never lowers it. Atomic; returns whether a counter
    moved.
    """
    counter = ACTIONS[action]
    if not actor.is_authenticated:
        return False
    if action != "note_read":
        with transaction.atomic(savepoint=False):
            return _counter_move(actor, counter, amount)
    if subject_id is None:
        raise ValueError("A note read needs the note's id.")
    day = community_day()
    if NoteRead.objects.filter(reader=actor, day=day, note_id=subject_id).exists():
        return False
    try:
        with transaction.atomic():
            NoteRead.objects.create(reader=actor, day=day, note_id=subject_id)
            return _counter_move(actor, counter, amount)
    except IntegrityError:
        return False  # the same page opened twice at once


def _counter_move(account: User, counter: str, amount: int) -> bool:
    if amount < 0:
        return bool(
            User.objects.filter(pk=account.pk, **{f"{counter}__gte": -amount}).update(
                **{counter: F(counter) + amount}
            )
        )
    User.objects.filter(pk=account.pk).update(**{counter: F(counter) + amount})
    if counter == "notes_published":
        points_grant(
            actor=account,
            amount=FIRST_NOTE_POINTS,
            reason=PointsEntry.Reason.FIRST_NOTE,
            idempotency_key=f"first-note:{account.pk}",
        )
    growth_level_raise(account_id=account.pk)
    return True


@transaction.atomic(savepoint=False)
def growth_counters_decrease(*, account_ids: Sequence[int], action: str) -> None:
    """Take one back from each of these accounts (an id twice: two), e.g. the authors of a
    comment thread that was deleted. A counter never goes below zero."""
    counter = ACTIONS[action]
    for account_id, times in Tally(account_ids).items():
        User.objects.filter(pk=account_id, **{f"{counter}__gte": times}).update(
            **{counter: F(counter) - times}
        )


def growth_level_banner_take(*, actor: User) -> levels.Level | None:
    """The level to congratulate `actor` on, once: the next call returns None.

    Free when there is nothing to say (it reads the account already loaded); one conditional
    UPDATE when there is, so two pages opened at once show the banner once.
    """
    if not actor.is_authenticated or actor.red_potato_level <= actor.red_potato_level_seen:
        return None
    taken = User.objects.filter(
        pk=actor.pk, red_potato_level_seen__lt=F("red_potato_level")
    ).update(red_potato_level_seen=F("red_potato_level"))
    actor.red_potato_level_seen = actor.red_potato_level
    return actor.level if taken else None


def _counted(rows: type | QuerySet, *, by: str) -> Coalesce:
    """How many of `rows` belong to the account, as a subquery."""
    rows = rows.objects.all() if isinstance(rows, type) else rows
    rows = (
        rows.filter(**{by: OuterRef("pk")})
        .order_by()
        .values(by)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(rows), Value(0))


def growth_sources() -> dict[str, Expression]:
    """The counters users counts from its own rows (the others come from their apps)."""
    return {
        "notes_read": _counted(NoteRead, by="reader"),
        "days_signed_in": _counted(SignIn, by="account"),
        "unread_notifications": _counted(
            Notification.objects.filter(is_read=False), by="recipient"
        ),
    }


@transaction.atomic
def _recount_batch(account_ids: Sequence[int], truth: Mapping[str, Expression]) -> int:
    accounts = User.objects.filter(pk__in=account_ids)
    annotated = accounts.annotate(**{f"true_{name}": value for name, value in truth.items()})
    drift = Q()
    for name in truth:
        drift |= ~Q(**{name: F(f"true_{name}")})
    drifted = list(annotated.filter(drift).values_list("pk", flat=True))
    if drifted:
        User.objects.filter(pk__in=drifted).update(**truth)
    return len(drifted)


def growth_counters_recount(
    *, sources: Mapping[str, Expression], batch_size: int = 1000
) -> tuple[int, int]:
    """Recompute the progress counters from the source rows, then raise levels they reach.

    `sources` maps account fields to SQL counting them for `OuterRef("pk")` (an account), from
    the apps that own the rows (notes: likes, bookmarks, comments and notes published); users
    adds its own (`growth_sources`). Works through the accounts in primary-key batches, one
    transaction each, so it never holds the whole table; idempotent. Returns (accounts
    corrected, accounts raised a level).
    """
    truth = {**growth_sources(), **sources}
    unknown = set(truth) - set(levels.COUNTER_FIELDS) - {"unread_notifications"}
    if unknown:
        raise ValueError(f"Not progress counters: {sorted(unknown)}")
    corrected = raised = 0
    last = 0
    while True:
        batch = list(
            User.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return corrected, raised
        corrected += _recount_batch(batch, truth)
        raised += growth_levels_raise(account_ids=batch)
        last = batch[-1]

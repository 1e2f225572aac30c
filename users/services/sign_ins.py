"""The daily sign-in: once a calendar day in Asia/Shanghai, a streak with rising rewards."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from users.days import community_day
from users.models import PointsEntry, SignIn, User
from users.services.growth import growth_level_raise
from users.services.points import points_grant

# Points for the 1st … 7th day in a row; the 8th day starts the week again at the first.
SIGN_IN_REWARDS: tuple[int, ...] = (5, 5, 10, 10, 15, 20, 30)


def sign_in_reward(streak: int) -> int:
    """The points for the `streak`-th day in a row."""
    return SIGN_IN_REWARDS[(streak - 1) % len(SIGN_IN_REWARDS)]


def sign_in_next_streak(*, actor: User, at: datetime | None = None) -> int:
    """The place in the streak a sign-in now would take (1 after a missed day). No query."""
    day = community_day(at)
    if actor.last_sign_in_day == day:
        return actor.sign_in_streak
    if actor.last_sign_in_day == day - timedelta(days=1):
        return actor.sign_in_streak + 1
    return 1


@transaction.atomic
def sign_in_today(*, actor: User, at: datetime | None = None) -> tuple[SignIn, bool]:
    """Sign `actor` in for today (or the day of `at`: demo data); (sign-in, created).

    Idempotent: a second tap, or two at once, gives the one sign-in (a unique constraint
    decides). A new sign-in pays its streak's points, counts a day signed in toward the level
    tasks, and is remembered on the account (`last_sign_in_day`, `sign_in_streak`).
    """
    day = community_day(at)
    existing = SignIn.objects.filter(account=actor, day=day).first()
    if existing is not None:
        return existing, False
    yesterday = SignIn.objects.filter(account=actor, day=day - timedelta(days=1))
    streak = (yesterday.values_list("streak", flat=True).first() or 0) + 1
    try:
        with transaction.atomic():
            sign_in = SignIn.objects.create(
                account=actor,
                day=day,
                streak=streak,
                points=sign_in_reward(streak),
                created_at=at or timezone.now(),
            )
    except IntegrityError:
        return SignIn.objects.get(account=actor, day=day), False
    points_grant(
        actor=actor,
        amount=sign_in.points,
        reason=PointsEntry.Reason.SIGN_IN,
        idempotency_key=f"sign-in:{actor.pk}:{day.isoformat()}",
        cause=sign_in,
        at=at,
    )
    latest = {"last_sign_in_day": day, "sign_in_streak": streak}
    User.objects.filter(pk=actor.pk).update(days_signed_in=F("days_signed_in") + 1)
    # A backdated sign-in (demo data) never moves the remembered latest day backwards.
    User.objects.filter(pk=actor.pk).exclude(last_sign_in_day__gt=day).update(**latest)
    if actor.last_sign_in_day is None or actor.last_sign_in_day <= day:
        actor.last_sign_in_day, actor.sign_in_streak = day, streak
    growth_level_raise(account_id=actor.pk)
    return sign_in, True

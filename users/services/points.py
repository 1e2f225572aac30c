"""The points ledger: the only way points are paid or spent.

Every movement is a new PointsEntry (append-only) and a conditional UPDATE of the account's
balance in one transaction. The balance can never go negative: the UPDATE of a spend only
matches an account that has enough (concurrent spends queue on the row and the later ones find
too little), and a database check constraint stands behind it. Each entry's idempotency key is
unique, so a reward or a payment retried, double-submitted or raced is booked once.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from users.models import PointsEntry, User

Reason = PointsEntry.Reason
NOTE_MAX = PointsEntry._meta.get_field("note").max_length


def _move(
    *,
    actor: User,
    amount: int,
    reason: str,
    idempotency_key: str,
    cause: Model | None,
    note: str,
    staff: User | None,
    at: datetime | None,
) -> tuple[PointsEntry, bool]:
    """Book `amount` (signed) for `actor`; (entry, created). A known key returns its entry."""
    if not amount:
        raise ValueError("A points entry moves at least one point.")
    if reason == Reason.STAFF_ADJUSTMENT:
        if staff is None or not staff.is_staff:
            raise PermissionDenied
        if not note.strip():
            raise ValidationError(_("Say why the points change."), code="note")
    existing = PointsEntry.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _replayed(existing, actor=actor, amount=amount), False
    accounts = User.objects.filter(pk=actor.pk)
    if amount < 0:
        accounts = accounts.filter(points_balance__gte=-amount)
    try:
        with transaction.atomic():
            if not accounts.update(points_balance=F("points_balance") + amount):
                balance = User.objects.values_list("points_balance", flat=True).get(pk=actor.pk)
                raise ValidationError(
                    ngettext(
                        "Not enough points: you have %(balance)d point.",
                        "Not enough points: you have %(balance)d points.",
                        balance,
                    )
                    % {"balance": balance},
                    code="not_enough_points",
                )
            balance = User.objects.values_list("points_balance", flat=True).get(pk=actor.pk)
            entry = PointsEntry.objects.create(
                account=actor,
                amount=amount,
                balance_after=balance,
                reason=reason,
                note=note.strip()[:NOTE_MAX],
                cause_type=ContentType.objects.get_for_model(cause) if cause else None,
                cause_id=cause.pk if cause else None,
                idempotency_key=idempotency_key,
                staff=staff,
                created_at=at or timezone.now(),
            )
    except IntegrityError:
        # The same key booked by a concurrent call: ours is undone, theirs stands.
        existing = PointsEntry.objects.get(idempotency_key=idempotency_key)
        return _replayed(existing, actor=actor, amount=amount), False
    actor.points_balance = balance
    return entry, True


def _replayed(entry: PointsEntry, *, actor: User, amount: int) -> PointsEntry:
    if (entry.account_id, entry.amount) != (actor.pk, amount):
        raise ValueError(f"Idempotency key {entry.idempotency_key!r} names another movement.")
    return entry


@transaction.atomic
def points_grant(
    *,
    actor: User,
    amount: int,
    reason: str,
    idempotency_key: str,
    cause: Model | None = None,
    note: str = "",
    staff: User | None = None,
    at: datetime | None = None,
) -> tuple[PointsEntry, bool]:
    """Pay `amount` points (> 0) to `actor`; (entry, created), created False for a key already
    booked. A staff adjustment needs the staff member and a note saying why. `at` dates the
    entry in the past (history imported, demo data)."""
    if amount <= 0:
        raise ValueError("Grant a positive number of points.")
    return _move(
        actor=actor,
        amount=amount,
        reason=reason,
        idempotency_key=idempotency_key,
        cause=cause,
        note=note,
        staff=staff,
        at=at,
    )


@transaction.atomic
def points_spend(
    *,
    actor: User,
    amount: int,
    reason: str,
    idempotency_key: str,
    cause: Model | None = None,
    note: str = "",
    staff: User | None = None,
    at: datetime | None = None,
) -> tuple[PointsEntry, bool]:
    """Take `amount` points (> 0) from `actor`, e.g. toward an order; (entry, created).

    Refused with a ValidationError ("not_enough_points") when the balance is short; a key
    already booked returns its entry without spending again.
    """
    if amount <= 0:
        raise ValueError("Spend a positive number of points.")
    return _move(
        actor=actor,
        amount=-amount,
        reason=reason,
        idempotency_key=idempotency_key,
        cause=cause,
        note=note,
        staff=staff,
        at=at,
    )

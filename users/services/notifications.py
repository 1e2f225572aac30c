"""The message centre's verbs: every app creates its rows here, in its own verb's transaction
(so they join it without a savepoint of their own: a failure fails the cause too).

A row's target is generic (users.models.Notification), so notes (and later the mall) pass
their objects without users importing them. Likes and bookmarks of one target aggregate into
one unread row a day; taking the like back before the row is read takes the person back out of
it. Nobody is told about what they did themselves. The recipient's unread count moves with
F() beside the rows.
"""

import re
from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Model, QuerySet, Subquery, Value
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone

from core.locks import lock_row
from users.days import community_day
from users.models import Notification, NotificationActor, User

Verb = Notification.Verb
AGGREGATED = frozenset({Verb.NOTE_LIKED, Verb.NOTE_BOOKMARKED})
# The message centre's tabs (UX.md), in order, with the kinds of message each shows.
TABS: dict[str, tuple[str, ...]] = {
    "likes": (Verb.NOTE_LIKED, Verb.NOTE_BOOKMARKED),
    "follows": (Verb.FOLLOWED,),
    "comments": (Verb.COMMENTED, Verb.REPLIED, Verb.MENTIONED),
    "system": (
        Verb.LEVEL_UP,
        Verb.NOTE_REMOVED,
        Verb.NOTE_RESTORED,
        Verb.NOTE_APPROVED,
        Verb.REPORT_UPHELD,
        Verb.REPORT_DISMISSED,
        Verb.SPONSOR_DECLINED,
        Verb.REVIEW_INVITE,
    ),
}
TEXT_MAX = Notification._meta.get_field("target_text").max_length
# @username as Django usernames are spelled; a full stop or dash at the end is punctuation.
MENTION_PATTERN = re.compile(r"(?<![\w@])@([\w.@+-]*[\w+])")
MENTIONS_MAX = 10


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _unread_add(recipient_id: int, change: int) -> None:
    User.objects.filter(pk=recipient_id).update(
        unread_notifications=Greatest(F("unread_notifications") + change, Value(0))
    )


def _open_row(
    *, recipient_id: int, verb: str, target_type: ContentType, target_id: int, **shown: object
) -> tuple[Notification, bool]:
    """Today's unread row of an aggregated kind, or a new one; (row, created).

    Backed by the partial unique constraint: of two first likes at once, one creates the row
    and the other joins it.
    """
    key = {
        "recipient_id": recipient_id,
        "verb": verb,
        "target_type": target_type,
        "target_id": target_id,
        "day": community_day(shown["updated_at"]),
        "is_read": False,
    }
    row = Notification.objects.filter(**key).first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            return Notification.objects.create(**key, **shown), True
    except IntegrityError:
        return Notification.objects.get(**key), False


@transaction.atomic(savepoint=False)
def notification_add(
    *,
    recipient_id: int,
    verb: str,
    target: Model,
    actor: User | None = None,
    text: str = "",
    url: str | None = None,
) -> Notification | None:
    """Tell `recipient_id` that `actor` (None: the site) did `verb` to `target`.

    `text` is what the row shows of the target (a note's title, a comment's words) and `url`
    where it leads (default: the target's own page). Returns the row, or None when the actor
    is the recipient.
    """
    if actor is not None and actor.pk == recipient_id:
        return None
    now = timezone.now()
    shown = {
        "target_text": _excerpt(text),
        "target_url": target.get_absolute_url() if url is None else url,
        "latest_actor": actor,
        "actors_count": int(actor is not None),
        "updated_at": now,
    }
    target_type = ContentType.objects.get_for_model(target)
    if verb in AGGREGATED and actor is not None:
        row, created = _open_row(
            recipient_id=recipient_id,
            verb=verb,
            target_type=target_type,
            target_id=target.pk,
            **shown,
        )
        if not created:
            try:
                with transaction.atomic():
                    NotificationActor.objects.create(notification=row, actor=actor)
            except IntegrityError:
                return row  # already in it
            Notification.objects.filter(pk=row.pk).update(
                actors_count=F("actors_count") + 1,
                latest_actor=actor,
                updated_at=now,
                target_text=shown["target_text"],
            )
            return row
    else:
        row = Notification.objects.create(
            recipient_id=recipient_id,
            verb=verb,
            target_type=target_type,
            target_id=target.pk,
            day=community_day(now),
            **shown,
        )
    if actor is not None:
        NotificationActor.objects.create(notification=row, actor=actor)
    _unread_add(recipient_id, 1)
    return row


@transaction.atomic(savepoint=False)
def notification_take_back(*, recipient_id: int, verb: str, target: Model, actor: User) -> bool:
    """Take `actor` back out of unread `verb` rows about `target` (an un-like, an unfollow).

    A row left without anyone goes, with its unread count; a row already read stays as it
    was read. Returns whether anything was taken back.
    """
    if actor.pk == recipient_id:
        return False
    places = NotificationActor.objects.filter(
        actor=actor,
        notification__recipient_id=recipient_id,
        notification__verb=verb,
        notification__target_type=ContentType.objects.get_for_model(target),
        notification__target_id=target.pk,
    )
    return _taken_back(places, actor=actor) > 0


def notifications_take_back_all(*, actor: User) -> int:
    """Take `actor` back out of every unread message it is in, whoever received it (an account
    closing: what it did is gone). Read ones stay as they were read. Returns how many rows."""
    return _taken_back(NotificationActor.objects.filter(actor=actor), actor=actor)


def _taken_back(places: QuerySet[NotificationActor], *, actor: User) -> int:
    row_ids = list(
        places.filter(notification__is_read=False).values_list("notification_id", flat=True)
    )
    taken = 0
    for row_id in row_ids:
        try:
            row = lock_row(Notification.objects.filter(is_read=False), pk=row_id)
        except Notification.DoesNotExist:
            continue  # read (or gone) since
        NotificationActor.objects.filter(notification=row, actor=actor).delete()
        taken += 1
        if row.actors_count <= 1:
            row.delete()
            _unread_add(row.recipient_id, -1)
            continue
        newest = (
            NotificationActor.objects.filter(notification=row)
            .order_by("-created_at", "-id")
            .values("actor")[:1]
        )
        Notification.objects.filter(pk=row.pk).update(
            actors_count=F("actors_count") - 1, latest_actor=Subquery(newest)
        )
    return taken


@transaction.atomic(savepoint=False)
def notification_mentions(
    *, actor: User, text: str, target: Model, url: str | None = None, excluding: Iterable[int] = ()
) -> int:
    """Tell the accounts @mentioned in `text` (up to ten), except `excluding` (already told
    otherwise) and the writer; returns how many were told. Free when the text has no "@"."""
    if "@" not in text:
        return 0
    usernames = list(dict.fromkeys(MENTION_PATTERN.findall(text)))[:MENTIONS_MAX]
    if not usernames:
        return 0
    mentioned = (
        User.objects.filter(username__in=usernames, is_active=True)
        .exclude(pk__in=[actor.pk, *excluding])
        .values_list("pk", flat=True)
    )
    told = 0
    for recipient_id in mentioned:
        notification_add(
            recipient_id=recipient_id,
            verb=Verb.MENTIONED,
            target=target,
            actor=actor,
            text=text,
            url=url,
        )
        told += 1
    return told


@transaction.atomic
def notifications_mark_read(
    *, actor: User, notification_ids: Sequence[int] | None = None, tab: str | None = None
) -> int:
    """Mark `actor`'s unread messages read: these ids, one tab's, or all; returns how many."""
    rows = Notification.objects.filter(recipient=actor, is_read=False)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    if tab is not None:
        rows = rows.filter(verb__in=TABS[tab])
    marked = rows.update(is_read=True)
    if marked:
        _unread_add(actor.pk, -marked)
    return marked


def notification_open(*, actor: User, notification_id: int) -> Notification:
    """One of `actor`'s messages, marked read (404 for anyone else's): where its link goes."""
    row = Notification.objects.filter(recipient=actor, pk=notification_id).first()
    if row is None:
        raise Http404
    if not row.is_read:
        notifications_mark_read(actor=actor, notification_ids=[row.pk])
        row.is_read = True
    return row

"""E-mail digests of unread messages: off unless an account asks, at most one a day, never in
its quiet hours (Asia/Shanghai). A periodic task sends them (users.tasks)."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from users.days import COMMUNITY_TIME_ZONE
from users.models import Notification, User
from users.services.notifications import TABS

DIGEST_EVERY = timedelta(hours=23)  # once a day, a little slack for the hourly task


def quiet_at(*, start: int, end: int, hour: int) -> bool:
    """Whether `hour` falls in the quiet hours [start, end), which may run past midnight."""
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


@transaction.atomic
def user_digest_settings_update(
    *, actor: User, by_email: bool, tabs: Sequence[str], quiet_start: int, quiet_end: int
) -> User:
    """Choose whether to get digests, of which kinds of messages, and the quiet hours."""
    if not set(tabs) <= set(TABS):
        raise ValidationError(_("Choose kinds of messages from the list."), code="tabs")
    if not (0 <= quiet_start <= 23 and 0 <= quiet_end <= 23):
        raise ValidationError(_("Quiet hours run from 0 to 23."), code="quiet_hours")
    if by_email and not actor.email:
        raise ValidationError(_("Add an e-mail address first."), code="email")
    if by_email and not tabs:
        raise ValidationError(_("Choose at least one kind of message."), code="tabs")
    actor.digest_by_email = by_email
    actor.digest_tabs = [tab for tab in TABS if tab in tabs]
    actor.quiet_hours_start, actor.quiet_hours_end = quiet_start, quiet_end
    actor.save(
        update_fields=["digest_by_email", "digest_tabs", "quiet_hours_start", "quiet_hours_end"]
    )
    return actor


@transaction.atomic
def notification_digest_send(*, account: User, at: datetime | None = None) -> bool:
    """Send `account` its digest if one is due now; returns whether it was sent.

    Due: digests on, an e-mail address, outside the quiet hours, a day since the last one, and
    unread messages of the chosen kinds newer than it. The send is claimed first by a
    conditional UPDATE of `last_digest_at`, so two workers never send the same digest; the
    e-mail leaves once that commits.
    """
    at = at or timezone.now()
    hour = timezone.localtime(at, COMMUNITY_TIME_ZONE).hour
    if not (account.digest_by_email and account.email and account.digest_tabs):
        return False
    if quiet_at(start=account.quiet_hours_start, end=account.quiet_hours_end, hour=hour):
        return False
    if account.last_digest_at and at - account.last_digest_at < DIGEST_EVERY:
        return False
    chosen = [verb for tab in account.digest_tabs for verb in TABS.get(tab, ())]
    unread = Notification.objects.filter(recipient=account, is_read=False, verb__in=chosen)
    if account.last_digest_at:
        unread = unread.filter(updated_at__gt=account.last_digest_at)
    counted = dict(unread.values_list("verb").annotate(total=Count("pk")).order_by())
    if not counted:
        return False
    claimed = User.objects.filter(pk=account.pk, last_digest_at=account.last_digest_at).update(
        last_digest_at=at
    )
    if not claimed:
        return False
    by_tab = {
        tab: sum(counted.get(verb, 0) for verb in TABS[tab])
        for tab in account.digest_tabs
        if any(counted.get(verb) for verb in TABS[tab])
    }
    context = {
        "account": account,
        "by_tab": by_tab,
        "total": sum(by_tab.values()),
        "link": f"{settings.SITE_URL.rstrip('/')}{reverse('me:messages')}",
    }
    with override(settings.LANGUAGE_CODE):
        subject = render_to_string("users/email/digest_subject.txt", context).strip()
        body = render_to_string("users/email/digest_body.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [account.email])
    )
    account.last_digest_at = at
    return True


def notification_digests_send(*, at: datetime | None = None, batch_size: int = 500) -> int:
    """Every digest due now, accounts in primary-key batches; returns how many were sent.

    Idempotent within the day (see notification_digest_send); run hourly.
    """
    at = at or timezone.now()
    due = User.objects.filter(
        is_active=True, digest_by_email=True, unread_notifications__gt=0
    ).exclude(email="")
    sent, last = 0, 0
    while True:
        batch = list(due.filter(pk__gt=last).order_by("pk")[:batch_size])
        if not batch:
            return sent
        for account in batch:
            sent += notification_digest_send(account=account, at=at)
        last = batch[-1].pk

"""Verbs that span the apps: closing an account (注销账号) touches the account, everything it
did in the community, and its place in the mall; banning one for fake engagement touches the
account and what it gave the community. Each app writes its own rows."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mall import services as mall_services
from notes.tasks import account_community_leave_task, account_engagement_undo_task
from users import services as user_services
from users.models import User


def account_closes_itself(account: User) -> bool:
    """Whether the account may close itself: staff and brand accounts are closed by an
    administrator (a brand has products and buyers; staff hold the keys)."""
    return not (account.is_staff or account.is_brand)


def account_close(*, account: User, actor: User, password: str | None = None) -> User:
    """Close an account for good: everything it showed the community goes, the row stays.

    What goes: its notes (photos and videos too), comments, likes, saves, boards, reposts and
    follows both ways, with every counter they fed put right; its messages, reading history,
    interests, searches, cart, addresses and coupons; its name, e-mail, bio and avatar.
    The account, its follows and its mall data change at once; the community's part (notes
    and interactions, any number of them) is a background job once this commits
    (notes.tasks.account_community_leave_task): hidden from that moment, as an inactive
    author's content is, and gone when the job has run.
    What stays: the orders it placed (after-sales and the accounts need them), under a name
    that says the account is closed. It can never log in again, and every session of it ends.

    An account closing itself (`actor` is `account`) gives its password; staff close accounts
    from the admin. Refused while an order is under way (mall.services.buyer_leave).
    Closing a closed account changes nothing.
    """
    closing_own = actor.pk == account.pk
    if closing_own and not account_closes_itself(account):
        raise ValidationError(
            _("Staff and brand accounts are closed by an administrator."), code="not_closable"
        )
    if closing_own and not (password and account.check_password(password)):
        raise ValidationError({"password": _("That is not your password.")}, code="password")
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if account.closed_at is not None:
            return account
        mall_services.buyer_leave(buyer=account)
        user_services.user_follows_end(account=account)
        closed = user_services.user_account_erase(user=account, closed_at=timezone.now())
        transaction.on_commit(lambda: account_community_leave_task.delay(closed.pk))
    return closed


def account_ban_for_fake_engagement(*, actor: User, account: User) -> User:
    """Ban an account whose engagement is fake (bought likes, a sockpuppet ring, a follower
    farm), and take that engagement back: it can no longer log in, its follows both ways end
    (the follower counts it inflated are recounted), and a background job once this commits
    (notes.tasks.account_engagement_undo_task) takes back its likes, saves, reposts and
    comments, recounting the notes' counters, CES and their authors' totals, so it stops
    lifting notes into bigger traffic pools.

    Its notes and profile stay, hidden as a banned account's are. Staff only, and not for
    staff accounts or a closed one; banning a banned account takes its engagement back again
    (what it gave before the ban was lifted, if it was).
    """
    if not actor.is_staff:
        raise PermissionDenied
    if account.is_staff:
        raise ValidationError(_("Staff accounts are not banned here."), code="staff")
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if account.closed_at is not None:
            raise ValidationError(_("This account is closed already."), code="closed")
        user_services.user_follows_end(account=account)
        banned = user_services.user_ban(account=account)
        transaction.on_commit(lambda: account_engagement_undo_task.delay(banned.pk))
    return banned

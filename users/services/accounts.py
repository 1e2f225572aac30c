"""The verbs of accounts: sign-up, profiles, follows and the account counters."""

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core.counters import Drift, Scope, counters_drifted, counters_recount, counters_write, total
from core.images import ImageProcessingError, Variants, variants_delete, variants_make
from core.locks import lock_row
from core.unchanged import UNCHANGED, Unchanged, changed
from core.uploads import ImageInfo, inspect_image
from users.models import Follow, NoteRead, Notification, User
from users.services.growth import growth_level_raise
from users.services.notifications import (
    notification_add,
    notification_take_back,
    notifications_take_back_all,
)
from users.services.search import creator_search_update

# A brand account is set up (and left) only by staff.
SELF_CHOSEN_KINDS = (User.Kind.PERSONAL, User.Kind.CREATOR)


@transaction.atomic
def user_signup(*, username: str, email: str, password: str, display_name: str = "") -> User:
    """Create a personal account; the password is validated by the caller's form."""
    user = User.objects.create_user(
        username=username, email=email, password=password, display_name=display_name
    )
    creator_search_update(user=user)
    return user


def user_avatar_check(upload: UploadedFile) -> ImageInfo:
    """What an avatar upload really is: a picture we can read, within AVATAR_MAX_BYTES.

    Writes nothing, so a form can show the refusal before it saves (the admin).
    """
    return inspect_image(upload, max_bytes=settings.AVATAR_MAX_BYTES)


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    display_name: str | Unchanged = UNCHANGED,
    bio: str | Unchanged = UNCHANGED,
    city: str | Unchanged = UNCHANGED,
    avatar: UploadedFile | None = None,
    kind: str | None = None,
) -> User:
    """Change the public profile; a field left UNCHANGED keeps its value (an API PATCH).

    Everything is checked before `user` changes, so a refusal leaves the caller's object as
    it was; the avatar is stored under a name we pick.
    """
    kind_changes = kind is not None and kind != user.kind
    if kind_changes and (user.is_brand or kind not in SELF_CHOSEN_KINDS):
        raise ValidationError(_("Brand accounts are set up by our staff."), code="kind")
    picture = user_avatar_check(avatar) if avatar is not None else None

    fields = ["display_name", "bio", "city"]
    user.display_name = changed(display_name, user.display_name)
    user.bio = changed(bio, user.bio)
    user.city = changed(city, user.city)
    if kind_changes:
        user.kind = kind
        fields.append("kind")
    if picture is not None:
        _avatar_store(user, _avatar_variants(avatar))
        fields += ["avatar", "avatar_variants"]
    user.save(update_fields=fields)
    creator_search_update(user=user)
    return user


def _avatar_variants(source) -> Variants:
    """The avatar through the image pipeline: square, upright, without metadata; the upload
    itself is never stored. Small enough to do in the request."""
    try:
        return variants_make(source, widths=settings.AVATAR_WIDTHS, folder="avatars", square=True)
    except ImageProcessingError:
        raise ValidationError(
            _("This picture could not be processed. Try another one."), code="not_processed"
        ) from None


def _avatar_store(user: User, made: Variants) -> None:
    """Point the account at new variants; the old files go once the change commits."""
    _avatar_delete_on_commit(user)
    user.avatar.name, user.avatar_variants = made.master, made.files


def _avatar_delete_on_commit(user: User) -> None:
    """The account's current avatar files are deleted once the transaction commits."""
    old_name, old_files = user.avatar.name, user.avatar_variants

    def delete_old() -> None:
        variants_delete(old_files)
        if old_name and old_name not in {entry["jpeg"] for entry in old_files}:
            default_storage.delete(old_name)  # an avatar from before the pipeline

    transaction.on_commit(delete_old)


@transaction.atomic
def user_avatar_variants_make(*, user_id: int) -> None:
    """Rebuild an account's avatar variants from its current avatar (rebuild_media)."""
    user = lock_row(User.objects, pk=user_id)
    if not user.avatar:
        return
    with user.avatar.open("rb") as source:
        made = _avatar_variants(source)
    _avatar_store(user, made)
    user.save(update_fields=["avatar", "avatar_variants"])


@transaction.atomic
def user_follow(*, actor: User, followee: User) -> bool:
    """Follow an account. Idempotent: returns False when the follow already existed."""
    if actor.pk == followee.pk:
        raise ValidationError(_("You cannot follow yourself."), code="self_follow")
    try:
        with transaction.atomic():
            Follow.objects.create(follower=actor, followee=followee)
    except IntegrityError:
        return False
    User.objects.filter(pk=actor.pk).update(following_count=F("following_count") + 1)
    User.objects.filter(pk=followee.pk).update(followers_count=F("followers_count") + 1)
    growth_level_raise(account_id=followee.pk)
    notification_add(
        recipient_id=followee.pk, verb=Notification.Verb.FOLLOWED, target=actor, actor=actor
    )
    return True


@transaction.atomic
def user_unfollow(*, actor: User, followee: User) -> bool:
    """Stop following. Idempotent: returns False when there was no follow."""
    deleted, _detail = Follow.objects.filter(follower=actor, followee=followee).delete()
    if not deleted:
        return False
    User.objects.filter(pk=actor.pk).update(following_count=F("following_count") - 1)
    User.objects.filter(pk=followee.pk).update(followers_count=F("followers_count") - 1)
    notification_take_back(
        recipient_id=followee.pk, verb=Notification.Verb.FOLLOWED, target=actor, actor=actor
    )
    return True


def user_received_add(*, user_id: int, likes: int = 0, bookmarks: int = 0) -> None:
    """Move an author's received likes/bookmarks; called inside the notes verb that caused it.

    They are a level task, so a rise may raise the author's level.
    """
    changes = {}
    if likes:
        changes["likes_received"] = F("likes_received") + likes
    if bookmarks:
        changes["bookmarks_received"] = F("bookmarks_received") + bookmarks
    if changes:
        User.objects.filter(pk=user_id).update(**changes)
    if likes > 0 or bookmarks > 0:
        growth_level_raise(account_id=user_id)


@transaction.atomic
def user_set_verified(*, actor: User, user: User, is_verified: bool) -> User:
    """Staff mark a brand account as verified (or take it back)."""
    if not actor.is_staff:
        raise PermissionDenied
    if is_verified and not user.is_brand:
        raise ValidationError(_("Only brand accounts can be verified."), code="not_brand")
    user.is_verified = is_verified
    user.save(update_fields=["is_verified"])
    return user


@transaction.atomic
def user_account_create(
    *,
    username: str,
    email: str,
    password: str | None,
    display_name: str = "",
    kind: str = User.Kind.PERSONAL,
    is_superuser: bool = False,
) -> User:
    """Set up an account of any kind, as staff would (brands, staff); sign-up is user_signup.

    `password=None` makes an account that cannot log in until a password reset.
    """
    if is_superuser:
        user = User.objects.create_superuser(
            username=username, email=email, password=password, display_name=display_name
        )
    else:
        user = User.objects.create_user(
            username=username, email=email, password=password, display_name=display_name
        )
    if kind != user.kind:
        user.kind = kind
        user.save(update_fields=["kind"])
    creator_search_update(user=user)
    return user


@transaction.atomic
def user_follows_end(*, account: User) -> None:
    """Remove every follow to and from `account`; the counters of the accounts on the other
    side are recounted from the follow rows left."""
    links, linked = _follows_of([account.pk])
    links.delete()
    User.objects.filter(pk=account.pk).update(followers_count=0, following_count=0)
    user_follow_counters_recount(user_ids=sorted(linked - {account.pk}))


@transaction.atomic
def user_ban(*, account: User) -> User:
    """Ban an account: it can no longer log in (sessions and tokens refuse an inactive
    account), what it wrote is hidden everywhere, and it is taken back out of the unread
    messages it caused others. Its profile and rows stay, so a ban can be lifted."""
    notifications_take_back_all(actor=account)
    account.is_active = False
    account.save(update_fields=["is_active"])
    return account


@transaction.atomic
def user_account_erase(*, user: User, closed_at: datetime) -> User:
    """Leave nothing personal on a closed account's row, and no way to log in with it: its
    profile, messages, reading days and API tokens go, and it is taken back out of the unread
    messages it caused others (as an unfollow or an un-like takes it back).

    The username becomes one that names only the row (it must stay unique); the unusable
    password also ends every session, whose hash no longer matches.
    """
    notifications_take_back_all(actor=user)
    Notification.objects.filter(recipient=user).delete()
    NoteRead.objects.filter(reader=user).delete()
    Token.objects.filter(user=user).delete()
    _avatar_delete_on_commit(user)
    erased = {
        "username": f"closed-{user.pk}-{secrets.token_hex(4)}",
        "email": "",
        "first_name": "",
        "last_name": "",
        "display_name": "",
        "bio": "",
        "city": "",
        "avatar": "",
        "avatar_variants": [],
        "is_active": False,
        "digest_by_email": False,
        "unread_notifications": 0,
        "closed_at": closed_at,
    }
    for field, value in erased.items():
        setattr(user, field, value)
    user.set_unusable_password()
    # Only these: the counters on the row move with F() elsewhere, and this copy may be older.
    user.save(update_fields=[*erased, "password"])
    creator_search_update(user=user)
    return user


@transaction.atomic
def user_accounts_delete(*, user_ids: Sequence[int]) -> int:
    """Delete accounts with everything they own; returns how many accounts went.

    The follow counters of the accounts left behind are recomputed from the follow rows.
    """
    _links, touched = _follows_of(user_ids)
    deleted = User.objects.filter(pk__in=user_ids).count()
    User.objects.filter(pk__in=user_ids).delete()
    user_follow_counters_recount(user_ids=list(touched - set(user_ids)))
    return deleted


def _follows_of(user_ids: Sequence[int]) -> tuple[QuerySet[Follow], set[int]]:
    """The follows to and from these accounts, and every account on either end of them."""
    links = Follow.objects.filter(Q(follower_id__in=user_ids) | Q(followee_id__in=user_ids))
    linked = set(links.values_list("follower_id", flat=True)) | set(
        links.values_list("followee_id", flat=True)
    )
    return links, linked


def user_follow_counters_recount(*, user_ids: Sequence[int] | None = None) -> int:
    """Recompute followers/following counts of every account (or of `user_ids`) from the
    follow rows, in primary-key batches of settings.COUNTER_RECOUNT_BATCH_SIZE, a transaction
    each. Idempotent; logs each corrected account; returns how many had drifted.
    """
    return counters_recount(
        User,
        pks=user_ids,
        scan=_follow_counters_drifted,
        batch_size=settings.COUNTER_RECOUNT_BATCH_SIZE,
    )


def _follow_counters_drifted(scope: Scope) -> list[Drift]:
    def grouped(side: str) -> QuerySet:
        key = f"{side}_id"
        return (
            Follow.objects.filter(scope.of(key)).values(row_id=F(key)).annotate(total=Count("pk"))
        )

    return counters_drifted(
        User.objects.filter(scope.of("pk")),
        sources={"followers": grouped("followee"), "following": grouped("follower")},
        recounted={
            "followers_count": total("followers", "total"),
            "following_count": total("following", "total"),
        },
    )


@transaction.atomic
def user_received_correct(*, totals: Mapping[int, tuple[int, int]]) -> int:
    """Set accounts' likes and bookmarks received to (likes, bookmarks) totals.

    The notes app computes the totals (users knows nothing of notes) and passes only the
    accounts that drifted; returns how many were written.
    """
    counters_write(
        User,
        {
            pk: {"likes_received": likes, "bookmarks_received": bookmarks}
            for pk, (likes, bookmarks) in totals.items()
        },
    )
    return len(totals)


@transaction.atomic
def user_cart_units_set(*, user_id: int, units: int) -> None:
    """The mall's count of what is in the account's cart (the top bar's badge), set by the
    mall's cart services in the transaction that changes the cart, from the cart's own rows."""
    User.objects.filter(pk=user_id).update(cart_units=units)

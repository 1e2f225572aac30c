"""Accounts, the follow graph, and growth: levels, sign-ins, points and the message centre."""

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from users import levels


def avatar_upload_to(instance: "User", filename: str) -> str:
    # `filename` is the random name users.services.user_profile_update picks after checking the
    # upload's content and size; every writer of avatars (pages, API, admin) goes through it.
    return f"avatars/{filename}"


class User(AbstractUser):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        CREATOR = "creator", _("Creator")
        BRAND = "brand", _("Brand")

    display_name = models.CharField(_("display name"), max_length=40, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    # core.images.Variants.files of the avatar (square, AVATAR_WIDTHS); `avatar` is the largest.
    avatar_variants = models.JSONField(_("avatar variants"), default=list, blank=True)
    bio = models.CharField(_("bio"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    kind = models.CharField(_("account kind"), max_length=16, choices=Kind, default=Kind.PERSONAL)
    is_verified = models.BooleanField(
        _("verified brand"), default=False, help_text=_("Only brand accounts can be verified.")
    )
    red_potato_level = models.PositiveSmallIntegerField(_("red potato level"), default=1)
    # The level whose banner the account has seen: a level above it shows the banner once.
    red_potato_level_seen = models.PositiveSmallIntegerField(
        _("red potato level announced"), default=1
    )
    # Denormalised counters, changed with F() in the same transaction as their cause.
    followers_count = models.PositiveIntegerField(_("followers"), default=0)
    following_count = models.PositiveIntegerField(_("following"), default=0)
    likes_received = models.PositiveIntegerField(_("likes received"), default=0)
    bookmarks_received = models.PositiveIntegerField(_("bookmarks received"), default=0)
    # Progress counters of the level tasks (users.levels), likewise; recounted nightly.
    notes_read = models.PositiveIntegerField(_("notes read"), default=0)
    likes_given = models.PositiveIntegerField(_("likes given"), default=0)
    bookmarks_given = models.PositiveIntegerField(_("bookmarks given"), default=0)
    comments_written = models.PositiveIntegerField(_("comments written"), default=0)
    notes_published = models.PositiveIntegerField(_("notes published"), default=0)
    days_signed_in = models.PositiveIntegerField(_("days signed in"), default=0)
    orders_completed = models.PositiveIntegerField(_("mall orders completed"), default=0)
    reviews_published = models.PositiveIntegerField(_("product reviews published"), default=0)
    unread_notifications = models.PositiveIntegerField(_("unread messages"), default=0)
    # The latest sign-in (users.SignIn), kept here so any page can offer today's without a query.
    last_sign_in_day = models.DateField(_("last signed in on"), null=True, blank=True)
    sign_in_streak = models.PositiveSmallIntegerField(_("sign-in streak"), default=0)
    # The sum of the points ledger (users.PointsEntry), moved only with a new entry.
    points_balance = models.IntegerField(_("points"), default=0)
    # Units in the account's mall cart, for the top bar on every page without a query: the mall
    # owns the cart and keeps this current through users.services.user_cart_units_set.
    cart_units = models.PositiveIntegerField(_("units in cart"), default=0)
    # E-mail digests of unread messages: off unless asked for, never sent in quiet hours
    # (hours of the day in Asia/Shanghai; start == end means no quiet hours).
    digest_by_email = models.BooleanField(_("e-mail digest of unread messages"), default=False)
    digest_tabs = models.JSONField(_("kinds of messages in the digest"), default=list, blank=True)
    quiet_hours_start = models.PositiveSmallIntegerField(_("quiet from"), default=22)
    quiet_hours_end = models.PositiveSmallIntegerField(_("quiet until"), default=8)
    last_digest_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    # Set when the account was closed (community.services.account_close): the row stays for the
    # orders it placed, with nothing personal left and no way to log in.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_verified=False) | Q(kind="brand"),
                name="users_only_brands_verified",
            ),
            models.CheckConstraint(
                condition=Q(red_potato_level__gte=1) & Q(red_potato_level__lte=10),
                name="users_red_potato_level_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(points_balance__gte=0), name="users_points_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quiet_hours_start__lte=23) & Q(quiet_hours_end__lte=23),
                name="users_quiet_hours_are_hours",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """What the site shows for this account."""
        if self.closed_at is not None:
            return str(_("Closed account"))
        return self.display_name or self.username

    @property
    def is_brand(self) -> bool:
        """A brand's account: set up by staff, the only kind that can be verified or sell."""
        return self.kind == self.Kind.BRAND

    @property
    def likes_and_bookmarks_received(self) -> int:
        return self.likes_received + self.bookmarks_received

    @property
    def level(self) -> levels.Level:
        """The account's red-potato level from the table (name, perks, weight)."""
        return levels.level(self.red_potato_level)

    def get_absolute_url(self) -> str:
        return reverse("community:profile", kwargs={"username": self.username})


class Follow(models.Model):
    follower = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="following_links",
        verbose_name=_("follower"),
        db_index=False,
    )
    followee = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="follower_links",
        verbose_name=_("followee"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="users_follow_once"),
            models.CheckConstraint(
                condition=~Q(follower=F("followee")), name="users_no_self_follow"
            ),
        ]
        indexes = [
            models.Index(fields=["followee", "-created_at"], name="users_follow_followee_idx"),
            models.Index(fields=["follower", "-created_at"], name="users_follow_follower_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.follower} → {self.followee}"


class NoteRead(models.Model):
    """A note page opened by an account on a day (Asia/Shanghai): the "notes read" task counts
    each note once a day. The note is a plain id: users knows nothing of notes."""

    reader = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("reader"), db_index=False
    )
    note_id = models.PositiveBigIntegerField(_("note"))
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("note read")
        verbose_name_plural = _("notes read")
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "day", "note_id"], name="users_note_read_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reader_id} read {self.note_id} on {self.day}"


class Notification(models.Model):
    """One row of the message centre.

    Its target is generic (a content type and an id) so that every app's services can create
    rows through users.services without users importing them; `target_text` and `target_url` are
    what the row shows and where it leads, kept from when it was made. Likes and bookmarks of
    one target are aggregated into one unread row a day ("Li Hua and 12 others liked your
    note"), the people behind it in NotificationActor.
    """

    class Verb(models.TextChoices):
        NOTE_LIKED = "note_liked", _("liked your note")
        NOTE_BOOKMARKED = "note_bookmarked", _("bookmarked your note")
        FOLLOWED = "followed", _("started following you")
        COMMENTED = "commented", _("commented on your note")
        REPLIED = "replied", _("replied to your comment")
        MENTIONED = "mentioned", _("mentioned you")
        LEVEL_UP = "level_up", _("level up")
        NOTE_REMOVED = "note_removed", _("note removed")
        NOTE_RESTORED = "note_restored", _("note restored")
        NOTE_APPROVED = "note_approved", _("note passed review")
        REPORT_UPHELD = "report_upheld", _("report upheld")
        REPORT_DISMISSED = "report_dismissed", _("report dismissed")
        SPONSOR_DECLINED = "sponsor_declined", _("brand declined the partnership")
        REVIEW_INVITE = "review_invite", _("invited to review a purchase")

    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,
    )
    verb = models.CharField(_("what happened"), max_length=24, choices=Verb)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("target type")
    )
    target_id = models.PositiveBigIntegerField(_("target id"))
    target_text = models.CharField(_("target text"), max_length=200, blank=True)
    target_url = models.CharField(_("link"), max_length=300, blank=True)
    latest_actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest actor"),
    )
    actors_count = models.PositiveIntegerField(_("people"), default=0)
    day = models.DateField(_("day"))
    is_read = models.BooleanField(_("read"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last event at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "verb", "target_type", "target_id", "day"],
                condition=Q(is_read=False) & Q(verb__in=["note_liked", "note_bookmarked"]),
                name="users_notification_one_unread_row_a_day",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-updated_at", "-id"], name="users_notification_inbox_idx"
            ),
            models.Index(
                fields=["recipient", "verb", "target_type", "target_id"],
                condition=Q(is_read=False),
                name="users_notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.verb} {self.target_type_id}/{self.target_id}"


class NotificationActor(models.Model):
    """Someone behind a notification: an aggregated row has several, the newest shown."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="actors", db_index=False
    )
    actor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification actor")
        verbose_name_plural = _("notification actors")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "actor"], name="users_notification_actor_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} in {self.notification_id}"


class SignIn(models.Model):
    """The daily sign-in: one a calendar day in Asia/Shanghai (a unique constraint, so a double
    tap or two devices at once make one), with its place in the streak and the points paid."""

    account = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="sign_ins",
        verbose_name=_("account"),
        db_index=False,
    )
    day = models.DateField(_("day"))
    streak = models.PositiveSmallIntegerField(_("days in a row"))
    points = models.PositiveSmallIntegerField(_("points"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="users_sign_in_once_a_day"),
            models.CheckConstraint(condition=Q(streak__gte=1), name="users_sign_in_streak_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} on {self.day}"


class PointsEntry(models.Model):
    """One line of an account's points ledger. Append-only: a mistake is put right by another
    entry. The idempotency key names the cause ("sign-in:12:2025-03-01", "order-payment:88"),
    so one reward or payment can never be booked twice."""

    class Reason(models.TextChoices):
        SIGN_IN = "sign_in", _("Daily sign-in")
        FIRST_NOTE = "first_note", _("First note published")
        LEVEL_UP = "level_up", _("New level reward")
        ORDER_PAYMENT = "order_payment", _("Paid toward an order")
        ORDER_REFUND = "order_refund", _("Order refunded")
        SHOPPING_REWARD = "shopping_reward", _("Shopping reward")
        SHOPPING_REWARD_TAKEN_BACK = "shopping_reward_back", _("Shopping reward taken back")
        PRODUCT_REVIEW = "product_review", _("Product review published")
        STAFF_ADJUSTMENT = "staff_adjustment", _("Adjusted by our staff")

    account = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="points_entries",
        verbose_name=_("account"),
        db_index=False,
    )
    amount = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    reason = models.CharField(_("reason"), max_length=24, choices=Reason)
    note = models.CharField(_("note"), max_length=200, blank=True)
    cause_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cause type"),
    )
    cause_id = models.PositiveBigIntegerField(_("cause id"), null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    staff = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Now, except for history imported with its own dates (demo data).
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="users_points_entry_moves"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="users_points_entry_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(reason="staff_adjustment") | ~Q(note=""),
                name="users_points_staff_adjustment_says_why",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"], name="users_points_ledger_idx")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount:+d} ({self.reason})"


class CreatorSearch(models.Model):
    """An account's words for search (core.search): name and handle, then bio and city. Kept
    by the users services; search asks for active accounts, so a banned one shows nothing."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    primary_text = models.TextField(_("name, cut into words"), blank=True)
    secondary_text = models.TextField(_("bio and city, cut into words"), blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("creator search row")
        verbose_name_plural = _("creator search rows")

    def __str__(self) -> str:
        return str(self.user_id)

"""Accounts and the follow graph."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
    bio = models.CharField(_("bio"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    kind = models.CharField(_("account kind"), max_length=16, choices=Kind, default=Kind.PERSONAL)
    is_verified = models.BooleanField(
        _("verified brand"), default=False, help_text=_("Only brand accounts can be verified.")
    )
    red_potato_level = models.PositiveSmallIntegerField(_("red potato level"), default=1)
    # Denormalised counters, changed with F() in the same transaction as their cause.
    followers_count = models.PositiveIntegerField(_("followers"), default=0)
    following_count = models.PositiveIntegerField(_("following"), default=0)
    likes_received = models.PositiveIntegerField(_("likes received"), default=0)
    bookmarks_received = models.PositiveIntegerField(_("bookmarks received"), default=0)

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
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """What the site shows for this account."""
        return self.display_name or self.username

    @property
    def likes_and_bookmarks_received(self) -> int:
        return self.likes_received + self.bookmarks_received

    def get_absolute_url(self) -> str:
        return reverse("community:profile", kwargs={"username": self.username})


class Follow(models.Model):
    follower = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="following_links", verbose_name=_("follower")
    )
    followee = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="follower_links", verbose_name=_("followee")
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

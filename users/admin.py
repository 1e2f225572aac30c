"""Staff screens for accounts, the follow graph, sign-ins and the points ledger; actions call
users.services."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget, AdminTextInputWidget
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin import ReadOnlyAdmin, apply_one_by_one
from users import services
from users.models import Follow, Notification, PointsEntry, SignIn, User

admin.site.site_header = gettext_lazy("Hongshu staff")
admin.site.site_title = gettext_lazy("Hongshu staff")
admin.site.index_title = gettext_lazy("Community administration")

COUNTERS = ("followers_count", "following_count", "likes_received", "bookmarks_received")
# The level tasks' progress (users.levels), moved by users.services.growth and recounted nightly.
PROGRESS = (
    "notes_read",
    "likes_given",
    "bookmarks_given",
    "comments_written",
    "notes_published",
    "days_signed_in",
)
# Saved by users.services.user_profile_update, never written onto the account by the form.
PROFILE_FIELDS = ("display_name", "avatar", "bio", "city")


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User


class AvatarInput(AdminFileWidget):
    """The current avatar and a new upload; no clear box: an avatar is replaced, not removed."""

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["required"] = True  # what hides the clear box in Django's template
        return context


class UserChangeAdminForm(UserChangeForm):
    """Django's account fields; the profile is checked and saved by users.services."""

    display_name = User._meta.get_field("display_name").formfield(widget=AdminTextInputWidget)
    avatar = forms.FileField(
        label=capfirst(User._meta.get_field("avatar").verbose_name),
        required=False,
        widget=AvatarInput,
    )
    bio = User._meta.get_field("bio").formfield(widget=AdminTextInputWidget)
    city = User._meta.get_field("city").formfield(widget=AdminTextInputWidget)

    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            self.initial.setdefault(name, getattr(self.instance, name))

    def clean_avatar(self) -> UploadedFile | None:
        """A new upload, checked as the service will check it; None keeps the avatar."""
        upload = self.cleaned_data["avatar"]
        if not isinstance(upload, UploadedFile):
            return None
        services.user_avatar_check(upload)
        return upload

    def clean(self) -> dict:
        """`is_verified` is read-only here, so its database constraint is checked by hand."""
        cleaned = super().clean()
        if self.instance.is_verified and cleaned.get("kind", User.Kind.BRAND) != User.Kind.BRAND:
            raise ValidationError(
                {"kind": _("Remove the verification first: only brand accounts are verified.")}
            )
        return cleaned


class PointsAdjustmentForm(forms.Form):
    """The staff's grant (positive) or deduction (negative), and why: the reason is kept on
    the ledger entry and shown to the account."""

    amount = forms.IntegerField(
        label=gettext_lazy("Points"),
        min_value=-100_000,
        max_value=100_000,
        help_text=gettext_lazy("Positive to grant, negative to deduct."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=PointsEntry._meta.get_field("note").max_length,
        help_text=gettext_lazy("Shown to the account in its points history."),
    )
    key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise ValidationError(_("Grant or deduct at least one point."))
        return amount


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user screens plus the profile; verification only through the actions."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = (
        "username",
        "display_name",
        "kind",
        "is_verified",
        "red_potato_level",
        "followers_count",
        "date_joined",
        "is_active",
        "is_staff",
    )
    list_filter = (
        "kind",
        "is_verified",
        "red_potato_level",
        "is_staff",
        "is_active",
        ("closed_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("username", "display_name", "email")
    ordering = ("-date_joined", "-id")
    readonly_fields = (
        "is_verified",
        "red_potato_level",
        *COUNTERS,
        *PROGRESS,
        "last_login",
        "date_joined",
        "closed_at",
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            gettext_lazy("Profile"),
            {"fields": ("display_name", "email", "avatar", "bio", "city", "kind", "is_verified")},
        ),
        (
            gettext_lazy("Growth and counters"),
            {"fields": ("red_potato_level", *COUNTERS, *PROGRESS)},
        ),
        (
            gettext_lazy("Permissions"),
            {
                "classes": ("collapse",),
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (
            gettext_lazy("Important dates"),
            {"fields": ("last_login", "date_joined", "closed_at")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "display_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    actions = ("verify_brand", "remove_verification", "adjust_points")

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        """Accounts are deactivated (Active unticked) or closed (the "Close accounts" action,
        community.admin), never deleted here: a delete would take other accounts' follower
        counts and other notes' likes and comments with it, around the services, and is
        refused anyway for a buyer whose orders must be kept."""
        return False

    def get_exclude(self, request: HttpRequest, obj: User | None = None) -> tuple | None:
        """An account's profile fields stay off the instance: save_model hands them on."""
        return PROFILE_FIELDS if obj is not None else None

    def save_model(
        self, request: HttpRequest, user: User, form: UserChangeAdminForm, change: bool
    ) -> None:
        """Django saves the account fields; the profile goes through users.services."""
        super().save_model(request, user, form, change)
        if change:
            profile = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
            services.user_profile_update(user=user, **profile)

    @admin.action(description=gettext_lazy("Verify brand"), permissions=("change",))
    def verify_brand(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_verified(request, queryset, is_verified=True)

    @admin.action(description=gettext_lazy("Remove verification"), permissions=("change",))
    def remove_verification(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_verified(request, queryset, is_verified=False)

    @admin.action(description=gettext_lazy("Grant or deduct points"), permissions=("change",))
    def adjust_points(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """Asks for the points and the reason first, then books one ledger entry per account.

        The form carries an idempotency key made when it is shown, so sending it twice (a
        double click, the back button) books each entry once.
        """
        form = PointsAdjustmentForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            amount, note = form.cleaned_data["amount"], form.cleaned_data["reason"]
            key = form.cleaned_data["key"]
            verb = services.points_grant if amount > 0 else services.points_spend
            changed = apply_one_by_one(
                self,
                request,
                queryset.order_by("pk"),
                act=lambda account: verb(
                    actor=account,
                    amount=abs(amount),
                    reason=PointsEntry.Reason.STAFF_ADJUSTMENT,
                    idempotency_key=f"staff:{key}:{account.pk}",
                    note=note,
                    staff=request.user,
                ),
                label=lambda account: account.username,
            )
            if changed:
                self.message_user(
                    request,
                    ngettext(
                        "Points adjusted for %(count)d account.",
                        "Points adjusted for %(count)d accounts.",
                        changed,
                    )
                    % {"count": changed},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Grant or deduct points"),
            "accounts": queryset.order_by("pk"),
            "form": form,
            "action": "adjust_points",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/users/points_adjustment.html", context)

    def _set_verified(
        self, request: HttpRequest, queryset: QuerySet[User], *, is_verified: bool
    ) -> None:
        changed = apply_one_by_one(
            self,
            request,
            queryset,
            act=lambda user: services.user_set_verified(
                actor=request.user, user=user, is_verified=is_verified
            ),
            label=lambda user: user.username,
        )
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d account updated.", "%(count)d accounts updated.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    """Read-only: a follow moves two counters, so it changes only through users.services."""

    list_display = ("follower", "followee", "created_at")
    list_select_related = ("follower", "followee")
    search_fields = ("follower__username", "followee__username")
    list_filter = (("created_at", admin.DateFieldListFilter),)
    autocomplete_fields = ("follower", "followee")
    readonly_fields = ("created_at",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    actions = ("remove_follow",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Follow | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Follow | None = None) -> bool:
        return False

    def has_unfollow_permission(self, request: HttpRequest) -> bool:
        """The change screens are closed, but staff allowed to delete follows may unfollow."""
        return request.user.has_perm("users.delete_follow")

    @admin.action(description=gettext_lazy("Remove follow"), permissions=("unfollow",))
    def remove_follow(self, request: HttpRequest, queryset: QuerySet[Follow]) -> None:
        removed = sum(
            services.user_unfollow(actor=link.follower, followee=link.followee)
            for link in queryset.select_related("follower", "followee")
        )
        self.message_user(
            request,
            ngettext("%(count)d follow removed.", "%(count)d follows removed.", removed)
            % {"count": removed},
            messages.SUCCESS,
        )


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    """The points ledger, append-only: grant or deduct with the accounts' action instead."""

    list_display = ("account", "amount", "balance_after", "reason", "note", "staff", "created_at")
    list_select_related = ("account", "staff")
    list_filter = ("reason", ("created_at", admin.DateFieldListFilter))
    search_fields = ("account__username", "idempotency_key", "note")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False


@admin.register(SignIn)
class SignInAdmin(ReadOnlyAdmin):
    list_display = ("account", "day", "streak", "points", "created_at")
    list_select_related = ("account",)
    search_fields = ("account__username",)
    date_hierarchy = "day"
    ordering = ("-day", "-id")
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The message centre's rows, as the services made them (support questions)."""

    list_display = ("recipient", "verb", "latest_actor", "actors_count", "is_read", "updated_at")
    list_select_related = ("recipient", "latest_actor")
    list_filter = ("verb", "is_read")
    search_fields = ("recipient__username",)
    readonly_fields = ("target_type",)
    ordering = ("-updated_at", "-id")
    show_full_result_count = False

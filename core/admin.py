"""Admin helpers every app's staff screens share."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

Row = TypeVar("Row")


def apply_one_by_one(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    rows: Iterable[Row],
    *,
    act: Callable[[Row], object],
    label: Callable[[Row], str],
) -> int:
    """Run an admin action's service row by row; returns how many rows changed.

    A refused row is reported as a warning and the others still change, so every app's
    actions report alike.
    """
    changed = 0
    for row in rows:
        try:
            act(row)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [])) or _("Not allowed.")
            model_admin.message_user(
                request,
                _("%(item)s: %(reason)s") % {"item": label(row), "reason": reason},
                messages.WARNING,
            )
        else:
            changed += 1
    return changed


class ReadOnly:
    """Viewable and searchable, never added, edited or deleted here: the services own these
    rows. Mix into a ModelAdmin or an inline."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """A staff screen for rows that only services write."""


class ReadOnlyInline(ReadOnly):
    """Mix into an inline (before admin.TabularInline) whose rows services own."""

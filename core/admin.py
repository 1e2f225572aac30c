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

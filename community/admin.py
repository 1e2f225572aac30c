"""The account screen with what only the community level can do to an account: close it,
which reaches into notes and the mall (users.admin cannot import them)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from community import services
from core.admin import apply_one_by_one
from users.admin import UserAdmin
from users.models import User

admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    actions = (*UserAdmin.actions, "close_accounts")

    @admin.action(description=gettext_lazy("Close accounts for good"), permissions=("change",))
    def close_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """Asks first (nothing of a closed account comes back), then closes each through
        community.services.account_close; an account with an order under way is named and
        left open."""
        accounts = queryset.filter(closed_at__isnull=True).order_by("pk")
        if "apply" in request.POST:
            closed = apply_one_by_one(
                self,
                request,
                accounts,
                act=lambda account: services.account_close(account=account, actor=request.user),
                label=lambda account: account.username,
            )
            if closed:
                self.message_user(
                    request,
                    ngettext("%(count)d account closed.", "%(count)d accounts closed.", closed)
                    % {"count": closed},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Close accounts for good"),
            "accounts": accounts,
            "action": "close_accounts",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/community/accounts_close.html", context)

"""The account screen with what only the community level can do to an account: close it, or
ban it for fake engagement, which reach into notes and the mall (users.admin cannot import
them)."""

from collections.abc import Callable

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
    actions = (*UserAdmin.actions, "close_accounts", "ban_for_fake_engagement")

    @admin.action(description=gettext_lazy("Close accounts for good"), permissions=("change",))
    def close_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """Asks first (nothing of a closed account comes back), then closes each through
        community.services.account_close; an account with an order under way is named and
        left open."""
        accounts = queryset.filter(closed_at__isnull=True).order_by("pk")
        return self._confirmed(
            request,
            accounts,
            action="close_accounts",
            act=lambda account: services.account_close(account=account, actor=request.user),
            title=_("Close accounts for good"),
            question=ngettext(
                "Close this account for good?",
                "Close these %(count)d accounts for good?",
                len(accounts),
            )
            % {"count": len(accounts)},
            consequences=_(
                "Their notes, comments, likes, saves, boards, follows, messages, cart, addresses "
                "and coupons are deleted, and their profiles emptied. Their orders are kept. "
                "This cannot be undone. An account with an order under way is left open."
            ),
            button=_("Yes, close them"),
            done=lambda count: ngettext(
                "%(count)d account closed.", "%(count)d accounts closed.", count
            ),
        )

    @admin.action(
        description=gettext_lazy("Ban for fake engagement, and take it back"),
        permissions=("change",),
    )
    def ban_for_fake_engagement(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        """Asks first, then bans each through community.services.account_ban_for_fake_engagement."""
        accounts = queryset.filter(closed_at__isnull=True).order_by("pk")
        return self._confirmed(
            request,
            accounts,
            action="ban_for_fake_engagement",
            act=lambda account: services.account_ban_for_fake_engagement(
                actor=request.user, account=account
            ),
            title=_("Ban for fake engagement"),
            question=ngettext(
                "Ban this account for fake engagement?",
                "Ban these %(count)d accounts for fake engagement?",
                len(accounts),
            )
            % {"count": len(accounts)},
            consequences=_(
                "They can no longer log in, and their notes and comments are hidden. Their "
                "likes, saves, reposts, comments and follows are deleted and every count they "
                "inflated is recounted, so the notes they pushed lose that lift. Their notes "
                "and profiles are kept, so a ban can be lifted (tick Active), but what they "
                "gave does not come back."
            ),
            button=_("Yes, ban them"),
            done=lambda count: ngettext(
                "%(count)d account banned.", "%(count)d accounts banned.", count
            ),
        )

    def _confirmed(
        self,
        request: HttpRequest,
        accounts: QuerySet[User],
        *,
        action: str,
        act: Callable[[User], object],
        title: str,
        question: str,
        consequences: str,
        button: str,
        done: Callable[[int], str],
    ) -> HttpResponse | None:
        """An action that cannot be undone asks first; confirmed, it acts account by account
        (a refused one is named with its reason, the others still change)."""
        if "apply" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": title,
                "question": question,
                "consequences": consequences,
                "button": button,
                "accounts": accounts,
                "action": action,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/community/accounts_confirm.html", context)
        changed = apply_one_by_one(
            self, request, accounts, act=act, label=lambda account: account.username
        )
        if changed:
            self.message_user(request, done(changed) % {"count": changed}, messages.SUCCESS)
        return None

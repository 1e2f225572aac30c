"""Closing one's own account (注销账号), from the settings page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from community import services
from community.forms import AccountCloseForm
from mall.selectors import order_numbers_in_progress
from users.models import User


def _close_rate(group: str, request: HttpRequest) -> str:
    """A session guessing its account's password here is limited as a log-in is, per account."""
    return settings.RATE_LIMIT_LOGIN_PER_ACCOUNT


@login_required
@ratelimit(group="community:account_close", key="user", rate=_close_rate, method="POST")
def account_close(request: HttpRequest) -> HttpResponse:
    """What closing takes away, then the password and a tick; done, the reader is logged out
    on the home page. Orders under way are named before anything is typed."""
    account: User = request.user
    form = AccountCloseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.account_close(
                account=account, actor=account, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account is closed. Thank you for being with us."))
            return redirect("community:home")
    context = {
        "form": form,
        "staff_only": not services.account_closes_itself(account),
        "orders_in_progress": order_numbers_in_progress(buyer=account),
    }
    return TemplateResponse(request, "community/account_close.html", context)

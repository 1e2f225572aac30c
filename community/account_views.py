"""From the settings page: a copy of one's data, and closing one's account (注销账号)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from community import services
from community.data_export import account_data, account_data_filename
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


@require_safe
@login_required
def account_data_page(request: HttpRequest) -> HttpResponse:
    """What the copy holds, and the button that downloads it."""
    return TemplateResponse(request, "community/account_data.html", {})


def _export_rate(group: str, request: HttpRequest) -> str:
    return settings.RATE_LIMIT_DATA_EXPORT


@require_safe
@login_required
@ratelimit(group="community:account_data", key="user", rate=_export_rate, method="GET")
def account_data_download(request: HttpRequest) -> StreamingHttpResponse:
    """Everything the account put into Hongshu, as one JSON file, streamed as it is read."""
    return data_download_response(request.user)


def data_download_response(account: User) -> StreamingHttpResponse:
    """The download, for the page and the API alike."""
    response = StreamingHttpResponse(
        account_data(account), content_type="application/json; charset=utf-8"
    )
    # RFC 6266 (Django's helper): a username in Chinese needs filename*, or the whole header
    # goes out MIME-encoded and browsers no longer see an attachment.
    response["Content-Disposition"] = content_disposition_header(
        True, account_data_filename(account)
    )
    response["Cache-Control"] = "private, no-store"
    return response

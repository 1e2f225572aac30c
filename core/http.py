"""Web helpers every app's views share: the client's address, safe return addresses, and
log-in before an action.

Here, in the lowest app, so users, notes and community pages behave the same way.
"""

import ipaddress
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent the request: what every per-IP limit counts.

    REMOTE_ADDR unless settings name a trusted proxy: CLIENT_IP_META_KEY, the header that proxy
    sets (e.g. HTTP_X_REAL_IP), or TRUSTED_PROXY_COUNT, how many proxies append to
    X-Forwarded-For. Any other header is the client's own say-so and is ignored. What a proxy
    reports is used only if it is an address.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    reported = ""
    if settings.CLIENT_IP_META_KEY:
        reported = request.META.get(settings.CLIENT_IP_META_KEY, "")
    elif settings.TRUSTED_PROXY_COUNT:
        # Each proxy appends the address it was reached from; the last N entries are theirs.
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= settings.TRUSTED_PROXY_COUNT:
            reported = hops[-settings.TRUSTED_PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(reported.strip()))
    except ValueError:
        return remote_addr


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` the request names if it stays on this site, else `fallback`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def login_first(request: HttpRequest, *, fallback: str) -> HttpResponse:
    """Send an anonymous reader to log in, then back to the page they were on.

    Not back to an action's URL: those take POST only. htmx gets a client redirect, since
    swapping the login page into a button would make no sense.
    """
    if request.method == "GET":
        back = request.get_full_path()
    elif request.htmx and request.htmx.current_url_abs_path:
        back = request.htmx.current_url_abs_path
    else:
        back = safe_next(request, fallback)
    login_url = redirect_to_login(back).url
    if request.htmx:
        return HttpResponseClientRedirect(login_url)
    return HttpResponseRedirect(login_url)


def login_required_for_action(view: Callable) -> Callable:
    """Like login_required, but an anonymous POST or htmx request returns to its page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return login_first(request, fallback="/")
        return view(request, *args, **kwargs)

    return wrapper

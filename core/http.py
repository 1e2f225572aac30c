"""Web helpers every app's views share: the client's address, safe return addresses, and
log-in before an action, which is then finished after log-in.

Here, in the lowest app, so users, notes and community pages behave the same way.
"""

import copy
import ipaddress
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


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

    Not back to an action's URL: those take POST only. An action POSTed by a view marked
    `completes_after_login` is remembered and finished once they have logged in (see
    `pending_action_complete`). htmx gets a client redirect, since swapping the login page
    into a button would make no sense.
    """
    if request.method == "GET":
        back = request.get_full_path()
    elif request.htmx and request.htmx.current_url_abs_path:
        back = request.htmx.current_url_abs_path
    else:
        back = safe_next(request, fallback)
    if request.method == "POST" and _remember_action(request, back=back):
        messages.info(request, _("Log in, and we will finish that for you."))
    login_url = redirect_to_login(back).url
    if request.htmx:
        return HttpResponseClientRedirect(login_url)
    return HttpResponseRedirect(login_url)


def completes_after_login(view: Callable) -> Callable:
    """Mark an action view whose POST, sent while logged out, is finished after log-in.

    Only marked views are ever replayed: a remembered path that resolves to anything else is
    dropped.
    """
    view.completes_after_login = True
    return view


def login_required_for_action(view: Callable) -> Callable:
    """Like login_required, but an anonymous POST or htmx request returns to its page, and
    the action is finished once the reader has logged in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return login_first(request, fallback="/")
        return view(request, *args, **kwargs)

    return completes_after_login(wrapper)


# --- The action a reader started while logged out.

PENDING_ACTION_KEY = "pending_action"
# Long enough to find a password or sign up; short enough that a forgotten tap is not
# carried out hours later.
PENDING_ACTION_MAX_AGE = 30 * 60  # seconds
# A comment is at most a few hundred characters; anything far larger is not an action.
PENDING_ACTION_MAX_CHARS = 10_000
_NOT_REPLAYED = {"csrfmiddlewaretoken"}


def _remember_action(request: HttpRequest, *, back: str) -> bool:
    """Keep the POST (path and fields, never the CSRF token) in the session; the latest wins."""
    match = request.resolver_match
    if match is None or not getattr(match.func, "completes_after_login", False):
        return False
    fields = [
        [key, value]
        for key, values in request.POST.lists()
        if key not in _NOT_REPLAYED
        for value in values
    ]
    if sum(len(key) + len(value) for key, value in fields) > PENDING_ACTION_MAX_CHARS:
        return False
    request.session[PENDING_ACTION_KEY] = {
        "path": request.path_info,
        "fields": fields,
        "back": back,
        "at": int(time.time()),
    }
    return True


def _replay_request(
    request: HttpRequest, *, path: str, fields: list, match: ResolverMatch
) -> HttpRequest:
    """The logged-in request, turned into the remembered POST: same session, user, messages
    and CSRF cookie; no htmx headers (the log-in was a whole page, so is the answer)."""
    replay = copy.copy(request)
    meta = {key: value for key, value in request.META.items() if not key.startswith("HTTP_HX_")}
    meta.update({"REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": ""})
    replay.META = meta
    if hasattr(replay, "environ"):
        replay.environ = meta
    replay.__dict__.pop("headers", None)  # a cached_property of the original's META
    replay.method = "POST"
    replay.path = f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}{path}"
    replay.path_info = path
    replay.GET = QueryDict()
    posted = QueryDict(mutable=True)
    for key, value in fields:
        posted.appendlist(key, value)
    posted._mutable = False
    replay.POST = posted
    replay._files = MultiValueDict()
    replay.resolver_match = match
    replay.htmx = HtmxDetails(replay)
    return replay


def pending_action_complete(request: HttpRequest, *, back: str) -> HttpResponse | None:
    """Finish the action the reader started while logged out; call right after log-in.

    Returns what the action's view answered (a redirect to the note, or a page that says why
    it failed and keeps what was typed), or None when there is nothing to finish.

    Why it is done here, in the answer to the log-in POST, rather than asked once more:
    - The action was remembered only from a POST that passed Django's CSRF check, into the
      session, by the server (`login_first`); nothing a URL or another site sends can put one
      there, and it is completed in the answer to a POST (log-in or sign-up) that passed the
      check too. No GET ever writes.
    - It is replayed through the same view (only one marked `completes_after_login`), so the
      same services, rules and limits apply as if the reader had been logged in.
    - Single use, and only for the log-in that this round trip started (`back` is the `next`
      the log-in returns to), within PENDING_ACTION_MAX_AGE: a tap forgotten on a shared
      computer is not done for whoever logs in later from elsewhere.
    """
    pending = request.session.pop(PENDING_ACTION_KEY, None)
    if not isinstance(pending, dict) or pending.get("back") != back:
        return None
    if time.time() - pending.get("at", 0) > PENDING_ACTION_MAX_AGE:
        return None
    try:
        match = resolve(pending["path"])
    except Resolver404:
        return None
    if not getattr(match.func, "completes_after_login", False):
        return None
    replay = _replay_request(request, path=pending["path"], fields=pending["fields"], match=match)
    try:
        return match.func(replay, *match.args, **match.kwargs)
    except (Http404, PermissionDenied):
        messages.error(request, _("What you started before logging in is no longer possible."))
        return None

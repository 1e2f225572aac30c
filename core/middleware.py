"""Middleware every page shares."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from core.errors import request_too_large
from core.pagination import InvalidCursor
from core.request_body import request_body_limit


class StaleCursorMiddleware:
    """A page asked for with a stale or foreign cursor shows its first page instead of failing.

    The API never reaches this: its exception handler answers InvalidCursor with a 400.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, InvalidCursor) or "cursor" not in request.GET:
            return None
        query = request.GET.copy()
        del query["cursor"]
        encoded = query.urlencode()
        return HttpResponseRedirect(request.path + (f"?{encoded}" if encoded else ""))


class RequestBodyLimitMiddleware:
    """A request whose Content-Length is over settings.REQUEST_BODY_MAX_BYTES gets a 413 unread.

    It must come before anything reads the body (no middleware does before the view phase, where
    CsrfViewMiddleware reads request.POST). A Content-Length that lies is caught by the bytes
    read: core.request_body.CheckedBodyUploadHandler.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > request_body_limit():
            return request_too_large(request)
        return self.get_response(request)

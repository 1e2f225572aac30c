"""Middleware every page shares."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from core.pagination import InvalidCursor


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

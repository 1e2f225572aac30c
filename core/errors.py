"""Error answers: `{"detail": …}` JSON under /api/, the site's error pages everywhere else.

The root URLconf names these views as handler400/403/404/500, and the request body limit answers
through `request_too_large`, so an API client never receives an HTML page. The JSON messages are
DRF's own (translated by DRF), so they read like the errors its views answer.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework import exceptions

from core.request_body import IncompleteRequestBody, RequestBodyTooLarge, too_large_message

API_PATH_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def _json(detail: str, *, status: int) -> JsonResponse:
    return JsonResponse({"detail": str(detail)}, status=status)


def request_too_large(request: HttpRequest) -> HttpResponse:
    """413: the body is larger than settings.REQUEST_BODY_MAX_BYTES."""
    if is_api_request(request):
        return _json(too_large_message(), status=413)
    return render(request, "413.html", {"detail": too_large_message()}, status=413)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400; a body over the limit surfaces here too (as RequestDataTooBig) and gets 413."""
    if isinstance(exception, RequestBodyTooLarge):
        return request_too_large(request)
    if is_api_request(request):
        if isinstance(exception, IncompleteRequestBody):
            return _json(str(exception), status=400)
        return _json(exceptions.ParseError.default_detail, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return _json(exceptions.PermissionDenied.default_detail, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return _json(exceptions.NotFound.default_detail, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: no template context, nothing that could fail again."""
    if is_api_request(request):
        return _json(exceptions.APIException.default_detail, status=500)
    return defaults.server_error(request)

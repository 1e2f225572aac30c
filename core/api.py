"""API pieces every app shares: service errors as DRF answers, list pages and their schema."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework import views as drf_views
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from core.pagination import Page

CURSOR = OpenApiParameter(
    "cursor", OpenApiTypes.STR, description=_("The `next` link's cursor; omit for the first page.")
)


def validation_error_detail(
    error: DjangoValidationError,
    *,
    field: str | None = None,
    fields_by_code: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """A service's ValidationError as DRF's `{field: [messages]}` body.

    An error raised without a field goes under the field its code maps to, else under `field`,
    else under DRF's non-field key.
    """
    if hasattr(error, "error_dict"):
        return error.message_dict
    code = getattr(error, "code", None)
    key = (fields_by_code or {}).get(code) or field or api_settings.NON_FIELD_ERRORS_KEY
    return {key: error.messages}


@contextmanager
def service_errors(
    *, field: str | None = None, fields_by_code: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Name the field a service's field-less ValidationError is about, for this one call.

    Errors a view does not wrap still answer 400 through `core.api_errors.exception_handler`,
    under the non-field key.
    """
    try:
        yield
    except DjangoValidationError as error:
        detail = validation_error_detail(error, field=field, fields_by_code=fields_by_code)
        raise serializers.ValidationError(detail) from error


def page_schema(item: type[serializers.Serializer], *, name: str) -> serializers.Serializer:
    """The documented shape of every list: `{"results": [...], "next": url or null}`."""
    return inline_serializer(
        name=name,
        fields={
            "results": item(many=True),
            "next": serializers.URLField(allow_null=True),
        },
    )


def page_response(
    request: Request, page: Page, serializer: type[serializers.Serializer], context: dict
) -> Response:
    """`{"results": [...], "next": absolute url of the next page or null}`."""
    next_url = None
    if page.next_cursor:
        next_url = replace_query_param(request.build_absolute_uri(), "cursor", page.next_cursor)
    results = serializer(page.items, many=True, context={"request": request, **context}).data
    return Response({"results": results, "next": next_url})


def request_cursor(request: Request) -> str | None:
    return request.query_params.get("cursor") or None


def set_response(data: dict, *, created: bool) -> Response:
    """What a POST that sets a state (a follow, a like…) answers: 201 when new, 200 when already."""
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def exception_handler(error: Exception, context: dict) -> Response | None:
    """DRF's handler, plus a service's ValidationError (and a stale cursor) as a 400.

    So a view that forgets `service_errors(...)` still answers 400 with the messages rather
    than 500; `service_errors` stays for naming the field.
    """
    if isinstance(error, DjangoValidationError):
        error = exceptions.ValidationError(validation_error_detail(error))
    return drf_views.exception_handler(error, context)

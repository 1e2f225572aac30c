"""The error answers of the API schema: a few shared components, added to every operation by rule.

A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]), so no view
declares its errors by hand and a new view is documented like the others. Each operation gets
the errors it can really give, judged from the view and the operation itself:

- 400 when it takes a body or query parameters, or sets something (POST, PUT, PATCH), since the
  services check the state too (liking a draft, following oneself);
- 403 always: a wrong token is refused everywhere, even where signing in is optional. Where
  signing in is required it is also the answer to no credentials: DRF answers 401 only when the
  first authentication class offers a WWW-Authenticate challenge, and the session, which comes
  first, has none;
- 404 when the path names something (a note, a board, a person…);
- 429 when the view is throttled.

An answer an operation documents itself is kept.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.plumbing import build_mock_request
from rest_framework.views import APIView

SCHEMAS = "#/components/schemas/"
RESPONSES = "#/components/responses/"

ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "description": "Every error but an invalid request.",
        "properties": {"detail": {"type": "string", "description": "What went wrong."}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": (
            "An invalid request: messages by field name, `non_field_errors` for the request as "
            "a whole. A list field's messages are by the position of the item at fault."
        ),
        "additionalProperties": {
            "oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            ]
        },
    },
}


def _error_response(description: str, **extra: Any) -> dict[str, Any]:
    """A response whose body is an `Error`."""
    content = {"application/json": {"schema": {"$ref": SCHEMAS + "Error"}}}
    return {"description": description, "content": content, **extra}


ERROR_RESPONSES: dict[str, dict[str, Any]] = {
    "BadRequest": {
        "description": (
            "The request is not valid (`ValidationError`), or its body cannot be read (`Error`)."
        ),
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": SCHEMAS + "ValidationError"},
                        {"$ref": SCHEMAS + "Error"},
                    ]
                }
            }
        },
    },
    "Forbidden": _error_response(
        "Not signed in (no credentials, or invalid ones: this API answers 403, never 401), "
        "or signed in but not allowed to do this.",
    ),
    "InvalidCredentials": _error_response(
        "Credentials were sent but are not valid (a wrong or revoked token). "
        "Send none to use this operation signed out.",
    ),
    "NotFound": _error_response(
        "Nothing here for this reader: it does not exist, or the reader may not see it "
        "(a draft, a private board, a deactivated account's notes and boards).",
    ),
    "TooManyRequests": _error_response(
        "Too many requests: try again after the seconds in Retry-After.",
        headers={
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer"},
            }
        },
    ),
}

WRITING_METHODS = {"POST", "PUT", "PATCH"}


def _views_by_operation(generator: Any) -> dict[tuple[str, str], APIView]:
    """The view behind each operation of the schema, as drf-spectacular built it."""
    views = {}
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        views[generator.coerce_path(path, method, view), method.lower()] = view
    return views


def _signed_out_allowed(view: APIView, method: str, path: str) -> bool:
    """Whether the view's permissions let a request without credentials through."""
    request = build_mock_request(method, path, view, None)
    request.user = AnonymousUser()
    return all(permission.has_permission(request, view) for permission in view.get_permissions())


def _errors(
    operation: dict[str, Any], view: APIView, method: str, *, signed_out: bool
) -> dict[str, str]:
    """The error responses (status → component name) this operation can give."""
    parameters = operation.get("parameters", [])
    errors = {}
    takes_input = "requestBody" in operation or any(p["in"] == "query" for p in parameters)
    if takes_input or method.upper() in WRITING_METHODS:
        errors["400"] = "BadRequest"
    errors["403"] = "InvalidCredentials" if signed_out else "Forbidden"
    if any(p["in"] == "path" for p in parameters):
        errors["404"] = "NotFound"
    if view.get_throttles():
        errors["429"] = "TooManyRequests"
    return errors


def error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Add the shared error components, and each operation's errors (see the module docstring).

    Also marks operations open to signed-out readers as such (an empty security requirement)
    where drf-spectacular could not tell, e.g. a view with no permission classes at all.
    """
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(ERROR_SCHEMAS)
    components.setdefault("responses", {}).update(ERROR_RESPONSES)
    views = _views_by_operation(generator)
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            view = views[path, method]
            signed_out = _signed_out_allowed(view, method, path)
            for code, name in _errors(operation, view, method, signed_out=signed_out).items():
                operation["responses"].setdefault(code, {"$ref": RESPONSES + name})
            security = operation.get("security")
            if signed_out and security and {} not in security:
                security.append({})
    return result

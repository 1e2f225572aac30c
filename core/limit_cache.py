"""Where rate limits keep their counts, so that Redis down or frozen never takes a page down.

Every limit counts through one of two cache aliases, both a LimitCache around the shared cache
(Redis in production; settings.CACHES):

- "rate_limits", the API throttles of ordinary traffic: when the shared cache fails, the limit
  is skipped (reads and writes go on unthrottled) and a warning says so.
- "security_limits", log-in, the token endpoint, sign-up and password reset: the counts move to
  the database cache instead, so a password guesser gains nothing from an outage. If the
  database fails too, LimitsUnavailable: a 503 with Retry-After, never a 500.

After a failure the shared cache is left alone for a few seconds (`outages`), so a frozen Redis
costs one socket timeout per process and period instead of one per request, and one warning.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from redis import RedisError

from core.errors import is_api_request

logger = logging.getLogger(__name__)

# What a cache that cannot be reached raises: redis-py's errors, and the socket's own (an address
# that does not resolve).
SHARED_CACHE_ERRORS = (RedisError, OSError)
RETRY_SHARED_CACHE_SECONDS = 5
# What a client is told to wait when no limit can be counted at all.
RETRY_AFTER_SECONDS = 30


class LimitsUnavailable(Exception):
    """Neither the shared cache nor the database can count a security limit just now."""

    retry_after = RETRY_AFTER_SECONDS


class Outages:
    """Which shared caches failed lately, per process: they are not asked again until a few
    seconds have passed. Each failure that starts such a pause is logged once, as a warning;
    the first success after one, once."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def is_on(self, alias: str) -> bool:
        until = self._until.get(alias)
        return until is not None and time.monotonic() < until

    def start(self, alias: str, error: Exception) -> None:
        self._until[alias] = time.monotonic() + RETRY_SHARED_CACHE_SECONDS
        logger.warning(
            "The cache %r is unreachable (%s: %s). For the next %d s API throttles are skipped "
            "and security limits count in the database.",
            alias,
            type(error).__name__,
            error,
            RETRY_SHARED_CACHE_SECONDS,
        )

    def end(self, alias: str) -> None:
        if self._until.pop(alias, None) is not None:
            logger.info("The cache %r is reachable again; rate limits count there.", alias)

    def clear(self) -> None:
        self._until.clear()


outages = Outages()


class LimitCache(BaseCache):
    """A cache backend for rate-limit counts: LOCATION names the cache alias that holds them;
    OPTIONS["FALLBACK"], if given, the alias that holds them while LOCATION fails.

    Only what django-ratelimit and DRF's throttles call is offered: add, get, set, incr,
    delete, clear. Without a fallback a failed call answers as a cache that keeps nothing, so
    every limit lets the request through (DummyCache's answers).
    """

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.primary = location or "default"
        self.fallback = params.get("OPTIONS", {}).get("FALLBACK")

    def _call(self, operation: str, *args: Any, when_skipped: Callable[[], Any]) -> Any:
        if not outages.is_on(self.primary):
            try:
                result = getattr(caches[self.primary], operation)(*args)
            except SHARED_CACHE_ERRORS as error:
                outages.start(self.primary, error)
            else:
                outages.end(self.primary)
                return result
        if self.fallback is None:
            return when_skipped()
        try:
            return getattr(caches[self.fallback], operation)(*args)
        except DatabaseError as error:
            logger.error("Security limits cannot be counted in the database either: %s", error)
            raise LimitsUnavailable from error

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        return self._call("add", key, value, timeout, version, when_skipped=lambda: True)

    def get(self, key: str, default: Any = None, version=None) -> Any:
        return self._call("get", key, default, version, when_skipped=lambda: default)

    def set(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> None:
        self._call("set", key, value, timeout, version, when_skipped=lambda: None)

    def incr(self, key: str, delta: int = 1, version=None) -> int:
        def not_counted() -> int:
            raise ValueError(f"Key '{key}' not found")

        return self._call("incr", key, delta, version, when_skipped=not_counted)

    def delete(self, key: str, version=None) -> bool:
        return self._call("delete", key, version, when_skipped=lambda: False)

    def clear(self) -> None:
        self._call("clear", when_skipped=lambda: None)


class CountingDatabaseCache(DatabaseCache):
    """The database cache security limits count in while Redis is away, with an incr that
    cannot lose a count.

    Django's database cache increments by reading the count and writing it back: two attempts
    at once both read 4 and both write 5, so a burst of password guesses counts as a few. Here
    the count's row is locked first (SELECT … FOR UPDATE), so concurrent increments queue and
    each one counts. SQLite has no row locks; its IMMEDIATE transactions (settings.sqlite_options)
    already let one writer in at a time.
    """

    def incr(self, key: str, delta: int = 1, version=None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608 (the table's name is ours)
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)


def limits_unavailable_message() -> str:
    return _("We cannot take this request safely right now. Please try again in a minute.")


class LimitsUnavailableMiddleware:
    """A page whose security limit cannot be counted answers a 503 with Retry-After.

    The API answers the same through core.throttling; this catches the pages' @ratelimit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LimitsUnavailable):
            return None
        if is_api_request(request):
            response: HttpResponse = JsonResponse(
                {"detail": limits_unavailable_message()}, status=503
            )
        else:
            response = render(
                request, "503.html", {"detail": limits_unavailable_message()}, status=503
            )
        response["Retry-After"] = str(exception.retry_after)
        return response

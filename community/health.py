"""Health endpoints for the load balancer: /healthz (liveness) and /readyz (readiness).

/healthz answers as soon as the process does and touches nothing else. /readyz asks the
database, the shared cache and the Celery broker, each with a short timeout: 200 when all
answer, 503 naming the ones that did not. Plain views: no rate limit or throttle counts them, the
HTTPS redirect spares them (settings.SECURE_REDIRECT_EXEMPT), and a failed probe is logged as
one warning per dependency, not as a server error (QuietHealthProbes).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from community.celery import app as celery_app

logger = logging.getLogger(__name__)
PROBE_PATHS = ("/healthz", "/readyz")


def database_answers() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_answers() -> None:
    caches["default"].get("readyz-probe")


def broker_answers() -> None:
    if celery_app.conf.task_always_eager:
        return  # embedded: tasks run in-process, there is no broker to reach
    with celery_app.connection_for_write(
        connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
        transport_options={"socket_timeout": settings.REDIS_SOCKET_TIMEOUT},
    ) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": database_answers,
    "cache": cache_answers,
    "broker": broker_answers,
}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Each dependency is "ok" or the name of the error it gave (details go to the log only)."""
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:  # whatever fails means "not ready", never a 500
            logger.warning("Readiness: %s is unavailable: %r", name, error)
            checks[name] = type(error).__name__
        else:
            checks[name] = "ok"
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


class QuietHealthProbes(logging.Filter):
    """Keeps django.request from logging a failed probe as a server error: readyz has said it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return getattr(request, "path", None) not in PROBE_PATHS

"""DRF throttles that count clients by core.http.client_ip, in a cache that survives Redis.

DRF's own get_ident believes any X-Forwarded-For a client sends unless NUM_PROXIES is set, so a
changing header would reset every per-IP limit. Every API throttle derives from these.

They count in the "rate_limits" cache (core.limit_cache): skipped while Redis is unreachable.
A security-sensitive throttle names "security_limits" instead, which counts in the database
then, and answers a 503 with Retry-After when it cannot count at all.
"""

import ipaddress

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.exceptions import ImproperlyConfigured
from rest_framework import exceptions, status, throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.http import client_ip
from core.limit_cache import LimitsUnavailable, limits_unavailable_message


class LimitsUnavailableError(exceptions.APIException):
    """503 with Retry-After (DRF sets it from `wait`): a security limit could not be counted."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "limits_unavailable"

    def __init__(self, *, wait: int) -> None:
        super().__init__(limits_unavailable_message())
        self.wait = wait


class ClientThrottleMixin:
    """Counts clients by client_ip; reads its rate per request (settings and tests change it)."""

    scope: str | None
    cache_alias = "rate_limits"

    @property
    def cache(self) -> BaseCache:
        return caches[self.cache_alias]

    def allow_request(self, request: Request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except LimitsUnavailable as error:
            raise LimitsUnavailableError(wait=error.retry_after) from error

    def get_ident(self, request: Request) -> str:
        """The client's address; for IPv6 its whole network, as django-ratelimit counts pages."""
        address = client_ip(request)
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return address
        if ip.version == 6:
            prefix = getattr(settings, "RATELIMIT_IPV6_MASK", 64)
        else:
            prefix = getattr(settings, "RATELIMIT_IPV4_MASK", 32)
        return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)

    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No default throttle rate set for '{self.scope}' scope")
        return rates[self.scope]


class AnonRateThrottle(ClientThrottleMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientThrottleMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientThrottleMixin, throttling.ScopedRateThrottle):
    pass


class AccountSettingThrottle(UserRateThrottle):
    """Requests per signed-in account at the rate a setting names (`rate_setting`), read per
    request like the pages' django-ratelimit rates, so one setting limits both."""

    rate_setting: str

    def get_rate(self) -> str:
        return getattr(settings, self.rate_setting)

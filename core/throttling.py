"""DRF throttles that count clients by core.http.client_ip.

DRF's own get_ident believes any X-Forwarded-For a client sends unless NUM_PROXIES is set, so a
changing header would reset every per-IP limit. Every API throttle derives from these.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.http import client_ip


class ClientThrottleMixin:
    """Counts clients by client_ip; reads its rate per request (settings and tests change it)."""

    scope: str | None

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

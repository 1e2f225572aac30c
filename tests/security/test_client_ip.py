"""Per-IP limits count the address that reached us, not what a client's headers claim."""

import pytest
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.views import APIView

from core.http import client_ip
from core.throttling import ClientThrottleMixin

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def api_rates(settings):
    def set_rates(**rates: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "user": "100/min", **rates},
        }

    return set_rates


def spoofed(attempt: int) -> str:
    return f"198.51.100.{attempt + 1}"


# --- The definition


def test_the_client_is_the_connecting_address_by_default():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "203.0.113.7"


def test_behind_a_proxy_the_header_it_sets_names_the_client(settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )

    assert client_ip(request) == "203.0.113.7"


def test_behind_counted_proxies_only_their_forwarded_for_entries_are_believed(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )

    assert client_ip(request) == "203.0.113.7"


def test_a_proxy_header_that_is_no_address_falls_back_to_the_connection(settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="unknown")

    assert client_ip(request) == "10.0.0.2"


# --- The limits that use it


def test_spoofed_forwarded_for_does_not_reset_the_token_limit_per_ip(anonymous, api_rates):
    api_rates(login="2/min")
    for attempt in range(2):
        anonymous.post(
            TOKEN_URL,
            {"username": f"guess{attempt}", "password": "p"},
            HTTP_X_FORWARDED_FOR=spoofed(attempt),
        )

    response = anonymous.post(
        TOKEN_URL, {"username": "guess9", "password": "p"}, HTTP_X_FORWARDED_FOR=spoofed(9)
    )

    assert response.status_code == 429


def test_spoofed_forwarded_for_does_not_reset_the_anonymous_read_limit(anonymous, api_rates, user):
    api_rates(anon="2/min")
    for attempt in range(2):
        anonymous.get("/api/v1/users/xiaohong/", HTTP_X_FORWARDED_FOR=spoofed(attempt))

    response = anonymous.get("/api/v1/users/xiaohong/", HTTP_X_FORWARDED_FOR=spoofed(9))

    assert response.status_code == 429


def test_spoofed_forwarded_for_does_not_reset_the_login_page_limit_per_ip(client, settings):
    settings.RATE_LIMIT_LOGIN_PER_IP = "2/m"
    for attempt in range(2):
        client.post(
            reverse("users:login"),
            {"username": f"guess{attempt}", "password": "p"},
            HTTP_X_FORWARDED_FOR=spoofed(attempt),
        )

    response = client.post(
        reverse("users:login"),
        {"username": "guess9", "password": "p"},
        HTTP_X_FORWARDED_FOR=spoofed(9),
    )

    assert response.status_code == 429


def test_behind_a_proxy_each_reported_client_has_its_own_token_limit(
    anonymous, api_rates, settings
):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    api_rates(login="2/min")
    for attempt in range(2):
        anonymous.post(
            TOKEN_URL,
            {"username": f"guess{attempt}", "password": "p"},
            HTTP_X_REAL_IP="203.0.113.7",
        )

    limited = anonymous.post(
        TOKEN_URL, {"username": "guess8", "password": "p"}, HTTP_X_REAL_IP="203.0.113.7"
    )
    other_client = anonymous.post(
        TOKEN_URL, {"username": "guess9", "password": "p"}, HTTP_X_REAL_IP="203.0.113.8"
    )

    assert (limited.status_code, other_client.status_code) == (429, 400)


def test_behind_a_proxy_each_reported_client_has_its_own_login_page_limit(client, settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    settings.RATE_LIMIT_LOGIN_PER_IP = "2/m"
    login = reverse("users:login")
    for attempt in range(2):
        client.post(login, {"username": f"guess{attempt}"}, HTTP_X_REAL_IP="203.0.113.7")

    limited = client.post(login, {"username": "guess8"}, HTTP_X_REAL_IP="203.0.113.7")
    other_client = client.post(login, {"username": "guess9"}, HTTP_X_REAL_IP="203.0.113.8")

    assert (limited.status_code, other_client.status_code) == (429, 200)


def test_ipv6_clients_are_counted_by_their_network(anonymous, api_rates, user):
    api_rates(anon="2/min")
    for host in (1, 2):
        anonymous.get("/api/v1/users/xiaohong/", REMOTE_ADDR=f"2001:db8:1:2::{host}")

    response = anonymous.get("/api/v1/users/xiaohong/", REMOTE_ADDR="2001:db8:1:2::3")

    assert response.status_code == 429


def test_every_api_throttle_counts_clients_by_client_ip():
    throttles = {
        throttle
        for view_class in api_view_classes(get_resolver().url_patterns)
        for throttle in view_class.throttle_classes
    }

    assert throttles
    assert [t for t in throttles if not issubclass(t, ClientThrottleMixin)] == []


def api_view_classes(patterns: list) -> set[type]:
    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found |= api_view_classes(pattern.url_patterns)
        elif isinstance(getattr(pattern.callback, "cls", None), type) and issubclass(
            pattern.callback.cls, APIView
        ):
            found.add(pattern.callback.cls)
    return found

"""Rate limits while the shared cache (Redis) is unreachable: ordinary traffic goes on, the
limits that guard accounts count in the database, and nothing answers a 500.

Here Redis is an address nobody listens on; tests/integration/test_redis_faults.py kills and
freezes a real one.
"""

import logging
import socket
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from community.settings import cache_settings
from core.limit_cache import outages
from tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """Rate limits count in a Redis with nobody listening (other caches stay as they are)."""
    dead_redis = cache_settings(f"redis://127.0.0.1:{unused_port()}/0")["default"]
    settings.CACHES = {
        **settings.CACHES,
        "dead_redis": dead_redis,
        "rate_limits": {**settings.CACHES["rate_limits"], "LOCATION": "dead_redis"},
        "security_limits": {**settings.CACHES["security_limits"], "LOCATION": "dead_redis"},
    }
    outages.clear()
    yield
    outages.clear()
    caches["rate_limits_database"].clear()


@pytest.fixture
def database_fallback_broken(settings, redis_down):
    """…and the database cache that security limits fall back to has no table."""
    settings.CACHES = {
        **settings.CACHES,
        "security_limits": {
            **settings.CACHES["security_limits"],
            "OPTIONS": {"FALLBACK": "missing_table"},
        },
        "missing_table": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "no_such_cache_table",
        },
    }


def log_in(client, username="someone", password="wrong-password"):  # noqa: S107
    return client.post(
        reverse("users:login"),
        {"username": username, "password": password},
        REMOTE_ADDR="203.0.113.7",
    )


def test_anonymous_api_read_is_answered_while_redis_is_down(anonymous, redis_down):
    note = NoteFactory()

    response = anonymous.get("/api/v1/notes/")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [note.pk]


def test_api_write_is_answered_while_redis_is_down(api, redis_down):
    note = NoteFactory()

    response = api.post(f"/api/v1/notes/{note.pk}/like/")

    assert response.status_code == 201


def test_api_throttles_are_skipped_while_redis_is_down(anonymous, redis_down, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"},
    }

    statuses = [anonymous.get("/api/v1/notes/").status_code for _request in range(4)]

    assert statuses == [200, 200, 200, 200]


def test_redis_down_is_logged_once_as_a_warning(anonymous, redis_down, caplog):
    caplog.set_level(logging.INFO, logger="core.limit_cache")

    for _request in range(3):
        anonymous.get("/api/v1/notes/")

    assert [(record.levelname, record.getMessage()[:33]) for record in caplog.records] == [
        ("WARNING", "The cache 'dead_redis' is unreach")
    ]


def test_login_page_limit_counts_in_the_database_while_redis_is_down(client, redis_down, settings):
    settings.RATE_LIMIT_LOGIN_PER_IP = "3/m"
    for attempt in range(3):
        assert log_in(client, username=f"guess{attempt}").status_code == 200

    response = log_in(client, username="guess3")

    assert response.status_code == 429
    assert caches["rate_limits_database"].get("anything") is None  # the table exists


def test_right_password_logs_in_while_redis_is_down(client, redis_down, user, password):
    response = log_in(client, username=user.username, password=password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_token_limit_counts_in_the_database_while_redis_is_down(anonymous, redis_down, settings):
    settings.RATE_LIMIT_LOGIN_PER_ACCOUNT = "2/m"
    statuses = [
        anonymous.post(
            "/api/v1/auth/token/",
            {"username": "xiaohong", "password": "guess"},
            REMOTE_ADDR=f"198.51.100.{attempt}",
        ).status_code
        for attempt in range(3)
    ]

    assert statuses == [400, 400, 429]


def test_signup_limit_counts_in_the_database_while_redis_is_down(client, redis_down, settings):
    settings.RATE_LIMIT_SIGNUP_PER_IP = "1/h"
    client.post(reverse("users:signup"), {"username": "first"})

    response = client.post(reverse("users:signup"), {"username": "second"})

    assert response.status_code == 429


def test_password_reset_limit_counts_in_the_database_while_redis_is_down(
    client, redis_down, settings
):
    settings.RATE_LIMIT_PASSWORD_RESET_PER_IP = "1/h"
    client.post(reverse("users:password_reset"), {"email": "someone@example.com"})

    response = client.post(reverse("users:password_reset"), {"email": "someone@example.com"})

    assert response.status_code == 429


@pytest.mark.django_db(transaction=True)  # the failed query must not abort the test's transaction
def test_login_answers_503_with_retry_after_when_no_limit_can_be_counted(
    client, database_fallback_broken
):
    response = log_in(client)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "503.html" in [template.name for template in response.templates]
    assert b"Please try again in a minute" in response.content


@pytest.mark.django_db(transaction=True)
def test_token_endpoint_answers_503_json_when_no_limit_can_be_counted(
    anonymous, database_fallback_broken
):
    response = anonymous.post("/api/v1/auth/token/", {"username": "xiaohong", "password": "p"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "detail": "We cannot take this request safely right now. Please try again in a minute."
    }


def test_showing_the_login_page_needs_no_limit(client, database_fallback_broken):
    response = client.get(reverse("users:login"))

    assert response.status_code == 200


def test_a_count_in_the_database_goes_up_by_each_increment():
    counts = caches["rate_limits_database"]
    counts.add("login:guesses", 0, 60)

    assert [counts.incr("login:guesses") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ValueError, match="not found"):
        counts.incr("login:never-added")
    counts.clear()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_guesses_at_once_each_count_in_the_database():
    counts = caches["rate_limits_database"]
    counts.add("login:burst", 0, 60)
    guesses = 16
    start = Barrier(guesses)

    def guess(_index: int) -> int:
        try:
            start.wait(timeout=30)
            return caches["rate_limits_database"].incr("login:burst")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=guesses) as pool:
        seen = sorted(pool.map(guess, range(guesses)))

    assert seen == list(range(1, guesses + 1))
    assert counts.get("login:burst") == guesses
    counts.clear()

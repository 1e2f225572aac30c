"""Shared fixtures, and the rule for tests that need PostgreSQL, Redis or Chromium.

A test marked `services` or `e2e` skips with its reason on a laptop without them, and fails
instead when REQUIRE_SERVICES=1 (as in CI).
"""

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation

from tests.factories import PASSWORD, UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/bin/chromium"


def missing_services() -> list[str]:
    missing = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing.append("PostgreSQL (set DATABASE_URL=postgres://…)")
    if not settings.REDIS_URL:
        missing.append("Redis (set REDIS_URL=redis://…)")
    return missing


def pytest_runtest_setup(item: pytest.Item) -> None:
    reasons = []
    if item.get_closest_marker("services"):
        reasons += missing_services()
    if item.get_closest_marker("e2e") and not shutil.which(CHROMIUM):
        reasons.append(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if reasons:
        message = "needs " + ", ".join(reasons)
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads land in a throw-away folder, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers cost ~0.3 s a user; tests check behaviour, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_unless_asked(settings):
    """Tests assert English text; a test of the Chinese site asks for it like a browser does."""
    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters, cached pages and cached note cards never leak from one test into
    the next (ids are reused after a rollback, so a card's key can repeat)."""
    cache.clear()
    caches["cards"].clear()
    yield
    cache.clear()


_zeal_patched = False


@pytest.fixture(autouse=True)
def _n_plus_one_fails_the_request(settings):
    """A page or API answer that loads a relation once per row raises zeal's NPlusOneError.

    zeal watches inside requests only (its middleware, first in the stack): a test may walk
    relations as it likes, the code it calls may not.
    """
    global _zeal_patched
    if not _zeal_patched:
        from zeal.constants import initialize_app_registry
        from zeal.patch import patch

        initialize_app_registry()
        patch()
        _zeal_patched = True
    settings.MIDDLEWARE = ["zeal.middleware.zeal_middleware", *settings.MIDDLEWARE]
    # Single reads zeal counts as repeats but that are not per row: taggit reads each tag and
    # tagging once when tags are set (at most TAGS_MAX, on a write); the session and the
    # signed-in account are read again by log-out, token and admin views; the product admin
    # saves each SKU a staff member changed through mall.services, which reads its stock back.
    settings.ZEAL_ALLOWLIST = [
        {"model": "taggit.Tag", "field": "get()"},
        {"model": "notes.TaggedNote", "field": "get()"},
        {"model": "sessions.Session", "field": "get()"},
        {"model": "users.User", "field": "get()"},
        {"model": "mall.Sku", "field": "get()"},
    ]


@pytest.fixture
def tasks_eager(monkeypatch):
    """Tasks the services enqueue run here, Redis or not: a real worker is tests/integration's."""
    from community.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(username="xiaohong", display_name="小红")


@pytest.fixture
def other_user(db):
    return UserFactory(username="xiaolan", display_name="小蓝")


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def make_api_client():
    """DRF test clients signed in as the user given, or anonymous; each call a new client.

    They ask for English, so API messages are asserted exactly whatever catalogues ship.
    """
    from rest_framework.test import APIClient  # imported here to keep these fixtures one block

    def make(user=None) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api(make_api_client, user):
    """The API signed in as `user`."""
    return make_api_client(user)


@pytest.fixture
def anonymous(make_api_client):
    """The API signed out."""
    return make_api_client()

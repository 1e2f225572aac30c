"""The site keeps serving when its Redis is killed or frozen (SIGSTOP).

Each test runs its own throw-away redis-server, never the shared one, with the production cache
settings pointed at it.
"""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
import redis
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from community.settings import cache_settings
from core import limit_cache
from tests.factories import NoteFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# A request that waited on a frozen Redis without a socket timeout would wait for good; with the
# settings' timeouts it is answered well within this.
ANSWER_WITHIN_SECONDS = 10


class ThrowawayRedis:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.kill()


@pytest.fixture
def throwaway_redis():
    """The production cache settings on a redis-server of this test's own."""
    if not shutil.which("redis-server"):
        missing = "needs redis-server (apt-get install redis-server): it starts its own"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(missing, pytrace=False)
        pytest.skip(missing)
    server = ThrowawayRedis()
    server.start()
    limit_cache.outages.clear()
    try:
        with override_settings(CACHES=cache_settings(server.url)):
            yield server
            caches["rate_limits_database"].clear()
    finally:
        server.stop()
        limit_cache.outages.clear()


def answered_within(seconds: float, request) -> int | None:
    """The status of `request()` run in a thread, or None if it has not answered in time."""
    statuses = []
    worker = threading.Thread(target=lambda: statuses.append(request()), daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    return statuses[0] if statuses else None


def log_in(username: str, password: str) -> int:
    return (
        Client()
        .post(reverse("users:login"), {"username": username, "password": password})
        .status_code
    )


def read_notes() -> int:
    return Client().get("/api/v1/notes/").status_code


def test_api_read_is_answered_after_redis_is_killed(throwaway_redis):
    NoteFactory()
    assert read_notes() == 200  # the cache's connection is open when Redis dies

    throwaway_redis.kill()

    assert read_notes() == 200


def test_log_in_works_after_redis_is_killed(throwaway_redis, user, password):
    assert log_in("someone", "wrong") == 200

    throwaway_redis.kill()

    assert log_in(user.username, password) == 302


def test_log_in_limit_still_holds_after_redis_is_killed(throwaway_redis, settings):
    settings.RATE_LIMIT_LOGIN_PER_IP = "2/m"
    throwaway_redis.kill()

    statuses = [log_in(f"guess{attempt}", "wrong") for attempt in range(3)]

    assert statuses == [200, 200, 429]


def test_api_read_is_answered_while_redis_is_frozen(throwaway_redis):
    assert read_notes() == 200

    throwaway_redis.freeze()

    assert answered_within(ANSWER_WITHIN_SECONDS, read_notes) == 200


def test_log_in_works_while_redis_is_frozen(throwaway_redis, user, password):
    throwaway_redis.freeze()

    assert answered_within(ANSWER_WITHIN_SECONDS, lambda: log_in(user.username, password)) == 302


def test_limits_count_in_redis_again_once_it_is_back(throwaway_redis, settings, monkeypatch):
    monkeypatch.setattr(limit_cache, "RETRY_SHARED_CACHE_SECONDS", 0)
    settings.RATE_LIMIT_LOGIN_PER_IP = "1/m"
    throwaway_redis.kill()
    log_in("guess", "wrong")  # counted in the database

    throwaway_redis.start()
    statuses = [log_in(f"guess{attempt}", "wrong") for attempt in range(2)]

    assert statuses == [200, 429]
    assert redis.Redis.from_url(throwaway_redis.url).keys("*rl:*")

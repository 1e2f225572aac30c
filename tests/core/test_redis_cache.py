"""The Redis cache backend keeps one client per connection pool (core.redis_cache)."""

import threading

import pytest
from django.conf import settings

from core.redis_cache import RedisCache

pytestmark = pytest.mark.services


@pytest.fixture
def redis_cache():
    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-kept-clients"})
    yield cache
    cache.clear()


def test_the_cache_makes_one_client_for_its_pool(redis_cache):
    first = redis_cache._cache.get_client()
    again = redis_cache._cache.get_client(write=True)

    assert again is first


def test_the_kept_client_reads_what_it_wrote(redis_cache):
    redis_cache.set("kept", {"a": 1}, 30)

    assert redis_cache.get("kept") == {"a": 1}
    assert redis_cache.get_many(["kept", "missing"]) == {"kept": {"a": 1}}


def test_threads_share_the_client_and_each_gets_its_own_answers(redis_cache):
    errors = []

    def worker(number: int) -> None:
        for round_ in range(50):
            redis_cache.set(f"t{number}", round_, 30)
            if redis_cache.get(f"t{number}") != round_:
                errors.append((number, round_))

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(redis_cache._cache._clients) == 1

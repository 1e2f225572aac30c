"""Django's Redis cache, with one client per connection pool instead of one per call.

Django's RedisCacheClient.get_client() builds a new redis.Redis around the pool for every cache
call, and building one fills its table of about 170 response callbacks: a page makes several
cache calls, and these clients cost it more than the calls' own Python. A redis.Redis holds no
connection of its own (each command takes one from the pool and gives it back), so one client
per pool serves every thread of the process. Pools are still made on first use, after
gunicorn forks (community.warmup).
"""

from typing import Any

from django.core.cache.backends import redis as django_redis


class _KeptClients(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}  # by id() of the pool: pools live as long as this

    def get_client(self, key: str | None = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    """settings.CACHES' Redis backend: Django's, keeping its clients (see above)."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _KeptClients

"""`python -m bench.services`: check the bench's PostgreSQL and Redis, create its database.

Run by `make bench` before anything else, so a missing service is named, not a traceback.
"""

import os
import sys
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hongshu_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"  # db 0 is the test suite's


def ensure_database(url: str) -> str | None:
    """Create the database of `url` when it is missing; a problem is returned as a sentence."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')  # a name from our own settings
                print(f"Created the database {name}.")  # noqa: T201
    except psycopg.Error as error:
        return f"PostgreSQL at {parts.hostname}:{parts.port or 5432} is not reachable ({error})"
    return None


def check_redis(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        return f"Redis at {url} is not reachable ({error})"
    return None


def main() -> int:
    problems = [
        ensure_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)),
        check_redis(os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)),
    ]
    problems = [problem for problem in problems if problem]
    for problem in problems:
        print(f"make bench needs it: {problem}", file=sys.stderr)  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

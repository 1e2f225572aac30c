"""Production-like settings for `make bench`: DEBUG off, PostgreSQL, Redis, collected static.

The bench's own database and Redis come from BENCH_DATABASE_URL and BENCH_REDIS_URL (by default
the local services, Redis db 10 so the test suite's db 0 is left alone), never from DATABASE_URL:
a developer's database is not the bench's.
API throttles are lifted so a load generator measures the API, not its 429s.
"""

import os
from pathlib import Path

from bench.services import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL

_ROOT = Path(__file__).resolve().parent.parent
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-never-used-by-a-real-site")
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"  # gunicorn on 127.0.0.1 speaks plain HTTP
os.environ.setdefault("DJANGO_STATIC_ROOT", str(_ROOT / ".bench" / "static"))
os.environ["API_THROTTLE_ANON"] = "1000000/min"
os.environ["API_THROTTLE_USER"] = "1000000/min"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from community.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"

# The bench's reader asks for Discover hundreds of times in a minute: with the week-long seen
# window they would see every candidate within a few requests and then time the "all caught up"
# page. With no window each request ranks and renders a full first page, as a reader does on a
# visit with new notes; the seen set is still read and written.
DISCOVER_SEEN_DAYS = 0

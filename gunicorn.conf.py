"""gunicorn's settings for production: `make serve` (gunicorn --config gunicorn.conf.py).

Bind with --bind or $PORT (gunicorn's default: 127.0.0.1:8000). Behind nginx as the README's
"Production" section shows; the worker also holds out against slow clients on its own.
"""

import multiprocessing
import os

from community.server import ThreadWorker


def env_number(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


wsgi_app = "community.wsgi:application"

# Processes for the CPUs, threads for requests that wait on the database or Redis.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))


class Worker(ThreadWorker):
    """gthread that reads request headers in its event loop (community.server): a slow client
    holds no thread; its headers must be complete within `header_timeout` seconds, and a client
    silent for `body_timeout` seconds in the middle of a request has hung up."""

    header_timeout = env_number("GUNICORN_HEADER_TIMEOUT", 10)
    body_timeout = env_number("GUNICORN_BODY_TIMEOUT", 30)


worker_class = Worker

# A worker silent this long is killed and replaced; a stopping one gets this long to finish.
timeout = 30
graceful_timeout = 30
# Idle kept-alive connections are closed after this (the proxy reuses its own to gunicorn).
keepalive = 5
# Workers are replaced now and then, not all at once, so a slow leak cannot grow for ever. Not
# often: a replacement starts with empty kept fragments (core.fragments, in each process's
# memory) and new connections, and the connections it held move to the other workers, which
# then carry more than their share. At a thousand requests a busy worker was replaced every few
# seconds, and the bench's ceiling lost half its throughput to it.
max_requests = 25_000
max_requests_jitter = 2_500

# Errors to stderr; requests are logged by the proxy in front.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The application is loaded once, in the master, and warmed there (community.warmup) before any
# worker is forked: each worker, the first ones and every replacement after max_requests, then
# serves its first request as fast as its thousandth (the first Nearby and the first search
# took half a second more), and shares that memory with the others until it writes to it.
# What the master holds is then frozen out of the garbage collector's walks (0.24 s pauses).
# Nothing is connected before the fork: Django and Redis open their connections on first use.
preload_app = True


def when_ready(server) -> None:
    from community.warmup import before_fork

    before_fork()

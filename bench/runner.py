"""`manage.py bench`: seed if needed, measure every registry entry, write bench/results/.

In-process pages go through Django's test Client with the full middleware stack, signed in
as the typical reader: timed without query capture, then requested once more with capture for
the query count and the EXPLAIN. Only reports: nothing here asserts a time.
"""

import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench import dataset, explain, registry, report
from bench.report import Result, percentile
from bench.targets import Targets, describe, find_targets
from community import warmup
from notes.services import hot

BENCH_URLCONF = "bench.urls"


@dataclass
class Options:
    scale: float = 1.0
    requests: int = 200  # a p95 of 60 requests moved by 10 ms between runs on this machine
    warmup: int = 3
    http: bool = True
    seconds: int = 10
    workers: int = 2
    connections: int = 4
    only: frozenset[str] | None = None
    name: str = "latest"
    seed: bool = True


@dataclass
class Context:
    options: Options
    targets: Targets
    log: Any


def production_like() -> list[str]:
    """What differs from production (empty when nothing does)."""
    gaps = []
    if settings.DEBUG:
        gaps.append("DEBUG is on")
    if connection.vendor != "postgresql":
        gaps.append(f"the database is {connection.vendor}, not PostgreSQL")
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        gaps.append("the cache is not Redis")
    return gaps


def _ensure_static() -> None:
    """DEBUG off serves hashed static names: they need a collected manifest."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest and not Path(settings.STATIC_ROOT, manifest).exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def _client(targets: Targets, *, anonymous: bool) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.raise_request_exception = False
    if not anonymous:
        client.force_login(targets.reader)
    return client


def measure_page(
    entry: registry.PageEntry, url: str, client: Client, options: Options
) -> tuple[Result, int]:
    """(in-process result, bytes of the last response)."""
    for _ in range(options.warmup):
        client.get(url)
    seconds, statuses = [], set()
    response = None
    for _ in range(options.requests):
        started = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        statuses.add(response.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = captured.captured_queries
    notes = [] if statuses == {200} else [f"status {sorted(statuses)}"]
    result = Result(
        entry.name,
        "inprocess",
        p50_ms=percentile(seconds, 0.5) * 1000,
        p95_ms=percentile(seconds, 0.95) * 1000,
        max_ms=max(seconds) * 1000,
        queries=len(queries),
    )
    if entry.explain:
        lines, scanned = explain.explain_queries(queries)
        result.explain = lines
        notes.append(
            "seq scan on " + ", ".join(sorted(scanned)) if scanned else "plans use indexes"
        )
    result.note = "; ".join(notes) or None
    return result, len(response.content)


def run(options: Options, log: Any = print) -> Path:
    started = time.perf_counter()
    gaps = production_like()
    if gaps:
        log("Not production-like: " + ", ".join(gaps) + ".")
    if options.seed:
        dataset_result = dataset.seed(scale=options.scale, log=log)
        if dataset_result.seeded:
            report.remember_seeding(
                scale=options.scale, seconds=dataset_result.seconds, rows=dataset_result.rows
            )
    _ensure_static()
    cache.clear()
    # What the beat keeps fresh on a running site: the hot list of the last hours.
    hot.hot_list_refresh()
    log("Finding the reader, the heaviest pages and the deep cursors…")
    targets = find_targets()
    # In-process pages are measured in a worker's state: warmed and frozen as gunicorn's master
    # leaves it (gunicorn.conf.py).
    warmup.before_fork()
    context = Context(options=options, targets=targets, log=log)
    wanted = options.only
    results: list[Result] = []
    cookies: dict[str, str | None] = {}
    page_bytes: dict[str, int] = {}
    with override_settings(ROOT_URLCONF=BENCH_URLCONF):
        clients = {False: _client(targets, anonymous=False), True: _client(targets, anonymous=True)}
        member = clients[False].cookies.get(settings.SESSION_COOKIE_NAME)
        cookies = {"member": f"{member.key}={member.value}" if member else None}
        entries = [registry.CEILING] + [e for e in registry.PAGES if e is not registry.CEILING]
        for entry in entries:
            if wanted and entry.name not in wanted and entry is not registry.CEILING:
                continue
            url = entry.url(targets)
            if entry is registry.CEILING:
                # As large as Discover's page: the ceiling renders the same number of bytes.
                discover = clients[False].get("/")
                url = f"{targets.ceiling_url}?bytes={len(discover.content)}"
                targets.ceiling_url = url
            if url is None:
                results.append(Result(entry.name, "inprocess", note="nothing to measure here"))
                continue
            log(f"  {entry.name}: {url[:90]}")
            result, size = measure_page(entry, url, clients[entry.anonymous], options)
            page_bytes[entry.name] = size
            results.append(result)
    if "discover_page" in page_bytes:
        results.append(
            Result(
                "discover_page_bytes",
                "inprocess",
                value=page_bytes["discover_page"],
                note="HTML bytes of Discover's first page (the ceiling renders as many)",
            )
        )
    for job in registry.JOBS:
        if wanted and job.name not in wanted:
            continue
        log(f"  {job.name}")
        results.append(job.run(context))
    if options.http:
        results += _http(options, targets, cookies, wanted, log)
    for entry in registry.PENDING:
        if not wanted or entry.name in wanted:
            results.append(Result(entry.name, entry.kind, note=entry.why))
    preamble = _preamble(options, gaps, targets, time.perf_counter() - started)
    path = report.write(
        name=options.name,
        dataset=dataset.dataset_rows(),
        results=results,
        preamble=preamble,
        scale=options.scale,
    )
    log(f"Wrote {path} and {path.with_suffix('.md')}.")
    return path


def _http(
    options: Options,
    targets: Targets,
    cookies: dict[str, str | None],
    wanted: frozenset[str] | None,
    log: Any,
) -> list[Result]:
    from bench import http

    if http.wrk_path() is None:
        log(http.WRK_MISSING)
        return [Result("ceiling", "http", note=http.WRK_MISSING)]
    if settings.ROOT_URLCONF != BENCH_URLCONF:
        why = "HTTP measurements need DJANGO_SETTINGS_MODULE=bench.settings (make bench)"
        log(why)
        return [Result("ceiling", "http", note=why)]
    entries = []
    for entry in registry.PAGES:
        if not entry.http or (wanted and entry.name not in wanted and entry.name != "ceiling"):
            continue
        url = targets.ceiling_url if entry is registry.CEILING else entry.url(targets)
        if url is not None:
            entries.append((entry.name, url, None if entry.anonymous else cookies["member"]))
    log(f"  over HTTP: {len(entries)} URLs, {options.seconds} s each")
    return http.measure(
        entries,
        seconds=options.seconds,
        workers=options.workers,
        connections=options.connections,
        settings_module=os.environ.get("DJANGO_SETTINGS_MODULE", "bench.settings"),
    )


def _preamble(options: Options, gaps: list[str], targets: Targets, seconds: float) -> list[str]:
    database = connection.settings_dict
    lines = [
        f"Scale {options.scale}; {options.requests} requests per in-process row after "
        f"{options.warmup} warm-ups; HTTP: "
        + (
            f"{options.seconds} s per URL, {options.connections} connections, "
            f"gunicorn as gunicorn.conf.py runs it (preloaded, threaded workers) with "
            f"{options.workers} workers, wrk; a run counts when the workers shared its load "
            "(bench/http.py), or the note says they never did"
            if options.http
            else "off"
        )
        + f". The run took {seconds:.0f} s.",
        f"Database {connection.vendor} `{database.get('NAME')}`, cache "
        f"`{settings.CACHES['default']['BACKEND']}`, DEBUG={settings.DEBUG}; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}.",
        "Times are wall-clock on a shared machine: other processes compete for its CPUs, so "
        "compare ratios to the ceiling between runs rather than raw milliseconds.",
    ]
    if gaps:
        lines.append("**Not production-like:** " + ", ".join(gaps) + ".")
    lines += ["", "What the pages show:", *describe(targets)]
    return lines

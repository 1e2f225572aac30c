"""Throughput over HTTP: gunicorn serving the site on 127.0.0.1, wrk loading one URL at a time.

Every URL is loaded for the same time with the same connections, the ceiling among them, so
`ratio_to_ceiling` (a page's requests per second over the ceiling's) means the same on a busy
machine. The workers' peak memory is read from /proc after the run.

A run counts only when the workers shared its load. A gthread worker keeps every kept-alive
connection it accepted, and wrk opened its few connections at once: often one worker took three
or all four, and then one CPU served them while the other idled (Discover measured 122, 111 and
71 requests a second for splits of 2-2, 3-1 and 4-0). So wrk runs a thread per worker, each
opening its share of the connections 100 ms after the one before (wrk_report.lua), when the
first worker is busy; and each worker's CPU time is read before and after a run: a run where
one worker did less than half its share is loaded again, up to BALANCE_TRIES times, and the note
says how many runs it took and each worker's share.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from bench.report import Result

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
WRK_MISSING = "wrk is not installed (apt-get install -y wrk): no HTTP measurements"
BALANCE_TRIES = 4
BALANCED_SHARE = 0.5  # of an even share: with 2 workers, each did at least a quarter of the work


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(*, workers: int, settings_module: str):
    """A gunicorn serving the site on a free port of 127.0.0.1; yields (base URL, process)."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "community.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/bench/ceiling/", timeout=5):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def worker_peak_rss_mb(master_pid: int) -> float | None:
    """The largest peak resident memory (VmHWM) among the master's worker processes."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid) and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return max(peaks) if peaks else None


def workers_cpu(master_pid: int) -> dict[int, int]:
    """CPU time (user + system, in clock ticks) of each of the master's worker processes."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After the command's ")": state, ppid, ... utime and stime are the 12th and 13th.
        if fields[1] == str(master_pid):
            ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    return ticks


def worker_shares(before: dict[int, int], after: dict[int, int]) -> list[float]:
    """Each worker's share of the CPU time spent between two readings, largest first; a worker
    started in between (a replacement) counts from zero, one gone is left out."""
    spent = [after[pid] - before.get(pid, 0) for pid in after]
    total = sum(spent)
    return sorted((ticks / total for ticks in spent), reverse=True) if total > 0 else []


def shared_evenly(shares: list[float], *, workers: int) -> bool:
    """Every worker did at least BALANCED_SHARE of an even share (no reading: not judged)."""
    if not shares:
        return True
    return len(shares) >= workers and min(shares) >= BALANCED_SHARE / workers


def load(
    url: str, *, cookie: str | None, seconds: int, connections: int, threads: int = 1
) -> dict[str, Any]:
    """One wrk run; `threads` open their connections in turn (wrk_report.lua)."""
    command = [
        wrk_path() or "wrk",
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--script",
        str(WRK_SCRIPT),
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    finished = subprocess.run(  # noqa: S603 - our own arguments
        [*command, url], capture_output=True, text=True, check=True
    )
    report = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    return json.loads(report[-1])


def measure(
    entries: list[tuple[str, str, str | None]],
    *,
    seconds: int,
    workers: int,
    connections: int,
    settings_module: str,
) -> list[Result]:
    """`entries` are (name, path, cookie); the first must be the ceiling."""
    results: list[Result] = []
    with gunicorn(workers=workers, settings_module=settings_module) as (base, process):
        for name, path, cookie in entries:
            # Warm-up, its connections opened as the run's are: both workers warm their caches.
            load(
                f"{base}{path}",
                cookie=cookie,
                seconds=1,
                connections=connections,
                threads=workers,
            )
            numbers, shares, tries = _balanced_load(
                f"{base}{path}",
                cookie=cookie,
                seconds=seconds,
                connections=connections,
                master_pid=process.pid,
                workers=workers,
            )
            rps = numbers["requests"] / (numbers["duration_us"] / 1_000_000)
            failed = numbers["errors"] + numbers["non2xx"]
            results.append(
                Result(
                    name,
                    "http",
                    p50_ms=numbers["p50_us"] / 1000,
                    p95_ms=numbers["p95_us"] / 1000,
                    max_ms=numbers["max_us"] / 1000,
                    rps=rps,
                    note=f"{numbers['requests']} requests in {seconds} s"
                    + (f", {failed} failed" if failed else "")
                    + _balance_note(shares, tries, workers=workers),
                )
            )
        peak = worker_peak_rss_mb(process.pid)
    ceiling = results[0].rps if results else None
    for result in results:
        if ceiling:
            result.ratio_to_ceiling = result.rps / ceiling
    results.append(
        Result(
            "worker_rss_mb",
            "http",
            value=peak,
            note=f"peak resident memory (VmHWM) of the largest of {workers} gunicorn workers",
        )
    )
    return results


def _balanced_load(
    url: str, *, cookie: str | None, seconds: int, connections: int, master_pid: int, workers: int
) -> tuple[dict[str, Any], list[float], int]:
    """The first run the workers shared evenly, else the one with the most requests a second;
    with each worker's share of it and how many runs were made."""
    best = None
    for tries in range(1, BALANCE_TRIES + 1):
        before = workers_cpu(master_pid)
        numbers = load(
            url, cookie=cookie, seconds=seconds, connections=connections, threads=workers
        )
        shares = worker_shares(before, workers_cpu(master_pid))
        if shared_evenly(shares, workers=workers):
            return numbers, shares, tries
        rate = numbers["requests"] / numbers["duration_us"]
        if best is None or rate > best[0]:
            best = (rate, numbers, shares)
    _rate, numbers, shares = best
    return numbers, shares, BALANCE_TRIES


def _balance_note(shares: list[float], tries: int, *, workers: int) -> str:
    if not shares:
        return ""
    split = "/".join(f"{share:.0%}" for share in shares)
    if not shared_evenly(shares, workers=workers):
        return f"; workers never shared it evenly in {tries} runs (best: {split})"
    return f"; workers' shares {split}" + (f" (run {tries})" if tries > 1 else "")

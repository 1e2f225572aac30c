"""Slow clients do not stop the site: the production server (gunicorn.conf.py, `make serve`)
answers others while clients trickle their headers or stop short of their body.

The server runs as in production (DEBUG off), with one worker of two threads, fewer than the
slow clients, on a SQLite file of its own: /readyz asks its database, cache and broker.
"""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADER_TIMEOUT = 5
BODY_TIMEOUT = 2
# How long a normal request may wait for its answer; a server whose threads all wait on slow
# clients never answers it.
ANSWER_TIMEOUT = 5


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, *, timeout: float = ANSWER_TIMEOUT) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`make serve`'s command on a free port; yields the port, stops the server after."""
    port = unused_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="slow-clients-test-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",  # no TLS proxy in front here
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('server') / 'db.sqlite3'}",
        GUNICORN_HEADER_TIMEOUT=str(HEADER_TIMEOUT),
        GUNICORN_BODY_TIMEOUT=str(BODY_TIMEOUT),
    )
    process = subprocess.Popen(  # noqa: S603 - gunicorn with our own configuration
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                get(port, "/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the production server did not start")
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class SlowClient:
    """Sends a request's headers one byte a second, and never finishes them."""

    REQUEST = b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sent = 0
        self.cut_off = False

    def send_next_byte(self) -> None:
        if self.cut_off:
            return
        try:
            self.sock.send(self.REQUEST[self.sent : self.sent + 1])
            self.sent += 1
        except OSError:
            self.cut_off = True

    def is_open(self) -> bool:
        """Neither closed by the server nor answered."""
        if self.cut_off:
            return False
        self.sock.setblocking(False)
        try:
            self.sock.recv(1)  # b"": closed; bytes: answered
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            self.sock.setblocking(True)
        return False

    def answer(self, timeout: float) -> bytes:
        """What the server sends before it closes the connection."""
        self.sock.settimeout(timeout)
        received = b""
        while chunk := self.sock.recv(1024):
            received += chunk
        return received


@pytest.fixture
def slow_clients(server):
    """Ten connections trickling their headers, one byte a second each."""
    clients = [SlowClient(server) for _client in range(10)]
    stop = threading.Event()

    def trickle() -> None:
        while not stop.is_set():
            for client in clients:
                client.send_next_byte()
            stop.wait(1)

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    yield clients
    stop.set()
    trickler.join(timeout=5)
    for client in clients:
        client.sock.close()


def test_a_request_is_answered_while_ten_clients_trickle_their_headers(server, slow_clients):
    time.sleep(2)  # every slow client has sent a few bytes: in plain gthread, each holds a thread

    status = get(server, "/readyz")

    assert status == 200
    assert [client.is_open() for client in slow_clients] == [True] * 10


def test_headers_still_incomplete_after_the_header_timeout_get_408(server):
    client = SlowClient(server)
    client.send_next_byte()

    answer = client.answer(timeout=HEADER_TIMEOUT + 5)

    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_body_shorter_than_its_content_length_frees_its_thread(server):
    stalled = [socket.create_connection(("127.0.0.1", server), timeout=5) for _client in range(2)]
    for sock in stalled:  # one for each thread
        sock.sendall(
            b"POST /api/v1/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user'
        )

    status = get(server, "/readyz", timeout=BODY_TIMEOUT + ANSWER_TIMEOUT)

    assert status == 200
    for sock in stalled:  # answered as a body cut off, not as a server error
        assert sock.recv(12) == b"HTTP/1.1 400"
        sock.close()


def test_a_kept_alive_connection_serves_its_next_request(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=ANSWER_TIMEOUT)
    statuses = []
    for path in ["/healthz", "/readyz"]:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()

    assert statuses == [200, 200]

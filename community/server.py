"""The gunicorn worker of `make serve` (gunicorn.conf.py): gthread, but no slow client holds a
thread.

gunicorn's gthread worker hands a connection to a thread as soon as its first byte arrives, and
the thread then waits, with no time limit, for the rest of the request: ten clients sending
their headers a byte a second hold ten threads, and a body shorter than its Content-Length holds
one for good. This worker reads request headers in its event loop, without blocking, and gives a
connection to a thread only once its headers are complete; a client still sending them after
`header_timeout` seconds is answered 408 and disconnected. While a thread serves a request, a
client silent for `body_timeout` seconds is taken to have hung up (a body that stops short of
its Content-Length ends there), so the thread is free again.

A buffering proxy in front (docs in the README) remains the first defence; this keeps the site
up when the proxy lets slow clients through, or when there is none. With gunicorn's own TLS
(certfile) the worker behaves as gthread does: encrypted headers cannot be read this way.
"""

import contextlib
import errno
import selectors
import time
from functools import partial

from gunicorn.http.unreader import SocketUnreader
from gunicorn.workers import gthread

HEADERS_END = b"\r\n\r\n"
# Past this the headers go to gunicorn's parser complete or not, and it refuses them.
HEADERS_MAX_BYTES = 1024 * 1024
REQUEST_TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
)


class SilenceEndsReading(SocketUnreader):
    """A client silent for the socket's timeout has hung up, as far as reading goes: the body
    ends there, and Django answers a cut-off body as it does any (a 400, not a 500)."""

    def chunk(self) -> bytes:
        try:
            return self.sock.recv(self.mxchunk)
        except TimeoutError:
            return b""


class Connection(gthread.TConn):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.head = b""  # the request headers received so far

    def init(self) -> None:
        is_new = self.parser is None
        super().init()
        if is_new and not self.cfg.is_ssl:
            self.parser.unreader = SilenceEndsReading(self.sock)


class ThreadWorker(gthread.ThreadWorker):
    header_timeout: float = 10.0
    body_timeout: float = 30.0

    def init_process(self) -> None:
        # The connections whose headers are arriving, and when they must be complete.
        self.arriving: dict[Connection, float] = {}
        super().init_process()

    def accept(self, server, listener) -> None:
        """gthread's accept, and the clock starts for the headers."""
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        conn = Connection(self.cfg, sock, client, server)
        self.nr_conns += 1
        if not self.cfg.is_ssl:
            self.arriving[conn] = time.monotonic() + self.header_timeout
        with self._lock:
            self.poller.register(
                conn.sock, selectors.EVENT_READ, partial(self.on_client_socket_readable, conn)
            )

    def on_client_socket_readable(self, conn: Connection, client) -> None:
        """Reads what has arrived without waiting; a thread gets the connection once its
        headers are complete."""
        if self.cfg.is_ssl:
            super().on_client_socket_readable(conn, client)
            return
        if conn not in self.arriving:  # a kept-alive connection: its next request begins
            with self._lock:
                try:
                    self._keep.remove(conn)
                except ValueError:
                    return  # closed by murder_keepalived meanwhile
            self.arriving[conn] = time.monotonic() + self.header_timeout
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self.drop(conn)
            return
        conn.head += data
        if HEADERS_END not in conn.head and len(conn.head) < HEADERS_MAX_BYTES:
            return
        del self.arriving[conn]
        with self._lock:
            self.poller.unregister(conn.sock)
        conn.init()
        conn.parser.unreader.unread(conn.head)
        conn.head = b""
        conn.sock.settimeout(self.body_timeout)
        self._wrap_future(self.tpool.submit(self.handle, conn), conn)

    def murder_keepalived(self) -> None:
        """gthread's closing of idle kept-alive connections, and of headers too slow to come."""
        super().murder_keepalived()
        now = time.monotonic()
        for conn, deadline in list(self.arriving.items()):
            if deadline <= now:
                if conn.head:
                    with contextlib.suppress(OSError):
                        conn.sock.send(REQUEST_TIMEOUT_ANSWER)
                self.drop(conn)

    def drop(self, conn: Connection) -> None:
        """Forgets a connection that never became a request, and closes it."""
        self.arriving.pop(conn, None)
        with self._lock, contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)  # already gone when the client went first
        self.nr_conns -= 1
        conn.close()

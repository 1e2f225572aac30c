"""A small local HTTP server that answers like Stripe's API, and webhook signatures made exactly
as Stripe makes them. No network, and no mock of the stripe library: the library really
sends its requests, here.
"""

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from urllib.parse import parse_qsl

WEBHOOK_SECRET = "whsec_test_secret"


def stripe_signature(payload: bytes, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """The Stripe-Signature header: `t=<unix time>,v1=<HMAC-SHA256 of "t.payload">`."""
    timestamp = int(time.time()) if at is None else at
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


@dataclass
class Request:
    method: str
    path: str
    form: dict[str, str]
    headers: dict[str, str]


@dataclass
class FakeStripe:
    """What the server was asked, and the sessions it made."""

    url: str = ""
    requests: list[Request] = field(default_factory=list)
    sessions: dict[str, dict] = field(default_factory=dict)
    ids: count = field(default_factory=lambda: count(1))

    def answer(self, request: Request) -> tuple[int, dict]:
        if request.method == "POST" and request.path == "/v1/checkout/sessions":
            number = next(self.ids)
            session = {
                "id": f"cs_test_{number}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/pay/cs_test_{number}",
                "status": "open",
                "client_reference_id": request.form.get("client_reference_id"),
                "payment_status": "unpaid",
            }
            self.sessions[session["id"]] = session
            return 200, session
        if request.method == "GET" and request.path.startswith("/v1/checkout/sessions/"):
            session = self.sessions.get(request.path.rsplit("/", 1)[1])
            if session is None:
                return 404, {
                    "error": {"type": "invalid_request_error", "message": "No such session"}
                }
            return 200, session
        if request.method == "POST" and request.path == "/v1/refunds":
            return 200, {
                "id": f"re_test_{next(self.ids)}",
                "object": "refund",
                "amount": int(request.form["amount"]),
                "payment_intent": request.form["payment_intent"],
                "status": "succeeded",
            }
        return 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}

    def made(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if (r.method, r.path) == (method, path)]


def start(fake: FakeStripe) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            request = Request(
                method=self.command,
                path=self.path.split("?", 1)[0],
                form=dict(parse_qsl(body, keep_blank_values=True)),
                headers={key.lower(): value for key, value in self.headers.items()},
            )
            fake.requests.append(request)
            status, data = fake.answer(request)
            encoded = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server

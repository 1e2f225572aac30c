"""Who is reading: a signed-in account, or a signed-out reader known by a signed cookie.

Impressions and the seen set count readers by key ("u<user id>" or "a<random id>"), so a
signed-out reader who reloads a page is one reader, not many. The cookie holds only a random id,
signed so it cannot be forged into someone else's.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from core.http import client_ip

READER_COOKIE = "hongshu_reader"
READER_COOKIE_SALT = "hongshu.reader"
READER_COOKIE_MAX_AGE = 60 * 60 * 24 * 365
_CACHED = "_hongshu_reader"


@dataclass(frozen=True)
class Reader:
    key: str
    user_id: int | None
    cookie: str | None = None  # a new signed-out id, to be set on the response

    @property
    def is_new(self) -> bool:
        """A signed-out reader met for the first time: they have seen nothing yet."""
        return self.cookie is not None


def user_reader_key(user_id: int) -> str:
    """A signed-in reader's key, the same wherever they read."""
    return f"u{user_id}"


def reader_of(request: HttpRequest) -> Reader:
    """The reader of this request (the same object however often it is asked)."""
    found = getattr(request, _CACHED, None)
    if found is not None:
        return found
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        reader = Reader(key=user_reader_key(user.pk), user_id=user.pk)
    else:
        token = request.get_signed_cookie(READER_COOKIE, default=None, salt=READER_COOKIE_SALT)
        if token and token.isalnum() and len(token) <= 32:
            reader = Reader(key=f"a{token}", user_id=None)
        else:
            token = secrets.token_hex(12)
            reader = Reader(key=f"a{token}", user_id=None, cookie=token)
    setattr(request, _CACHED, reader)
    return reader


def remember_reader(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give a new signed-out reader their cookie; nothing for anyone else."""
    reader = getattr(request, _CACHED, None)
    if reader is not None and reader.cookie:
        response.set_signed_cookie(
            READER_COOKIE,
            reader.cookie,
            salt=READER_COOKIE_SALT,
            max_age=READER_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def searcher_of(request: HttpRequest) -> str:
    """Who searched, as the hot searches count people, not searches: the account, or for a
    signed-out reader a keyed hash of their address (not the reader cookie, which anyone can
    drop between two searches; the address itself is not kept)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user_reader_key(user.pk)
    return "ip" + salted_hmac("hongshu.searcher", client_ip(request)).hexdigest()[:24]

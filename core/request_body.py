"""A multipart body read through a meter: refused past the body limit, and when it is cut off.

Django's multipart parser reads until its input runs dry, wherever that is: a photo cut off
midway is dropped without a word, a text field keeps what arrived, and the view runs on what is
left. It also reads a body longer than its Content-Length when the server hands it all over
(ASGI servers do). CheckedBodyUploadHandler, first in FILE_UPLOAD_HANDLERS, runs Django's parser
over a meter instead, so pages and the API (DRF's parser uses the same handlers) get one answer.
"""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.utils.translation import gettext as _


class RequestBodyTooLarge(RequestDataTooBig):
    """The body is larger than settings.REQUEST_BODY_MAX_BYTES; answered with a 413.

    A RequestDataTooBig, so Django hands it to handler400 wherever it surfaces (in a middleware
    reading request.POST, a page view or DRF), and core.errors.bad_request answers 413.
    """


class IncompleteRequestBody(BadRequest):
    """The body ended before its closing boundary: an upload cut off. Answered with a 400.

    A BadRequest, so it reaches handler400 from pages and the API alike with its own message
    (DRF would prefix a MultiPartParserError's message with its own, untranslated).
    """


def request_body_limit() -> int:
    return settings.REQUEST_BODY_MAX_BYTES


def too_large_message() -> str:
    return _(
        "What you sent is larger than %(limit)s MB, the most we accept at once. "
        "Send fewer or smaller files."
    ) % {"limit": request_body_limit() // (1024 * 1024)}


class MeteredBody:
    """The body as the parser reads it: never more than one byte past the limit, and watched
    for the closing boundary (`--boundary--`), which only a whole multipart body carries."""

    def __init__(self, stream, *, limit: int, boundary: bytes) -> None:
        self.stream = stream
        self.limit = limit
        self.closing = b"--" + boundary + b"--"
        self.received = 0
        self.has_closing_boundary = False
        self._tail = b""

    def read(self, size: int | None = -1) -> bytes:
        room = self.limit + 1 - self.received
        size = room if size is None or size < 0 else min(size, room)
        chunk = self.stream.read(size)
        self.received += len(chunk)
        if self.received > self.limit:
            raise RequestBodyTooLarge(too_large_message())
        if not self.has_closing_boundary and chunk:
            window = self._tail + chunk  # the closing boundary may straddle two reads
            self.has_closing_boundary = self.closing in window
            self._tail = window[-(len(self.closing) - 1) :]
        return chunk


class CheckedBodyUploadHandler(FileUploadHandler):
    """Parses a multipart body through a MeteredBody with the handlers listed after this one.

    Refuses the body (RequestBodyTooLarge) as soon as more than the limit has been read, whatever
    its Content-Length said, and (IncompleteRequestBody) when it ended without its closing
    boundary or before its Content-Length. A body without a Content-Length never gets here:
    Django reads it as empty.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        handlers = self.request.upload_handlers
        after_this = handlers[handlers.index(self) + 1 :]
        body = MeteredBody(input_data, limit=request_body_limit(), boundary=boundary)
        post, files = MultiPartParser(META, body, after_this, encoding).parse()
        if not body.has_closing_boundary or body.received < content_length:
            for _field, uploads in files.lists():
                for upload in uploads:
                    upload.close()
            raise IncompleteRequestBody(
                _("The upload was cut off before its end. Please send it again.")
            )
        return post, files

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data  # never called: handle_raw_input parses the whole body

    def file_complete(self, file_size: int) -> None:
        return None

"""The request body limit (its Content-Length and the bytes actually read) and cut-off uploads."""

import io

import pytest
from asgiref.sync import async_to_sync
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import AsyncClient, Client
from django.test.client import BOUNDARY, encode_multipart

from notes import services
from notes.models import Note
from tests.factories import image_upload

pytestmark = pytest.mark.django_db

# Not the test client's MULTIPART_CONTENT object: a body given as bytes is then sent as it is.
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
TOO_LARGE = (
    "What you sent is larger than 1 MB, the most we accept at once. Send fewer or smaller files."
)
CUT_OFF = "The upload was cut off before its end. Please send it again."


def note_body(*, photo: SimpleUploadedFile | None = None, **fields) -> bytes:
    """A whole multipart body for a new note: the fields given, then one photo."""
    photos = [photo or image_upload()]
    return encode_multipart(BOUNDARY, {"title": "Beach", **fields, "images": photos})


def photo_of(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("big.jpg", b"x" * size, content_type="image/jpeg")


def cut_inside_the_photo(body: bytes) -> bytes:
    photo_starts = body.index(b"Content-Type: image/jpeg\r\n\r\n") + 28
    return body[: photo_starts + 100]


class Body(io.BytesIO):
    """A request body that tells how far it was read (the ASGI test client needs its length)."""

    def __len__(self) -> int:
        return len(self.getvalue())


def asgi_post(client: AsyncClient, path: str, body: Body, *, content_length: int):
    """POST as an ASGI server would: the whole body handed over, whatever Content-Length says."""
    headers = [
        (b"content-type", MULTIPART.encode()),
        (b"content-length", str(content_length).encode()),
    ]
    return async_to_sync(client.request)(
        method="POST", path=path, headers=headers, _body_file=body, query_string=""
    )


@pytest.fixture
def note_create_calls(monkeypatch):
    """What notes.services.note_create was called with, in place of calling it."""
    calls = []
    monkeypatch.setattr(services, "note_create", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def small_limit(settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024 + 512
    return settings.REQUEST_BODY_MAX_BYTES


# --- Content-Length over the limit: refused before anything reads the body.


def test_api_refuses_a_body_over_the_limit_with_413_unread(api, small_limit, note_create_calls):
    body = note_body(photo=photo_of(small_limit))

    response = api.post("/api/v1/notes/", body, content_type=MULTIPART)

    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE}
    assert response.wsgi_request.environ["wsgi.input"].read_started is False
    assert note_create_calls == []
    assert Note.objects.count() == 0


def test_publish_page_refuses_a_body_over_the_limit_with_the_413_page(
    user_client, small_limit, note_create_calls
):
    body = note_body(action="publish", photo=photo_of(small_limit))

    response = user_client.post("/notes/new/", body, content_type=MULTIPART)

    page = response.content.decode()
    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Too large to send" in page
    assert TOO_LARGE in page
    assert response.wsgi_request.environ["wsgi.input"].read_started is False
    assert note_create_calls == []
    assert Note.objects.count() == 0


def test_a_body_exactly_at_the_limit_is_accepted(api, settings):
    body = note_body(publish="true")
    settings.REQUEST_BODY_MAX_BYTES = len(body)

    response = api.post("/api/v1/notes/", body, content_type=MULTIPART)

    assert response.status_code == 201
    assert Note.objects.get().images.count() == 1


def test_a_body_one_byte_over_the_limit_is_refused(api, settings):
    body = note_body(publish="true")
    settings.REQUEST_BODY_MAX_BYTES = len(body) - 1

    response = api.post("/api/v1/notes/", body, content_type=MULTIPART)

    assert response.status_code == 413
    assert Note.objects.count() == 0


def test_the_limit_holds_the_largest_upload_the_rules_allow_and_the_form(settings):
    largest_upload = max(
        settings.NOTE_IMAGES_MAX * settings.NOTE_IMAGE_MAX_BYTES, settings.NOTE_VIDEO_MAX_BYTES
    )

    room_for_the_form = settings.REQUEST_BODY_MAX_BYTES - largest_upload

    assert room_for_the_form == settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024


# --- The bytes read: a Content-Length that lies.


def test_a_body_longer_than_its_content_length_stops_being_read_at_the_limit(
    user, small_limit, note_create_calls
):
    client = AsyncClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    body = Body(note_body(photo=photo_of(small_limit)))

    response = asgi_post(client, "/api/v1/notes/", body, content_length=1000)

    assert response.status_code == 413
    assert response.json() == {"detail": TOO_LARGE}
    assert body.tell() == small_limit + 1
    assert note_create_calls == []
    assert Note.objects.count() == 0


def test_a_body_shorter_than_its_content_length_is_refused(user, note_create_calls):
    client = AsyncClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    body = note_body()

    response = asgi_post(client, "/api/v1/notes/", Body(body), content_length=len(body) + 10)

    assert response.status_code == 400
    assert response.json() == {"detail": CUT_OFF}
    assert note_create_calls == []


def test_a_content_length_shorter_than_the_body_reads_a_cut_off_upload_and_refuses_it(api):
    body = note_body()

    response = api.post(
        "/api/v1/notes/", body, content_type=MULTIPART, CONTENT_LENGTH=str(len(body) // 2)
    )

    assert response.status_code == 400
    assert response.json() == {"detail": CUT_OFF}
    assert Note.objects.count() == 0


def test_a_whole_body_whose_closing_boundary_straddles_two_reads_is_accepted(api):
    def body_with(padding: int) -> bytes:
        return encode_multipart(BOUNDARY, {"title": "Idea", "padding": "x" * padding})

    closing = f"--{BOUNDARY}--".encode()
    read_size = 64 * 1024  # what the parser asks for at a time
    first = body_with(1000)
    body = body_with(1000 + read_size - 5 - first.index(closing))
    assert body.index(closing) == read_size - 5

    response = api.post("/api/v1/notes/", body, content_type=MULTIPART)

    assert response.status_code == 201


# --- Cut-off uploads.


def test_api_refuses_a_body_cut_off_inside_a_photo(api):
    body = cut_inside_the_photo(note_body())

    response = api.post("/api/v1/notes/", body, content_type=MULTIPART)

    assert response.status_code == 400
    assert response.json() == {"detail": CUT_OFF}
    assert Note.objects.count() == 0


def test_publish_page_refuses_a_body_cut_off_inside_a_photo(user_client):
    body = cut_inside_the_photo(note_body(action="draft"))

    response = user_client.post("/notes/new/", body, content_type=MULTIPART)

    assert response.status_code == 400
    assert "Could not read that" in response.content.decode()
    assert Note.objects.count() == 0


def test_api_refuses_a_body_cut_off_inside_a_text_field(api):
    body = encode_multipart(BOUNDARY, {"title": "Beach", "body": "Waves all day long"})
    cut = body[: body.index(b"Waves") + 5]

    response = api.post("/api/v1/notes/", cut, content_type=MULTIPART)

    assert response.status_code == 400
    assert Note.objects.count() == 0


def test_a_whole_body_with_no_files_is_read_as_before(api):
    body = encode_multipart(BOUNDARY, {"title": "Idea", "body": "Try the #noodles"})

    response = api.post("/api/v1/notes/", body, content_type=MULTIPART)

    assert response.status_code == 201
    assert Note.objects.get().body == "Try the #noodles"


def test_a_cut_off_upload_is_refused_when_the_csrf_check_reads_the_body_first(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies["csrftoken"] = "k" * 32  # a cookie, so the check goes on to the form's token
    body = cut_inside_the_photo(note_body(action="draft"))

    response = client.post("/notes/new/", body, content_type=MULTIPART)

    assert response.status_code == 400
    assert "Could not read that" in response.content.decode()
    assert Note.objects.count() == 0


def test_publish_page_refuses_a_body_read_past_the_limit_with_the_413_page(user, small_limit):
    client = AsyncClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    body = Body(note_body(action="publish", photo=photo_of(small_limit)))

    response = asgi_post(client, "/notes/new/", body, content_length=1000)

    assert response.status_code == 413
    assert "Too large to send" in response.content.decode()
    assert Note.objects.count() == 0

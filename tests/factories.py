"""factory-boy factories and real media files (Pillow images, PyAV videos) for the tests."""

import io
from fractions import Fraction

import av
import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from notes.models import Board, Comment, Note, NoteImage
from users.models import User

PASSWORD = "correct-horse-battery-9"


def image_bytes(*, image_format: str = "JPEG", size: tuple[int, int] = (60, 80)) -> bytes:
    """A small real picture (a gradient with a shape), encoded in `image_format`."""
    picture = Image.new("RGB", size, (255, 240, 230))
    draw = ImageDraw.Draw(picture)
    for y in range(size[1]):
        draw.line([(0, y), (size[0], y)], fill=(255, 36 + y % 200, 66))
    draw.ellipse([size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4], fill="white")
    buffer = io.BytesIO()
    if image_format == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    picture.save(buffer, format=image_format)
    return buffer.getvalue()


def image_upload(
    name: str = "photo.jpg", *, image_format: str = "JPEG", size: tuple[int, int] = (60, 80)
) -> SimpleUploadedFile:
    content_types = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
    return SimpleUploadedFile(
        name,
        image_bytes(image_format=image_format, size=size),
        content_type=content_types.get(image_format, "application/octet-stream"),
    )


def video_bytes(
    *, container: str = "mp4", size: tuple[int, int] = (64, 48), seconds: int = 1
) -> bytes:
    """A short real video encoded with PyAV: H.264 in MP4, or VP8 in WebM."""
    codec = {"mp4": "libx264", "webm": "libvpx"}[container]
    buffer = io.BytesIO()
    fps = 10
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for index in range(seconds * fps):
            picture = Image.new("RGB", size, (255, (index * 20) % 255, 66))
            frame = av.VideoFrame.from_image(picture)
            frame.pts = index
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return buffer.getvalue()


def video_upload(name: str = "clip.mp4", *, container: str = "mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, video_bytes(container=container), content_type=f"video/{container}"
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save(update_fields=["password"])


class NoteFactory(factory.django.DjangoModelFactory):
    """A published note with one real cover image (pass `images=0` for none)."""

    class Meta:
        model = Note
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "A day in the city"
    status = Note.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def images(self, create: bool, extracted: int | None, **kwargs: object) -> None:
        if not create:
            return
        for position in range(1 if extracted is None else extracted):
            NoteImageFactory(note=self, position=position)


class NoteImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteImage

    note = factory.SubFactory(NoteFactory, images=0)
    position = 0
    image = factory.LazyFunction(lambda: image_upload(size=(60, 80)))
    width = 60
    height = 80


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    is_private = False


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment row only; use notes.services.comment_create when counters matter."""

    class Meta:
        model = Comment

    note = factory.SubFactory(NoteFactory)
    author = factory.SubFactory(UserFactory)
    body = "Love this!"

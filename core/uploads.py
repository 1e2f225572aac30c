"""Uploaded images and videos are judged by their content, never by their name or declared type.

Shared by avatars (here) and notes' photos and video (notes.media): one place decides what an
image or a video is, and how FFmpeg may look at an upload.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import av
from av.container import InputContainer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# Pillow format name -> the extension we store the original under. Passed to Image.open as its
# `formats`, so Pillow never even tries its other parsers (EPS, PSD, ICO…) on an upload.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "HEIF": "heic"}
# Pillow's own bomb guard warns at ~89 MP and refuses at twice that; ours (settings
# IMAGE_MAX_PIXELS) is far lower, checked from the header before a pixel is decoded.
# EXIF orientations that turn the picture a quarter: width and height swap when applied.
QUARTER_TURNS = {5, 6, 7, 8}


def open_image(source) -> Image.Image:
    """Image.open limited to the formats we take; the caller closes it."""
    return Image.open(source, formats=list(IMAGE_FORMATS))


@dataclass(frozen=True)
class ImageInfo:
    extension: str
    width: int
    height: int


def too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has too many pixels: pictures may have up to %(limit)s million.")
        % {"name": name, "limit": settings.IMAGE_MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def inspect_image(upload: UploadedFile, *, max_bytes: int) -> ImageInfo:
    """Return what the upload really is, or raise ValidationError naming the file."""
    name = upload.name or _("file")
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "name": name,
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": max_bytes // 1024 // 1024,
            },
            code="too_large",
        )
    try:
        upload.seek(0)
        with open_image(upload) as image:
            image_format = image.format
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise too_many_pixels(name)
            if image.getexif().get(ImageOps.ExifTags.Base.Orientation) in QUARTER_TURNS:
                width, height = height, width  # the size it is shown at, upright
            # Decode it all (a JPEG at 1/8 scale: every byte read, few pixels made), so a
            # truncated or corrupt file is refused now rather than failing in the worker.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, past twice its warning size
        raise too_many_pixels(name) from None
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
    ):
        raise ValidationError(
            _("“%(name)s” is not a picture we can read. Use JPEG, PNG, WebP, GIF or HEIC.")
            % {"name": name},
            code="not_an_image",
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("“%(name)s” is a %(format)s picture. Use JPEG, PNG, WebP, GIF or HEIC.")
            % {"name": name, "format": image_format},
            code="unsupported_format",
        )
    return ImageInfo(extension=IMAGE_FORMATS[image_format], width=width, height=height)


# FFmpeg demuxer we open a video with -> the extension we store the original under.
VIDEO_CONTAINERS = {"mov": "mp4", "matroska": "webm"}
# Top-level QuickTime atoms a MOV/MP4 file starts with (bytes 4-8): `ftyp`, or a classic
# QuickTime file's first atom.
QUICKTIME_FIRST_ATOMS = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska and WebM
VIDEO_OPEN_SECONDS = 10.0
# What FFmpeg may read to find the streams: enough for MP4/WebM headers, bounded for the rest.
VIDEO_PROBE_OPTIONS = {
    # Only the upload's own bytes: no network, no other file (see _refuse_other_files too).
    "protocol_whitelist": "file",
    "probesize": str(2 * 1024 * 1024),
    "analyzeduration": str(2 * 1000 * 1000),  # microseconds
}


@dataclass(frozen=True)
class VideoInfo:
    extension: str
    width: int
    height: int
    duration_seconds: float


class VideoReferenceRefused(OSError):
    """A video tried to make FFmpeg open something besides itself (a URL, another file)."""


def not_a_video(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a video we can play. Use MP4, MOV or WebM.") % {"name": name},
        code="not_a_video",
    )


def video_demuxer(head: bytes) -> str | None:
    """The FFmpeg demuxer for a file starting with `head`, from its magic bytes alone.

    Only containers that carry their media inside themselves: playlists and manifests (HLS,
    DASH, ffconcat) would make FFmpeg fetch whatever URLs or files they list.
    """
    if head[4:8] in QUICKTIME_FIRST_ATOMS:
        return "mov"
    if head.startswith(EBML_MAGIC):
        return "matroska"
    return None


def _refuse_other_files(url: str, flags: int, options: dict) -> None:
    """PyAV's io_open: every nested open a demuxer attempts (MOV data references…) fails."""
    raise VideoReferenceRefused(url)


@contextmanager
def open_video(upload: UploadedFile) -> Iterator[InputContainer]:
    """Open an uploaded MP4/MOV or WebM with FFmpeg, confined to the upload's own bytes.

    The container is recognised by its magic bytes before FFmpeg sees it and opened with that
    demuxer only; FFmpeg gets a file object, may open nothing else, and gives up after
    VIDEO_OPEN_SECONDS. Anything else raises ValidationError (code "not_a_video").
    `container.format.name` is the demuxer, a key of VIDEO_CONTAINERS.
    """
    name = upload.name or _("file")
    upload.seek(0)
    demuxer = video_demuxer(upload.read(16))
    upload.seek(0)
    if demuxer is None:
        raise not_a_video(name)
    try:
        container = av.open(
            upload,
            mode="r",
            format=demuxer,
            container_options=VIDEO_PROBE_OPTIONS,
            timeout=VIDEO_OPEN_SECONDS,
            io_open=_refuse_other_files,
        )
    except (av.FFmpegError, OSError, ValueError):
        upload.seek(0)
        raise not_a_video(name) from None
    try:
        with container:
            yield container
    finally:
        upload.seek(0)


def inspect_video(upload: UploadedFile) -> VideoInfo:
    """Return what the uploaded video really is, or raise ValidationError naming the file."""
    name = upload.name or _("file")
    with open_video(upload) as container:
        streams = container.streams.video
        if not streams:
            raise not_a_video(name)
        stream = streams[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        # WebM streams report no duration of their own: the container's is authoritative.
        if container.duration is not None:
            duration = container.duration / av.time_base
        elif stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        else:
            duration = 0.0
        extension = VIDEO_CONTAINERS[container.format.name]
    if not width or not height:
        raise not_a_video(name)
    return VideoInfo(
        extension=extension, width=width, height=height, duration_seconds=round(duration, 3)
    )


def stored_name(extension: str) -> str:
    """A fresh random file name: the uploaded name never reaches the disk."""
    return f"{uuid.uuid4().hex}.{extension}"

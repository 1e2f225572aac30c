"""What a note may carry: photos (via core.uploads) and one video, judged by content."""

from dataclasses import dataclass

import av
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from core.uploads import ImageInfo, inspect_image

# PyAV/FFmpeg demuxer names -> the extension we store the original under.
VIDEO_CONTAINERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": "mp4",
    "matroska,webm": "webm",
}


@dataclass(frozen=True)
class VideoInfo:
    extension: str
    width: int
    height: int
    duration_seconds: float


def inspect_note_image(upload: UploadedFile) -> ImageInfo:
    return inspect_image(upload, max_bytes=settings.NOTE_IMAGE_MAX_BYTES)


def inspect_note_video(upload: UploadedFile) -> VideoInfo:
    """Open the container with FFmpeg: only MP4/MOV/WebM with a real video stream pass."""
    name = upload.name or _("file")
    limit = settings.NOTE_VIDEO_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too large; videos may be up to %(limit)s MB.")
            % {"name": name, "limit": limit // 1024 // 1024},
            code="too_large",
        )
    not_a_video = ValidationError(
        _("“%(name)s” is not a video we can play. Use MP4, MOV or WebM.") % {"name": name},
        code="not_a_video",
    )
    try:
        upload.seek(0)
        with av.open(upload, mode="r") as container:
            format_name = container.format.name
            streams = container.streams.video
            if format_name not in VIDEO_CONTAINERS or not streams:
                raise not_a_video
            stream = streams[0]
            width, height = stream.codec_context.width, stream.codec_context.height
            # WebM streams report no duration of their own: the container's is authoritative.
            if container.duration is not None:
                duration = container.duration / av.time_base
            elif stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            else:
                duration = 0.0
    except ValidationError:
        raise
    except (av.FFmpegError, OSError, ValueError, IndexError):
        raise not_a_video from None
    finally:
        upload.seek(0)
    if not width or not height:
        raise not_a_video
    if duration > settings.NOTE_VIDEO_MAX_SECONDS:
        raise ValidationError(
            _("“%(name)s” is longer than %(minutes)s minutes.")
            % {"name": name, "minutes": settings.NOTE_VIDEO_MAX_SECONDS // 60},
            code="too_long",
        )
    return VideoInfo(
        extension=VIDEO_CONTAINERS[format_name],
        width=width,
        height=height,
        duration_seconds=round(duration, 3),
    )

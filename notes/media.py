"""What a note may carry: photos and one video, judged by content in core.uploads.

Here are the note's own limits: how large a photo or video, how long a video.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from core.uploads import ImageInfo, VideoInfo, inspect_image, inspect_video
from users.levels import Level


def note_video_max_bytes(level: Level) -> int:
    """How large a video an author's level allows: its minutes (users.levels) at
    NOTE_VIDEO_BYTES_PER_MINUTE, within the site's NOTE_VIDEO_MAX_BYTES."""
    return min(
        settings.NOTE_VIDEO_MAX_BYTES, level.video_minutes * settings.NOTE_VIDEO_BYTES_PER_MINUTE
    )


def inspect_note_image(upload: UploadedFile) -> ImageInfo:
    return inspect_image(upload, max_bytes=settings.NOTE_IMAGE_MAX_BYTES)


def inspect_note_video(upload: UploadedFile) -> VideoInfo:
    """Only MP4/MOV/WebM with a real video stream pass, within the note's size and length."""
    name = upload.name or _("file")
    limit = settings.NOTE_VIDEO_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too large; videos may be up to %(limit)s MB.")
            % {"name": name, "limit": limit // 1024 // 1024},
            code="too_large",
        )
    info = inspect_video(upload)
    if info.duration_seconds > settings.NOTE_VIDEO_MAX_SECONDS:
        raise ValidationError(
            _("“%(name)s” is longer than %(minutes)s minutes.")
            % {"name": name, "minutes": settings.NOTE_VIDEO_MAX_SECONDS // 60},
            code="too_long",
        )
    return info

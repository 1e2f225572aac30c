"""Uploaded images are judged by their content, never by their name or declared type.

Shared by avatars (here) and note photos (notes.media): one place decides what an image is.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# Pillow format name -> the extension we store the original under.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "HEIF": "heic"}
MAX_IMAGE_PIXELS = 60_000_000  # a decompression bomb is refused, not decoded


@dataclass(frozen=True)
class ImageInfo:
    extension: str
    width: int
    height: int


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
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("“%(name)s” has too many pixels.") % {"name": name}, code="too_many_pixels"
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
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


def stored_name(extension: str) -> str:
    """A fresh random file name: the uploaded name never reaches the disk."""
    return f"{uuid.uuid4().hex}.{extension}"

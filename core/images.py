"""The image pipeline: one upright, metadata-free, sRGB picture in several widths.

Note photos, video posters, product photos and avatars all go through `variants_make`; only the
widths differ. Every file is written through Django's storage API (local disk or object storage
alike), under names we pick. What comes out carries no EXIF, XMP or ICC data at all: Pillow
writes metadata only when asked to, and we never ask, so a photo's GPS position stays at home.
"""

import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from PIL import Image, ImageCms, ImageOps

from core.uploads import open_image

WEBP_QUALITY = 78
JPEG_QUALITY = 82
SRGB = ImageCms.createProfile("sRGB")


class ImageProcessingError(Exception):
    """The picture cannot be made into variants; the message is safe to show its owner."""


@dataclass(frozen=True)
class Variants:
    """What the pipeline made: the picture's upright size, its dominant colour and its files.

    `files` is JSON-ready, smallest first: [{"width", "height", "webp", "jpeg"}, …] with storage
    names; `master` is the name of the largest JPEG, the picture's stand-in for its original.
    """

    width: int
    height: int
    colour: str
    files: list[dict]

    @property
    def master(self) -> str:
        return self.files[-1]["jpeg"]


def _upright_srgb(image: Image.Image) -> Image.Image:
    """The first frame, turned as its EXIF says, in sRGB, flattened on white, as RGB."""
    image.seek(0)
    image = ImageOps.exif_transpose(image)
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
            if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
                image = image.convert(mode)
            image = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are beat no picture
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def dominant_colour(image: Image.Image) -> str:
    """The picture's average colour as #rrggbb: the placeholder shown until it loads."""
    red, green, blue = image.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))[:3]
    return f"#{red:02x}{green:02x}{blue:02x}"


def _encode(image: Image.Image, image_format: str) -> bytes:
    """The picture's pixels alone: its `info` (EXIF, XMP, ICC, comments) is left behind."""
    image.info = {}
    buffer = io.BytesIO()
    if image_format == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def variants_from_image(
    image: Image.Image,
    *,
    widths: Sequence[int],
    folder: str,
    square: bool = False,
    storage: Storage | None = None,
) -> Variants:
    """Write `image` at each of `widths` (never wider than it is) in WebP and JPEG.

    `square` crops to the centre square first (avatars). Returns what was written.
    """
    storage = storage or default_storage
    picture = _upright_srgb(image)
    if square:
        side = min(picture.size)
        picture = ImageOps.fit(picture, (side, side), Image.Resampling.LANCZOS)
    stem = uuid.uuid4().hex
    files = []
    made = set()
    for width in sorted(widths):
        width = min(width, picture.width)
        if width in made:
            continue
        made.add(width)
        height = max(1, round(picture.height * width / picture.width))
        resized = (
            picture
            if width == picture.width
            else picture.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        entry = {"width": width, "height": height}
        for image_format, extension in (("WEBP", "webp"), ("JPEG", "jpg")):
            name = f"{folder}/{stem[:2]}/{stem}_{width}.{extension}"
            entry["webp" if extension == "webp" else "jpeg"] = storage.save(
                name, ContentFile(_encode(resized, image_format))
            )
        files.append(entry)
    return Variants(
        width=picture.width, height=picture.height, colour=dominant_colour(picture), files=files
    )


def variants_make(
    source: BinaryIO,
    *,
    widths: Sequence[int],
    folder: str,
    square: bool = False,
    storage: Storage | None = None,
) -> Variants:
    """Open an uploaded picture (allowed formats only) and write its variants.

    Raises ImageProcessingError for anything Pillow cannot read or that is over the pixel limit.
    """
    try:
        with open_image(source) as image:
            if image.width * image.height > settings.IMAGE_MAX_PIXELS:
                raise ImageProcessingError("The picture has too many pixels.")
            # A JPEG decodes at 1/2, 1/4 or 1/8 scale when that still covers the widest variant:
            # most of the time of a 12 MP photo is its decoding.
            widest = max(widths)
            image.draft("RGB", (widest, widest))
            image.load()
            return variants_from_image(
                image, widths=widths, folder=folder, square=square, storage=storage
            )
    except ImageProcessingError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
        raise ImageProcessingError(f"The picture could not be read ({error}).") from error


def variants_delete(files: Iterable[dict], *, storage: Storage | None = None) -> None:
    """Delete the files a `Variants.files` list names (after its row let go of them)."""
    storage = storage or default_storage
    for entry in files:
        for key in ("webp", "jpeg"):
            if entry.get(key):
                storage.delete(entry[key])

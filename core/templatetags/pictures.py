"""`{% picture %}`: a photo as the pipeline made it (core.images), sized before it loads.

Each variant width goes into `srcset` (WebP, with JPEG for browsers without it) so the browser
downloads the smallest file that fills `sizes`; width and height are the picture's own, so the
page keeps its place for it; its dominant colour shows until it arrives. A picture without
variants (not processed yet) is the plain file, as before.
"""

from django import template
from django.core.files import File
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()
PALETTE_LEVELS = 6  # static/css/media.css holds one class per colour of a 6×6×6 palette


def placeholder_class(colour: str) -> str:
    """The palette class nearest to #rrggbb: a background colour without an inline style (CSP)."""
    try:
        channels = [int(colour[index : index + 2], 16) for index in (1, 3, 5)]
    except (ValueError, TypeError):
        return ""
    step = 255 / (PALETTE_LEVELS - 1)
    return "ph-" + "".join(str(round(channel / step)) for channel in channels)


def _srcset(storage, variants: list[dict], key: str) -> str:
    return ", ".join(f"{storage.url(entry[key])} {entry['width']}w" for entry in variants)


@register.simple_tag
def picture(
    file: File,
    width: int,
    height: int,
    variants: list[dict] | None = None,
    colour: str = "",
    *,
    sizes: str = "100vw",
    alt: str = "",
    css_class: str = "",
    eager: bool = False,
) -> str:
    """The <picture> (or, unprocessed, the <img>) for one photo; lazy unless `eager`."""
    classes = " ".join(part for part in (css_class, placeholder_class(colour)) if part)
    loading = "" if eager else mark_safe(' loading="lazy"')  # noqa: S308 - a constant
    if not variants:
        return format_html(
            '<img{} src="{}" width="{}" height="{}" alt="{}"{}>',
            format_html(' class="{}"', classes) if classes else "",
            file.url,
            width,
            height,
            alt,
            loading,
        )
    storage = file.storage
    fallback = variants[len(variants) // 2]["jpeg"]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img{} src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} decoding="async">'
        "</picture>",
        _srcset(storage, variants, "webp"),
        sizes,
        format_html(' class="{}"', classes) if classes else "",
        storage.url(fallback),
        _srcset(storage, variants, "jpeg"),
        sizes,
        width,
        height,
        alt,
        loading,
    )

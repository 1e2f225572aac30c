"""Pictures for the demo data, drawn with Pillow: topic-coloured gradients, a simple motif
per topic and a short caption, so the waterfall looks like a real community, not grey boxes.

Everything is decided by the `random.Random` passed in, so a seed always draws the same set.
"""

import io
import math
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
CJK_FONT_SIMPLIFIED_INDEX = 2  # the .ttc holds JP, KR, SC, TC, HK faces; SC is third
PICTURE_WIDTH = 480
SUPERSAMPLE = 2  # motifs are drawn at twice the size and scaled down: smooth edges
JPEG_QUALITY = 80
RATIOS = {"3:4": (3, 4), "1:1": (1, 1), "4:3": (4, 3), "9:16": (9, 16)}
RATIO_WEIGHTS = {"3:4": 5, "1:1": 3, "4:3": 2, "9:16": 2}


@dataclass(frozen=True)
class Palette:
    light: str
    deep: str
    accent: str
    second: str
    ink: str


PALETTES: dict[str, tuple[Palette, ...]] = {
    "beauty": (
        Palette("#ffe3ea", "#ffb3c6", "#ff4d79", "#c9184a", "#7a1033"),
        Palette("#fde2e4", "#e2c2d8", "#d1495b", "#edae49", "#5c2a3d"),
    ),
    "outfits": (
        Palette("#f5ebe0", "#d5bdaf", "#8d6e63", "#3e5c76", "#3b2f2f"),
        Palette("#e3eaf2", "#a9bcd0", "#3d5a80", "#ee6c4d", "#1d2d44"),
    ),
    "food": (
        Palette("#fff3d6", "#ffb677", "#ff7043", "#6d9f3a", "#6b2f10"),
        Palette("#fdf0d5", "#f4a261", "#e76f51", "#2a9d8f", "#5a2a0c"),
    ),
    "travel": (
        Palette("#d4f1ff", "#7cc6fe", "#ffb703", "#2a9d8f", "#0b3954"),
        Palette("#ffe8d6", "#ffb4a2", "#e5989b", "#6d6875", "#3d2c3e"),
    ),
    "home": (
        Palette("#eef4e6", "#b8d8be", "#6a994e", "#f4a261", "#283618"),
        Palette("#f8f1e7", "#e6ccb2", "#b08968", "#7f5539", "#3a2a1c"),
    ),
    "fitness": (
        Palette("#e8e4ff", "#9d8df1", "#ff5d8f", "#2ec4b6", "#22184f"),
        Palette("#e0fbfc", "#98c1d9", "#ee6c4d", "#3d5a80", "#162232"),
    ),
}
AVATAR_COLOURS = (
    ("#ff8fab", "#ff2442"),
    ("#ffd166", "#f77f00"),
    ("#8ecae6", "#219ebc"),
    ("#b5e48c", "#52b69a"),
    ("#cdb4db", "#7b2cbf"),
    ("#ffcad4", "#f08080"),
    ("#a3c4f3", "#5e60ce"),
    ("#f9c74f", "#f3722c"),
)


@lru_cache(maxsize=32)
def caption_font(size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """Noto Sans CJK when installed (Chinese captions); else Pillow's own Latin font."""
    if CJK_FONT.exists():
        return ImageFont.truetype(str(CJK_FONT), size, index=CJK_FONT_SIMPLIFIED_INDEX), True
    return ImageFont.load_default(size=size), False


def has_cjk_font() -> bool:
    return caption_font(20)[1]


def rgba(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16), alpha)


def picture_size(ratio: str) -> tuple[int, int]:
    across, down = RATIOS[ratio]
    return PICTURE_WIDTH, round(PICTURE_WIDTH * down / across)


def _gradient(size: tuple[int, int], palette: Palette, angle: float) -> Image.Image:
    ramp = Image.linear_gradient("L").rotate(angle, resample=Image.Resampling.BICUBIC)
    ramp = ImageOps.crop(ramp, 48).resize(size, Image.Resampling.BILINEAR)
    return ImageOps.colorize(ramp, palette.light, palette.deep).convert("RGBA")


def _encode(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


# --- Motifs: each draws in a box (left, top, size) on a supersampled RGBA layer.


def _sparkle(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, fill: tuple) -> None:
    draw.polygon(
        [(x, y - r), (x + r * 0.25, y - r * 0.25), (x + r, y), (x + r * 0.25, y + r * 0.25),
         (x, y + r), (x - r * 0.25, y + r * 0.25), (x - r, y), (x - r * 0.25, y - r * 0.25)],
        fill=fill,
    )  # fmt: skip


def _lipstick(draw, x, y, s, p, rng):
    w = s * 0.28
    left = x + s / 2 - w / 2
    draw.rounded_rectangle([left, y + s * 0.55, left + w, y + s], radius=s * 0.03, fill=rgba(p.ink))
    draw.rectangle([left + w * 0.08, y + s * 0.42, left + w * 0.92, y + s * 0.56], fill="#e9c46a")
    top = y + s * (0.05 + rng.random() * 0.08)
    draw.polygon(
        [(left + w * 0.16, y + s * 0.43), (left + w * 0.84, y + s * 0.43),
         (left + w * 0.84, top + s * 0.1), (left + w * 0.16, top + s * 0.2)],
        fill=rgba(p.accent),
    )  # fmt: skip
    for _ in range(3):
        _sparkle(draw, x + rng.random() * s, y + rng.random() * s * 0.6, s * 0.05, rgba("#ffffff"))


def _compact(draw, x, y, s, p, rng):
    draw.ellipse([x, y, x + s, y + s], fill=rgba(p.second))
    draw.ellipse([x + s * 0.1, y + s * 0.1, x + s * 0.9, y + s * 0.9], fill=rgba("#ffffff", 230))
    draw.ellipse([x + s * 0.2, y + s * 0.2, x + s * 0.8, y + s * 0.8], fill=rgba(p.deep))
    puff = s * 0.32
    draw.ellipse(
        [x + s * 0.6, y + s * 0.6, x + s * 0.6 + puff, y + s * 0.6 + puff], fill=rgba(p.light)
    )
    _sparkle(draw, x + s * 0.32, y + s * 0.34, s * 0.08, rgba("#ffffff", 220))


def _perfume(draw, x, y, s, p, rng):
    draw.rounded_rectangle(
        [x + s * 0.2, y + s * 0.35, x + s * 0.8, y + s], radius=s * 0.12, fill=rgba("#ffffff", 170)
    )
    draw.rounded_rectangle(
        [x + s * 0.28, y + s * 0.5, x + s * 0.72, y + s * 0.92], radius=s * 0.08,
        fill=rgba(p.accent, 200),
    )  # fmt: skip
    draw.rectangle([x + s * 0.42, y + s * 0.2, x + s * 0.58, y + s * 0.36], fill=rgba(p.ink))
    draw.rounded_rectangle(
        [x + s * 0.36, y + s * 0.05, x + s * 0.64, y + s * 0.22], radius=s * 0.04,
        fill=rgba("#e9c46a"),
    )  # fmt: skip


def _shirt(draw, x, y, s, p, rng):
    draw.line([(x + s * 0.5, y), (x + s * 0.5, y + s * 0.1)], fill=rgba(p.ink), width=int(s * 0.02))
    draw.line(
        [(x + s * 0.1, y + s * 0.3), (x + s * 0.5, y + s * 0.1), (x + s * 0.9, y + s * 0.3)],
        fill=rgba(p.ink), width=int(s * 0.025), joint="curve",
    )  # fmt: skip
    draw.polygon(
        [(x + s * 0.3, y + s * 0.25), (x + s * 0.7, y + s * 0.25), (x + s * 0.95, y + s * 0.45),
         (x + s * 0.8, y + s * 0.55), (x + s * 0.74, y + s * 0.5), (x + s * 0.74, y + s),
         (x + s * 0.26, y + s), (x + s * 0.26, y + s * 0.5), (x + s * 0.2, y + s * 0.55),
         (x + s * 0.05, y + s * 0.45)],
        fill=rgba(p.accent),
    )  # fmt: skip
    draw.ellipse([x + s * 0.42, y + s * 0.2, x + s * 0.58, y + s * 0.32], fill=rgba(p.light))


def _dress(draw, x, y, s, p, rng):
    draw.polygon(
        [(x + s * 0.38, y), (x + s * 0.62, y), (x + s * 0.66, y + s * 0.4),
         (x + s * 0.9, y + s), (x + s * 0.1, y + s), (x + s * 0.34, y + s * 0.4)],
        fill=rgba(p.second),
    )  # fmt: skip
    draw.rectangle([x + s * 0.33, y + s * 0.36, x + s * 0.67, y + s * 0.43], fill=rgba(p.light))
    for _ in range(9):
        dot_x, dot_y = x + s * (0.25 + rng.random() * 0.5), y + s * (0.5 + rng.random() * 0.45)
        r = s * 0.025
        draw.ellipse([dot_x - r, dot_y - r, dot_x + r, dot_y + r], fill=rgba("#ffffff", 210))


def _bag(draw, x, y, s, p, rng):
    draw.arc(
        [x + s * 0.25, y, x + s * 0.75, y + s * 0.6], 180, 360, fill=rgba(p.ink),
        width=int(s * 0.05),
    )  # fmt: skip
    draw.rounded_rectangle(
        [x + s * 0.1, y + s * 0.3, x + s * 0.9, y + s * 0.95], radius=s * 0.1, fill=rgba(p.accent)
    )
    draw.rounded_rectangle(
        [x + s * 0.42, y + s * 0.42, x + s * 0.58, y + s * 0.52], radius=s * 0.03,
        fill=rgba("#e9c46a"),
    )  # fmt: skip


def _plate(draw, x, y, s, p, rng):
    draw.ellipse([x, y, x + s, y + s], fill=rgba("#ffffff", 240))
    rim = [x + s * 0.1, y + s * 0.1, x + s * 0.9, y + s * 0.9]
    draw.ellipse(rim, outline=rgba(p.deep), width=4)
    colours = [p.accent, p.second, "#ffd166", p.deep, "#ffffff"]
    for index in range(rng.randint(3, 5)):
        angle = rng.random() * math.tau
        cx = x + s / 2 + math.cos(angle) * s * 0.16
        cy = y + s / 2 + math.sin(angle) * s * 0.16
        r = s * (0.1 + rng.random() * 0.08)
        draw.ellipse([cx - r, cy - r * 0.8, cx + r, cy + r * 0.8], fill=rgba(colours[index]))
    draw.line(
        [(x + s * 0.95, y + s * 0.1), (x + s * 0.55, y + s * 1.05)], fill=rgba(p.ink),
        width=int(s * 0.025),
    )  # fmt: skip
    draw.line(
        [(x + s * 1.02, y + s * 0.14), (x + s * 0.62, y + s * 1.08)], fill=rgba(p.ink),
        width=int(s * 0.025),
    )  # fmt: skip


def _coffee(draw, x, y, s, p, rng):
    draw.ellipse([x, y, x + s, y + s], fill=rgba("#ffffff", 235))
    draw.ellipse([x + s * 0.8, y + s * 0.4, x + s * 1.02, y + s * 0.6], fill=rgba("#ffffff", 235))
    draw.ellipse([x + s * 0.12, y + s * 0.12, x + s * 0.88, y + s * 0.88], fill=rgba("#8d5b3e"))
    foam = rgba("#f6e7d8")
    draw.ellipse([x + s * 0.3, y + s * 0.32, x + s * 0.52, y + s * 0.54], fill=foam)
    draw.ellipse([x + s * 0.48, y + s * 0.32, x + s * 0.7, y + s * 0.54], fill=foam)
    draw.polygon(
        [(x + s * 0.315, y + s * 0.47), (x + s * 0.685, y + s * 0.47), (x + s * 0.5, y + s * 0.7)],
        fill=foam,
    )  # fmt: skip


def _bowl(draw, x, y, s, p, rng):
    for offset in (0.3, 0.5, 0.7):
        draw.arc(
            [x + s * (offset - 0.08), y, x + s * (offset + 0.08), y + s * 0.2], 90, 270,
            fill=rgba("#ffffff", 200), width=int(s * 0.02),
        )  # fmt: skip
        draw.arc(
            [x + s * (offset - 0.08), y + s * 0.18, x + s * (offset + 0.08), y + s * 0.38], 270,
            90, fill=rgba("#ffffff", 200), width=int(s * 0.02),
        )  # fmt: skip
    draw.ellipse([x, y + s * 0.42, x + s, y + s * 0.6], fill=rgba(p.second))
    draw.chord([x, y + s * 0.05, x + s, y + s], 0, 180, fill=rgba(p.accent))
    draw.rectangle([x + s * 0.35, y + s * 0.95, x + s * 0.65, y + s], fill=rgba(p.ink))


def _mountains(draw, x, y, s, p, rng):
    sun = s * (0.18 + rng.random() * 0.08)
    sx, sy = x + s * (0.6 + rng.random() * 0.25), y + s * 0.2
    draw.ellipse([sx - sun, sy - sun, sx + sun, sy + sun], fill=rgba(p.accent))
    draw.polygon(
        [(x - s * 0.2, y + s), (x + s * 0.3, y + s * 0.35), (x + s * 0.8, y + s)],
        fill=rgba(p.second, 220),
    )  # fmt: skip
    draw.polygon(
        [(x + s * 0.3, y + s), (x + s * 0.75, y + s * 0.45), (x + s * 1.2, y + s)],
        fill=rgba(p.ink, 200),
    )  # fmt: skip
    for cloud_x, cloud_y in ((0.05, 0.15), (0.35, 0.05)):
        cx, cy = x + s * cloud_x, y + s * cloud_y
        for dx, dy, r in ((0, 0.04, 0.07), (0.08, 0, 0.09), (0.17, 0.04, 0.07)):
            draw.ellipse(
                [cx + s * (dx - r), cy + s * (dy - r), cx + s * (dx + r), cy + s * (dy + r)],
                fill=rgba("#ffffff", 230),
            )


def _sea(draw, x, y, s, p, rng):
    sun = s * 0.22
    draw.ellipse([x + s / 2 - sun, y + s * 0.5 - sun, x + s / 2 + sun, y + s * 0.5 + sun],
                 fill=rgba(p.accent))  # fmt: skip
    draw.rectangle([x - s * 2, y + s * 0.5, x + s * 3, y + s * 4], fill=rgba(p.second, 230))
    for row in range(4):
        wy = y + s * (0.62 + row * 0.1)
        for column in range(9):
            wx = x + s * (-0.66 + column * 0.28 + (row % 2) * 0.14)
            draw.arc([wx, wy, wx + s * 0.16, wy + s * 0.08], 200, 340, fill=rgba("#ffffff", 200),
                     width=int(s * 0.015))  # fmt: skip
    draw.polygon(
        [(x + s * 0.2, y + s * 0.48), (x + s * 0.2, y + s * 0.22), (x + s * 0.34, y + s * 0.48)],
        fill=rgba("#ffffff"),
    )  # fmt: skip
    draw.polygon(
        [(x + s * 0.1, y + s * 0.5), (x + s * 0.4, y + s * 0.5), (x + s * 0.35, y + s * 0.56),
         (x + s * 0.15, y + s * 0.56)],
        fill=rgba(p.ink),
    )  # fmt: skip


def _suitcase(draw, x, y, s, p, rng):
    draw.rounded_rectangle(
        [x + s * 0.35, y, x + s * 0.65, y + s * 0.2], radius=s * 0.05, outline=rgba(p.ink),
        width=int(s * 0.04),
    )  # fmt: skip
    draw.rounded_rectangle(
        [x + s * 0.12, y + s * 0.15, x + s * 0.88, y + s * 0.95], radius=s * 0.08,
        fill=rgba(p.accent),
    )  # fmt: skip
    for band in (0.32, 0.68):
        draw.rectangle(
            [x + s * (band - 0.03), y + s * 0.15, x + s * (band + 0.03), y + s * 0.95],
            fill=rgba(p.ink, 180),
        )
    for _ in range(3):
        cx, cy, r = x + s * (0.4 + rng.random() * 0.2), y + s * (0.3 + rng.random() * 0.5), s * 0.07
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgba(rng.choice([p.second, "#ffffff"])))


def _window(draw, x, y, s, p, rng):
    draw.rounded_rectangle([x + s * 0.1, y, x + s * 0.9, y + s * 0.7], radius=s * 0.35,
                           fill=rgba("#ffffff", 120))  # fmt: skip
    draw.rounded_rectangle(
        [x + s * 0.1, y, x + s * 0.9, y + s * 0.7], radius=s * 0.35, outline=rgba(p.deep),
        width=int(s * 0.03),
    )  # fmt: skip
    mullion = [(x + s * 0.5, y), (x + s * 0.5, y + s * 0.7)]
    draw.line(mullion, fill=rgba(p.deep), width=int(s * 0.03))
    draw.polygon(
        [(x + s * 0.3, y + s * 0.75), (x + s * 0.7, y + s * 0.75), (x + s * 0.62, y + s),
         (x + s * 0.38, y + s)],
        fill=rgba(p.second),
    )  # fmt: skip
    for angle in (-60, -25, 10, 45, 80):
        radians = math.radians(angle - 90)
        cx = x + s * 0.5 + math.cos(radians) * s * 0.15
        cy = y + s * 0.62 + math.sin(radians) * s * 0.15
        draw.ellipse([cx - s * 0.08, cy - s * 0.12, cx + s * 0.08, cy + s * 0.12],
                     fill=rgba(p.accent))  # fmt: skip


def _sofa(draw, x, y, s, p, rng):
    draw.line([(x + s * 0.85, y + s * 0.1), (x + s * 0.85, y + s * 0.9)], fill=rgba(p.ink),
              width=int(s * 0.02))  # fmt: skip
    draw.polygon(
        [(x + s * 0.75, y + s * 0.22), (x + s * 0.95, y + s * 0.22), (x + s * 0.9, y + s * 0.05),
         (x + s * 0.8, y + s * 0.05)],
        fill=rgba(p.second),
    )  # fmt: skip
    draw.rounded_rectangle([x, y + s * 0.45, x + s * 0.72, y + s * 0.8], radius=s * 0.08,
                           fill=rgba(p.accent))  # fmt: skip
    draw.rounded_rectangle([x - s * 0.04, y + s * 0.6, x + s * 0.76, y + s * 0.88],
                           radius=s * 0.06, fill=rgba(p.deep))  # fmt: skip
    for leg in (0.04, 0.64):
        draw.rectangle([x + s * leg, y + s * 0.88, x + s * (leg + 0.04), y + s * 0.96],
                       fill=rgba(p.ink))  # fmt: skip
    draw.rounded_rectangle([x + s * 0.08, y + s * 0.5, x + s * 0.26, y + s * 0.64],
                           radius=s * 0.04, fill=rgba("#ffffff", 220))  # fmt: skip


def _shelves(draw, x, y, s, p, rng):
    colours = [p.accent, p.second, p.deep, "#ffffff", p.ink]
    for shelf in (0.45, 0.95):
        draw.rectangle([x, y + s * shelf, x + s, y + s * shelf + s * 0.03], fill=rgba(p.ink))
        cursor = x + s * 0.04
        while cursor < x + s * 0.9:
            width = s * (0.07 + rng.random() * 0.06)
            height = s * (0.22 + rng.random() * 0.16)
            draw.rectangle([cursor, y + s * shelf - height, cursor + width, y + s * shelf],
                           fill=rgba(rng.choice(colours)))  # fmt: skip
            cursor += width + s * 0.015


def _dumbbell(draw, x, y, s, p, rng):
    draw.rounded_rectangle([x + s * 0.1, y + s * 0.46, x + s * 0.9, y + s * 0.54],
                           radius=s * 0.03, fill=rgba(p.ink))  # fmt: skip
    for left, height in ((0.1, 0.5), (0.22, 0.36), (0.68, 0.36), (0.78, 0.5)):
        draw.rounded_rectangle(
            [x + s * left, y + s * (0.5 - height / 2), x + s * (left + 0.11),
             y + s * (0.5 + height / 2)],
            radius=s * 0.03, fill=rgba(p.accent if height > 0.4 else p.second),
        )  # fmt: skip


def _track(draw, x, y, s, p, rng):
    for lane in range(5):
        inset = s * lane * 0.07
        draw.rounded_rectangle(
            [x + inset, y + s * 0.15 + inset, x + s - inset, y + s * 0.85 - inset],
            radius=s * 0.35 - inset, outline=rgba("#ffffff" if lane % 2 else p.accent, 230),
            width=int(s * 0.025),
        )  # fmt: skip
    draw.ellipse([x + s * 0.44, y + s * 0.44, x + s * 0.56, y + s * 0.56], fill=rgba(p.second))


def _yoga(draw, x, y, s, p, rng):
    draw.rounded_rectangle([x, y + s * 0.72, x + s, y + s * 0.84], radius=s * 0.05,
                           fill=rgba(p.accent))  # fmt: skip
    for ring in range(4):
        inset = s * ring * 0.06
        draw.ellipse(
            [x + s * 0.55 + inset, y + s * 0.3 + inset, x + s * 0.95 - inset,
             y + s * 0.7 - inset],
            outline=rgba(p.second if ring % 2 else p.ink), width=int(s * 0.03),
        )  # fmt: skip
    draw.ellipse([x + s * 0.12, y + s * 0.2, x + s * 0.32, y + s * 0.4], fill=rgba(p.ink))
    draw.line(
        [(x + s * 0.22, y + s * 0.4), (x + s * 0.22, y + s * 0.6), (x + s * 0.05, y + s * 0.72)],
        fill=rgba(p.ink), width=int(s * 0.04), joint="curve",
    )  # fmt: skip
    draw.line([(x + s * 0.22, y + s * 0.6), (x + s * 0.4, y + s * 0.72)], fill=rgba(p.ink),
              width=int(s * 0.04))  # fmt: skip
    draw.line([(x + s * 0.05, y + s * 0.45), (x + s * 0.4, y + s * 0.45)], fill=rgba(p.ink),
              width=int(s * 0.035))  # fmt: skip


MOTIFS = {
    "beauty": (_lipstick, _compact, _perfume),
    "outfits": (_shirt, _dress, _bag),
    "food": (_plate, _coffee, _bowl),
    "travel": (_mountains, _sea, _suitcase),
    "home": (_window, _sofa, _shelves),
    "fitness": (_dumbbell, _track, _yoga),
}


def _backdrop(draw: ImageDraw.ImageDraw, size: tuple[int, int], p: Palette, rng) -> None:
    """Soft bubbles and confetti behind the motif."""
    width, height = size
    for _ in range(rng.randint(2, 4)):
        r = width * (0.15 + rng.random() * 0.3)
        cx, cy = rng.random() * width, rng.random() * height
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgba("#ffffff", rng.randint(40, 90)))
    for _ in range(rng.randint(6, 14)):
        r = width * (0.008 + rng.random() * 0.014)
        cx, cy = rng.random() * width, rng.random() * height
        colour = rgba(rng.choice([p.accent, p.second, "#ffffff"]), 200)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)


def _caption(picture: Image.Image, text: str, p: Palette, rng) -> None:
    width, height = picture.size
    font, _cjk = caption_font(max(18, width // 12))
    layer = Image.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad_x, pad_y = width * 0.045, width * 0.025
    box_w, box_h = right - left + 2 * pad_x, bottom - top + 2 * pad_y
    x = width * 0.06 if rng.random() < 0.7 else (width - box_w) / 2
    y = height - box_h - width * 0.06
    draw.rounded_rectangle(
        [x, y, x + box_w, y + box_h], radius=box_h / 2, fill=rgba("#ffffff", 225)
    )
    draw.text((x + pad_x - left, y + pad_y - top), text, font=font, fill=rgba(p.ink))
    picture.alpha_composite(layer)


def note_picture(*, topic: str, ratio: str, caption: str, rng: random.Random) -> bytes:
    """One JPEG for a note of `topic`, PICTURE_WIDTH wide at `ratio`."""
    palette = rng.choice(PALETTES[topic])
    size = picture_size(ratio)
    picture = _gradient(size, palette, angle=rng.choice((0, 30, 45, 60, 90, 135, 180, 225)))
    big = (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE)
    layer = Image.new("RGBA", big, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    _backdrop(draw, big, palette, rng)
    motif_size = min(big) * (0.6 + rng.random() * 0.12)
    left = (big[0] - motif_size) / 2 + (rng.random() - 0.5) * big[0] * 0.1
    top = (big[1] - motif_size) * (0.36 + rng.random() * 0.1)
    rng.choice(MOTIFS[topic])(draw, left, top, motif_size, palette, rng)
    picture.alpha_composite(layer.reduce(SUPERSAMPLE))
    _caption(picture, caption, palette, rng)
    return _encode(picture)


def avatar_picture(*, initial: str, rng: random.Random, brand: bool = False) -> bytes:
    """A square avatar: the initial on a gradient, with rings or dots for some variety."""
    size = 160
    light, deep = rng.choice(AVATAR_COLOURS)
    ramp = Image.linear_gradient("L").resize((size, size)).rotate(rng.choice((0, 45, 90, 135)))
    picture = ImageOps.colorize(ramp, light, deep).convert("RGBA")
    big = size * SUPERSAMPLE
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    pattern = "ring" if brand else rng.choice(("rings", "dots", "plain"))
    if pattern == "rings":
        for ring in range(3):
            r = big * (0.55 + ring * 0.15)
            cx, cy = big * 0.85, big * 0.15
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=rgba("#ffffff", 60), width=10)
    elif pattern == "dots":
        for _ in range(10):
            r = big * (0.02 + rng.random() * 0.04)
            cx, cy = rng.random() * big, rng.random() * big
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgba("#ffffff", 90))
    elif pattern == "ring":
        draw.ellipse([big * 0.08, big * 0.08, big * 0.92, big * 0.92], outline=rgba("#ffffff"),
                     width=big // 32)  # fmt: skip
    picture.alpha_composite(layer.reduce(SUPERSAMPLE))
    font, cjk = caption_font(72 if brand else 80)
    if not cjk and not initial.isascii():
        initial = "H"
    text_draw = ImageDraw.Draw(picture)
    text_draw.text((size / 2, size / 2), initial, font=font, fill="white", anchor="mm")
    return _encode(picture)


def weighted_ratio(rng: random.Random) -> str:
    return rng.choices(list(RATIO_WEIGHTS), weights=list(RATIO_WEIGHTS.values()))[0]

"""Simulated paper: pen marks and handwriting drawn onto printed pages, then scanner damage.

Used by `deltaker demo` to play citizens who post their forms back, and by the
tests and benchmarks (tests/scan/synthetic.py) to build scan corpora with a
known truth. Nothing here reads scans: it only makes them.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

PT_PER_INCH = 72.0


@dataclass(frozen=True)
class Condition:
    """How a page is damaged on its way through the scanner."""

    name: str
    dpi: int = 300
    angle: float = 0.0  # degrees, counter-clockwise
    scale: float = 1.0
    offset_pt: tuple[float, float] = (0.0, 0.0)
    blur: float = 0.0  # Gaussian radius in pixels at ``dpi``
    noise: float = 0.0  # standard deviation of grey-level noise
    jpeg_quality: int = 80
    bilevel: bool = False
    streaks: int = 0
    shadow: bool = False
    upside_down: bool = False
    quarter_turn: bool = False
    warp: float = 0.0  # points of smooth bending across the page
    colour: bool = False


def _pen(dpi: int, rng: random.Random, mm: float = 0.55) -> int:
    return max(1, round(mm * rng.uniform(0.8, 1.3) / 25.4 * dpi))


def _jitter(rng: random.Random, amount: float) -> float:
    return rng.uniform(-amount, amount)


def draw_mark(
    draw: ImageDraw.ImageDraw,
    rect: tuple[float, float, float, float],
    kind: str,
    dpi: int,
    rng: random.Random,
) -> None:
    x0, y0, x1, y1 = rect
    w, h = x1 - x0, y1 - y0
    colour = (25, 25, 30)
    width = _pen(dpi, rng)
    if kind == "blue":
        colour = (20, 45, 170)
    if kind == "pencil":
        shade = rng.randint(125, 165)
        colour = (shade, shade, shade)
        width = _pen(dpi, rng, 0.45)
    if kind in ("cross", "blue", "pencil"):
        reach = rng.uniform(0.75, 1.15)
        cx, cy = x0 + w / 2 + _jitter(rng, w * 0.08), y0 + h / 2 + _jitter(rng, h * 0.08)
        for sign in (1, -1):
            a = (
                cx - w * reach / 2 + _jitter(rng, w * 0.06),
                cy - sign * h * reach / 2 + _jitter(rng, h * 0.06),
            )
            b = (
                cx + w * reach / 2 + _jitter(rng, w * 0.06),
                cy + sign * h * reach / 2 + _jitter(rng, h * 0.06),
            )
            draw.line([a, b], fill=colour, width=width)
    elif kind == "tick":
        a = (x0 + w * rng.uniform(0.1, 0.25), y0 + h * rng.uniform(0.45, 0.6))
        b = (x0 + w * rng.uniform(0.35, 0.5), y0 + h * rng.uniform(0.8, 0.95))
        c = (x0 + w * rng.uniform(0.85, 1.2), y0 + h * rng.uniform(-0.2, 0.15))
        draw.line([a, b, c], fill=colour, width=width, joint="curve")
    elif kind == "dot":
        r = rng.uniform(0.6, 1.1) / 25.4 * dpi
        cx, cy = x0 + w / 2 + _jitter(rng, w * 0.15), y0 + h / 2 + _jitter(rng, h * 0.15)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    elif kind == "fill":
        inset = rng.uniform(-0.02, 0.06)
        fx0, fy0, fx1, fy1 = x0 + w * inset, y0 + h * inset, x1 - w * inset, y1 - h * inset
        if rng.random() < 0.5:
            # Filled in solid (a felt pen), with a few pale gaps.
            draw.rectangle([fx0, fy0, fx1, fy1], fill=colour)
            for _ in range(rng.randint(0, 3)):
                gx, gy = rng.uniform(fx0, fx1), rng.uniform(fy0, fy1)
                g = width * 0.7
                draw.ellipse([gx - g, gy - g, gx + g, gy + g], fill=(200, 200, 200))
        else:
            # Scribbled over with a ballpoint: dense zig-zag strokes edge to edge.
            pen = max(2, round(0.7 / 25.4 * dpi))
            step = pen * rng.uniform(0.6, 0.9)
            y = fy0
            points = []
            while y <= fy1:
                points += [(fx0 + _jitter(rng, 1.5), y), (fx1 + _jitter(rng, 1.5), y + step / 2)]
                y += step
            draw.line(points, fill=colour, width=pen, joint="curve")
    elif kind == "beside":
        # A cross drawn left of the box, in the margin next to it.
        gap = rng.uniform(0.7, 1.4) / 25.4 * dpi
        size = w * rng.uniform(0.55, 0.8)
        bx1 = x0 - gap
        bx0 = bx1 - size
        by0 = y0 + (h - size) / 2 + _jitter(rng, h * 0.1)
        draw.line([(bx0, by0), (bx1, by0 + size)], fill=colour, width=width)
        draw.line([(bx0, by0 + size), (bx1, by0)], fill=colour, width=width)
    else:
        raise ValueError(f"unknown mark kind {kind!r}")


#: Pen marks on an option's printed text rather than in its box (see ``draw_text_mark``).
TEXT_MARK_KINDS = ("circle", "underline", "strike", "tick-text")


def draw_text_mark(
    draw: ImageDraw.ImageDraw,
    rect: tuple[float, float, float, float],
    kind: str,
    dpi: int,
    rng: random.Random,
    em: float,
) -> None:
    """Ink on an option's text: ``rect`` is the text's tight box (pixels), ``em`` its size.

    ``circle``: an oval round the words (not always closed); ``underline``: a line
    under the last line's baseline; ``strike``: a line through the words, or a cross
    over them; ``tick-text``: a tick just after the words instead of in the box.
    """
    x0, y0, x1, y1 = rect
    w, h = x1 - x0, y1 - y0
    colour = (20, 45, 170) if rng.random() < 0.3 else (25, 25, 30)
    width = _pen(dpi, rng)
    baseline = y1 - 0.24 * em  # the font's descent below the last line's baseline
    if kind == "circle":
        cx, cy = x0 + w / 2 + _jitter(rng, 0.1 * em), y0 + h / 2 + _jitter(rng, 0.1 * em)
        a = w / 2 + w * rng.uniform(0.04, 0.15) + em * rng.uniform(0.2, 0.6)
        b = h / 2 + em * rng.uniform(0.25, 0.6)
        start = rng.uniform(0, 360)
        draw.arc(
            [cx - a, cy - b, cx + a, cy + b],
            start,
            start + rng.uniform(330, 385),
            fill=colour,
            width=width,
        )
    elif kind == "underline":
        y = baseline + em * rng.uniform(0.06, 0.2)
        start_pt = (x0 - em * rng.uniform(-0.05, 0.2), y + _jitter(rng, 0.05 * em))
        end_pt = (x1 + em * rng.uniform(-0.05, 0.3), y + _jitter(rng, 0.05 * em))
        draw.line([start_pt, end_pt], fill=colour, width=width)
    elif kind == "strike":
        if rng.random() < 0.6:
            y = baseline - em * rng.uniform(0.2, 0.45)
            start_pt = (x0 - em * rng.uniform(0.0, 0.3), y + _jitter(rng, 0.06 * em))
            end_pt = (x1 + em * rng.uniform(0.0, 0.4), y + _jitter(rng, 0.06 * em))
            draw.line([start_pt, end_pt], fill=colour, width=width)
        else:
            # A cross over the words, from past one corner to past the other.
            def past() -> float:
                return em * rng.uniform(0.1, 0.4)

            draw.line(
                [(x0 - past(), y0 - past()), (x1 + past(), y1 + past())], fill=colour, width=width
            )
            draw.line(
                [(x0 - past(), y1 + past()), (x1 + past(), y0 - past())], fill=colour, width=width
            )
    elif kind == "tick-text":
        size = em * rng.uniform(0.9, 1.3)
        left = x1 + em * rng.uniform(0.15, 1.0)
        top = baseline - 0.7 * em - _jitter(rng, 0.15 * em) - size * 0.2
        start_pt = (left, top + size * rng.uniform(0.45, 0.6))
        low_pt = (left + size * rng.uniform(0.3, 0.4), top + size * rng.uniform(0.85, 0.95))
        end_pt = (left + size * rng.uniform(0.8, 1.0), top + size * rng.uniform(-0.1, 0.1))
        draw.line([start_pt, low_pt, end_pt], fill=colour, width=width, joint="curve")
    else:
        raise ValueError(f"unknown text mark kind {kind!r}")


def draw_writing(
    draw: ImageDraw.ImageDraw,
    rect: tuple[float, float, float, float],
    dpi: int,
    rng: random.Random,
    *,
    signature: bool = False,
) -> None:
    """A few handwriting-like strokes inside a written field."""
    x0, y0, x1, y1 = rect
    h = y1 - y0
    width = _pen(dpi, rng)
    x = x0 + h * 0.3
    base = y0 + h * rng.uniform(0.55, 0.75) if not signature else y0 + h * 0.6
    letters = rng.randint(4, 9)
    points = [(x, base)]
    for _ in range(letters * 3):
        x += h * rng.uniform(0.08, 0.18)
        y = base - h * rng.uniform(0.0, 0.45 if signature else 0.3)
        points.append((min(x, x1 - h * 0.2), y))
        points.append((min(x + h * 0.05, x1 - h * 0.2), base))
    draw.line(points, fill=(25, 25, 30), width=width, joint="curve")


def degrade(
    image: Image.Image, cond: Condition, rng: random.Random, page_size_pt: tuple[float, float]
) -> Image.Image:
    """Scanner damage; the result has the page's size in pixels at ``cond.dpi``."""
    grey = image if cond.colour else image.convert("L")
    width, height = grey.size
    fill = (255, 255, 255) if cond.colour else 255
    if cond.warp:
        grey = _warp(grey, cond.warp * cond.dpi / PT_PER_INCH, rng)
    if cond.scale != 1.0:
        scaled = grey.resize(
            (round(width * cond.scale), round(height * cond.scale)), Image.Resampling.BILINEAR
        )
        canvas = Image.new(grey.mode, (width, height), fill)
        canvas.paste(scaled, ((width - scaled.width) // 2, (height - scaled.height) // 2))
        grey = canvas
    if abs(cond.angle) > 2:
        # A skewed sheet on a scanner bed larger than the paper: the corners stay on the scan.
        pad = round(width * 0.05)
        bed = Image.new(grey.mode, (width + 2 * pad, height + 2 * pad), fill)
        bed.paste(grey, (pad, pad))
        grey = bed
    angle = cond.angle + (180.0 if cond.upside_down else 0.0)
    dx, dy = (v * cond.dpi / PT_PER_INCH for v in cond.offset_pt)
    if angle or dx or dy:
        # Pillow hints whole pixels, but its affine rotate takes a fractional shift
        grey = grey.rotate(
            angle,
            resample=Image.Resampling.BILINEAR,
            translate=(dx, dy),  # type: ignore[arg-type]
            fillcolor=fill,
        )
    if cond.quarter_turn:
        grey = grey.transpose(Image.Transpose.ROTATE_90)
    if cond.blur:
        grey = grey.filter(ImageFilter.GaussianBlur(cond.blur))
    arr = np.asarray(grey).astype(np.int16)
    if cond.shadow:
        ramp = np.clip(np.linspace(-90, 40, arr.shape[1]), None, 0).astype(np.int16)
        arr = arr + (ramp[None, :, None] if arr.ndim == 3 else ramp[None, :])
    if cond.streaks:
        for _ in range(cond.streaks):
            x = rng.randrange(arr.shape[1])
            w = rng.randint(1, 4)
            arr[:, x : x + w] = np.minimum(arr[:, x : x + w], rng.randint(120, 200))
    if cond.noise:
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, cond.noise, arr.shape[:2])
        arr = arr + (noise[..., None] if arr.ndim == 3 else noise).astype(np.int16)
    arr = np.clip(arr, 0, 255).astype(np.uint8)
    out = Image.fromarray(arr)
    if cond.bilevel:
        out = (
            out.convert("L")
            .point(lambda v: 255 if v > 150 else 0)
            .convert("1", dither=Image.Dither.NONE)
        )
    return out


def _warp(image: Image.Image, amplitude_px: float, rng: random.Random) -> Image.Image:
    """A gentle bend: rows shift sideways and columns up or down along smooth curves."""
    arr = np.asarray(image)
    height, width = arr.shape[:2]
    phase = rng.uniform(0, math.pi)
    shift_x = (amplitude_px * np.sin(np.linspace(0, math.pi, height) + phase)).round().astype(int)
    out = np.full_like(arr, 255)
    for y in range(0, height):
        s = shift_x[y]
        if s >= 0:
            out[y, s:] = arr[y, : width - s]
        else:
            out[y, :s] = arr[y, -s:]
    shift_y = (
        (amplitude_px * np.sin(np.linspace(0, math.pi, width) + phase / 2)).round().astype(int)
    )
    final = np.full_like(out, 255)
    for x in range(0, width, 1):
        s = shift_y[x]
        if s >= 0:
            final[s:, x] = out[: height - s, x]
        else:
            final[:s, x] = out[-s:, x]
    return Image.fromarray(final)


def to_pdf(
    images: Iterable[Image.Image], path: Path | io.BytesIO, *, quality: int = 80, dpi: int = 300
) -> None:
    """An image-only PDF, one image per page: JPEG for grey and colour, CCITT G4 for 1-bit."""
    images = iter(images)
    first = next(images)
    # Pillow writes grey and colour pages as JPEG (DCT) and 1-bit pages as CCITT G4.
    options = {} if first.mode == "1" else {"quality": quality}
    first.save(
        path, format="PDF", save_all=True, append_images=images, resolution=float(dpi), **options
    )

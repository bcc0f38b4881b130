"""The debug overlay: the page as the scanner saw it, with what it found drawn on.

Boxes are outlined in the colour of their state (grey empty, green marked,
blue cancelled, orange ambiguous); items sent to review get a red bar in the
margin, and option texts with pen ink on them a red outline; the QR code the
page was identified by is outlined (purple when it was the second code,
because the first could not be read).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .identify import FoundCode
from .read import SECOND_CODE_FLAG, PageGeometry
from .results import MarkState, PageResult

STATE_COLOURS = {
    MarkState.EMPTY: (150, 150, 150),
    MarkState.MARKED: (0, 170, 0),
    MarkState.CANCELLED: (0, 90, 255),
    MarkState.AMBIGUOUS: (255, 140, 0),
}
REVIEW_COLOUR = (220, 0, 0)
CODE_COLOUR = (0, 140, 160)
SECOND_CODE_COLOUR = (160, 0, 200)
LINE_PX = 2
LABEL_PX = 14  # label text height: readable on a page drawn at about 150 dpi


def overlay(result: PageResult, geometry: PageGeometry | None, image: np.ndarray) -> Image.Image:
    """An RGB image of the page with boxes, states and review items drawn."""
    base = geometry.upright if geometry is not None else image
    picture = Image.fromarray(base).convert("RGB")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=LABEL_PX)
    title = f"{result.status}"
    if result.form:
        title += f"  {result.form} {result.version} {result.language} page {result.page}"
    if result.message:
        title += f"  {result.message}"
    draw.rectangle([0, 0, picture.width, LABEL_PX + 6], fill=(255, 255, 255))
    ok = result.status == "ok"
    draw.text((4, 2), title, fill=(0, 120, 0) if ok else REVIEW_COLOUR, font=font)
    if geometry is not None and geometry.code is not None:
        _outline_code(draw, geometry.code, SECOND_CODE_FLAG in result.flags, font)
    if geometry is None or geometry.transform is None:
        return picture
    for x0, y0, x1, y1 in geometry.inked_labels:
        # Pen on or round an option's words: the words are outlined, the item is in review.
        draw.rectangle([x0 - 4, y0 - 4, x1 + 4, y1 + 4], outline=REVIEW_COLOUR, width=LINE_PX)
    for field in result.fields:
        rect = geometry.rects.get((field.item, field.value))
        if rect is None:
            continue
        colour = STATE_COLOURS[field.state]
        draw.rectangle(
            [rect[0] - 2, rect[1] - 2, rect[2] + 2, rect[3] + 2], outline=colour, width=LINE_PX
        )
        label = (
            field.state.value if field.kind == "choice" else f"{field.kind}: {field.state.value}"
        )
        draw.text(
            (rect[2] + 4, rect[1] - LABEL_PX), f"{label} {field.fill:.2f}", fill=colour, font=font
        )
        if field.item in result.needs_review:
            draw.rectangle(
                [max(0, rect[0] - 14), rect[1], max(0, rect[0] - 9), rect[3]], fill=REVIEW_COLOUR
            )
    return picture


def _outline_code(
    draw: ImageDraw.ImageDraw,
    code: FoundCode,
    second: bool,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
) -> None:
    colour = SECOND_CODE_COLOUR if second else CODE_COLOUR
    corners = [tuple(p) for p in code.corners]
    draw.polygon(corners, outline=colour, width=LINE_PX + 1)
    label = "read by the second code (the first is unreadable)" if second else "code"
    left = min(p[0] for p in corners)
    top = min(p[1] for p in corners)
    draw.text((left, max(LABEL_PX + 8, top - LABEL_PX - 4)), label, fill=colour, font=font)


def overlay_name(file: str, page_index: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(file).stem)[:80] or "page"
    return f"{stem}-p{page_index + 1:04d}.png"


def write_overlay(
    directory: Path,
    file: str,
    page_index: int,
    result: PageResult,
    geometry: PageGeometry | None,
    image: np.ndarray,
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / overlay_name(file, page_index)
    overlay(result, geometry, image).save(path, format="PNG", compress_level=1)
    return path

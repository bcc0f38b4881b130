"""Who and what a page is: its QR code(s), read where they are printed first.

The page may come in turned by a quarter, upside down, or with a few degrees of
skew. zxing-cpp reads the code at any angle and says how it is turned; that
angle, rounded to a quarter turn, is how the page was fed. The fine angle is
left to ``scan.align``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import numpy as np
import zxingcpp
from PIL import Image

#: Corner crops searched before the whole page, as a share of the page's width.
CORNER_CROP_SHARE = 0.42
#: Width of the thumbnail kept for a page that could not be identified.
THUMBNAIL_WIDTH_PX = 300

Point = tuple[float, float]


@dataclass(frozen=True)
class FoundCode:
    """A decoded QR code: its text and its corners (TL, TR, BR, BL of the symbol) in pixels."""

    text: str
    corners: tuple[Point, Point, Point, Point]
    orientation: float  # degrees the symbol is turned clockwise, as zxing reports it
    modules: int | None = None  # the symbol's side in modules (without the quiet zone)
    hard: bool = False  # read only by the last, most forgiving tries (a damaged code)

    @property
    def quarter_turns(self) -> int:
        """Quarter turns (counter-clockwise) the page was fed turned by: 0..3."""
        return round(-self.orientation / 90.0) % 4


def _read(
    image: np.ndarray,
    *,
    thorough: bool,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(
        image,
        # zxing-cpp takes one format as well as a set (its docstring); the stubs list only the set
        formats=zxingcpp.BarcodeFormat.QRCode,  # type: ignore[arg-type]
        try_rotate=True,
        try_downscale=thorough,
        try_invert=False,
        binarizer=binarizer,
    )


#: Last tries for a damaged or faint code: other ways of telling dark from light.
HARD_BINARIZERS = (zxingcpp.Binarizer.GlobalHistogram, zxingcpp.Binarizer.FixedThreshold)


def _found(barcode: zxingcpp.Barcode, dx: int, dy: int) -> FoundCode:
    pos = barcode.position

    def shifted(p: zxingcpp.Point) -> Point:
        return float(p.x + dx), float(p.y + dy)

    corners = (
        shifted(pos.top_left),
        shifted(pos.top_right),
        shifted(pos.bottom_right),
        shifted(pos.bottom_left),
    )
    try:
        extra = barcode.extra  # a dict in zxing-cpp 3, missing in 2.x
        version = extra.get("Version", "") if isinstance(extra, dict) else ""
        modules: int | None = 17 + 4 * int(version)
    except (ValueError, TypeError, AttributeError):
        modules = None
    return FoundCode(barcode.text, corners, float(barcode.orientation), modules)


CORNERS = ("top_left", "top_right", "bottom_right", "bottom_left")


def codes_in_corner(image: np.ndarray, corner: str) -> list[FoundCode]:
    """The QR codes readable in one corner crop of the page (a quick, plain try)."""
    height, width = image.shape
    side = int(min(width, height) * CORNER_CROP_SHARE)
    x = width - side if corner.endswith("right") else 0
    y = height - side if corner.startswith("bottom") else 0
    hits = _read(image[y : y + side, x : x + side], thorough=False)
    return [_found(h, x, y) for h in hits if h.valid and h.text]


def find_codes(image: np.ndarray, *, expected_corner: str = "top_right") -> list[FoundCode]:
    """Every readable QR code on the page, the fastest places first.

    Looks in the page's corners (the expected one first: a page fed turned has
    its code in another corner; a form page has a second code in the corner
    diagonally across), and only then searches the whole page, first plainly
    and then trying harder (downscaled copies).
    """
    order = [expected_corner] + [c for c in CORNERS if c != expected_corner]
    for name in order:
        found = codes_in_corner(image, name)
        if found:
            # Other codes may sit elsewhere; the caller only needs one that resolves.
            return found
    for thorough in (False, True):
        hits = _read(image, thorough=thorough)
        found = [_found(h, 0, 0) for h in hits if h.valid and h.text]
        if found:
            return found
    for binarizer in HARD_BINARIZERS:
        hits = _read(image, thorough=True, binarizer=binarizer)
        found = [replace(_found(h, 0, 0), hard=True) for h in hits if h.valid and h.text]
        if found:
            return found
    return []


def turn_upright(image: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Undo a page fed turned by ``quarter_turns`` counter-clockwise quarter turns."""
    if quarter_turns % 4 == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=-quarter_turns))


def turn_point(point: Point, shape: tuple[int, int], quarter_turns: int) -> Point:
    """Where ``point`` of an image of ``shape`` lands after ``turn_upright``."""
    height, width = shape
    x, y = point
    k = quarter_turns % 4
    if k == 0:
        return x, y
    if k == 1:  # turned clockwise once to undo
        return height - 1 - y, x
    if k == 2:
        return width - 1 - x, height - 1 - y
    return y, width - 1 - x


def turn_code(code: FoundCode, shape: tuple[int, int], quarter_turns: int) -> FoundCode:
    tl, tr, br, bl = (turn_point(p, shape, quarter_turns) for p in code.corners)
    return FoundCode(
        code.text,
        (tl, tr, br, bl),
        code.orientation + 90.0 * quarter_turns,
        code.modules,
        code.hard,
    )


def is_lower_code(code: FoundCode, upright_shape: tuple[int, int]) -> bool:
    """Whether ``code`` (on the upright page) is the one printed in the page's lower half.

    A form page carries its first code top right and a second, with the same
    text, bottom left: once the page is upright, the half a code sits in says which.
    """
    centre_y = sum(p[1] for p in code.corners) / 4.0
    return centre_y > upright_shape[0] / 2.0


def thumbnail(image: np.ndarray, width: int = THUMBNAIL_WIDTH_PX) -> bytes:
    """A small PNG of the page, kept for pages nobody could identify."""
    pil = Image.fromarray(image)
    height = max(1, round(pil.height * width / max(pil.width, 1)))
    pil = pil.resize((width, height), Image.Resampling.BOX)
    out = io.BytesIO()
    pil.save(out, format="PNG")
    return out.getvalue()

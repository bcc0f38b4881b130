"""The embedded typeface (DejaVu Sans, vendored in printing/fonts/) and glyph checks.

Every printed text goes through :func:`check_glyphs` first: a character the font
cannot draw is an error naming the character, never a blank box on paper.
"""

from __future__ import annotations

import functools
import struct
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from forms.errors import UserError

from .geometry import FONT_BOLD, FONT_REGULAR

FONT_DIR = Path(__file__).with_name("fonts")
FONT_FILES = {FONT_REGULAR: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

#: Characters that are never drawn and so need no glyph.
_INVISIBLE = frozenset("\n\r\t")


class MissingGlyphError(UserError):
    """A text holds a character the embedded font has no glyph for."""


@functools.cache
def register_fonts() -> None:
    """Register the vendored TTFs with reportlab once (fonts are embedded as subsets)."""
    for name, file_name in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file_name)))


def font_name(bold: bool) -> str:
    register_fonts()
    return FONT_BOLD if bold else FONT_REGULAR


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return pdfmetrics.stringWidth(text, font_name(bold), size)


def _face(name: str) -> TTFontFace:
    """The parsed TrueType file behind one of our registered fonts."""
    register_fonts()
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):  # only our own TrueType fonts are ever asked for
        raise TypeError(f"font {name!r} is not a TrueType font")
    return font.face


@functools.cache
def _cmap(name: str) -> frozenset[int]:
    return frozenset(_face(name).charToGlyph)


def missing_glyphs(text: str, *, bold: bool = False) -> list[str]:
    """The characters of ``text`` the font cannot draw, in order of first appearance."""
    cmap = _cmap(font_name(bold))
    missing: list[str] = []
    for char in text:
        if char not in _INVISIBLE and ord(char) not in cmap and char not in missing:
            missing.append(char)
    return missing


def check_glyphs(text: str, *, bold: bool = False, where: str = "") -> None:
    """Raise MissingGlyphError when ``text`` holds a character the font cannot draw."""
    missing = missing_glyphs(text, bold=bold)
    if missing:
        names = ", ".join(
            f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing
        )
        place = f" in {where}" if where else ""
        snippet = text if len(text) <= 40 else text[:37] + "..."
        raise MissingGlyphError(
            f"the print font has no glyph for {names}{place} ({snippet!r}); "
            "change the text or use a character the font has"
        )


@functools.cache
def _glyph_bounds(name: str) -> tuple[dict[int, tuple[int, int, int, int]], int]:
    """Each glyph's ink box (xMin, yMin, xMax, yMax) in font units, from the font's glyf table."""
    face = _face(name)
    glyf = face.get_table_pos("glyf")[0]
    bounds: dict[int, tuple[int, int, int, int]] = {}
    positions = face.glyphPos
    for glyph in range(len(positions) - 1):
        if positions[glyph + 1] == positions[glyph]:
            continue  # no outline (a space): no ink
        # A glyph record starts with its contour count, then xMin, yMin, xMax, yMax.
        header = face.get_chunk(glyf + positions[glyph] + 2, 8)
        bounds[glyph] = struct.unpack(">hhhh", header)
    return bounds, face.unitsPerEm


def ink_extent(text: str, size: float, *, bold: bool = False) -> tuple[float, float, float, float]:
    """Where ``text`` drawn at ``size`` puts ink, in points from its start on the baseline.

    Returns (left, right, above, below): ``left`` is 0 or less (a glyph such as "J"
    reaching left of the pen position), ``right`` at least the advance width, and
    ``above`` / ``below`` at least the font's ascent / descent, more where a glyph
    (an accented capital such as "É") reaches further. The box this spans holds
    every bit of the drawn text.
    """
    name = font_name(bold)
    ascent, descent = pdfmetrics.getAscentDescent(name, size)
    bounds, units = _glyph_bounds(name)
    to_pt = size / units
    cmap = _face(name).charToGlyph
    left, right, above, below = 0.0, text_width(text, size, bold=bold), ascent, -descent
    x = 0.0
    for char in text:
        box = bounds.get(cmap.get(ord(char), -1))
        if box is not None:
            x_min, y_min, x_max, y_max = box
            left = min(left, x + x_min * to_pt)
            right = max(right, x + x_max * to_pt)
            above = max(above, y_max * to_pt)
            below = max(below, -y_min * to_pt)
        x += pdfmetrics.stringWidth(char, name, size)
    return left, right, above, below

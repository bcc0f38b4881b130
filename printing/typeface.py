"""The embedded typefaces (vendored in printing/fonts/), text shaping and glyph checks.

DejaVu Sans prints Latin, Cyrillic and most other alphabetic scripts; Noto Sans
Arabic prints Arabic script (Arabic, Persian, Urdu, Sorani...) and Noto Sans
Ethiopic prints Ge'ez script (Tigrinya, Amharic). Each character goes to the
first of these fonts its script prefers that has a glyph for it.

A text in a complex or right-to-left script is *shaped*: the Unicode bidirectional
algorithm (python-bidi) resolves its embedding levels, the text is cut into runs of
one level and one font, HarfBuzz (uharfbuzz, the engine behind ReportLab's
``shaping`` extra) shapes each run in its direction into joined glyphs, and the
runs are placed in visual order (a number or a Latin name inside Arabic text reads
left to right, where a reader expects it). ReportLab draws the shaped glyphs
(``ShapedStr``) and maps each back to its characters for copy and search. Plain
left-to-right text in DejaVu Sans takes the simpler path it always took, so the
geometry of a Norwegian form does not change.

Every printed text goes through :func:`check_glyphs` first: a character no font
can draw is an error naming the character, never a blank box on paper.
"""

from __future__ import annotations

import functools
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uharfbuzz
from bidi import algorithm as bidi_algorithm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont, TTFontFace

from forms.errors import UserError

from .geometry import FONT_BOLD, FONT_REGULAR

FONT_DIR = Path(__file__).with_name("fonts")

ARABIC_REGULAR = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
ETHIOPIC_REGULAR = "NotoSansEthiopic"
ETHIOPIC_BOLD = "NotoSansEthiopic-Bold"

FONT_FILES = {
    FONT_REGULAR: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    ARABIC_REGULAR: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    ETHIOPIC_REGULAR: "NotoSansEthiopic-Regular.ttf",
    ETHIOPIC_BOLD: "NotoSansEthiopic-Bold.ttf",
}

#: (first, last) code points of a script and the (regular, bold) fonts made for it.
SCRIPT_FONTS: tuple[tuple[int, int, str, str], ...] = (
    (0x0600, 0x06FF, ARABIC_REGULAR, ARABIC_BOLD),  # Arabic
    (0x0750, 0x077F, ARABIC_REGULAR, ARABIC_BOLD),  # Arabic Supplement
    (0x0870, 0x08FF, ARABIC_REGULAR, ARABIC_BOLD),  # Arabic Extended-A/B
    (0xFB50, 0xFDFF, ARABIC_REGULAR, ARABIC_BOLD),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF, ARABIC_REGULAR, ARABIC_BOLD),  # Arabic Presentation Forms-B
    (0x1200, 0x139F, ETHIOPIC_REGULAR, ETHIOPIC_BOLD),  # Ethiopic (+ Supplement)
    (0x2D80, 0x2DDF, ETHIOPIC_REGULAR, ETHIOPIC_BOLD),  # Ethiopic Extended
    (0xAB00, 0xAB2F, ETHIOPIC_REGULAR, ETHIOPIC_BOLD),  # Ethiopic Extended-A
)

#: Characters that are never drawn and so need no glyph.
_INVISIBLE = frozenset("\n\r\t")
#: Bidirectional classes that make a text need the bidi algorithm.
_RTL_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI", "LRE", "LRO", "LRI", "FSI"})


class MissingGlyphError(UserError):
    """A text holds a character none of the embedded fonts has a glyph for."""


@functools.cache
def register_fonts() -> None:
    """Register the vendored TTFs with reportlab once (fonts are embedded as subsets)."""
    for name, file_name in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file_name)))


def font_name(bold: bool) -> str:
    """The main (Latin) font; other scripts pick theirs per character (:func:`fonts_for`)."""
    register_fonts()
    return FONT_BOLD if bold else FONT_REGULAR


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


@functools.cache
def fonts_for(char: str, bold: bool) -> tuple[str, ...]:
    """The fonts to try for ``char``, its script's own first."""
    register_fonts()
    main = FONT_BOLD if bold else FONT_REGULAR
    others = [b if bold else r for _, _, r, b in SCRIPT_FONTS]
    order = [main, *dict.fromkeys(others)]
    code = ord(char)
    for first, last, regular, bold_name in SCRIPT_FONTS:
        if first <= code <= last:
            own = bold_name if bold else regular
            order.remove(own)
            order.insert(0, own)
            break
    return tuple(order)


def _has(font: str, char: str) -> bool:
    return ord(char) in _cmap(font)


def _font_of(char: str, bold: bool, previous: str | None) -> str | None:
    """The font that draws ``char``; None when none can.

    A space, punctuation, a combining mark or a format character (ZWNJ, a
    direction mark) stays in the font of the text before it when that font has
    it, so a run is not cut where a script's shaping needs it whole.
    """
    category = unicodedata.category(char)
    if previous is not None and category[0] in "ZPMSC" and not ("0" <= char <= "9"):
        if category == "Cf" or _has(previous, char):
            return previous
    for font in fonts_for(char, bold):
        if _has(font, char):
            return font
    return None


def missing_glyphs(text: str, *, bold: bool = False) -> list[str]:
    """The characters of ``text`` no font can draw, in order of first appearance."""
    missing: list[str] = []
    for char in text:
        if char in _INVISIBLE or char in missing or unicodedata.category(char) == "Cf":
            continue
        if _font_of(char, bold, None) is None:
            missing.append(char)
    return missing


def check_glyphs(text: str, *, bold: bool = False, where: str = "") -> None:
    """Raise MissingGlyphError when ``text`` holds a character no font can draw."""
    missing = missing_glyphs(text, bold=bold)
    if missing:
        names = ", ".join(
            f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing
        )
        place = f" in {where}" if where else ""
        snippet = text if len(text) <= 40 else text[:37] + "..."
        raise MissingGlyphError(
            f"the print fonts have no glyph for {names}{place} ({snippet!r}); "
            "change the text or use a character the fonts have"
        )


# --- shaping -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Glyphs of one font and one direction, ``x`` points from the line's left end."""

    font: str
    text: str  # the run's characters in logical order
    glyphs: str  # what reportlab draws: a ShapedStr (glyphs left to right), or plain text
    x: float
    width: float
    rtl: bool


@dataclass(frozen=True)
class ShapedLine:
    runs: tuple[Run, ...]
    width: float


@functools.cache
def _simple_char(char: str, bold: bool) -> bool:
    """Whether ``char`` is left to right and drawn by the main font (no other script's)."""
    if unicodedata.bidirectional(char) in _RTL_CLASSES:
        return False
    own = fonts_for(char, bold)[0]
    return own == font_name(bold) or not _has(own, char)


#: Characters already found simple, by ``bold``: text_width runs on every candidate
#: line of every wrap, so a Latin text is checked by one set comparison, not per character.
_SIMPLE_CHARS: dict[bool, set[str]] = {False: set(), True: set()}


def is_simple(text: str, *, bold: bool = False) -> bool:
    """Whether ``text`` prints as it always did: left to right, one font, no shaping."""
    if text.isascii():  # no ASCII character is right to left or in another script's font
        return True
    known = _SIMPLE_CHARS[bold]
    chars = set(text)
    if chars <= known:
        return True
    for char in chars - known:
        if not _simple_char(char, bold):
            return False
        known.add(char)
    return True


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (Arabic, Hebrew...)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _levels(text: str, rtl: bool) -> list[int]:
    """The bidi embedding level of each character of ``text`` (rules X1-I2, L1; python-bidi).

    The algorithm drops format characters (rule X9: ZWNJ, ZWJ, direction marks);
    they stay in the text, which HarfBuzz needs (a ZWNJ keeps Persian letters
    apart), with the level of the character before them, as UAX #9 advises.
    """
    base = 1 if rtl else 0
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if rtl else "L"
    bidi_algorithm.get_embedding_levels(text, storage)
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage, False)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    kept = storage["chars"]
    levels: list[int] = []
    n = 0
    for char in text:
        if n < len(kept) and kept[n]["ch"] == char:
            levels.append(int(kept[n]["level"]))
            n += 1
        else:  # dropped by rule X9
            levels.append(levels[-1] if levels else base)
    # Rule L1: whitespace at the end of a line takes the paragraph's level.
    end = len(text)
    while end and text[end - 1].isspace():
        end -= 1
        levels[end] = base
    return levels


def _shape_run(text: str, font: str, size: float, rtl: bool) -> tuple[ShapedStr, float]:
    """HarfBuzz's glyphs for one run, as reportlab's ShapedStr, and the run's width.

    The same steps as ReportLab's ``shapeStr``, with the direction given (from the
    bidi levels) rather than guessed, so a bracket in right-to-left text mirrors.
    """
    # reportlab's TTFont shaping helpers (hbFont, hbAddPrivate, pdfScale) are not in its stubs.
    ttf: Any = pdfmetrics.getFont(font)
    hb_font = ttf.hbFont(size)
    buf = uharfbuzz.Buffer()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    # Latin text keeps its plain advances (no kerning, no ligatures): a word
    # measures the same inside an Arabic line as on a Norwegian page.
    plain = font in (FONT_REGULAR, FONT_BOLD)
    uharfbuzz.shape(hb_font, buf, {"kern": not plain, "liga": not plain})
    chars: list[str] = []
    data: Any = []  # ShapeData a glyph (the stubs type shapeData as one, it is a list)
    advance = 0.0
    face = ttf.face
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid = info.codepoint
        known = face.glyphToChar.get(gid)
        if known:
            code = known[0]
        else:  # a contextual form or ligature with no code point of its own
            code = ttf.hbAddPrivate(hb_font.glyph_to_string(gid), gid, pos.x_advance)
        x_advance = ttf.pdfScale(pos.x_advance)
        data.append(
            ShapeData(
                info.cluster,
                x_advance,
                ttf.pdfScale(pos.y_advance),
                ttf.pdfScale(pos.x_offset),
                ttf.pdfScale(pos.y_offset),
                face.charWidths[code],
            )
        )
        chars.append(chr(code))
        advance += x_advance * size / 1000
    return ShapedStr("".join(chars), shapeData=data), advance


@functools.lru_cache(maxsize=8192)
def shape_line(text: str, size: float, bold: bool = False, rtl: bool = False) -> ShapedLine:
    """``text`` (one line, logical order) shaped and ordered for display.

    ``rtl`` is the paragraph direction: the form's language's. Runs come left
    to right as they are drawn.
    """
    register_fonts()
    levels = _levels(text, rtl)
    # Logical runs: one level, one font.
    pieces: list[tuple[int, str, str]] = []  # (level, font, text)
    font: str | None = None
    for char, level in zip(text, levels, strict=True):
        chosen = _font_of(char, bold, font) or font_name(bold)
        if pieces and pieces[-1][0] == level and pieces[-1][1] == chosen:
            pieces[-1] = (level, chosen, pieces[-1][2] + char)
        else:
            pieces.append((level, chosen, char))
        font = chosen
    # Rule L2: from the highest level down to the lowest odd one, reverse every
    # sequence of runs at that level or higher.
    order = list(range(len(pieces)))
    if pieces:
        highest = max(p[0] for p in pieces)
        lowest_odd = min((p[0] for p in pieces if p[0] % 2), default=highest + 1)
        for level in range(highest, lowest_odd - 1, -1):
            n = 0
            while n < len(order):
                if pieces[order[n]][0] >= level:
                    end = n
                    while end < len(order) and pieces[order[end]][0] >= level:
                        end += 1
                    order[n:end] = reversed(order[n:end])
                    n = end
                else:
                    n += 1
    runs: list[Run] = []
    x = 0.0
    for index in order:
        level, run_font, run_text = pieces[index]
        glyphs, width = _shape_run(run_text, run_font, size, bool(level % 2))
        runs.append(Run(run_font, run_text, glyphs, x, width, bool(level % 2)))
        x += width
    return ShapedLine(tuple(runs), x)


def text_width(text: str, size: float, *, bold: bool = False, rtl: bool = False) -> float:
    """How wide ``text`` prints at ``size``: shaped where it needs shaping.

    ``rtl``: the paragraph runs right to left (the width is the same; the
    argument keeps the cache of shaped lines shared with drawing).
    """
    if not rtl and is_simple(text, bold=bold):
        return pdfmetrics.stringWidth(text, font_name(bold), size)
    return shape_line(text, size, bold, rtl).width


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


def ink_extent(
    text: str, size: float, *, bold: bool = False, rtl: bool = False
) -> tuple[float, float, float, float]:
    """Where ``text`` drawn at ``size`` puts ink, in points from its start on the baseline.

    Returns (left, right, above, below): ``left`` is 0 or less (a glyph such as "J"
    reaching left of the pen position), ``right`` at least the advance width, and
    ``above`` / ``below`` at least the font's ascent / descent, more where a glyph
    (an accented capital such as "É", an Arabic letter's dots) reaches further. The
    box this spans holds every bit of the drawn text.
    """
    name = font_name(bold)
    ascent, descent = pdfmetrics.getAscentDescent(name, size)
    left, right, above, below = 0.0, text_width(text, size, bold=bold, rtl=rtl), ascent, -descent
    if not rtl and is_simple(text, bold=bold):
        bounds, units = _glyph_bounds(name)
        to_pt = size / units
        cmap = _face(name).charToGlyph
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
    for run in shape_line(text, size, bold, rtl).runs:
        bounds, units = _glyph_bounds(run.font)
        to_pt = size / units
        cmap = _face(run.font).charToGlyph
        data = getattr(run.glyphs, "__shapeData__", None) or []
        x = run.x
        for char, shape in zip(run.glyphs, data, strict=True):
            box = bounds.get(cmap.get(ord(char), -1))
            if box is not None:
                dx, dy = shape.x_offset * size / 1000, shape.y_offset * size / 1000
                x_min, y_min, x_max, y_max = box
                left = min(left, x + dx + x_min * to_pt)
                right = max(right, x + dx + x_max * to_pt)
                above = max(above, dy + y_max * to_pt)
                below = max(below, -(dy + y_min * to_pt))
            x += shape.x_advance * size / 1000
    return left, right, above, below

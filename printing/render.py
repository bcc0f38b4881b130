"""Draw laid-out pages with reportlab: exactly the geometry of ``printing.layout``.

Coordinates arrive top-left based (the layout map's convention) and are flipped
to reportlab's bottom-left origin here and nowhere else. Every text goes through
the glyph check first, so a character the embedded font lacks is an error, not
a blank box. Fields are drawn through ``DRAWERS``, one entry per ItemType.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import qrcode
import qrcode.constants
import zxingcpp
from reportlab.lib.colors import Color, black, white
from reportlab.pdfgen.canvas import Canvas

from forms.errors import UserError
from forms.model import ItemType

from . import geometry as g
from .geometry import Box
from .layout import Example, Field, FormLayout, PageLayout, TextLine
from .typeface import check_glyphs, font_name, is_simple, register_fonts, shape_line


class QRTooDense(UserError):
    """A payload so long that its QR code's modules get too small to scan (a long base URL)."""


GUIDE_GREY = Color(g.WRITING_LINE_GREY, g.WRITING_LINE_GREY, g.WRITING_LINE_GREY)


def new_canvas(
    out: str | BinaryIO, page_size: g.Size = g.A4, *, title: str = "", author: str = "Deltaker"
) -> Canvas:
    """A canvas with our fonts registered; ``out`` is a path or a binary file object."""
    register_fonts()
    canvas = Canvas(out, pagesize=page_size, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Deltaker")
    return canvas


# --- primitives ---------------------------------------------------------------------------


def draw_string(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    rtl: bool = False,
    right: bool = False,
) -> None:
    """``text`` (logical order) from ``x`` on reportlab's baseline ``y`` (its right end
    at ``x`` when ``right``); shaped and bidi-ordered where it needs it (printing.typeface).
    """
    if not rtl and is_simple(text, bold=bold):
        canvas.setFont(font_name(bold), size)
        if right:
            canvas.drawRightString(x, y, text)
        else:
            canvas.drawString(x, y, text)
        return
    line = shape_line(text, size, bold, rtl)
    start = x - line.width if right else x
    # Glyphs go in visual order, each mapped back to its characters (ToUnicode), the
    # way text extractors expect a right-to-left line (pdftotext reads it back in
    # reading order). ActualText in reading order was tried: poppler reorders it again.
    for run in line.runs:
        canvas.setFont(run.font, size)
        canvas.drawString(start + run.x, y, run.glyphs)


def draw_line(canvas: Canvas, line: TextLine, height: float) -> None:
    draw_string(canvas, line.x, height - line.y, line.text, line.size, bold=line.bold, rtl=line.rtl)


def draw_text(
    canvas: Canvas,
    x: float,
    baseline: float,
    text: str,
    size: float,
    height: float,
    *,
    bold: bool = False,
    right: bool = False,
    rtl: bool = False,
    where: str = "",
) -> None:
    """One line of text at a top-left based baseline (glyph-checked)."""
    check_glyphs(text, bold=bold, where=where)
    draw_string(canvas, x, height - baseline, text, size, bold=bold, rtl=rtl, right=right)


def _rect(canvas: Canvas, box: Box, height: float, *, fill: bool = False) -> None:
    x, y, w, h = box
    canvas.rect(x, height - y - h, w, h, stroke=0 if fill else 1, fill=1 if fill else 0)


def qr_matrix(payload: str) -> np.ndarray:
    """The QR symbol's modules with a quiet zone of QR_QUIET_MODULES, True for dark.

    zxing-cpp's encoder (error correction M) is about 15 times faster than the
    `qrcode` package's (0.25 ms against 3.7 ms a code, bench/letters.py); older
    zxing-cpp releases without ``create_barcode`` use `qrcode`.
    """
    if not hasattr(zxingcpp, "create_barcode"):
        return qr_matrix_qrcode(payload)
    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128
    return np.pad(modules, g.QR_QUIET_MODULES, constant_values=False)


def qr_matrix_qrcode(payload: str) -> np.ndarray:
    """The same symbol from the `qrcode` package (the slower, always available path)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=g.QR_QUIET_MODULES
    )
    code.add_data(payload)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool)


def draw_qr(canvas: Canvas, payload: str, box: Box, height: float) -> None:
    """The QR code as filled rectangles, one per horizontal run of dark modules.

    Vector modules stay sharp whatever a printer driver does to small images.
    The rectangles go in as one literal block of PDF path operators: reportlab's
    path object formats each number in Python and was three times slower
    (bench/letters.py prints the measured cost per code).
    """
    matrix = qr_matrix(payload)
    x0, y0, size, _ = box
    module = size / matrix.shape[0]
    if module < g.QR_MIN_MODULE_PT:
        raise QRTooDense(
            f"the QR code for {payload[:40]!r}... needs modules of {module / g.MM:.2f} mm; "
            f"at least {g.QR_MIN_MODULE_PT / g.MM:.2f} mm scan reliably. Use a shorter base_url"
        )
    canvas.setFillColor(white)
    _rect(canvas, box, height, fill=True)
    canvas.setFillColor(black)
    # Run starts and ends per row: where a row steps from light to dark and back.
    steps = np.diff(np.pad(matrix, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    starts = np.argwhere(steps == 1)
    ends = np.argwhere(steps == -1)[:, 1]
    xs = x0 + starts[:, 1] * module
    ys = height - y0 - (starts[:, 0] + 1) * module
    widths = (ends - starts[:, 1]) * module
    ops = "\n".join(
        f"{x:.3f} {y:.3f} {w:.3f} {module:.3f} re" for x, y, w in zip(xs, ys, widths, strict=True)
    )
    canvas.addLiteral(ops + "\nf")


def draw_marks(canvas: Canvas, marks: Iterable[Box], height: float) -> None:
    canvas.setFillColor(black)
    for mark in marks:
        _rect(canvas, mark, height, fill=True)


# --- one drawer per item type -------------------------------------------------------------


def _box(canvas: Canvas, f: Field, height: float) -> None:
    canvas.setStrokeColor(black)
    canvas.setLineWidth(g.LINE_WIDTH_PT)
    _rect(canvas, f.box, height)


def _writing_field(canvas: Canvas, f: Field, height: float) -> None:
    _box(canvas, f, height)
    if f.guide_lines > 1:
        x, y, w, h = f.box
        step = h / f.guide_lines
        canvas.setStrokeColor(GUIDE_GREY)
        canvas.setLineWidth(0.5)
        canvas.setDash(2, 3)  # dotted: read as a guide, never as ink by the scanner
        for n in range(1, f.guide_lines):
            line_y = height - (y + n * step)
            canvas.line(x + 3 * g.MM, line_y, x + w - 3 * g.MM, line_y)
        canvas.setDash()
        canvas.setStrokeColor(black)
        canvas.setLineWidth(g.LINE_WIDTH_PT)


def _nothing(canvas: Canvas, f: Field, height: float) -> None:
    """Information text has no field; its lines are drawn with the page's text."""


#: How each item type's fields are drawn. A test checks every ItemType has one.
DRAWERS: dict[ItemType, Callable[[Canvas, Field, float], None]] = {
    ItemType.SINGLE_CHOICE: _box,
    ItemType.MULTIPLE_CHOICE: _box,
    ItemType.YES_NO: _box,
    ItemType.SCALE: _box,
    ItemType.CONSENT: _box,
    ItemType.SHORT_TEXT: _writing_field,
    ItemType.LONG_TEXT: _writing_field,
    ItemType.NUMBER: _writing_field,
    ItemType.DATE: _writing_field,
    ItemType.SIGNATURE: _writing_field,
    ItemType.INFO: _nothing,
}


def _example(canvas: Canvas, example: Example, height: float) -> None:
    x, y, w, h = example.box
    canvas.setStrokeColor(black)
    canvas.setLineWidth(g.LINE_WIDTH_PT)
    if example.style == "cancelled":
        canvas.setFillColor(black)
        _rect(canvas, example.box, height, fill=True)
        return
    _rect(canvas, example.box, height)
    canvas.setLineWidth(2.0)
    inset = w * 0.2
    top, bottom = height - y - inset, height - y - h + inset
    canvas.line(x + inset, top, x + w - inset, bottom)
    canvas.line(x + inset, bottom, x + w - inset, top)
    canvas.setLineWidth(g.LINE_WIDTH_PT)


# --- a whole form page --------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """What differs between two printed copies of the same form page."""

    payload: str  # the QR code's text (DESIGN.md payloads)
    identity: str  # "Deltakerkode: P-7K3M" or "Løpenummer: 12"
    page_label: str  # "Side 1 av 2"
    meta: str  # small print: form, text version


class FormPrinter:
    """Draws the pages of one FormLayout; checks every glyph of the layout once."""

    def __init__(self, layout: FormLayout):
        self.layout = layout
        for page in layout.pages:
            for line in page.lines:
                check_glyphs(
                    line.text, bold=line.bold, where=f"form {layout.form!r} ({layout.language})"
                )

    def draw_page(self, canvas: Canvas, number: int, stamp: Stamp) -> None:
        """Draw page ``number`` (1-based) of the form onto the canvas's current page."""
        page: PageLayout = self.layout.pages[number - 1]
        width, height = self.layout.page_size
        canvas.setFillColor(black)
        canvas.setStrokeColor(black)
        draw_marks(canvas, page.marks, height)
        draw_qr(canvas, stamp.payload, page.qr, height)
        draw_qr(canvas, stamp.payload, page.qr2, height)
        canvas.setFillColor(black)
        for line in page.lines:
            draw_line(canvas, line, height)
        for example in page.examples:
            _example(canvas, example, height)
        for f in page.fields:
            DRAWERS[f.type](canvas, f, height)
        body = g.PROFILES[self.layout.profile].body_pt
        canvas.setFillColor(black)
        draw_text(
            canvas,
            page.identity[0],
            page.identity[1],
            stamp.identity,
            body,
            height,
            bold=True,
            right=self.layout.rtl,  # right to left: it ends where the title does
            rtl=self.layout.rtl,
            where="the page identity",
        )
        draw_text(
            canvas,
            page.footer[0],
            page.footer[1],
            stamp.page_label,
            body,
            height,
            bold=True,
            rtl=self.layout.rtl,
        )
        draw_text(
            canvas,
            width - g.MARGIN_RIGHT_PT,
            page.footer[1],
            stamp.meta,
            g.META_SIZE_PT,
            height,
            right=True,
        )

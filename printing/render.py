"""Draw laid-out pages with reportlab: exactly the geometry of ``printing.layout``.

Coordinates arrive top-left based (the layout map's convention) and are flipped
to reportlab's bottom-left origin here and nowhere else. Every text goes through
the glyph check first, so a character the embedded font lacks is an error, not
a blank box. Fields are drawn through ``DRAWERS``, one entry per ItemType.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import qrcode
import qrcode.constants
from reportlab.lib.colors import Color, black, white
from reportlab.pdfgen.canvas import Canvas

from forms.model import ItemType

from . import geometry as g
from .geometry import Box
from .layout import Example, Field, FormLayout, PageLayout, TextLine
from .typeface import check_glyphs, font_name, register_fonts

GUIDE_GREY = Color(g.WRITING_LINE_GREY, g.WRITING_LINE_GREY, g.WRITING_LINE_GREY)


def new_canvas(out, page_size: g.Size = g.A4, *, title: str = "", author: str = "Deltaker"
               ) -> Canvas:
    """A canvas with our fonts registered; ``out`` is a path or a binary file object."""
    register_fonts()
    canvas = Canvas(out, pagesize=page_size, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Deltaker")
    return canvas


# --- primitives ---------------------------------------------------------------------------


def draw_line(canvas: Canvas, line: TextLine, height: float) -> None:
    canvas.setFont(font_name(line.bold), line.size)
    canvas.drawString(line.x, height - line.y, line.text)


def draw_text(canvas: Canvas, x: float, baseline: float, text: str, size: float, height: float,
              *, bold: bool = False, right: bool = False, where: str = "") -> None:
    """One line of text at a top-left based baseline (glyph-checked)."""
    check_glyphs(text, bold=bold, where=where)
    canvas.setFont(font_name(bold), size)
    if right:
        canvas.drawRightString(x, height - baseline, text)
    else:
        canvas.drawString(x, height - baseline, text)


def _rect(canvas: Canvas, box: Box, height: float, *, fill: bool = False) -> None:
    x, y, w, h = box
    canvas.rect(x, height - y - h, w, h, stroke=0 if fill else 1, fill=1 if fill else 0)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR symbol's modules with a quiet zone of QR_QUIET_MODULES, True for dark."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                         border=g.QR_QUIET_MODULES)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, payload: str, box: Box, height: float) -> None:
    """The QR code as filled rectangles, one per horizontal run of dark modules.

    Vector modules stay sharp whatever the printer driver does to images; runs
    keep the path short (measured in bench/letters.py against an image).
    """
    matrix = qr_matrix(payload)
    x0, y0, size, _ = box
    module = size / len(matrix)
    canvas.setFillColor(white)
    _rect(canvas, box, height, fill=True)
    canvas.setFillColor(black)
    path = canvas.beginPath()
    for row, cells in enumerate(matrix):
        col = 0
        n = len(cells)
        while col < n:
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < n and cells[col]:
                col += 1
            top = y0 + row * module
            path.rect(x0 + start * module, height - top - module, (col - start) * module, module)
    canvas.drawPath(path, stroke=0, fill=1)


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
                check_glyphs(line.text, bold=line.bold,
                             where=f"form {layout.form!r} ({layout.language})")

    def draw_page(self, canvas: Canvas, number: int, stamp: Stamp) -> None:
        """Draw page ``number`` (1-based) of the form onto the canvas's current page."""
        page: PageLayout = self.layout.pages[number - 1]
        width, height = self.layout.page_size
        canvas.setFillColor(black)
        canvas.setStrokeColor(black)
        draw_marks(canvas, page.marks, height)
        draw_qr(canvas, stamp.payload, page.qr, height)
        canvas.setFillColor(black)
        for line in page.lines:
            draw_line(canvas, line, height)
        for example in page.examples:
            _example(canvas, example, height)
        for f in page.fields:
            DRAWERS[f.type](canvas, f, height)
        body = g.PROFILES[self.layout.profile].body_pt
        canvas.setFillColor(black)
        draw_text(canvas, page.identity[0], page.identity[1], stamp.identity, body, height,
                  bold=True, where="the page identity")
        draw_text(canvas, page.footer[0], page.footer[1], stamp.page_label, body, height,
                  bold=True)
        draw_text(canvas, width - g.MARGIN_RIGHT_PT, page.footer[1], stamp.meta,
                  g.META_SIZE_PT, height, right=True)

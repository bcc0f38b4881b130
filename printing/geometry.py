"""Named geometry for printed pages, every length in PDF points (1 pt = 1/72 inch).

Coordinates everywhere in ``printing`` and in the layout map are measured from
the page's *top-left* corner, x to the right and y downwards, as
``Box = (x, y, width, height)``. Only ``printing.render`` flips them to
reportlab's bottom-left origin.
"""

from __future__ import annotations

from dataclasses import dataclass

#: One millimetre in points.
MM = 72.0 / 25.4

#: (x, y, width, height) in points from the page's top-left corner.
Box = tuple[float, float, float, float]
#: (width, height) in points.
Size = tuple[float, float]

A4: Size = (595.28, 841.89)

# --- page frame ------------------------------------------------------------
MARGIN_LEFT_PT = 20 * MM
MARGIN_RIGHT_PT = 20 * MM
MARGIN_TOP_PT = 16 * MM
MARGIN_BOTTOM_PT = 18 * MM

# Registration marks: four filled squares, one near each corner, so the scanner
# can find the page's corners even when the QR code is damaged. Inset 8 mm keeps
# them clear of the unprintable edge of office printers (about 4-5 mm).
MARK_SIZE_PT = 5 * MM
MARK_INSET_PT = 8 * MM

# QR code: the box includes the quiet zone (QR_QUIET_MODULES white modules on
# every side), so a scanner may crop exactly this box. 24 mm gives modules of
# about 0.5 mm for a version-4 code, 6 pixels each at 300 dpi.
QR_SIZE_PT = 24 * MM
QR_QUIET_MODULES = 4
#: Smallest QR module that still scans reliably at 300 dpi (5 pixels); a longer
#: payload (a long base URL) needs more modules in the same box and would go below.
QR_MIN_MODULE_PT = 0.4 * MM
#: The QR box's top edge; it sits just below the top-right registration mark.
QR_TOP_PT = MARK_INSET_PT + MARK_SIZE_PT + 2 * MM
# The second code: the same payload again, bottom left, diagonally across the page
# from the first, so a stain, a staple or a torn corner rarely takes both. It sits
# in the footer band, its bottom level with the bottom registration marks; 20 mm
# keeps modules of at least QR_MIN_MODULE_PT up to a version-6 code (106 bytes at
# error correction M: a base URL of about 70 characters).
QR2_SIZE_PT = 20 * MM
#: Room between the second code and the footer text beside it.
QR2_TEXT_GAP_PT = 3 * MM

# --- text ---------------------------------------------------------------------
FONT_REGULAR = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
#: Line height as a multiple of the font size (easy-to-read guidance: at least 1.3).
LINE_SPACING = 1.35
#: Longest line in characters we aim for; long lines are hard to follow.
MAX_LINE_CHARS = 60
#: Small print for page identity (form version, serial): not text a person must read.
META_SIZE_PT = 10.0

# --- answer fields ------------------------------------------------------------
LINE_WIDTH_PT = 1.0  # stroke of boxes and fields
WRITING_LINE_GREY = 0.6  # guide lines inside long-text fields: visible, but not a mark


@dataclass(frozen=True)
class Profile:
    """Sizes for one print profile: ``standard`` or ``large`` (large print)."""

    name: str
    body_pt: float  # body text
    title_pt: float  # form title
    heading_pt: float  # section headings
    checkbox_pt: float  # tick box side, at least 5 mm
    option_gap_pt: float  # vertical space between two options
    item_gap_pt: float  # space between two items
    text_field_pt: float  # height of a one-line writing field
    writing_line_pt: float  # distance between writing lines in long-text fields
    signature_pt: float  # height of a signature field

    @property
    def line_pt(self) -> float:
        return self.body_pt * LINE_SPACING


#: Tick boxes must be at least 5 mm (14.17 pt).
CHECKBOX_MIN_PT = 5 * MM

STANDARD = Profile(
    name="standard",
    body_pt=14.0,
    title_pt=20.0,
    heading_pt=16.0,
    checkbox_pt=6 * MM,
    option_gap_pt=4 * MM,
    item_gap_pt=8 * MM,
    text_field_pt=11 * MM,
    writing_line_pt=10 * MM,
    signature_pt=18 * MM,
)

LARGE = Profile(
    name="large",
    body_pt=18.0,
    title_pt=24.0,
    heading_pt=20.0,
    checkbox_pt=7.5 * MM,
    option_gap_pt=5 * MM,
    item_gap_pt=10 * MM,
    text_field_pt=14 * MM,
    writing_line_pt=12 * MM,
    signature_pt=22 * MM,
)

PROFILES = {p.name: p for p in (STANDARD, LARGE)}

# --- envelope window -----------------------------------------------------------
# A4 folded in three into a DL (110 x 220 mm) or folded once into a C5 envelope
# with a left window: the window is 90 x 45 mm, 20 mm from the left edge and, on
# the folded letter, 45 mm below the top of the sheet (the DIN 5008 form B
# address field Norwegian and Nordic window envelopes follow). We keep 5 mm of
# play on every side of the printed block inside that window.
WINDOW_BOX: Box = (20 * MM, 45 * MM, 90 * MM, 45 * MM)
WINDOW_PLAY_PT = 4 * MM
#: Size of the return-address line at the top of the window, and of the address.
RETURN_ADDRESS_PT = 9.0
ADDRESS_PT = 12.0


def marks(page_size: Size) -> tuple[Box, ...]:
    """The four registration marks: top-left, top-right, bottom-left, bottom-right."""
    width, height = page_size
    far_x = width - MARK_INSET_PT - MARK_SIZE_PT
    far_y = height - MARK_INSET_PT - MARK_SIZE_PT
    near = MARK_INSET_PT
    size = MARK_SIZE_PT
    return tuple(
        (round(x, 2), round(y, 2), round(size, 2), round(size, 2))
        for x, y in ((near, near), (far_x, near), (near, far_y), (far_x, far_y))
    )


def qr_box(page_size: Size) -> Box:
    """Where the QR code (with its quiet zone) goes: top right, below the mark."""
    width, _ = page_size
    x = width - MARGIN_RIGHT_PT - QR_SIZE_PT
    return (round(x, 2), round(QR_TOP_PT, 2), round(QR_SIZE_PT, 2), round(QR_SIZE_PT, 2))


def qr2_box(page_size: Size) -> Box:
    """Where the second QR code (with its quiet zone) goes: bottom left, in the footer band."""
    _, height = page_size
    y = height - MARK_INSET_PT - QR2_SIZE_PT
    return (round(MARGIN_LEFT_PT, 2), round(y, 2), round(QR2_SIZE_PT, 2), round(QR2_SIZE_PT, 2))

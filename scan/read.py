"""One page image in, one page result out: identify, align, measure, read.

``read_page`` is pure apart from the injected ``resolve`` callback, which turns
a QR payload into a ``ResolvedPage`` (form, version, language, who, and the
layout map's page) or None for a code that is not one of ours.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from forms.model import CHOICE_TYPES, ItemType
from printing.geometry import Box
from printing.layout_map import FieldKind, LayoutField, LayoutPage

from . import align as al
from .align import Rect
from .identify import (
    FoundCode,
    codes_in_corner,
    find_codes,
    is_lower_code,
    thumbnail,
    turn_code,
    turn_upright,
)
from .marks import (
    BoxMeasure,
    Ink,
    LabelMeasure,
    calibrate,
    classify,
    has_label_ink,
    ink_array,
    label_rooms,
    measure_box,
    measure_label,
    writing_ink,
)
from .pages import PageImage
from .readers import KIND_FALLBACK, READERS, MeasuredField, Reading
from .results import FieldResult, MarkState, PageResult, PageStatus, ResolvedPage

Resolver = Callable[[str], "ResolvedPage | None"]
BILEVEL_WARNING = (
    "scanned in black and white: light pencil may be lost; scan in greyscale to be sure"
)
#: Pad around a written field's crop (points), so writing over the edge is kept.
CROP_PAD_PT = 4.0
#: A crop out of a JPEG page is a JPEG of this quality (see ``_crop``).
CROP_JPEG_QUALITY = 90
SECOND_CODE_FLAG = (
    "identified by the second QR code (bottom left): the first, top right, is damaged or missing"
)


@dataclass
class PageGeometry:
    """What ``read_page`` found on the way, for the debug overlay."""

    upright: np.ndarray
    transform: al.Transform | None
    rects: dict[tuple[str, str | None], Rect]
    code: FoundCode | None = None  # the code the page was identified and aligned by
    #: Pixel rectangles of option texts with pen ink on or round them.
    inked_labels: list[Rect] = field(default_factory=list)


def read_page(
    page: PageImage, resolve: Resolver, *, file: str, keep_geometry: bool = False
) -> tuple[PageResult, PageGeometry | None]:
    result = PageResult(
        file=file,
        page_index=page.index,
        status=PageStatus.UNIDENTIFIED,
        image=page.evidence,
        image_type=page.evidence_type,
    )
    codes = find_codes(page.image)
    resolved: ResolvedPage | None = None
    code: FoundCode | None = None
    for found in codes:
        resolved = resolve(found.text)
        result.payload = found.text
        if resolved is not None:
            code = found
            break
    if code is None or resolved is None:
        result.thumbnail = thumbnail(page.image)
        if codes:
            result.status = PageStatus.UNKNOWN_FORM
            result.message = (
                "the page has a code, but not of a form page known here "
                "(another study, a letter page, or a form never printed here)"
            )
        else:
            result.message = "no readable QR code on the page"
        return result, None
    result.form, result.version, result.language = (
        resolved.form,
        resolved.version,
        resolved.language,
    )
    result.participant, result.serial, result.page = (
        resolved.participant,
        resolved.serial,
        resolved.page,
    )
    if page.bilevel or looks_bilevel(page.image):
        result.flags.append(BILEVEL_WARNING)
    if code.hard:
        result.flags.append("the QR code was hard to read (damaged or faint)")
    turns = code.quarter_turns
    result.rotation = 90 * turns
    upright = turn_upright(page.image, turns)
    code = turn_code(code, page.image.shape, turns)
    layout = resolved.layout_page
    code, qr_box, second = _main_code(code, upright, layout)
    if second:
        result.flags.append(SECOND_CODE_FLAG)
    ink = ink_array(upright)
    guess = al.first_guess(upright.shape, resolved.page_size, qr_box, code)
    try:
        transform = al.align(ink, resolved.page_size, list(layout.marks), guess)
    except al.AlignmentError as exc:
        result.status = PageStatus.NEEDS_REVIEW
        result.message = str(exc)
        result.thumbnail = thumbnail(upright)
        result.needs_review = layout.items()
        return result, (PageGeometry(upright, None, {}, code) if keep_geometry else None)
    result.flags.extend(transform.flags)
    bilevel = BILEVEL_WARNING in result.flags
    rects, inked_labels = _read_fields(result, resolved, ink, upright, transform, bilevel)
    if not keep_geometry:
        return result, None
    return result, PageGeometry(upright, transform, rects, code, inked_labels)


def _main_code(
    code: FoundCode, upright: np.ndarray, layout: LayoutPage
) -> tuple[FoundCode, Box, bool]:
    """The code to align by, where the layout prints it, and whether that is the second
    code: ``qr`` (top right) or ``qr2`` (bottom left).

    The corner search may meet the second code first (a page fed upside down
    has it top right). The first code is then looked for where it is printed:
    only a page whose first code cannot be read is flagged.
    """
    if layout.qr2 is None or not is_lower_code(code, upright.shape):
        return code, layout.qr, False
    for first in codes_in_corner(upright, "top_right"):
        if first.text == code.text and not is_lower_code(first, upright.shape):
            return first, layout.qr, False
    return code, layout.qr2, True


def looks_bilevel(image: np.ndarray) -> bool:
    """Nearly every pixel pure black or white: a black-and-white scan stored as grey."""
    sample = image[::16, ::16]
    middle = np.count_nonzero((sample > 40) & (sample < 215))
    return bool(middle < 0.002 * sample.size)


def local_transform(transform: al.Transform, ink: Ink, box: Box, kind: FieldKind) -> al.Transform:
    """The page transform near one field. A tick box's is moved onto the box's printed
    outline (``refine_box``: warped paper, printer drift); the bands beside the box and
    its option text, printed with it, move with it."""
    if kind != FieldKind.CHOICE:
        return transform
    return transform.moved(*al.refine_box(ink, transform.box(box), transform.px_per_pt))


def _read_fields(
    result: PageResult,
    resolved: ResolvedPage,
    ink: Ink,
    upright: np.ndarray,
    transform: al.Transform,
    bilevel: bool = False,
) -> tuple[dict[tuple[str, str | None], Rect], list[Rect]]:
    """Measure and read every field; the boxes' pixel rectangles and the inked option texts'."""
    scale = transform.px_per_pt
    fields = resolved.layout_page.fields
    measured: list[tuple[LayoutField, Rect, BoxMeasure | None]] = []
    labels: dict[int, tuple[LabelMeasure, al.Transform]] = {}
    rooms = label_rooms(fields)
    for n, f in enumerate(fields):
        local = local_transform(transform, ink, f.box, f.kind)
        rect = local.box(f.box)
        if f.kind != FieldKind.CHOICE:
            measured.append((f, rect, None))
            continue
        measured.append((f, rect, measure_box(ink, local, f.box)))
        if f.label is not None:
            on_text = measure_label(ink, local.matrix, f.label, f.box, rooms.get(n))
            labels[n] = (on_text, local)
    cal = calibrate([m for _, _, m in measured if m is not None], [m for m, _ in labels.values()])
    by_item: dict[str, list[MeasuredField]] = {}
    for n, (f, rect, measure) in enumerate(measured):
        if measure is not None:
            state, confidence = classify(measure, cal)
            fr = FieldResult(f.item, f.value, state, measure.fill, confidence, f.kind)
        else:
            inked, share = writing_ink(ink, transform.matrix, f.box, scale)
            state = MarkState.MARKED if inked else MarkState.EMPTY
            fr = FieldResult(f.item, None, state, share, 0.95, f.kind)
            if inked:
                result.crops[f.item] = _crop(upright, rect, scale, result.image_type)
        result.fields.append(fr)
        label = labels[n][0] if n in labels else None
        by_item.setdefault(f.item, []).append(MeasuredField(fr, measure, label))
    for item, item_fields in by_item.items():
        type_name = resolved.item_types.get(item)
        item_type = ItemType(type_name) if type_name else KIND_FALLBACK[item_fields[0].result.kind]
        reading = READERS[item_type](item_fields, cal)
        if reading.answer == [] and bilevel and item_type in CHOICE_TYPES:
            # On a black-and-white scan a light pencil cross can vanish at the scanner's
            # threshold, so "nothing marked" is not certain: a person looks.
            reading = Reading(None, "nothing marked on a black-and-white scan (light pencil?)")
        if reading.review:
            result.needs_review.append(item)
            result.flags.append(f"{item}: {reading.review}")
        elif reading.answer is not None:
            result.answers[item] = reading.answer
    if resolved.layout_uncertain:
        result.flags.append("several printed layouts share this code; check every answer")
        result.answers = {}
        result.needs_review = list(by_item)
    result.status = PageStatus.NEEDS_REVIEW if result.needs_review else PageStatus.OK
    inked_labels = [
        local.box(label_box)
        for n, (m, local) in labels.items()
        if (label_box := fields[n].label) is not None and has_label_ink(m, cal)
    ]
    return {(f.item, f.value): rect for f, rect, _ in measured}, inked_labels


def _crop(upright: np.ndarray, rect: Rect, scale: float, page_type: str | None = None) -> bytes:
    """A written field's crop, encoded as its page was: JPEG (quality 90) out of a JPEG
    page, whose pixels are already a JPEG's, PNG out of a lossless one (a black-and-white
    scan stays sharp). JPEG costs a fifteenth of PNG's time on a scan's noisy paper."""
    pad = CROP_PAD_PT * scale
    height, width = upright.shape
    x0 = max(0, int(rect[0] - pad))
    y0 = max(0, int(rect[1] - pad))
    x1 = min(width, int(rect[2] + pad))
    y1 = min(height, int(rect[3] + pad))
    out = io.BytesIO()
    part = Image.fromarray(upright[y0:y1, x0:x1])
    if page_type == "image/jpeg":
        part.save(out, format="JPEG", quality=CROP_JPEG_QUALITY)
    else:
        part.save(out, format="PNG", compress_level=1)
    return out.getvalue()

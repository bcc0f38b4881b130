"""A synthetic scan corpus: real printed forms, marks with known truth, scanner damage.

Pages are rendered by ``printing`` (reportlab, then pdfium to pixels), marked
the way people mark paper (pen crosses and ticks, dots, fills to cancel,
scribbles beside a box, light pencil, blue ballpoint) and degraded the way
office scanners do (rotation and skew, scale drift, offsets, blur, noise, JPEG
artefacts, black-and-white thresholding, toner streaks, shadowed edges, pages
fed upside down). ``to_pdf`` assembles image-only PDFs like a scanner writes.

Used by tests/scan and by bench/scan_accuracy.py and bench/scan.py.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

from forms.model import Form, ItemType
from printing.layout import FormLayout, layout_form
from printing.qr import AnonymousPayload, anonymous_payload, parse_payload
from printing.render import FormPrinter, Stamp, new_canvas
from scan.results import MarkState, ResolvedPage

BASE_URL = "https://deltaker.example.no"
PT_PER_INCH = 72.0

#: Mark kinds and the box state each should read as (None: ambiguous by nature).
MARK_TRUTH: dict[str, MarkState | None] = {
    "cross": MarkState.MARKED,
    "tick": MarkState.MARKED,
    "blue": MarkState.MARKED,  # blue ballpoint cross
    "pencil": MarkState.MARKED,  # light pencil cross: right, or in review
    "dot": None,  # a small dot: right, or in review
    "fill": MarkState.CANCELLED,
    "beside": MarkState.EMPTY,  # a cross next to the box: the item goes to review
}
#: Kinds a person means clearly (the <= 1 % review target applies to these).
CLEAR_KINDS = ("cross", "tick", "blue")


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


CONDITIONS: tuple[Condition, ...] = (
    Condition("clean"),
    Condition("normal", angle=0.8, offset_pt=(3, -2), noise=4, jpeg_quality=75, blur=0.6),
    Condition("skew5", angle=5.0, offset_pt=(-4, 5), noise=3),
    Condition("skew-5", angle=-5.0, offset_pt=(6, 3), noise=3),
    Condition("scale+3", scale=1.03, angle=1.0, noise=3),
    Condition("scale-3", scale=0.97, angle=-1.5, offset_pt=(5, 5), noise=3),
    Condition("blur", blur=1.6, noise=3, jpeg_quality=60),
    Condition("noisy", noise=14, jpeg_quality=55, angle=0.5),
    Condition("bilevel", bilevel=True, angle=0.7, dpi=300),
    Condition("streaks", streaks=3, noise=4, angle=-0.6),
    Condition("shadow", shadow=True, noise=4, angle=1.2),
    Condition("upside-down", upside_down=True, angle=1.0, noise=3),
    Condition("turned", quarter_turn=True, angle=-0.5, noise=3),
    Condition("warped", warp=2.5, angle=0.5, noise=3),
    Condition("200dpi", dpi=200, angle=1.0, noise=4, jpeg_quality=70),
    Condition("colour", colour=True, angle=-0.8, noise=4),
)
CONDITION_BY_NAME = {c.name: c for c in CONDITIONS}


# --------------------------------------------------------------- printing


_LAYOUTS: dict[tuple[int, str, str], tuple[Form, FormLayout]] = {}
_PRINTED: dict[tuple[int, str, str, int, int, int], Image.Image] = {}


def _layout(form: Form, language: str, profile: str) -> FormLayout:
    # Forms hold dicts (not hashable): cache by identity, keeping the form alive.
    key = (id(form), language, profile)
    if key not in _LAYOUTS:
        _LAYOUTS[key] = (form, layout_form(form, language, profile))
    return _LAYOUTS[key][1]


def form_map(
    form: Form, language: str = "nb", profile: str = "standard", study: str = "u-sving"
) -> dict:
    return _layout(form, language, profile).to_map(study)


#: Anonymous codes do not say the language or print profile; the synthetic corpus
#: gives each (language, profile) printing its own serial so its resolver can tell.
PRINTINGS = tuple((lang, prof) for lang in ("nb", "nn", "en") for prof in ("standard", "large"))


def serial_for(language: str, profile: str) -> int:
    return 1 + PRINTINGS.index((language, profile))


def payload_for(
    form: Form, language: str, profile: str, page: int, serial: int | None = None
) -> str:
    serial = serial_for(language, profile) if serial is None else serial
    layout = _layout(form, language, profile)
    return anonymous_payload(BASE_URL, form.id, layout.text_version, serial, page)


def render_pdf(
    form: Form, language: str, profile: str, pages: Sequence[int], serial: int | None = None
) -> bytes:
    """The printed pages of an anonymous copy of ``form``, as printing makes them."""
    layout = _layout(form, language, profile)
    serial = serial_for(language, profile) if serial is None else serial
    out = io.BytesIO()
    canvas = new_canvas(out, layout.page_size, title=form.id)
    printer = FormPrinter(layout)
    for page in pages:
        stamp = Stamp(
            payload_for(form, language, profile, page, serial),
            f"Nr. {serial}",
            f"{page} / {len(layout.pages)}",
            f"{form.id} {layout.text_version}",
        )
        printer.draw_page(canvas, page, stamp)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _printed(
    form: Form, language: str, profile: str, page: int, dpi: int, serial: int
) -> Image.Image:
    key = (id(form), language, profile, page, dpi, serial)
    if key not in _PRINTED:
        _layout(form, language, profile)  # keeps the form alive while its id is a key
        if len(_PRINTED) > 24:
            _PRINTED.clear()
        pdf = pdfium.PdfDocument(render_pdf(form, language, profile, [page], serial))
        try:
            _PRINTED[key] = pdf[0].render(scale=dpi / PT_PER_INCH).to_pil().convert("RGB")
        finally:
            pdf.close()
    return _PRINTED[key]


def printed_page(
    form: Form, language: str, profile: str, page: int, dpi: int = 300, serial: int | None = None
) -> Image.Image:
    """A clean RGB raster of a printed page (cached: copy before drawing)."""
    serial = serial_for(language, profile) if serial is None else serial
    return _printed(form, language, profile, page, dpi, serial).copy()


# --------------------------------------------------------------- marks


@dataclass(frozen=True)
class Mark:
    item: str
    value: str | None  # the box (None: a written field)
    kind: str  # see MARK_TRUTH, or "writing" / "signature" for written fields


def _px(box: Sequence[float], dpi: int) -> tuple[float, float, float, float]:
    s = dpi / PT_PER_INCH
    x, y, w, h = box
    return x * s, y * s, (x + w) * s, (y + h) * s


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


def draw_writing(
    draw: ImageDraw.ImageDraw, rect, dpi: int, rng: random.Random, *, signature: bool = False
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


# --------------------------------------------------------------- damage


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
        grey = grey.rotate(
            angle, resample=Image.Resampling.BILINEAR, translate=(dx, dy), fillcolor=fill
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


# --------------------------------------------------------------- sheets


@dataclass
class Sheet:
    """One filled and scanned page with its truth."""

    image: Image.Image
    form: str
    page: int
    marks: list[Mark]
    truth_states: dict[tuple[str, str | None], MarkState | None] = field(default_factory=dict)
    condition: str = "clean"


def fill_page(
    form: Form,
    language: str,
    profile: str,
    page: int,
    marks: Iterable[Mark],
    cond: Condition,
    rng: random.Random,
    serial: int | None = None,
) -> Sheet:
    """Print a page, put ``marks`` on it, and scan it under ``cond``."""
    layout = form_map(form, language, profile)
    image = printed_page(form, language, profile, page, cond.dpi, serial)
    draw = ImageDraw.Draw(image)
    boxes = {(f["item"], f.get("value")): f for f in layout["pages"][page - 1]["fields"]}
    marks = list(marks)
    truth: dict[tuple[str, str | None], MarkState | None] = {key: MarkState.EMPTY for key in boxes}
    for mark in marks:
        f = boxes[(mark.item, mark.value)]
        rect = _px(f["box"], cond.dpi)
        if mark.kind in ("writing", "signature"):
            draw_writing(draw, rect, cond.dpi, rng, signature=mark.kind == "signature")
            truth[(mark.item, mark.value)] = MarkState.MARKED
            continue
        draw_mark(draw, rect, mark.kind, cond.dpi, rng)
        truth[(mark.item, mark.value)] = MARK_TRUTH[mark.kind]
    scanned = degrade(image, cond, rng, tuple(layout["page_size"]))
    return Sheet(scanned, form.id, page, marks, truth, cond.name)


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


# --------------------------------------------------------------- resolving


def item_types(form: Form) -> dict[str, str]:
    return {item.id: str(item.type) for item in form.items()}


class FormsResolver:
    """Resolves anonymous payloads of the given forms from their layout maps (no database).

    ``forms`` maps a form to the (language, profile) it was printed in; the payload's
    version picks the map.
    """

    def __init__(self, printed: Iterable[tuple[Form, str, str]], study: str = "u-sving"):
        self.maps: dict[tuple[str, str], tuple[dict, Form]] = {}
        for form, language, profile in printed:
            layout = _layout(form, language, profile)
            # One key per (form, version): each printing of a form version has its own map.
            self.maps[(form.id, layout.text_version + language + profile)] = (
                layout.to_map(study),
                form,
            )
        self.by_serial = {}
        for (form_id, _key), (m, form) in self.maps.items():
            serial = serial_for(m["language"], m["profile"])
            self.by_serial[(form_id, m["version"], serial)] = (m, form)

    def __call__(self, text: str) -> ResolvedPage | None:
        try:
            payload = parse_payload(text)
        except Exception:  # noqa: BLE001 - any unreadable payload is simply not ours
            return None
        if not isinstance(payload, AnonymousPayload):
            return None
        found = self.by_serial.get((payload.form, payload.version, payload.serial))
        if found is None:
            return None
        layout, form = found
        if payload.page > len(layout["pages"]):
            return None
        return ResolvedPage(
            form=payload.form,
            version=payload.version,
            language=layout["language"],
            page=payload.page,
            layout_page=layout["pages"][payload.page - 1],
            page_size=tuple(layout["page_size"]),
            item_types=item_types(form),
            serial=str(payload.serial),
        )


def expected_answers(
    sheet: Sheet, types: Mapping[str, str]
) -> tuple[dict[str, list[str]], set[str]]:
    """What a correct reader answers, and the items it must send to review."""
    answers: dict[str, list[str]] = {}
    review: set[str] = set()
    by_item: dict[str, list[tuple[str | None, MarkState | None]]] = {}
    for (item, value), state in sheet.truth_states.items():
        by_item.setdefault(item, []).append((value, state))
    kinds = {(m.item, m.value): m.kind for m in sheet.marks}
    for item, boxes in by_item.items():
        t = ItemType(types[item])
        if t in (ItemType.SHORT_TEXT, ItemType.LONG_TEXT, ItemType.NUMBER, ItemType.DATE):
            if any(s == MarkState.MARKED for _, s in boxes):
                review.add(item)
            continue
        if t == ItemType.SIGNATURE:
            continue
        marked = [v for v, s in boxes if s == MarkState.MARKED]
        cancelled = [v for v, s in boxes if s == MarkState.CANCELLED]
        unsure = any(s is None for _, s in boxes) or any(
            kinds.get((item, v)) == "beside" for v, _ in boxes
        )
        if (
            unsure
            or (len(marked) > 1 and t != ItemType.MULTIPLE_CHOICE)
            or (cancelled and not marked)
        ):
            review.add(item)
            continue
        answers[item] = sorted(marked)
    return answers, review

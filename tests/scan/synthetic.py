"""A synthetic scan corpus: real printed forms, marks with known truth, scanner damage.

The pen marks, handwriting and scanner damage themselves live in scan/simulate.py
(the demo uses them too); this module adds the truth and the corpus.

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
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from forms.model import Form, ItemType
from printing.layout import FormLayout, layout_form
from printing.layout_map import LayoutMap
from printing.qr import AnonymousPayload, anonymous_payload, parse_payload
from printing.render import FormPrinter, Stamp, new_canvas
from scan.marks import EM_PER_BOX
from scan.results import MarkState, ResolvedPage
from scan.simulate import (  # noqa: F401 - re-exported for tests and bench
    PT_PER_INCH,
    TEXT_MARK_KINDS,
    Condition,
    degrade,
    draw_mark,
    draw_text_mark,
    draw_writing,
    to_pdf,
)

BASE_URL = "https://deltaker.example.no"

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
#: Right-to-left printings (Arabic, Persian) come after the first six, which keep their serials.
PRINTINGS = tuple(
    (lang, prof) for lang in ("nb", "nn", "en", "ar", "fa") for prof in ("standard", "large")
)


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


# --------------------------------------------------------------- damage


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
        if mark.kind in TEXT_MARK_KINDS:
            # Ink on the option's printed text: the box keeps its truth, the item goes to
            # review. The text's size is the tick box's side over EM_PER_BOX.
            em = f["box"][3] / EM_PER_BOX * cond.dpi / PT_PER_INCH
            draw_text_mark(draw, _px(f["label"], cond.dpi), mark.kind, cond.dpi, rng, em)
            continue  # the box keeps its own truth; the item's truth is "review"
        rect = _px(f["box"], cond.dpi)
        if mark.kind in ("writing", "signature"):
            draw_writing(draw, rect, cond.dpi, rng, signature=mark.kind == "signature")
            truth[(mark.item, mark.value)] = MarkState.MARKED
            continue
        draw_mark(draw, rect, mark.kind, cond.dpi, rng)
        truth[(mark.item, mark.value)] = MARK_TRUTH[mark.kind]
    scanned = degrade(image, cond, rng, tuple(layout["page_size"]))
    return Sheet(scanned, form.id, page, marks, truth, cond.name)


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
        stored, form = found
        layout = LayoutMap.from_json(stored)
        layout_page = layout.page(payload.page)
        if layout_page is None:
            return None
        return ResolvedPage(
            form=payload.form,
            version=payload.version,
            language=layout.language,
            page=payload.page,
            layout_page=layout_page,
            page_size=layout.page_size,
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
    kinds = {(m.item, m.value): m.kind for m in sheet.marks if m.kind not in TEXT_MARK_KINDS}
    on_text = {m.item for m in sheet.marks if m.kind in TEXT_MARK_KINDS}
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
        unsure = (
            any(s is None for _, s in boxes)
            or any(kinds.get((item, v)) == "beside" for v, _ in boxes)
            or item in on_text
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

"""Print with printing, fill in, damage like a scanner, read back, compare with the truth.

Covers every item type, both print profiles and three languages; each case is
a real reportlab PDF rasterised by pdfium, marked, degraded, written as an
image-only PDF and read through ``scan.pages`` (and once through the sandbox).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from forms.model import Form, ItemType
from scan.pages import iter_pages
from scan.read import SECOND_CODE_FLAG, read_page
from scan.results import PageResult
from scan.sandbox import read_files

from . import synthetic as syn

CASES = [
    ("standard", "nb", "normal"),
    ("large", "nn", "skew5"),
    ("standard", "en", "upside-down"),
    ("large", "en", "bilevel"),
    ("standard", "nn", "turned"),
    ("large", "nb", "scale-3"),
    ("standard", "nb", "colour"),
    ("large", "nn", "shadow"),
    ("standard", "en", "streaks"),
]


def plan_marks(form, page_map, rng: random.Random) -> list[syn.Mark]:
    """A random but clear way of filling in every item on the page (fills and scribbles too)."""
    types = syn.item_types(form)
    boxes: dict[str, list] = {}
    for f in page_map["fields"]:
        boxes.setdefault(f["item"], []).append(f)
    marks = []
    for item, fields in boxes.items():
        t = ItemType(types[item])
        if fields[0]["kind"] == "text":
            if rng.random() < 0.6:
                marks.append(syn.Mark(item, None, "writing"))
            continue
        if fields[0]["kind"] == "signature":
            marks.append(syn.Mark(item, None, "signature"))
            continue
        values = [f["value"] for f in fields]
        roll = rng.random()
        if roll < 0.15:
            continue  # left empty
        if roll < 0.25 and len(values) > 1:
            # Cancelled one answer with a fill and marked another: the convention at work.
            first, second = rng.sample(values, 2)
            marks += [syn.Mark(item, first, "fill"), syn.Mark(item, second, "cross")]
            continue
        if roll < 0.32:
            marks.append(syn.Mark(item, rng.choice(values), "fill"))  # cancelled, nothing new
            continue
        if roll < 0.38:
            marks.append(syn.Mark(item, rng.choice(values), "beside"))
            continue
        if t == ItemType.MULTIPLE_CHOICE:
            for value in rng.sample(values, rng.randint(1, len(values))):
                marks.append(syn.Mark(item, value, rng.choice(syn.CLEAR_KINDS)))
            continue
        if roll < 0.45 and len(values) > 1:
            for value in rng.sample(values, 2):
                marks.append(syn.Mark(item, value, "cross"))  # two answers to a one-answer question
            continue
        marks.append(syn.Mark(item, rng.choice(values), rng.choice(syn.CLEAR_KINDS)))
    return marks


def fill_and_read(
    tmp_path: Path,
    forms,
    language: str,
    profile: str,
    cond: syn.Condition,
    resolver,
    rng: random.Random,
) -> list[tuple[tuple[Form, syn.Sheet], PageResult]]:
    """Every page of ``forms`` printed, filled as plan_marks says, degraded as ``cond``
    says, written as one scanned PDF and read back: ((form, sheet), result) per page."""
    sheets = []
    for form in forms:
        for page in syn.form_map(form, language, profile)["pages"]:
            marks = plan_marks(form, page, rng)
            sheets.append(
                (form, syn.fill_page(form, language, profile, page["page"], marks, cond, rng))
            )
    pdf = tmp_path / "scan.pdf"
    syn.to_pdf([s.image for _, s in sheets], pdf, dpi=cond.dpi)
    results = [read_page(p, resolver, file=pdf.name)[0] for p in iter_pages(pdf)]
    assert len(results) == len(sheets)
    return list(zip(sheets, results, strict=True))


@pytest.mark.parametrize(("profile", "language", "condition"), CASES)
def test_round_trip(
    tmp_path: Path, questionnaire, consent_form, resolver, profile, language, condition
):
    cond = syn.CONDITION_BY_NAME[condition]
    read = fill_and_read(
        tmp_path,
        (questionnaire, consent_form),
        language,
        profile,
        cond,
        resolver,
        random.Random(f"{profile}-{language}-{condition}"),
    )
    for (form, sheet), result in read:
        expected, review = syn.expected_answers(sheet, syn.item_types(form))
        if cond.bilevel:
            # Nothing marked is not certain on a black-and-white scan (pencil can vanish).
            blank = {item for item, values in expected.items() if values == []}
            review |= blank
            expected = {item: values for item, values in expected.items() if item not in blank}
        where = f"{form.id} page {sheet.page} ({condition})"
        assert result.status in ("ok", "needs_review"), (where, result.message)
        assert (result.form, result.page, result.language) == (form.id, sheet.page, language)
        if cond.upside_down:
            assert result.rotation == 180
        assert any("black and white" in flag for flag in result.flags) == cond.bilevel
        assert SECOND_CODE_FLAG not in result.flags  # both codes intact: the first is used
        # Never silently wrong: every answer given is the truth...
        for item, values in result.answers.items():
            assert expected.get(item) == sorted(values), (where, item, values, expected.get(item))
        # ...everything that needs a person is sent to one...
        assert review <= set(result.needs_review), (where, review, result.needs_review)
        # ...and clear marks are read, not pushed to review.
        assert set(result.needs_review) == review, (where, result.needs_review, review)
        assert set(result.answers) == set(expected), where
        for item in review:
            if syn.item_types(form)[item] in ("short_text", "long_text", "number", "date"):
                # A crop is encoded as its page was: JPEG out of a JPEG page, else PNG.
                magic = b"\xff\xd8\xff" if result.image_type == "image/jpeg" else b"\x89PNG"
                assert item in result.crops and result.crops[item].startswith(magic)
        signature = [f for f in result.fields if f.kind == "signature"]
        for f in signature:
            assert f.state == "marked"


def test_round_trip_through_the_sandbox_with_two_workers(tmp_path, questionnaire, resolver):
    rng = random.Random(7)
    cond = syn.CONDITION_BY_NAME["normal"]
    marks = [
        syn.Mark("housing", "own", "cross"),
        syn.Mark("help", "nav", "tick"),
        syn.Mark("children", "no", "blue"),
        syn.Mark("satisfied", "2", "cross"),
    ]
    sheets = [syn.fill_page(questionnaire, "nb", "standard", 1, marks, cond, rng) for _ in range(5)]
    pdf = tmp_path / "batch.pdf"
    syn.to_pdf([s.image for s in sheets], pdf)
    debug = tmp_path / "debug"
    results = list(read_files([pdf], resolver, jobs=2, debug_dir=debug))
    assert [r.page_index for r in results] == [0, 1, 2, 3, 4]
    for r in results:
        assert r.status == "ok", r.message
        assert r.answers == {
            "housing": ["own"],
            "help": ["nav"],
            "children": ["no"],
            "satisfied": ["2"],
        }
        assert r.image and r.image_type == "image/jpeg"
    assert sorted(p.name for p in debug.iterdir()) == [f"batch-p000{n}.png" for n in range(1, 6)]


def test_single_images_and_multipage_tiff(tmp_path, questionnaire, resolver):
    rng = random.Random(3)
    cond = syn.CONDITION_BY_NAME["clean"]
    marks = [syn.Mark("housing", "rent", "cross")]
    sheet = syn.fill_page(questionnaire, "nb", "standard", 1, marks, cond, rng)
    png = tmp_path / "page.png"
    sheet.image.save(png, dpi=(300, 300))
    jpeg = tmp_path / "page.jpg"
    sheet.image.save(jpeg, quality=80, dpi=(300, 300))
    tiff = tmp_path / "pages.tif"
    sheet.image.save(
        tiff,
        save_all=True,
        append_images=[sheet.image.convert("1")],
        compression="group4" if False else "tiff_lzw",
        dpi=(300, 300),
    )
    results = list(read_files([png, jpeg, tiff], resolver))
    assert [(r.file, r.page_index) for r in results] == [
        ("page.png", 0),
        ("page.jpg", 0),
        ("pages.tif", 0),
        ("pages.tif", 1),
    ]
    for r in results[:3]:
        assert r.status == "ok", r.message
        assert r.answers["housing"] == ["rent"]
    # A single PNG or JPEG file is its page's evidence as scanned, never encoded again;
    # a TIFF page (browsers do not show TIFF) is kept as PNG.
    assert (results[0].image, results[0].image_type) == (png.read_bytes(), "image/png")
    assert (results[1].image, results[1].image_type) == (jpeg.read_bytes(), "image/jpeg")
    assert results[2].image_type == "image/png" and results[2].image.startswith(b"\x89PNG")
    # The 1-bit frame: read alike, and its unanswered items go to a person.
    bilevel = results[3]
    assert bilevel.answers["housing"] == ["rent"]
    assert bilevel.status == "needs_review" and "children" in bilevel.needs_review


def _damage_code(sheet_image, qr_box, dpi, share: float, rng: random.Random):
    """A pen stroke across the QR code and a white-out over ``share`` of its width."""
    from PIL import ImageDraw

    s = dpi / 72
    x, y, w, h = (v * s for v in qr_box)
    draw = ImageDraw.Draw(sheet_image)
    draw.line([(x, y + h * 0.3), (x + w, y + h * 0.6)], fill=(20, 20, 20), width=max(2, round(s)))
    draw.rectangle(
        [x + w * 0.55, y + h * 0.55, x + w * (0.55 + share), y + h * (0.55 + share)],
        fill=(255, 255, 255),
    )


def _code_page(questionnaire, damage: dict[str, float], rng, *, upside_down=False):
    """Page 1 with "rent" crossed, its codes damaged (layout key -> share), scanned at 200 dpi."""
    from PIL import ImageDraw

    page = syn.form_map(questionnaire)["pages"][0]
    image = syn.printed_page(questionnaire, "nb", "standard", 1, 200)
    rent = next(f for f in page["fields"] if f.get("value") == "rent")
    syn.draw_mark(ImageDraw.Draw(image), syn._px(rent["box"], 200), "cross", 200, rng)
    for key, share in damage.items():
        _damage_code(image, page[key], 200, share, rng)
    cond = syn.Condition("c", dpi=200, noise=3, upside_down=upside_down)
    return syn.degrade(image, cond, rng, (595.28, 841.89))


def test_damaged_and_destroyed_codes(tmp_path, questionnaire, resolver):
    """A code beyond repair falls back to the second code, flagged; both gone: unidentified."""
    rng = random.Random(12)
    images = [
        _code_page(questionnaire, {"qr": 0.12}, rng),  # within error correction
        _code_page(questionnaire, {"qr": 0.45}, rng),  # first code destroyed
        _code_page(questionnaire, {"qr": 0.45}, rng, upside_down=True),
        _code_page(questionnaire, {}, rng, upside_down=True),  # second code met first
        _code_page(questionnaire, {"qr": 0.45, "qr2": 0.45}, rng),
    ]
    pdf = tmp_path / "damaged.pdf"
    syn.to_pdf(images, pdf, dpi=200)
    debug = tmp_path / "debug"
    results = list(read_files([pdf], resolver, debug_dir=debug))
    damaged, destroyed, turned, intact_turned, both = results
    for r in (damaged, destroyed, turned, intact_turned):
        assert r.status == "ok", r.message
        assert (r.form, r.page, r.answers["housing"]) == (questionnaire.id, 1, ["rent"])
    assert SECOND_CODE_FLAG not in damaged.flags + intact_turned.flags
    assert SECOND_CODE_FLAG in destroyed.flags and SECOND_CODE_FLAG in turned.flags
    assert turned.rotation == intact_turned.rotation == 180
    # Beyond both codes' error correction: kept for a person, never guessed.
    assert both.status == "unidentified"
    assert both.thumbnail and both.image
    # The overlay outlines the code each page was read by: purple for the second code.
    import numpy as np
    from PIL import Image

    from scan.debug import CODE_COLOUR, SECOND_CODE_COLOUR

    for n, second in enumerate((False, True, True, False)):
        pixels = np.asarray(Image.open(debug / f"damaged-p000{n + 1}.png").convert("RGB"))
        colours = {
            c: bool((pixels == c).all(axis=2).any()) for c in (CODE_COLOUR, SECOND_CODE_COLOUR)
        }
        assert colours == {CODE_COLOUR: not second, SECOND_CODE_COLOUR: second}, n


def test_the_second_code_alone_places_every_box(tmp_path, questionnaire, resolver):
    """Aligned from the small bottom code only, skewed, scaled or turned: answers still right."""
    from PIL import ImageDraw

    rng = random.Random(5)
    page = syn.form_map(questionnaire)["pages"][0]
    fields = {(f["item"], f.get("value")): f["box"] for f in page["fields"]}
    marks = [("housing", "own", "cross"), ("help", "nav", "tick"), ("help", "family", "cross")]
    images = []
    for name in ("skew-5", "scale-3", "turned"):
        cond = syn.CONDITION_BY_NAME[name]
        image = syn.printed_page(questionnaire, "nb", "standard", 1, cond.dpi)
        _damage_code(image, page["qr"], cond.dpi, 0.5, rng)
        draw = ImageDraw.Draw(image)
        for item, value, kind in marks:
            syn.draw_mark(draw, syn._px(fields[(item, value)], cond.dpi), kind, cond.dpi, rng)
        images.append(syn.degrade(image, cond, rng, (595.28, 841.89)))
    pdf = tmp_path / "second.pdf"
    syn.to_pdf(images, pdf, dpi=300)
    for r in read_files([pdf], resolver):
        assert r.status == "ok", (r.page_index, r.message, r.flags)
        assert SECOND_CODE_FLAG in r.flags
        assert r.answers["housing"] == ["own"] and sorted(r.answers["help"]) == ["family", "nav"]


def test_a_form_filled_in_on_a_computer(tmp_path, questionnaire, resolver):
    """A vector PDF (no scan at all): the page is rendered and read like a scan."""
    import io

    from printing.render import FormPrinter, Stamp, new_canvas

    layout = syn._layout(questionnaire, "en", "standard")
    page_map = syn.form_map(questionnaire, "en")["pages"][0]
    out = io.BytesIO()
    canvas = new_canvas(out, layout.page_size)
    FormPrinter(layout).draw_page(
        canvas,
        1,
        Stamp(syn.payload_for(questionnaire, "en", "standard", 1), "No. 1", "1 / 2", "families"),
    )
    height = layout.page_size[1]
    canvas.setLineWidth(1.5)
    for f in page_map["fields"]:
        if (f["item"], f["value"]) in {("housing", "other"), ("help", "nav"), ("help", "family")}:
            x, y, w, h = f["box"]
            canvas.line(x + 3, height - y - 3, x + w - 3, height - y - h + 3)
            canvas.line(x + 3, height - y - h + 3, x + w - 3, height - y - 3)
    canvas.showPage()
    canvas.save()
    pdf = tmp_path / "typed.pdf"
    pdf.write_bytes(out.getvalue())
    (result,) = read_files([pdf], resolver)
    assert result.status == "ok", result.message
    assert result.answers["housing"] == ["other"]
    assert sorted(result.answers["help"]) == ["family", "nav"]
    assert result.image_type == "image/png"


def test_scanner_streaks_are_not_marks(questionnaire, resolver):
    """Dark lines along the whole page (dirty scanner glass) cross empty boxes: still empty."""
    import numpy as np

    from scan.pages import PageImage

    rng = random.Random(21)
    cond = syn.Condition("streaky", dpi=200, streaks=0, noise=3)
    sheet = syn.fill_page(questionnaire, "nb", "standard", 1, [], cond, rng)
    grey = np.asarray(sheet.image.convert("L")).copy()
    page_map = syn.form_map(questionnaire)["pages"][0]
    s = 200 / 72
    for f in page_map["fields"][::2]:  # a streak through every other box
        x = int((f["box"][0] + f["box"][2] * 0.5) * s)
        grey[:, x : x + 3] = 90
    result, _ = read_page(PageImage(0, grey, 200, b"", "image/png"), resolver, file="streaky")
    assert result.status == "ok", result.flags
    assert all(values == [] for values in result.answers.values())


@pytest.mark.parametrize("condition", ["skew5", "skew-5", "bilevel", "warped"])
@pytest.mark.parametrize("profile", ["standard", "large"])
def test_a_scales_numbers_are_not_ink_beside_its_boxes(
    tmp_path, questionnaire, resolver, condition, profile
):
    """The bands beside each box follow the box's own sides, not the upright rectangle
    round a skewed box (which reached up into the scale's numbers)."""
    rng = random.Random(f"{condition}-{profile}")
    cond = syn.CONDITION_BY_NAME[condition]
    sheets = [syn.fill_page(questionnaire, "nb", profile, 1, [], cond, rng) for _ in range(3)]
    pdf = tmp_path / "blank.pdf"
    syn.to_pdf([s.image for s in sheets], pdf, dpi=cond.dpi)
    for page in iter_pages(pdf):
        result = read_page(page, resolver, file=pdf.name)[0]
        assert not [f for f in result.flags if "beside" in f], result.flags


def test_the_overlay_outlines_option_texts_with_ink(tmp_path, questionnaire, resolver):
    """The debug picture shows which words were circled or underlined, not only the item."""
    import numpy as np

    from scan.debug import REVIEW_COLOUR, overlay

    rng = random.Random(9)
    cond = syn.CONDITION_BY_NAME["normal"]
    marks = [
        syn.Mark("housing", "rent", "circle"),
        syn.Mark("help", "nav", "cross"),
        syn.Mark("children", "no", "underline"),
    ]
    sheet = syn.fill_page(questionnaire, "nb", "standard", 1, marks, cond, rng)
    pdf = tmp_path / "text-ink.pdf"
    syn.to_pdf([sheet.image], pdf, dpi=cond.dpi)
    (page,) = list(iter_pages(pdf))
    result, geometry = read_page(page, resolver, file=pdf.name, keep_geometry=True)
    assert set(result.needs_review) == {"housing", "children"}
    fields = {
        (f["item"], f.get("value")): f for f in syn.form_map(questionnaire)["pages"][0]["fields"]
    }
    assert len(geometry.inked_labels) == 2
    for key, (x0, y0, x1, y1) in zip(
        [("housing", "rent"), ("children", "no")], geometry.inked_labels, strict=True
    ):
        lx, ly, lw, lh = fields[key]["label"]
        centre = geometry.transform.apply(lx + lw / 2, ly + lh / 2)
        assert x0 < centre[0] < x1 and y0 < centre[1] < y1, key
    pixels = np.asarray(overlay(result, geometry, page.image))
    x0, y0, x1, y1 = (round(v) for v in geometry.inked_labels[0])
    edge = pixels[y0 - 5 : y0 - 2, x0:x1]
    assert (edge == REVIEW_COLOUR).all(axis=2).any()

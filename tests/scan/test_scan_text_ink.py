"""Ink on an option's printed text (issue 5): circled, underlined, struck out, a tick after
the words. Printed with ``printing``, marked, degraded like a scanner, read back: the item
goes to review with the option named, and clean pages with ordinary marks do not."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from forms.model import Choice, Item, ItemType, Section
from printing.layout_map import FieldKind, LayoutField
from scan.marks import (
    LABEL_INK_PT2,
    Calibration,
    LabelMeasure,
    has_label_ink,
    ink_array,
    label_rooms,
    measure_label,
)
from scan.pages import iter_pages
from scan.read import read_page
from scan.readers import READERS, MeasuredField
from scan.results import FieldResult, MarkState
from tests.factories import make_questionnaire, t

from . import synthetic as syn

#: Scan conditions the text marks are read under: 150 dpi, blur, black and white, skew.
TEXT_CONDITIONS = (
    syn.CONDITION_BY_NAME["clean"],
    syn.CONDITION_BY_NAME["normal"],
    syn.Condition("150dpi", dpi=150, angle=0.6, noise=4, jpeg_quality=70),
    syn.CONDITION_BY_NAME["blur"],
    syn.CONDITION_BY_NAME["bilevel"],
    syn.CONDITION_BY_NAME["skew5"],
    syn.CONDITION_BY_NAME["skew-5"],
    syn.CONDITION_BY_NAME["warped"],
)
#: The questionnaire's first page: which option's text each kind is drawn on.
TARGETS = (("housing", "rent"), ("help", "kommune"), ("children", "no"), ("satisfied", "3"))


def scan(tmp_path: Path, sheets: list[syn.Sheet], resolver, dpi: int):
    pdf = tmp_path / "scan.pdf"
    syn.to_pdf([s.image for s in sheets], pdf, dpi=dpi)
    return [read_page(p, resolver, file=pdf.name)[0] for p in iter_pages(pdf)]


def text_flags(result, item: str) -> list[str]:
    return [f for f in result.flags if f.startswith(f"{item}: ink on the text")]


@pytest.mark.parametrize("cond", TEXT_CONDITIONS, ids=lambda c: c.name)
def test_every_kind_of_ink_on_option_text_goes_to_review(tmp_path, questionnaire, resolver, cond):
    """Each kind on each choice type (single, multiple, yes/no, scale), with an ordinary
    cross in another box of the same item half the time: never read as an answer."""
    rng = random.Random(f"text-{cond.name}")
    sheets, drawn = [], []
    for shift in range(len(syn.TEXT_MARK_KINDS)):
        marks, kinds = [], {}
        for n, (item, value) in enumerate(TARGETS):
            kind = syn.TEXT_MARK_KINDS[(n + shift) % len(syn.TEXT_MARK_KINDS)]
            kinds[item] = (value, kind)
            if (n + shift) % 2:
                other = (
                    "1"
                    if item == "satisfied"
                    else {"rent": "own", "kommune": "nav"}.get(value, "yes")
                )
                marks.append(syn.Mark(item, other, "cross"))
            marks.append(syn.Mark(item, value, kind))
        sheets.append(syn.fill_page(questionnaire, "nb", "standard", 1, marks, cond, rng))
        drawn.append(kinds)
    for result, kinds in zip(scan(tmp_path, sheets, resolver, cond.dpi), drawn, strict=True):
        assert result.status == "needs_review", (cond.name, result.message)
        for item, (value, kind) in kinds.items():
            assert item in result.needs_review, (cond.name, kind, item, result.flags)
            assert item not in result.answers
            flags = text_flags(result, item)
            assert flags and f"'{value}'" in flags[0], (cond.name, kind, item, result.flags)


@pytest.mark.parametrize("cond", TEXT_CONDITIONS, ids=lambda c: c.name)
def test_clean_pages_with_ordinary_marks_are_not_sent_to_review(
    tmp_path, questionnaire, consent_form, resolver, cond
):
    """Crosses, ticks and blue ballpoint in the boxes, and crosses reaching past the box:
    the option texts beside them are left alone, so nothing goes to review."""
    rng = random.Random(f"clean-{cond.name}")
    sheets, truth = [], []
    for round_ in range(3):
        marks = [
            syn.Mark("housing", ("rent", "own", "other")[round_], "cross"),
            syn.Mark("help", "nav", "tick"),
            syn.Mark("help", "kommune", "blue"),
            syn.Mark("help", "family", "cross"),
            syn.Mark("children", ("yes", "no", "yes")[round_], "tick"),
            syn.Mark("satisfied", ("1", "3", "5")[round_], ("cross", "tick", "blue")[round_]),
        ]
        profile = "large" if round_ == 2 else "standard"
        sheet = _with_big_marks(questionnaire, profile, marks, cond, rng)
        sheets.append(sheet)
        truth.append(sheet.marks)
    consent = syn.fill_page(
        consent_form, "nb", "standard", 1, [syn.Mark("c_interview", "yes", "tick")], cond, rng
    )
    results = scan(tmp_path, [*sheets, consent], resolver, cond.dpi)
    for result, marks in zip(results, truth, strict=False):
        assert not [f for f in result.flags if "ink on the text" in f], (cond.name, result.flags)
        expected: dict[str, list[str]] = {}
        for m in marks:
            expected.setdefault(m.item, []).append(m.value)
        for item, values in expected.items():
            if item not in result.needs_review:
                assert sorted(result.answers[item]) == sorted(values), (cond.name, item)
        # Nor the bands beside the boxes: a scale's numbers are not ink beside their boxes,
        # skewed 5 degrees or thickened by a black-and-white scan.
        assert result.status == "ok", (cond.name, result.flags)
    assert not text_flags(results[-1], "c_interview"), results[-1].flags


def _with_big_marks(form, profile, marks, cond, rng) -> syn.Sheet:
    """A page whose crosses reach past their boxes (a hurried hand): 15-25 % of the box
    beyond each corner, and ticks whose long stroke ends well above the box."""
    layout = syn.form_map(form, "nb", profile)
    image = syn.printed_page(form, "nb", profile, 1, cond.dpi)
    draw = ImageDraw.Draw(image)
    boxes = {(f["item"], f.get("value")): f for f in layout["pages"][0]["fields"]}
    marks = [m for m in marks if (m.item, m.value) in boxes]  # large print: fewer on page 1
    s = cond.dpi / syn.PT_PER_INCH
    for m in marks:
        x, y, w, h = (v * s for v in boxes[(m.item, m.value)]["box"])
        pen = max(2, round(0.6 / 25.4 * cond.dpi))
        over = rng.uniform(0.15, 0.25)
        if m.kind == "tick":
            points = [
                (x + 0.15 * w, y + 0.55 * h),
                (x + 0.4 * w, y + 0.9 * h),
                (x + 1.15 * w, y - 0.2 * h),
            ]
            draw.line(points, fill=(25, 25, 30), width=pen, joint="curve")
        else:
            colour = (20, 45, 170) if m.kind == "blue" else (25, 25, 30)
            draw.line(
                [(x - over * w, y - over * h), (x + (1 + over) * w, y + (1 + over) * h)],
                fill=colour,
                width=pen,
            )
            draw.line(
                [(x - over * w, y + (1 + over) * h), (x + (1 + over) * w, y - over * h)],
                fill=colour,
                width=pen,
            )
    scanned = syn.degrade(image, cond, rng, tuple(layout["page_size"]))
    return syn.Sheet(scanned, form.id, 1, marks, {}, cond.name)


@pytest.mark.parametrize("kind", syn.TEXT_MARK_KINDS)
@pytest.mark.parametrize("profile", ["standard", "large"])
def test_text_marks_in_large_print_and_on_a_marked_box(
    tmp_path, questionnaire, resolver, kind, profile
):
    """Ink on the text of the option whose box is crossed too: still a person's call
    (a circled answer may be meant as emphasis, or as 'not this')."""
    rng = random.Random(f"{kind}-{profile}")
    cond = syn.CONDITION_BY_NAME["normal"]
    marks = [syn.Mark("housing", "own", "cross"), syn.Mark("housing", "own", kind)]
    sheet = syn.fill_page(questionnaire, "en", profile, 1, marks, cond, rng)
    (result,) = scan(tmp_path, [sheet], resolver, cond.dpi)
    assert "housing" in result.needs_review and "housing" not in result.answers
    assert text_flags(result, "housing") == ["housing: ink on the text of option 'own'"]
    assert set(result.needs_review) == {"housing"}, result.flags


def test_a_circled_number_on_a_scale(tmp_path, questionnaire, resolver):
    rng = random.Random(5)
    cond = syn.CONDITION_BY_NAME["normal"]
    circled = syn.fill_page(
        questionnaire, "nb", "standard", 1, [syn.Mark("satisfied", "3", "circle")], cond, rng
    )
    # Circled and its box crossed as well; and only the box crossed (read as usual).
    both = syn.fill_page(
        questionnaire,
        "nb",
        "standard",
        1,
        [syn.Mark("satisfied", "4", "cross"), syn.Mark("satisfied", "4", "circle")],
        cond,
        rng,
    )
    plain = syn.fill_page(
        questionnaire, "nb", "standard", 1, [syn.Mark("satisfied", "4", "cross")], cond, rng
    )
    first, second, third = scan(tmp_path, [circled, both, plain], resolver, cond.dpi)
    assert text_flags(first, "satisfied") == ["satisfied: ink on the text of option '3'"]
    assert text_flags(second, "satisfied") == ["satisfied: ink on the text of option '4'"]
    assert "satisfied" not in first.answers and "satisfied" not in second.answers
    assert third.answers["satisfied"] == ["4"] and third.status == "ok"


def test_ink_on_two_option_texts_names_both(tmp_path, questionnaire, resolver):
    rng = random.Random(9)
    cond = syn.CONDITION_BY_NAME["clean"]
    marks = [syn.Mark("help", "nav", "underline"), syn.Mark("help", "family", "circle")]
    sheet = syn.fill_page(questionnaire, "nb", "standard", 1, marks, cond, rng)
    (result,) = scan(tmp_path, [sheet], resolver, cond.dpi)
    assert text_flags(result, "help") == ["help: ink on the text of options 'nav', 'family'"]


def _scale_form(steps: int):
    item = Item("score", ItemType.SCALE, t("Hvor enig?"), scale_min=0, scale_max=steps - 1)
    words = Item(
        "words",
        ItemType.SINGLE_CHOICE,
        t("Velg"),
        choices=(
            Choice("long", t("Jeg leier av kommunen og har bodd der i mange år nå")),
            Choice("accent", t("Én gang i uka")),
            Choice("tt", t("Ettåringen lytter, tygger og fnyser")),
        ),
    )
    return replace(
        make_questionnaire(), id=f"scale{steps}", sections=(Section("s", None, (item, words)),)
    )


@pytest.mark.parametrize("steps", [11, 21])
def test_crowded_scales_and_awkward_words_stay_clean(tmp_path, steps):
    """A scale of many steps leaves little paper between its numbers ("10" to "20" side by
    side): their side bands shrink to fit and clean numbers and words are not flagged; a
    tick right of a number is still seen on the 11-step scale."""
    form = _scale_form(steps)
    resolver = syn.FormsResolver([(form, "nb", "standard")])
    rng = random.Random(steps)
    sheets = []
    for cond in (
        syn.CONDITION_BY_NAME["normal"],
        syn.CONDITION_BY_NAME["blur"],
        TEXT_CONDITIONS[2],
    ):
        marks = [syn.Mark("score", str(v), "cross") for v in (0, steps - 1)]
        marks.append(syn.Mark("words", "tt", "tick"))
        sheets.append(syn.fill_page(form, "nb", "standard", 1, marks, cond, rng))
    results = scan(tmp_path, sheets, resolver, 200)
    for result in results:
        assert not any("ink on the text" in f for f in result.flags), result.flags
        assert result.answers["words"] == ["tt"]
    # Every page read two marks on the scale: two answers to a one-answer question.
    assert all("score" in r.needs_review for r in results)
    if steps == 11:
        cond = syn.CONDITION_BY_NAME["normal"]
        ticked = syn.fill_page(
            form, "nb", "standard", 1, [syn.Mark("score", "7", "tick-text")], cond, rng
        )
        (result,) = scan(tmp_path, [ticked], resolver, cond.dpi)
        # The tick may reach on towards the next number: '8' may be named too.
        (flag,) = text_flags(result, "score")
        assert flag.startswith("score: ink on the text of option") and "'7'" in flag


def test_a_layout_map_without_option_text_boxes_is_still_read(tmp_path, questionnaire, resolver):
    """Maps stored before option-text boxes existed have no "label": boxes are read as
    before and nothing is looked for on the text."""
    rng = random.Random(2)
    cond = syn.CONDITION_BY_NAME["normal"]
    marks = [syn.Mark("housing", "rent", "cross"), syn.Mark("help", "nav", "circle")]
    sheet = syn.fill_page(questionnaire, "nb", "standard", 1, marks, cond, rng)
    pdf = tmp_path / "old.pdf"
    syn.to_pdf([sheet.image], pdf)

    def old_maps(text):
        found = resolver(text)
        if found is None:
            return None
        page = found.layout_page
        fields = tuple(replace(f, label=None) for f in page.fields)
        return replace(found, layout_page=replace(page, fields=fields))

    (result,) = [read_page(p, old_maps, file="old")[0] for p in iter_pages(pdf)]
    assert result.answers["housing"] == ["rent"]
    assert not text_flags(result, "help")


# --- the measures themselves, on pictures drawn here -------------------------------------

S = 150 / 72  # pixels per point
IDENTITY = np.array([[S, 0.0, 0.0], [0.0, S, 0.0]])
BOX = (20.0, 40.0, 17.0, 17.0)  # a tick box (points)
WORDS = (45.0, 41.5, 60.0, 14.0)  # its option text, beside it
SHORT = (45.0, 41.5, 25.0, 14.0)  # a short one ("Nei")
NUMBER = (24.0, 20.0, 9.0, 14.0)  # a scale's number above it (its box 2 pt below the text)
NUMBER_BOX = (20.0, 36.0, 17.0, 17.0)


def _picture(draw_on) -> np.ndarray:
    image = Image.new("L", (round(200 * S), round(80 * S)), 250)
    draw = ImageDraw.Draw(image)
    draw_on(draw)
    return ink_array(np.asarray(image))


def _px(x, y):
    return (x * S, y * S)


def _streak(draw, x: float) -> None:
    """A dirty scanner glass: a grey line down the whole page at ``x`` (points)."""
    draw.line([_px(x, 0), _px(x, 80)], fill=90, width=5)


def _text_like(draw, box, bar: bool = False):
    """Glyph-like strokes inside ``box`` with gaps between letters (and a "4"-like bar)."""
    x, y, w, h = box
    letters = max(1, int(w // 9))
    for n in range(letters):
        lx = x + n * w / letters + 1.0
        draw.rectangle([*_px(lx, y + 0.24 * h), *_px(lx + 1.4, y + 0.76 * h)], fill=20)
        draw.rectangle([*_px(lx + 4.5, y + 0.35 * h), *_px(lx + 5.9, y + 0.76 * h)], fill=20)
    if bar:
        draw.rectangle([*_px(x + 0.8, y + 0.55 * h), *_px(x + w - 0.8, y + 0.62 * h)], fill=20)


@pytest.mark.parametrize(
    ("label", "box", "extra", "inked"),
    [
        (WORDS, BOX, None, False),
        (NUMBER, NUMBER_BOX, None, False),
        # A line through the words, ending at the last letter: a run across the whole text.
        (WORDS, BOX, lambda d: d.line([_px(45, 50), _px(105, 50)], fill=20, width=3), True),
        # A tick after the words: the ring on the right.
        (
            WORDS,
            BOX,
            lambda d: d.line([_px(110, 47), _px(114, 53), _px(122, 38)], fill=20, width=3),
            True,
        ),
        # A short underline under the words' first half only: not enough to call.
        (WORDS, BOX, lambda d: d.line([_px(46, 54.5), _px(60, 54.5)], fill=20, width=3), False),
        # The same under the whole text.
        (WORDS, BOX, lambda d: d.line([_px(45, 54.5), _px(106, 54.5)], fill=20, width=3), True),
        # Ink in the box itself and just past it (a cross reaching out) is not the text's.
        (WORDS, BOX, lambda d: d.line([_px(18, 38), _px(40, 59)], fill=20, width=3), False),
        # A dot of dust in the ring: one sample, no pen line.
        (WORDS, BOX, lambda d: d.point([_px(108, 45)], fill=20), False),
        # A scanner streak down the page through the words and the ring: paper, not a pen...
        (WORDS, BOX, lambda d: _streak(d, 80.0), False),
        # ...and it does not cut an underline it crosses in two (halves too short to call).
        (
            SHORT,
            BOX,
            lambda d: (d.line([_px(45, 54.5), _px(70, 54.5)], fill=20, width=3), _streak(d, 57.0)),
            True,
        ),
        # A line through a narrow number from edge to edge and on: a pen's.
        (
            NUMBER,
            NUMBER_BOX,
            lambda d: d.line([_px(23.5, 28), _px(33.5, 28)], fill=20, width=3),
            True,
        ),
        # Ink right of the number (a tick beside it).
        (
            NUMBER,
            NUMBER_BOX,
            lambda d: d.line([_px(36, 28), _px(38, 32), _px(44, 20)], fill=20, width=3),
            True,
        ),
    ],
)
def test_measure_label_on_drawn_pictures(label, box, extra, inked):
    def draw_on(draw):
        _text_like(draw, label, bar=label is NUMBER)
        draw.rectangle(
            [*_px(box[0], box[1]), *_px(box[0] + box[2], box[1] + box[3])], outline=0, width=2
        )
        if extra:
            extra(draw)

    ink = _picture(draw_on)
    room = label_rooms([LayoutField("q", FieldKind.CHOICE, box, label=label)]).get(0)
    m = measure_label(ink, IDENTITY, label, box, room)
    assert has_label_ink(m, Calibration()) == inked, m


def test_a_narrow_number_that_is_one_bar_is_print_not_a_strike():
    """A "4" has a bar nearly as wide as its box; only a line across the whole box counts."""
    ink = _picture(lambda d: _text_like(d, NUMBER, bar=True))
    m = measure_label(ink, IDENTITY, NUMBER, NUMBER_BOX, 20.0)
    assert m.run < m.width and not has_label_ink(m, Calibration())


def test_label_rooms_shrink_between_close_numbers():
    def number(x):
        return LayoutField(
            "q", FieldKind.CHOICE, (x, 36.0, 17.0, 17.0), label=(x + 2.0, 20.0, 13.0, 14.0)
        )

    words = LayoutField("q", FieldKind.CHOICE, BOX, label=WORDS)
    rooms = label_rooms([number(0.0), number(23.0), number(80.0), words])
    assert rooms[0] == pytest.approx(5.0) and rooms[1] == pytest.approx(5.0)
    assert rooms[2] > 16.0 and 3 not in rooms


def test_reader_names_the_option_and_the_page_calibration_counts():
    def field(value, ring):
        measure = LabelMeasure(ring=ring, run=0.3, underline=0.0, width=2.0)
        result = FieldResult("q", value, MarkState.EMPTY, 0.0, 0.9)
        return MeasuredField(result, None, measure)

    fields = [field("a", 0.0), field("b", LABEL_INK_PT2 + 0.5), field("c", 0.0)]
    reading = READERS[ItemType.SINGLE_CHOICE](fields, Calibration())
    assert reading.answer is None and reading.review == "ink on the text of option 'b'"
    # A page where every text carries a little ink (a grey scan): that is its clean level.
    reading = READERS[ItemType.SINGLE_CHOICE](fields, Calibration(label=1.0))
    assert reading.review is None and reading.answer == []

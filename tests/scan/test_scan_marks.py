"""The mark classifier and the alignment, on pictures drawn here with known truth."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from forms.model import ItemType
from scan import align as al
from scan.marks import (
    BoxMeasure,
    Calibration,
    calibrate,
    classify,
    ink_array,
    measure_box,
    percentile,
    writing_ink,
)
from scan.readers import READERS
from scan.results import MarkState

SCALE = 150 / 72  # pixels per point at the working resolution
BOX_PT = 17.0


def page_with_box(draw_inside=None, size=(200, 200)):
    image = Image.new("L", size, 250)
    draw = ImageDraw.Draw(image)
    side = BOX_PT * SCALE
    x0, y0 = 60.0, 60.0
    draw.rectangle([x0, y0, x0 + side, y0 + side], outline=0, width=2)
    if draw_inside:
        draw_inside(draw, (x0, y0, x0 + side, y0 + side))
    ink = ink_array(np.asarray(image))
    # Page points to pixels: SCALE pixels a point, the page's corner at the image's.
    local = al.Transform(np.array([[SCALE, 0.0, 0.0], [0.0, SCALE, 0.0]]))
    return ink, local, (x0 / SCALE, y0 / SCALE, BOX_PT, BOX_PT)


def cross(draw, r):
    draw.line([r[0] + 3, r[1] + 3, r[2] - 3, r[3] - 3], fill=20, width=3)
    draw.line([r[0] + 3, r[3] - 3, r[2] - 3, r[1] + 3], fill=20, width=3)


def tick(draw, r):
    w = r[2] - r[0]
    draw.line(
        [
            (r[0] + 0.2 * w, r[1] + 0.55 * w),
            (r[0] + 0.45 * w, r[1] + 0.85 * w),
            (r[0] + 0.95 * w, r[1] + 0.05 * w),
        ],
        fill=20,
        width=3,
    )


def fill(draw, r):
    draw.rectangle(r, fill=15)


def half_fill(draw, r):
    draw.rectangle([r[0], r[1], r[2], (r[1] + r[3]) / 2], fill=15)


def pencil(draw, r):
    draw.line([r[0] + 3, r[1] + 3, r[2] - 3, r[3] - 3], fill=150, width=2)
    draw.line([r[0] + 3, r[3] - 3, r[2] - 3, r[1] + 3], fill=150, width=2)


def beside(draw, r):
    draw.line([r[0] - 16, r[1] + 5, r[0] - 6, r[3] - 5], fill=20, width=3)
    draw.line([r[0] - 16, r[3] - 5, r[0] - 6, r[1] + 5], fill=20, width=3)


@pytest.mark.parametrize(
    ("drawer", "expected"),
    [
        (None, MarkState.EMPTY),
        (cross, MarkState.MARKED),
        (tick, MarkState.MARKED),
        (fill, MarkState.CANCELLED),
        (half_fill, MarkState.AMBIGUOUS),
        (pencil, MarkState.MARKED),
        (beside, MarkState.EMPTY),
    ],
)
def test_classify_box(drawer, expected):
    ink, local, box = page_with_box(drawer)
    measure = measure_box(ink, local, box)
    state, confidence = classify(measure, Calibration())
    assert state == expected, measure
    assert 0.0 <= confidence <= 1.0


def test_ink_beside_an_empty_box_is_seen_in_its_halo():
    ink, local, box = page_with_box(beside)
    assert measure_box(ink, local, box).halo > 0.03
    ink, local, box = page_with_box(None)
    assert measure_box(ink, local, box).halo == 0.0


def test_calibration_comes_from_the_pages_empty_boxes():
    empties = [BoxMeasure(0.01, 0.02, 0.0, 0.0, 0.0)] * 6
    marked = [BoxMeasure(0.3, 0.35, 0.0, 0.0, 0.0)] * 2
    cal = calibrate(empties + marked)
    assert cal.fill == pytest.approx(0.01)
    # A grey scan lifts every box a little: the empty ones still read empty.
    state, _ = classify(BoxMeasure(0.012, 0.025, 0.0, 0.0, 0.0), cal)
    assert state == MarkState.EMPTY


def test_writing_field_ignores_its_printed_outline_and_guide_lines():
    image = Image.new("L", (500, 160), 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, 480, 140], outline=0, width=2)
    for y in (60, 100):
        for x in range(30, 470, 8):
            draw.line([x, y, x + 3, y], fill=150, width=1)
    identity = np.array([[SCALE, 0.0, 0.0], [0.0, SCALE, 0.0]])
    box = (20 / SCALE, 20 / SCALE, 460 / SCALE, 120 / SCALE)
    ink = ink_array(np.asarray(image))
    assert writing_ink(ink, identity, box, SCALE)[0] is False
    draw.line([(60, 90), (90, 50), (120, 95), (160, 55), (200, 90)], fill=20, width=3)
    ink = ink_array(np.asarray(image))
    assert writing_ink(ink, identity, box, SCALE)[0] is True


def test_every_item_type_has_a_reader():
    assert set(READERS) == set(ItemType)


def _marks_page(skip: tuple[int, ...] = (), moved: int | None = None):
    page_size = (595.28, 841.89)
    marks = [
        (22.68, 22.68, 14.17, 14.17),
        (558.43, 22.68, 14.17, 14.17),
        (22.68, 805.04, 14.17, 14.17),
        (558.43, 805.04, 14.17, 14.17),
    ]
    image = Image.new("L", (round(page_size[0] * SCALE), round(page_size[1] * SCALE)), 250)
    draw = ImageDraw.Draw(image)
    for n, (x, y, w, h) in enumerate(marks):
        if n in skip:
            continue
        dx = 12 if n == moved else 0
        draw.rectangle([(x + dx) * SCALE, y * SCALE, (x + dx + w) * SCALE, (y + h) * SCALE], fill=0)
    image = image.rotate(2.0, resample=Image.Resampling.BILINEAR, fillcolor=250)
    return ink_array(np.asarray(image)), page_size, marks


def test_alignment_uses_three_marks_when_one_is_missing():
    ink, page_size, marks = _marks_page(skip=(2,))
    guess = al.similarity(SCALE, 0.0, (0, 0), (0, 0))
    transform = al.align(ink, page_size, marks, guess)
    assert transform.marks_used == 3
    assert any("mark 3 not found" in f for f in transform.flags)


def test_alignment_drops_a_mark_that_does_not_fit():
    ink, page_size, marks = _marks_page(moved=1)
    guess = al.similarity(SCALE, 0.0, (0, 0), (0, 0))
    transform = al.align(ink, page_size, marks, guess)
    assert transform.marks_used == 3
    assert any("mark 2 does not fit" in f for f in transform.flags)
    # The three true corners are left: the page is placed unsheared, one scale both ways.
    (a, b, _), (c, d, _) = transform.matrix
    assert a == pytest.approx(d, rel=1e-3)
    assert b == pytest.approx(-c, rel=1e-2)


def test_alignment_refuses_a_page_with_two_marks():
    ink, page_size, marks = _marks_page(skip=(0, 3))
    guess = al.similarity(SCALE, 0.0, (0, 0), (0, 0))
    with pytest.raises(al.AlignmentError):
        al.align(ink, page_size, marks, guess)


def _fields(*states, halo=0.0):
    from scan.readers import MeasuredField
    from scan.results import FieldResult

    out = []
    for n, state in enumerate(states):
        measure = BoxMeasure(
            0.3 if state == MarkState.MARKED else 0.0,
            0.3,
            0.0,
            0.0,
            halo if n == len(states) - 1 else 0.0,
        )
        out.append(MeasuredField(FieldResult("q", f"v{n}", state, measure.fill, 0.9), measure))
    return out


E, M, C, A = MarkState.EMPTY, MarkState.MARKED, MarkState.CANCELLED, MarkState.AMBIGUOUS


@pytest.mark.parametrize(
    ("item_type", "states", "halo", "answer", "review"),
    [
        (ItemType.SINGLE_CHOICE, (E, M, E), 0.0, ["v1"], False),
        (ItemType.SINGLE_CHOICE, (E, E, E), 0.0, [], False),
        (ItemType.SINGLE_CHOICE, (M, M, E), 0.0, None, True),  # two marks, one answer asked
        (ItemType.SINGLE_CHOICE, (C, M, E), 0.0, ["v1"], False),  # cancelled and marked anew
        (ItemType.SINGLE_CHOICE, (C, E, E), 0.0, None, True),  # cancelled, nothing new
        (ItemType.SINGLE_CHOICE, (E, A, E), 0.0, None, True),
        (ItemType.SINGLE_CHOICE, (E, E, E), 0.2, None, True),  # a cross beside a box
        (ItemType.MULTIPLE_CHOICE, (M, M, E), 0.0, ["v0", "v1"], False),
        (ItemType.MULTIPLE_CHOICE, (C, M, M), 0.0, ["v1", "v2"], False),
        (ItemType.MULTIPLE_CHOICE, (C, C, E), 0.0, None, True),
        (ItemType.YES_NO, (M, M), 0.0, None, True),
        (ItemType.SCALE, (E, E, M, E, E), 0.0, ["v2"], False),
        (ItemType.CONSENT, (M,), 0.0, ["v0"], False),
        (ItemType.CONSENT, (C,), 0.0, None, True),
    ],
)
def test_readers_never_guess(item_type, states, halo, answer, review):
    reading = READERS[item_type](_fields(*states, halo=halo), Calibration())
    assert reading.answer == answer
    assert (reading.review is not None) == review


@pytest.mark.parametrize("size", [1, 2, 3, 7, 100, 401])
@pytest.mark.parametrize("q", [0, 10, 40, 50, 99.5, 100])
def test_percentile_is_numpys_to_the_bit(size, q):
    """scan.marks.percentile replaces np.percentile on the hot path: the same float."""
    rng = np.random.default_rng(size)
    for dtype in (np.float32, np.float64):
        values = rng.random((size, 3)).astype(dtype) ** 3  # skewed, like paper and ink
        values[0, 0] = values[-1, -1]  # a tie
        assert percentile(values, q) == float(np.percentile(values, q))
    assert percentile(np.arange(size), q) == float(np.percentile(np.arange(size), q))


@pytest.mark.parametrize("count", [0, 1, 5, 9, 12, 20])
def test_peaks_is_the_highest_of_each_three(count):
    """align._peaks: the edge search's scores, every shift in one pass."""
    profile = np.random.default_rng(count).random(9)

    def peak(at: int) -> float:
        part = profile[max(0, at - 1) : at + 2]
        return float(part.max()) if part.size else 0.0

    assert al._peaks(profile, count).tolist() == [peak(at) for at in range(count)]
    assert al._peaks(profile[:0], count).tolist() == [0.0] * count

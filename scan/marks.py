"""Measuring boxes and fields on the page image, and telling a cross from a fill.

Everything works on an *ink* array: 0 for the paper, 1 for full black, scaled
from the page's own paper and black levels (so a grey or yellowish scan, a
light toner and a shadowed edge read alike).

A box is measured on its inside (the printed outline left out):

- ``fill``: the share covered by clear ink;
- ``faint``: the share covered by any visible ink (light pencil counts here);
- ``core``: the share still inked after every pen stroke is eroded away
  (an erosion wider than a stroke, as SDAPS does): a cross or a tick leaves
  almost nothing, a box filled in to cancel it leaves most of it;
- ``halo``: ink in a thin ring just outside the box (a cross beside the box,
  ink between two boxes), where the printed page has only white paper.

Each page is calibrated from its own boxes: most boxes on a page are empty, so
their typical fill is what "empty" looks like on this scan.

A choice's printed option text (the layout map's ``label``) is measured too
(``measure_label``): ink in a ring of paper round the text (a circle round it, a
tick after it, a line through or under it reaching past its end) and long
straight pen lines inside it (a strike-through, an underline), which print never
makes. Both send the item to a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from printing.geometry import Box
from printing.layout_map import LayoutField

from .results import MarkState

if TYPE_CHECKING:
    from .align import Rect, Transform

#: Inside a box, stay this far (points) from the printed outline.
INNER_MARGIN_PT = 2.2
#: The erosion that removes pen strokes (points): wider than a felt-tip stroke.
STROKE_PT = 3.2
#: The bands beside a box where only paper is printed: from GAP to GAP + WIDTH (points).
#: Above a box the band is narrower and nearer: a scale's numbers stand on a baseline
#: 5.25 pt above their boxes (6.75 pt in large print), so 2.0-3.8 pt keeps 1.4 pt of
#: paper from both the digits and the box's outline.
HALO_GAP_PT = 2.5
HALO_WIDTH_PT = 3.5
HALO_TOP_GAP_PT = 2.0
HALO_TOP_WIDTH_PT = 1.8
#: Ink levels (0..1): clear ink, and any visible ink (light pencil).
STRONG_INK = 0.45
FAINT_INK = 0.18

#: Thresholds on the measures above the page's empty-box baseline.
MARK_FILL = 0.07  # a cross or tick covers more than this
FAINT_MARK_FILL = 0.12  # a light pencil cross: visible ink over more than this
EMPTY_FILL = 0.015  # an empty box (with scanner noise) covers less than this
EMPTY_FAINT = 0.03
CANCEL_CORE = 0.55  # a filled-in box keeps more than this after erosion
PARTIAL_CORE = 0.2  # more than this but less than CANCEL_CORE: a half fill, ask a person
HALO_INK = 0.04  # share of a band beside the box inked: something was written there
#: Scanner streaks: rows or columns inked (at least STREAK_INK) along more than STREAK_SHARE
#: of the page. Printed text and boxes never cover a single pixel column that far.
STREAK_INK = 0.2
STREAK_SHARE = 0.6
STREAK_NEIGHBOURS = 31  # columns (rows) a streak is compared with: wider than any streak
#: Written fields: clear ink pixels (after removing specks and printed lines) that count as writing.
WRITING_MIN_SHARE = 0.002
WRITING_MIN_PX = 25
#: A row of a writing field inked along more than this share is a printed (guide) line.
RULE_SHARE = 0.25

#: Option text (a choice's ``label`` box: the tight box of its printed words or number).
#: Bands of paper round it, from LABEL_GAP_PT to LABEL_GAP_PT + the band's width (points):
#: the gap absorbs alignment error and blur; each width stops short of other print.
LABEL_GAP_PT = 1.5
LABEL_BAND_PT = 4.5  # above and below an option's text: the next option is ~14 pt away
LABEL_SIDE_PT = 28.0  # right of an option's text (a tick after the words): only paper there
#: Beside a scale's number: at most this, and never past half the way to the next number
#: (less LABEL_GAP_PT): a scale of many steps leaves little paper between its numbers.
NUMBER_SIDE_PT = 16.0
#: A scale number's side bands end this share of the number's box above its bottom, so a
#: tick in the box below, which may reach 3 pt above its box, never counts.
NUMBER_FOOT_SHARE = 0.3
#: Sampling step (points): a pen stroke (at least 1.2 pt) is two samples across.
LABEL_STEP_PT = 0.7
#: Pen ink in the ring, in square points, above the page's clean-label level: about a
#: millimetre of pen line (clean text leaves none there). Isolated samples are not counted.
LABEL_INK_PT2 = 1.5
#: A straight horizontal pen line inside the text, in em (the text's size, taken as the
#: tick box's side / EM_PER_BOX): a run longer than any printed glyph part, or across
#: nearly the whole text (clean text of at least FULL_MIN_EM stays below 0.55 of its width;
#: a single glyph such as "4" can be one bar end to end, so narrower text is left out).
STRIKE_EM = 1.8
FULL_SHARE = 0.9
FULL_MIN_EM = 0.8
#: Right to left (joined script): a line through the words is a pen's only when it runs
#: this far (em) past the words' tight box, into the LABEL_GAP_PT gaps beside them.
JOINED_OVERRUN_EM = 0.1
#: Below the last line's baseline only descenders are printed: a line there (an
#: underline) longer than this (em) and than UNDER_SHARE of the text's width.
UNDERLINE_EM = 0.5
UNDER_SHARE = 0.6
#: Under a scale's number (digits have no descenders) the strip is paper down to its box.
NUMBER_UNDERLINE_EM = 0.3
#: ...and is looked at down to this far (points) above the box's edge: clear of its 1 pt
#: outline (half of it above the edge) and of blur.
NUMBER_BOX_CLEAR_PT = 1.1
EM_PER_BOX = 1.2  # tick box side / body text size in both print profiles (17 / 14, 21.3 / 18)
#: The strip under the last baseline (the font's descent is 0.24 em), clear of letters' feet.
FOOT_EM = 0.17
#: Ink level (0..1) of a line through or under the text: a thin pen stroke blurred by the
#: scanner stays above it; the gaps between printed letters stay below.
LINE_INK = 0.3
#: Rows of a horizontal line allowed to drift (points): a hand-drawn line is not level.
STRIKE_DRIFT_PT = 2.1


@dataclass(frozen=True)
class BoxMeasure:
    fill: float
    faint: float
    core: float
    faint_core: float
    halo: float


@dataclass(frozen=True)
class LabelMeasure:
    """Ink on and round a choice's printed option text."""

    ring: float  # pen ink in the paper ring round the text, square points
    run: float  # longest straight horizontal line in the text, in em
    underline: float  # the same below the last line's baseline, in em
    width: float  # the text's width, in em
    number: bool = False  # a scale's number above its box (not words beside it)
    #: Words left of their box: a right-to-left page, whose script (Arabic) joins its
    #: letters on one baseline, a printed line from end to end of a word.
    joined: bool = False


@dataclass(frozen=True)
class Calibration:
    """What an empty box (and a clean option text) looks like on this page."""

    fill: float = 0.0
    faint: float = 0.0
    halo: float = 0.0
    label: float = 0.0  # ring ink of a clean option text, square points


#: Rows or columns of a page array: a slice, or an array of pixel indices.
PixelIndex = slice | npt.NDArray[np.intp]


class Ink:
    """Ink 0..1 (float32) of a grey page, computed only where it is looked at.

    The page's paper and black levels come from a sparse sample of the whole
    page; indexing (slices or index arrays, as on a numpy array) converts just
    that part, so a page costs the boxes it has, not its full size.

    Scanner streaks (a dirty glass or drum draws a line along the whole page)
    are found once and read as paper: a streak through an empty box is not a mark.
    """

    def __init__(self, grey: np.ndarray):
        sample = grey[::7, ::7]
        self.grey = grey
        self.shape = grey.shape
        self.paper = float(np.percentile(sample, 90))
        black = float(np.percentile(sample, 0.5))
        self.scale = 1.0 / max(self.paper - black, 60.0)
        # A line inked along most of the page's length is a streak, not writing or print.
        limit = self.paper - STREAK_INK / self.scale
        self.streak_cols = _lines((grey[::4, :] < limit).mean(axis=0))
        self.streak_rows = _lines((grey[:, ::4] < limit).mean(axis=1))
        self.has_streaks = bool(self.streak_cols.any() or self.streak_rows.any())

    def __getitem__(self, key: tuple[PixelIndex, PixelIndex]) -> np.ndarray:
        part: np.ndarray = (self.paper - self.grey[key].astype(np.float32)) * self.scale
        np.clip(part, 0.0, 1.0, out=part)
        if self.has_streaks:
            rows, cols = key
            if isinstance(rows, slice) and isinstance(cols, slice):
                part[:, self.streak_cols[cols]] = 0.0
                part[self.streak_rows[rows], :] = 0.0
            else:
                part[self.streak_cols[cols] | self.streak_rows[rows]] = 0.0
        return part


def _lines(inked_share: np.ndarray) -> npt.NDArray[np.bool_]:
    """Which columns (or rows) are streaks: inked along the page far more than their
    neighbours. Comparing with the neighbours keeps a shadowed edge, dark all over,
    from counting as a band of streaks."""
    if not (inked_share > STREAK_SHARE).any():
        # The usual page: no line is inked far enough to be a streak, whatever its neighbours.
        return np.zeros(inked_share.shape, dtype=np.bool_)
    half = STREAK_NEIGHBOURS // 2
    padded = np.pad(inked_share, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, STREAK_NEIGHBOURS)
    streaks: npt.NDArray[np.bool_] = inked_share - np.median(windows, axis=1) > STREAK_SHARE
    return streaks


#: Ink 0..1 to measure on: a page's lazily converted ``Ink`` or a plain array (a crop, a test).
InkArray = Ink | np.ndarray


def ink_array(grey: np.ndarray) -> Ink:
    """The page's ink, 0 for paper and 1 for full black (see ``Ink``)."""
    return Ink(grey)


def _integral(mask: np.ndarray) -> np.ndarray:
    out = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.int32)
    np.cumsum(np.cumsum(mask, axis=0, dtype=np.int32), axis=1, out=out[1:, 1:])
    return out


def erode(mask: np.ndarray, size: int) -> np.ndarray:
    """Pixels whose whole size x size neighbourhood is inked (same shape, edges False)."""
    if size <= 1:
        return mask.copy()
    height, width = mask.shape
    out = np.zeros_like(mask)
    if height < size or width < size:
        return out
    integral = _integral(mask)
    sums = (
        integral[size:, size:]
        - integral[:-size, size:]
        - integral[size:, :-size]
        + integral[:-size, :-size]
    )
    half = size // 2
    out[half : half + sums.shape[0], half : half + sums.shape[1]] = sums == size * size
    return out


def percentile(values: np.ndarray, q: float) -> float:
    """``np.percentile(values, q)`` (linear, the default) without its overhead: most
    arrays here are a few hundred samples, where that overhead is most of the cost."""
    flat = values.ravel()
    size = flat.size
    if size == 0 or not np.issubdtype(flat.dtype, np.floating):
        return float(np.percentile(values, q))  # numpy's own answer (nan, or integers)
    share = q / 100.0
    index = (size - 1) * share  # numpy's virtual index for 'linear', to the bit
    below = min(max(int(np.floor(index)), 0), size - 1)
    above = min(below + 1, size - 1)
    weight = index - below
    part = np.partition(flat, (below, above)) if above != below else np.partition(flat, below)
    low, high = part[below], part[above]
    step = high - low  # numpy interpolates in the array's own type
    return float(high - step * (1.0 - weight) if weight >= 0.5 else low + step * weight)


def _clip(rect: Rect, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = rect
    height, width = shape
    return (
        max(0, int(round(x0))),
        max(0, int(round(y0))),
        min(width, int(round(x1))),
        min(height, int(round(y1))),
    )


def measure_box(ink: Ink, local: Transform, box: Box) -> BoxMeasure:
    """The four measures of the tick box ``box`` (page points).

    ``local`` maps page points to pixels near the box: the page transform moved
    by the box's local shift. The inside is measured on the pixel rectangle
    round the box; the bands beside it are sampled straight, along the box's own
    sides (on a skewed page that rectangle is wider than the box and would reach
    towards a scale's numbers).
    """
    rect = local.box(box)
    px_per_pt = local.px_per_pt
    margin = INNER_MARGIN_PT * px_per_pt
    gap = HALO_GAP_PT * px_per_pt
    ring = HALO_WIDTH_PT * px_per_pt
    x0, y0, x1, y1 = rect
    outer = _clip((x0 - gap - ring, y0 - gap - ring, x1 + gap + ring, y1 + gap + ring), ink.shape)
    region = ink[outer[1] : outer[3], outer[0] : outer[2]]
    if region.size == 0:
        return BoxMeasure(0.0, 0.0, 0.0, 0.0, 0.0)
    # Local paper level: a shadow or a grey scan lifts the whole neighbourhood.
    local_paper = percentile(region[::2, ::2], 40)
    if local_paper > 0.02:
        region = np.clip((region - local_paper) / (1.0 - local_paper), 0.0, 1.0)
    ox, oy = outer[0], outer[1]

    def sub(r: tuple[float, float, float, float]) -> np.ndarray:
        a, b, c, d = _clip(r, ink.shape)
        part: np.ndarray = region[b - oy : d - oy, a - ox : c - ox]
        return part

    inner = sub((x0 + margin, y0 + margin, x1 - margin, y1 - margin))
    whole = sub((x0, y0, x1, y1))
    if inner.size == 0 or whole.size == 0:
        return BoxMeasure(0.0, 0.0, 0.0, 0.0, 0.0)
    stroke = max(3, int(round(STROKE_PT * px_per_pt)))
    strong = whole >= STRONG_INK
    faint = whole >= FAINT_INK
    # Erode over the whole box (outline included) so a fill reaching the outline stays whole.
    core_mask = erode(strong, stroke)
    faint_core_mask = erode(faint, stroke)
    ix0 = int(round(x0 + margin)) - int(round(x0))
    iy0 = int(round(y0 + margin)) - int(round(y0))
    ih, iw = inner.shape
    core = float(core_mask[iy0 : iy0 + ih, ix0 : ix0 + iw].mean()) if ih and iw else 0.0
    faint_core = float(faint_core_mask[iy0 : iy0 + ih, ix0 : ix0 + iw].mean()) if ih and iw else 0.0
    # The halo: four bands beside the box's sides, past a small gap. A cross next to
    # the box fills one band, so the fullest band is what counts.
    bx, by, bw, bh = box
    bands = (
        (bx - HALO_GAP_PT - HALO_WIDTH_PT, by, HALO_WIDTH_PT, bh),
        (bx + bw + HALO_GAP_PT, by, HALO_WIDTH_PT, bh),
        (bx, by - HALO_TOP_GAP_PT - HALO_TOP_WIDTH_PT, bw, HALO_TOP_WIDTH_PT),
        (bx, by + bh + HALO_GAP_PT, bw, HALO_WIDTH_PT),
    )
    halo = 0.0
    for band in bands:
        values = sample_upright(ink, local.matrix, band, px_per_pt)
        if local_paper > 0.02:
            values = np.clip((values - local_paper) / (1.0 - local_paper), 0.0, 1.0)
        halo = max(halo, float((values >= STRONG_INK).mean()))
    return BoxMeasure(
        fill=float((inner >= STRONG_INK).mean()),
        faint=float((inner >= FAINT_INK).mean()),
        core=core,
        faint_core=faint_core,
        halo=halo,
    )


def calibrate(measures: Sequence[BoxMeasure], labels: Sequence[LabelMeasure] = ()) -> Calibration:
    """The empty-box level of this page: the lower half of its boxes' measures (and of
    its option texts' rings: most texts on a page are clean)."""
    if not measures:
        return Calibration()

    def low(values: list[float], cap: float) -> float:
        if not values:
            return 0.0
        values = sorted(values)
        half = values[: max(1, (len(values) + 1) // 2)]
        return min(float(np.median(half)), cap)

    return Calibration(
        fill=low([m.fill for m in measures], EMPTY_FILL),
        faint=low([m.faint for m in measures], EMPTY_FAINT),
        halo=low([m.halo for m in measures], HALO_INK / 2),
        label=low([m.ring for m in labels], LABEL_INK_PT2 / 2),
    )


def classify(m: BoxMeasure, cal: Calibration) -> tuple[MarkState, float]:
    """``empty`` / ``marked`` / ``cancelled`` / ``ambiguous`` and a confidence 0..1."""
    fill = max(0.0, m.fill - cal.fill)
    faint = max(0.0, m.faint - cal.faint)
    if m.core >= CANCEL_CORE:
        return MarkState.CANCELLED, _conf(m.core, CANCEL_CORE, 0.9)
    if m.core >= PARTIAL_CORE or m.faint_core >= PARTIAL_CORE:
        # Partly filled, or filled in light pencil: cancel or cross? A person decides.
        return MarkState.AMBIGUOUS, 0.5
    if fill >= MARK_FILL:
        return MarkState.MARKED, _conf(fill, MARK_FILL, 0.25)
    if faint >= FAINT_MARK_FILL:
        return MarkState.MARKED, min(0.8, _conf(faint, FAINT_MARK_FILL, 0.3))
    if fill < EMPTY_FILL and faint < EMPTY_FAINT:
        return MarkState.EMPTY, _conf(EMPTY_FILL - fill, 0.0, EMPTY_FILL)
    return MarkState.AMBIGUOUS, 0.5


def _conf(value: float, threshold: float, full: float) -> float:
    """0.6 at the threshold, rising to 0.99 at ``full`` (or ``full`` beyond the threshold)."""
    span = full - threshold if full > threshold else full
    share = min(1.0, max(0.0, (value - threshold) / max(span, 1e-6)))
    return round(0.6 + 0.39 * share, 3)


def has_halo_ink(m: BoxMeasure, cal: Calibration) -> bool:
    return m.halo - cal.halo >= HALO_INK


def has_label_ink(m: LabelMeasure, cal: Calibration) -> bool:
    """Pen on or round an option's text: a circle, a tick, a line through or under it."""
    if m.ring - cal.label >= LABEL_INK_PT2:
        return True
    if m.joined:
        # Joined letters print one line along a word: only a line on past the words,
        # into the paper beside them, is a pen's.
        if m.run >= m.width + JOINED_OVERRUN_EM:
            return True
    else:
        # Narrow text (a scale's number) may be one bar from end to end ("4"): there, only
        # a line across the whole box and on into the gaps beside it is a pen's.
        share = FULL_SHARE if m.width >= FULL_MIN_EM else 1.0
        if m.run >= STRIKE_EM or m.run >= share * m.width:
            return True
    if m.number:
        return m.underline >= NUMBER_UNDERLINE_EM
    return m.underline >= max(UNDERLINE_EM, UNDER_SHARE * m.width)


def label_rooms(fields: Sequence[LayoutField]) -> dict[int, float]:
    """For each scale number (a ``label`` above its box), the paper (points) on each side
    of it up to half the way to the nearest number beside it, by position in ``fields``."""
    numbers = [
        (n, f.label)
        for n, f in enumerate(fields)
        if f.label is not None and f.label[1] + f.label[3] <= f.box[1] + 0.5
    ]
    rooms: dict[int, float] = {}
    for n, (x, y, w, h) in numbers:
        room = NUMBER_SIDE_PT + LABEL_GAP_PT
        for m, (ox, oy, ow, oh) in numbers:
            if m != n and oy < y + h and y < oy + oh:  # on the same row
                apart = ox - (x + w) if ox >= x else x - (ox + ow)
                room = min(room, apart / 2)
        rooms[n] = room
    return rooms


def _grid(matrix: np.ndarray, area: Box, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel indices (rows, cols) of a straight grid over a page area (points), every ``step``."""
    x, y, w, h = area
    cols = max(1, int(round(w / step)))
    rows = max(1, int(round(h / step)))
    xs = x + (np.arange(cols) + 0.5) * (w / cols)
    ys = y + (np.arange(rows) + 0.5) * (h / rows)
    px = matrix[0, 0] * xs[None, :] + (matrix[0, 1] * ys + matrix[0, 2])[:, None]
    py = matrix[1, 0] * xs[None, :] + (matrix[1, 1] * ys + matrix[1, 2])[:, None]
    return py, px


def _pixels(coords: np.ndarray, size: int) -> npt.NDArray[np.intp]:
    """Pixel coordinates as indices: the nearest pixel, kept inside the image."""
    indices: npt.NDArray[np.intp] = np.clip(np.rint(coords).astype(np.intp), 0, size - 1)
    return indices


def _longest_run(mask: np.ndarray) -> int:
    """The longest run of True along any row of a 2-D mask."""
    rows, cols = mask.shape
    if not rows or not cols:
        return 0
    # One flat line with a False between rows, so no run continues onto the next row.
    padded = np.zeros((rows, cols + 1), dtype=np.int8)
    padded[:, 1:] = mask
    edges = np.diff(padded.ravel(), append=0)
    starts = np.flatnonzero(edges == 1)
    if not starts.size:
        return 0
    return int((np.flatnonzero(edges == -1) - starts).max())


def _drift_or(mask: np.ndarray, rows: int) -> np.ndarray:
    """Each row OR the next ``rows - 1``: a line that drifts a little stays one run."""
    if rows <= 1 or mask.shape[0] < rows:
        return mask
    sums = np.cumsum(mask, axis=0, dtype=np.int32)
    sums = np.vstack([np.zeros((1, mask.shape[1]), dtype=np.int32), sums])
    return (sums[rows:] - sums[:-rows]) > 0


def measure_label(
    ink: Ink,
    matrix: np.ndarray,
    label: Box,
    box: Box,
    room: float | None = None,
) -> LabelMeasure:
    """Ink round and on the printed text ``label`` (page points) of the tick box ``box``.

    ``matrix`` maps page points to pixels for this field: the page transform plus
    the local shift found for its box (text and box are printed together). The
    text and the ring are sampled straight (skew removed) every LABEL_STEP_PT, so a
    label costs the same at any resolution. ``room``: paper beside a scale's number
    (``label_rooms``).
    """
    lx, ly, lw, lh = label
    bx, by, bw, bh = box
    gap, step = LABEL_GAP_PT, LABEL_STEP_PT
    joined = False
    number = ly + lh <= by + 0.5
    if number:
        # A scale's number above its box: bands left, right and above (the box is 2 pt below).
        side = max(0.0, min(NUMBER_SIDE_PT, (room if room is not None else 0.0) - gap))
        tall = lh * (1.0 - NUMBER_FOOT_SHARE) + gap
        bands = [
            (lx - gap - side, ly - gap - LABEL_BAND_PT, lw + 2 * (gap + side), LABEL_BAND_PT),
            (lx - gap - side, ly - gap, side, tall),
            (lx + lw + gap, ly - gap, side, tall),
        ]
    elif joined := bx >= lx + lw:
        # A right-to-left page: words left of their box, so the bands run left of them.
        reach = lw + gap + LABEL_SIDE_PT
        start = lx - gap - LABEL_SIDE_PT
        bands = [
            (start, ly - gap - LABEL_BAND_PT, reach, LABEL_BAND_PT),
            (start, ly + lh + gap, reach, LABEL_BAND_PT),
            (start, ly - gap, LABEL_SIDE_PT, lh + 2 * gap),
        ]
    else:
        # Words right of their box: bands above, below and right (the box is on the left).
        reach = lw + gap + LABEL_SIDE_PT
        bands = [
            (lx, ly - gap - LABEL_BAND_PT, reach, LABEL_BAND_PT),
            (lx, ly + lh + gap, reach, LABEL_BAND_PT),
            (lx + lw + gap, ly - gap, LABEL_SIDE_PT, lh + 2 * gap),
        ]
    # The text itself, with the gaps beside it and under it (under a scale's number, down
    # to just above its box): print stays inside the label box, a pen line runs on.
    below = min(gap, max(0.0, by - (ly + lh) - NUMBER_BOX_CLEAR_PT)) if number else gap
    text_area = (lx - gap, ly, lw + 2 * gap, lh + below)
    grids = [_grid(matrix, area, step) for area in [text_area, *bands]]
    iy = _pixels(np.concatenate([g[0].ravel() for g in grids]), ink.shape[0])
    ix = _pixels(np.concatenate([g[1].ravel() for g in grids]), ink.shape[1])
    values = ink[iy, ix]
    # Local paper level from the ring (mostly paper): a shadow lifts the whole neighbourhood.
    start = grids[0][0].size
    ring_values = values[start:]
    local_paper = 0.0
    if ring_values.size:
        k = int(ring_values.size * 0.4)
        local_paper = float(np.partition(ring_values, k)[k])
    strong = values >= STRONG_INK + local_paper * (1.0 - STRONG_INK)
    ring = 0
    for shape, part in zip(
        [g[0].shape for g in grids[1:]],
        np.split(strong[start:], np.cumsum([g[0].size for g in grids[1:-1]])),
        strict=True,
    ):
        if not part.any():
            continue  # the usual case: clean paper
        band = part.reshape(shape)
        # A sample counts with an inked neighbour beside or below it: specks are noise.
        paired = np.zeros_like(band)
        paired[:, :-1] |= band[:, :-1] & band[:, 1:]
        paired[:, 1:] |= band[:, :-1] & band[:, 1:]
        paired[:-1, :] |= band[:-1, :] & band[1:, :]
        paired[1:, :] |= band[:-1, :] & band[1:, :]
        ring += int(paired.sum())
    # Lines in the text at a lower level than STRONG_INK: a thin stroke, blurred, turns grey.
    text: np.ndarray = values[:start] >= LINE_INK + local_paper * (1.0 - LINE_INK)
    if isinstance(ink, Ink) and ink.has_streaks:
        # A scanner streak down the page is read as paper and would cut a line through the
        # text in two: inside the text, streak columns bridge (a streak row never does).
        text = text | ink.streak_cols[ix[:start]]
    text_rows, text_cols = grids[0][0].shape
    text = text.reshape(text_rows, text_cols)
    em = bh / EM_PER_BOX
    dx = text_area[2] / text.shape[1] / em  # em per sample along a row
    dy = text_area[3] / text.shape[0]  # points per row
    drift = max(1, int(round(STRIKE_DRIFT_PT / dy)))
    run = _longest_run(_drift_or(text, drift)) * dx
    # Below the last line's baseline only descenders are printed (narrow): a line there is
    # an underline. Columns inked anywhere in that strip, so a slanted line stays one run.
    foot = max(1, int(round((FOOT_EM * em + below) / dy)))
    # numpy's stubs give any(axis=0) a scalar-or-array type; on a 2-D mask it is an array
    under = _longest_run(text[-foot:].any(axis=0)[None, :]) * dx  # type: ignore[index]
    return LabelMeasure(
        ring=ring * step * step,
        run=run,
        underline=under,
        width=lw / em,
        number=number,
        joined=joined,
    )


def sample_upright(ink: Ink, matrix: np.ndarray, box: Box, px_per_pt: float) -> np.ndarray:
    """The page box ``box`` (points) as a straight array: skew taken out by the page transform."""
    rows, cols = _grid(matrix, box, 1.0 / px_per_pt)
    upright: np.ndarray = ink[_pixels(rows, ink.shape[0]), _pixels(cols, ink.shape[1])]
    return upright


def writing_ink(ink: Ink, matrix: np.ndarray, box: Box, px_per_pt: float) -> tuple[bool, float]:
    """Whether a writing or signature field (page box, points) holds writing, and the inked share.

    The field is sampled straight (skew removed), then printed outlines and
    dotted guide lines are left out: rows or columns that are largely inked
    are printed rules, and lone specks are scanner noise.
    """
    margin = INNER_MARGIN_PT
    x, y, w, h = box
    if w <= 2 * margin or h <= 2 * margin:
        return False, 0.0
    region = sample_upright(
        ink, matrix, (x + margin, y + margin, w - 2 * margin, h - 2 * margin), px_per_pt
    )
    local_paper = percentile(region[::2, ::2], 40)
    if local_paper > 0.02:
        region = np.clip((region - local_paper) / (1.0 - local_paper), 0.0, 1.0)
    strong = region >= STRONG_INK
    # Printed rules cross the field: solid outlines and dotted guide lines (40 % inked).
    strong[strong.mean(axis=1) > RULE_SHARE, :] = False
    strong[:, strong.mean(axis=0) > 0.5] = False
    kept = erode(strong, 2)
    count = int(kept.sum())
    share = count / strong.size
    return count >= max(WRITING_MIN_PX, WRITING_MIN_SHARE * strong.size), share

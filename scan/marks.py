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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .results import MarkState

#: Inside a box, stay this far (points) from the printed outline.
INNER_MARGIN_PT = 2.2
#: The erosion that removes pen strokes (points): wider than a felt-tip stroke.
STROKE_PT = 3.2
#: The bands beside a box where only paper is printed: from GAP to GAP + WIDTH (points).
#: Above a box the band is narrower: scale numbers are printed 5.2 pt above their boxes.
HALO_GAP_PT = 2.5
HALO_WIDTH_PT = 3.5
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


@dataclass(frozen=True)
class BoxMeasure:
    fill: float
    faint: float
    core: float
    faint_core: float
    halo: float


@dataclass(frozen=True)
class Calibration:
    """What an empty box looks like on this page."""

    fill: float = 0.0
    faint: float = 0.0
    halo: float = 0.0


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

    def __getitem__(self, key) -> np.ndarray:
        part = (self.paper - self.grey[key].astype(np.float32)) * self.scale
        np.clip(part, 0.0, 1.0, out=part)
        if self.has_streaks:
            rows, cols = key
            if isinstance(rows, slice) and isinstance(cols, slice):
                part[:, self.streak_cols[cols]] = 0.0
                part[self.streak_rows[rows], :] = 0.0
            else:
                part[self.streak_cols[cols] | self.streak_rows[rows]] = 0.0
        return part


def _lines(inked_share: np.ndarray) -> np.ndarray:
    """Which columns (or rows) are streaks: inked along the page far more than their
    neighbours. Comparing with the neighbours keeps a shadowed edge, dark all over,
    from counting as a band of streaks."""
    half = STREAK_NEIGHBOURS // 2
    padded = np.pad(inked_share, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, STREAK_NEIGHBOURS)
    return inked_share - np.median(windows, axis=1) > STREAK_SHARE


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


def _clip(
    rect: tuple[float, float, float, float], shape: tuple[int, int]
) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = rect
    height, width = shape
    return (
        max(0, int(round(x0))),
        max(0, int(round(y0))),
        min(width, int(round(x1))),
        min(height, int(round(y1))),
    )


def measure_box(
    ink: np.ndarray, rect: tuple[float, float, float, float], px_per_pt: float
) -> BoxMeasure:
    """The four measures of one tick box at pixel rectangle ``rect`` (x0, y0, x1, y1)."""
    margin = INNER_MARGIN_PT * px_per_pt
    gap = HALO_GAP_PT * px_per_pt
    ring = HALO_WIDTH_PT * px_per_pt
    x0, y0, x1, y1 = rect
    outer = _clip((x0 - gap - ring, y0 - gap - ring, x1 + gap + ring, y1 + gap + ring), ink.shape)
    region = ink[outer[1] : outer[3], outer[0] : outer[2]]
    if region.size == 0:
        return BoxMeasure(0.0, 0.0, 0.0, 0.0, 0.0)
    # Local paper level: a shadow or a grey scan lifts the whole neighbourhood.
    local_paper = float(np.percentile(region[::2, ::2], 40))
    if local_paper > 0.02:
        region = np.clip((region - local_paper) / (1.0 - local_paper), 0.0, 1.0)
    ox, oy = outer[0], outer[1]

    def sub(r):
        a, b, c, d = _clip(r, ink.shape)
        return region[b - oy : d - oy, a - ox : c - ox]

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
    top = HALO_TOP_WIDTH_PT * px_per_pt
    bands = (
        (x0 - gap - ring, y0, x0 - gap, y1),
        (x1 + gap, y0, x1 + gap + ring, y1),
        (x0, y0 - gap - top, x1, y0 - gap),
        (x0, y1 + gap, x1, y1 + gap + ring),
    )
    halo = 0.0
    for band in bands:
        values = sub(band)
        if values.size:
            halo = max(halo, float((values >= STRONG_INK).mean()))
    return BoxMeasure(
        fill=float((inner >= STRONG_INK).mean()),
        faint=float((inner >= FAINT_INK).mean()),
        core=core,
        faint_core=faint_core,
        halo=halo,
    )


def calibrate(measures: Sequence[BoxMeasure]) -> Calibration:
    """The empty-box level of this page: the lower half of its boxes' measures."""
    if not measures:
        return Calibration()

    def low(values: list[float], cap: float) -> float:
        values = sorted(values)
        half = values[: max(1, (len(values) + 1) // 2)]
        return min(float(np.median(half)), cap)

    return Calibration(
        fill=low([m.fill for m in measures], EMPTY_FILL),
        faint=low([m.faint for m in measures], EMPTY_FAINT),
        halo=low([m.halo for m in measures], HALO_INK / 2),
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


def sample_upright(
    ink: np.ndarray, matrix: np.ndarray, box: tuple[float, float, float, float], px_per_pt: float
) -> np.ndarray:
    """The page box ``box`` (points) as a straight array: skew taken out by the page transform."""
    x, y, w, h = box
    cols = max(1, int(round(w * px_per_pt)))
    rows = max(1, int(round(h * px_per_pt)))
    xs = x + (np.arange(cols) + 0.5) * (w / cols)
    ys = y + (np.arange(rows) + 0.5) * (h / rows)
    px = matrix[0, 0] * xs[None, :] + matrix[0, 1] * ys[:, None] + matrix[0, 2]
    py = matrix[1, 0] * xs[None, :] + matrix[1, 1] * ys[:, None] + matrix[1, 2]
    ix = np.clip(np.rint(px).astype(np.intp), 0, ink.shape[1] - 1)
    iy = np.clip(np.rint(py).astype(np.intp), 0, ink.shape[0] - 1)
    return ink[iy, ix]


def writing_ink(
    ink: np.ndarray, matrix: np.ndarray, box: tuple[float, float, float, float], px_per_pt: float
) -> tuple[bool, float]:
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
    local_paper = float(np.percentile(region[::2, ::2], 40))
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

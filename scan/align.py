"""From page points to image pixels: registration marks, a fitted transform, local fixes.

1. A first guess from the page size and the QR code (its angle and centre).
2. Each registration mark is searched in a window around its guessed place
   (a solid square with a white ring round it) and located to a fraction of a pixel.
3. An affine transform is fitted to the marks found; with four marks the
   residual is checked and a mark that does not fit is dropped (three suffice).
4. Each box is then moved locally onto its printed outline (``refine_box``),
   which absorbs slightly warped paper and printer drift.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from printing.geometry import QR_QUIET_MODULES, Box, Size

from .identify import FoundCode

if TYPE_CHECKING:
    from .marks import Ink

#: A rectangle in image pixels: x0, y0, x1, y1 (page boxes are ``printing.geometry.Box``,
#: in points, x, y, width, height).
Rect = tuple[float, float, float, float]

#: How far (in points) a mark may be from its first guess: 5 degrees of skew and
#: 3 % scale drift move a corner mark by up to about 45 pt.
MARK_SEARCH_PT = 55.0
#: A fitted mark further than this from the fit (points) is not trusted.
MAX_MARK_RESIDUAL_PT = 2.5
#: A mark must be at least this much darker than its white ring (0..1 of full black).
MIN_MARK_CONTRAST = 0.35
#: How far (points) a box may be moved onto its printed outline.
BOX_SEARCH_PT = 3.0


class AlignmentError(Exception):
    """Too few registration marks to place the boxes safely."""


@dataclass(frozen=True)
class Transform:
    """An affine map from page points (top-left origin) to image pixels."""

    matrix: np.ndarray  # 2 x 3
    marks_used: int = 4
    residual_pt: float = 0.0
    flags: tuple[str, ...] = field(default=())

    def apply(self, x: float, y: float) -> tuple[float, float]:
        m = self.matrix
        return (m[0, 0] * x + m[0, 1] * y + m[0, 2], m[1, 0] * x + m[1, 1] * y + m[1, 2])

    def moved(self, dx: float, dy: float) -> Transform:
        """The same map, its result moved by (dx, dy) pixels (a box's local shift)."""
        matrix = self.matrix.copy()
        matrix[0, 2] += dx
        matrix[1, 2] += dy
        return replace(self, matrix=matrix)

    @property
    def px_per_pt(self) -> float:
        m = self.matrix
        return math.sqrt(abs(m[0, 0] * m[1, 1] - m[0, 1] * m[1, 0]))

    def box(self, box: Box) -> Rect:
        """The pixel rectangle (x0, y0, x1, y1) that holds a page box."""
        x, y, w, h = box
        pts = [
            self.apply(x, y),
            self.apply(x + w, y),
            self.apply(x, y + h),
            self.apply(x + w, y + h),
        ]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        return min(xs), min(ys), max(xs), max(ys)


def similarity(
    scale: float, angle: float, src: tuple[float, float], dst: tuple[float, float]
) -> Transform:
    """Scale and turn about ``src`` (points), which lands on ``dst`` (pixels)."""
    c, s = math.cos(angle) * scale, math.sin(angle) * scale
    tx = dst[0] - (c * src[0] - s * src[1])
    ty = dst[1] - (s * src[0] + c * src[1])
    return Transform(np.array([[c, -s, tx], [s, c, ty]]), marks_used=0)


def first_guess(
    shape: tuple[int, int],
    page_size: Size,
    qr_box: Box | None,
    code: FoundCode | None,
) -> Transform:
    """The QR code gives the angle, the offset and (by its module count) the scale.

    Without a code the page is taken to fill the image.
    """
    height, width = shape
    scale = (width / page_size[0] + height / page_size[1]) / 2.0
    if code is None or qr_box is None:
        return similarity(scale, 0.0, (0.0, 0.0), (0.0, 0.0))
    if code.modules:
        # The printed box holds the symbol plus a quiet zone of QR_QUIET_MODULES a side.
        side_px = sum(math.dist(code.corners[i], code.corners[(i + 1) % 4]) for i in range(4)) / 4
        module_pt = qr_box[2] / (code.modules + 2 * QR_QUIET_MODULES)
        scale = side_px / code.modules / module_pt
    (x0, y0), (x1, y1) = code.corners[0], code.corners[1]
    (x3, y3) = code.corners[3]
    # Average the top edge's and the left edge's angles (the left edge points down).
    angle_top = math.atan2(y1 - y0, x1 - x0)
    angle_left = math.atan2(-(x3 - x0), y3 - y0)
    angle = math.atan2(
        math.sin(angle_top) + math.sin(angle_left), math.cos(angle_top) + math.cos(angle_left)
    )
    cx = sum(p[0] for p in code.corners) / 4.0
    cy = sum(p[1] for p in code.corners) / 4.0
    qx, qy, qw, qh = qr_box
    return similarity(scale, angle, (qx + qw / 2.0, qy + qh / 2.0), (cx, cy))


def _integral(a: np.ndarray) -> npt.NDArray[np.float64]:
    out = np.zeros((a.shape[0] + 1, a.shape[1] + 1), dtype=np.float64)
    np.cumsum(np.cumsum(a, axis=0, dtype=np.float64), axis=1, out=out[1:, 1:])
    return out


def _box_sums(integral: npt.NDArray[np.float64], size: int) -> npt.NDArray[np.float64]:
    """Sum over every size x size window; result[y, x] is the window at (x, y)."""
    sums: np.ndarray = (
        integral[size:, size:]
        - integral[:-size, size:]
        - integral[size:, :-size]
        + integral[:-size, :-size]
    )
    return sums


def find_mark(
    ink: Ink, centre: tuple[float, float], side_px: float, search_px: float
) -> tuple[float, float, float] | None:
    """The centre (x, y) and contrast of a solid square mark near ``centre``, or None.

    ``ink`` is 0 for white paper and 1 for black. Scores every position by the
    square's mean ink minus the mean ink of a ring around it, so a block of
    text or a QR code (dark but not solid, or not ringed by white) scores low.
    """
    height, width = ink.shape
    side = max(3, int(round(side_px)))
    ring = max(2, int(round(side_px * 0.35)))
    outer = side + 2 * ring
    half = search_px + outer
    x0 = int(max(0, centre[0] - half))
    y0 = int(max(0, centre[1] - half))
    x1 = int(min(width, centre[0] + half))
    y1 = int(min(height, centre[1] + half))
    window = ink[y0:y1, x0:x1]
    if window.shape[0] < outer + 1 or window.shape[1] < outer + 1:
        return None
    integral = _integral(window)
    inner = _box_sums(integral, side)[ring : -ring or None, ring : -ring or None]
    whole = _box_sums(integral, outer)
    rows = min(inner.shape[0], whole.shape[0])
    cols = min(inner.shape[1], whole.shape[1])
    inner = inner[:rows, :cols]
    whole = whole[:rows, :cols]
    inner_mean = inner / (side * side)
    ring_mean = (whole - inner) / (outer * outer - side * side)
    score = inner_mean - ring_mean
    best = int(np.argmax(score))
    by, bx = divmod(best, cols)
    contrast = float(score[by, bx])
    if contrast < MIN_MARK_CONTRAST:
        return None
    # Centre of ink mass in the found square and a little around it: sub-pixel.
    sx, sy = bx + ring, by + ring
    pad = max(1, ring // 2)
    patch = window[max(0, sy - pad) : sy + side + pad, max(0, sx - pad) : sx + side + pad]
    weights = np.clip(patch - 0.5, 0, None)
    total = float(weights.sum())
    if total <= 0:
        return None
    ys, xs = np.indices(patch.shape)
    cx = float((weights * xs).sum() / total) + max(0, sx - pad) + x0
    cy = float((weights * ys).sum() / total) + max(0, sy - pad) + y0
    return cx + 0.5, cy + 0.5, contrast


def fit_affine(
    src: Sequence[tuple[float, float]], dst: Sequence[tuple[float, float]]
) -> np.ndarray:
    a = np.array([[x, y, 1.0] for x, y in src])
    b = np.array(dst, dtype=np.float64)
    solution, *_ = np.linalg.lstsq(a, b, rcond=None)
    matrix: np.ndarray = solution.T  # 2 x 3
    return matrix


def _residuals(
    matrix: np.ndarray, src: Sequence[tuple[float, float]], dst: Sequence[tuple[float, float]]
) -> np.ndarray:
    a = np.array([[x, y, 1.0] for x, y in src])
    distances: np.ndarray = np.linalg.norm(a @ matrix.T - np.array(dst), axis=1)
    return distances


def align(ink: Ink, page_size: Size, marks: Sequence[Box], guess: Transform) -> Transform:
    """Fit the page transform to the registration marks (at least three of them)."""
    scale = guess.px_per_pt
    found: list[tuple[int, tuple[float, float], tuple[float, float]]] = []
    for number, (x, y, w, h) in enumerate(marks, start=1):
        centre_pt = (x + w / 2.0, y + h / 2.0)
        hit = find_mark(ink, guess.apply(*centre_pt), w * scale, MARK_SEARCH_PT * scale)
        if hit is not None:
            found.append((number, centre_pt, (hit[0], hit[1])))
    flags: list[str] = []
    missing = sorted(set(range(1, len(marks) + 1)) - {n for n, _, _ in found})
    for number in missing:
        flags.append(f"registration mark {number} not found")
    if len(found) < 3:
        raise AlignmentError(
            f"only {len(found)} of {len(marks)} registration marks found; the page cannot be placed"
        )
    tolerance = MAX_MARK_RESIDUAL_PT * scale
    while True:
        src = [f[1] for f in found]
        dst = [f[2] for f in found]
        matrix = fit_affine(src, dst)
        if len(found) == 3:
            # Three points fit exactly: check the result is a sane page (no shear, right scale).
            _check_sane(matrix, guess)
            residual = 0.0
            break
        residuals = _residuals(matrix, src, dst)
        residual = float(residuals.max())
        if residual <= tolerance:
            break
        worst = _mark_that_does_not_fit(src, dst)
        flags.append(f"registration mark {found[worst][0]} does not fit the others")
        del found[worst]
    return Transform(
        matrix, marks_used=len(found), residual_pt=residual / scale, flags=tuple(flags)
    )


def _mark_that_does_not_fit(
    src: Sequence[tuple[float, float]], dst: Sequence[tuple[float, float]]
) -> int:
    """The mark whose removal leaves the best fit of the others.

    The largest residual of one fit does not name the culprit: with four marks
    at the corners of a rectangle an affine fit spreads one moved mark's error
    equally over all four, so which residual is largest is floating-point noise.
    Each mark is left out in turn instead. With four or more left, the one whose
    removal leaves the smallest residual goes; with three left (always an exact
    fit) the one whose removal leaves the transform closest to a printed page
    (no shear, the same scale both ways), since three true corners fit a rigid
    page and any three that include a moved mark fit a sheared one.
    """

    def badness(keep: list[int]) -> float:
        sub_src = [src[i] for i in keep]
        sub_dst = [dst[i] for i in keep]
        matrix = fit_affine(sub_src, sub_dst)
        if len(keep) > 3:
            return float(_residuals(matrix, sub_src, sub_dst).max())
        return _distortion(matrix)

    scores = [badness([i for i in range(len(src)) if i != out]) for out in range(len(src))]
    return int(np.argmin(scores))


def _distortion(matrix: np.ndarray) -> float:
    """How far an affine matrix is from a rotation and one scale: shear plus anisotropy."""
    a, b, c, d = matrix[0, 0], matrix[0, 1], matrix[1, 0], matrix[1, 1]
    sx, sy = math.hypot(a, c), math.hypot(b, d)
    shear = abs(a * b + c * d) / max(sx * sy, 1e-9)
    return float(shear + abs(sx / max(sy, 1e-9) - 1.0))


def _check_sane(matrix: np.ndarray, guess: Transform) -> None:
    a, b, c, d = matrix[0, 0], matrix[0, 1], matrix[1, 0], matrix[1, 1]
    sx, sy = math.hypot(a, c), math.hypot(b, d)
    expected = guess.px_per_pt
    shear = abs(a * b + c * d) / max(sx * sy, 1e-9)
    if abs(sx / expected - 1) > 0.08 or abs(sy / expected - 1) > 0.08 or shear > 0.05:
        raise AlignmentError("the registration marks found do not form the printed page")


def refine_box(ink: Ink, rect: Rect, px_per_pt: float) -> tuple[float, float]:
    """The shift (dx, dy) in pixels that puts a box's rectangle on its printed outline.

    Looks for the outline's two vertical and two horizontal strokes in the ink
    profiles around the box; a box full of ink (a fill) has no clear outline and
    keeps its place.
    """
    x0, y0, x1, y1 = rect
    reach = max(1, int(round(BOX_SEARCH_PT * px_per_pt)))
    height, width = ink.shape
    ix0, iy0 = int(round(x0)) - reach, int(round(y0)) - reach
    ix1, iy1 = int(round(x1)) + reach + 1, int(round(y1)) + reach + 1
    if ix0 < 0 or iy0 < 0 or ix1 > width or iy1 > height:
        return 0.0, 0.0
    patch = ink[iy0:iy1, ix0:ix1]
    span_w = int(round(x1 - x0))
    span_h = int(round(y1 - y0))
    # Column profile over the box's middle rows (away from the corners), and rows likewise.
    mid_rows = patch[reach + span_h // 4 : reach + span_h - span_h // 4, :]
    mid_cols = patch[:, reach + span_w // 4 : reach + span_w - span_w // 4]
    dx = _edge_shift(mid_rows.mean(axis=0), reach, span_w)
    dy = _edge_shift(mid_cols.mean(axis=1), reach, span_h)
    return dx, dy


def _edge_shift(profile: np.ndarray, reach: int, span: int) -> float:
    shifts = np.arange(-reach, reach + 1)
    peaks = _peaks(profile, 2 * reach + span + 1)
    scores = peaks[shifts + reach] + peaks[shifts + reach + span]
    best = int(np.argmax(scores))
    # Both strokes must stand out from the profile's middle, or the box keeps its place.
    inside = profile[reach + span // 4 : reach + span - span // 4]
    base = float(np.median(inside)) if inside.size else 0.0
    if scores[best] / 2.0 - base < 0.25:
        return 0.0
    return float(shifts[best])


def _peaks(profile: np.ndarray, count: int) -> npt.NDArray[np.float64]:
    """For every ``at`` in 0..count-1, the highest of ``profile[at - 1 : at + 2]``
    (0 where that is empty), in one pass."""
    size = len(profile)
    out = np.zeros(max(count, size + 1), dtype=np.float64)
    if size:
        values = profile.astype(np.float64)
        peak = values.copy()
        peak[1:] = np.maximum(peak[1:], values[:-1])
        peak[:-1] = np.maximum(peak[:-1], values[1:])
        out[:size] = peak
        out[size] = values[-1]
    return out[:count]

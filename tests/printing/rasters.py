"""Helpers for reading printed pages back: rasterise, find drawn boxes, decode QR codes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

from tests.tools import require_tool

MM = 72.0 / 25.4


def pdfium_pages(pdf: Path | bytes, dpi: int = 200) -> list[np.ndarray]:
    """Every page as a greyscale array (0 black, 255 white), rendered by pdfium."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [
            np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
            for page in doc
        ]
    finally:
        doc.close()


def poppler_pages(pdf: Path, out_dir: Path, dpi: int = 150) -> list[np.ndarray]:
    """Every page as a greyscale array, rendered by Debian's pdftoppm (a second renderer)."""
    pdftoppm = require_tool("pdftoppm")
    subprocess.run([pdftoppm, "-gray", "-r", str(dpi), str(pdf), str(out_dir / "page")], check=True)
    files = sorted(out_dir.glob("page-*.pgm"), key=lambda p: int(p.stem.split("-")[-1]))
    return [np.asarray(Image.open(f).convert("L")) for f in files]


def _edge(profile: np.ndarray, expected_px: float, window: int) -> float | None:
    """Centre of the dark stroke nearest ``expected_px`` in a 1-D darkness profile."""
    lo = max(0, int(expected_px) - window)
    hi = min(len(profile), int(expected_px) + window + 1)
    part = profile[lo:hi]
    if part.size == 0 or part.max() < 0.35:
        return None
    weights = np.where(part >= part.max() * 0.5, part, 0.0)
    return lo + float((weights * np.arange(len(part))).sum() / weights.sum())


def find_box(image: np.ndarray, box: list[float], dpi: int) -> tuple[float, ...] | None:
    """The drawn rectangle nearest a layout-map box, as (x, y, w, h) in points, or None.

    Each edge is found as the centre of the dark stroke within 1 mm of where
    the map says it is, measured along the middle half of the opposite side.
    """
    scale = dpi / 72
    x, y, w, h = (v * scale for v in box)
    window = int(round(1.0 * MM * scale))
    dark = 1.0 - image.astype(np.float32) / 255.0
    rows = slice(int(y + h * 0.25), int(y + h * 0.75) + 1)
    cols = slice(int(x + w * 0.25), int(x + w * 0.75) + 1)
    lo_x = max(0, int(x) - window)
    hi_x = int(x + w) + window + 1
    lo_y = max(0, int(y) - window)
    hi_y = int(y + h) + window + 1
    columns = np.zeros(image.shape[1], dtype=np.float32)
    columns[lo_x:hi_x] = dark[rows, lo_x:hi_x].mean(axis=0)
    lines = np.zeros(image.shape[0], dtype=np.float32)
    lines[lo_y:hi_y] = dark[lo_y:hi_y, cols].mean(axis=1)
    left = _edge(columns, x, window)
    right = _edge(columns, x + w, window)
    top = _edge(lines, y, window)
    bottom = _edge(lines, y + h, window)
    if None in (left, right, top, bottom):
        return None
    # Pixel i covers [i, i+1): its centre is i + 0.5.
    return tuple(v / scale for v in (left + 0.5, top + 0.5, right - left, bottom - top))


def box_error_mm(found: tuple[float, ...], box: list[float]) -> float:
    """Largest distance between a found and an expected edge, in mm."""
    fx, fy, fw, fh = found
    x, y, w, h = box
    return max(abs(fx - x), abs(fy - y), abs(fx + fw - x - w), abs(fy + fh - y - h)) / MM


def read_qr(image: np.ndarray, box: list[float] | None = None, dpi: int = 200) -> list[str]:
    """Texts of the QR codes on a page (only inside ``box``, with margin, when given)."""
    if box is not None:
        scale = dpi / 72
        pad = 5 * MM * scale
        x, y, w, h = (v * scale for v in box)
        image = image[
            max(0, int(y - pad)) : int(y + h + pad), max(0, int(x - pad)) : int(x + w + pad)
        ]
    return [r.text for r in zxingcpp.read_barcodes(np.ascontiguousarray(image))]


def find_filled(image: np.ndarray, box: list[float], dpi: int) -> tuple[float, ...] | None:
    """A filled square (registration mark) near ``box``: bounds of its dark pixels, in points."""
    scale = dpi / 72
    pad = int(round(2 * MM * scale))
    x, y, w, h = (v * scale for v in box)
    y0, x0 = max(0, int(y) - pad), max(0, int(x) - pad)
    region = image[y0 : int(y + h) + pad + 1, x0 : int(x + w) + pad + 1] < 128
    ys, xs = np.nonzero(region)
    if not len(xs):
        return None
    return tuple(
        v / scale
        for v in (x0 + xs.min(), y0 + ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1)
    )

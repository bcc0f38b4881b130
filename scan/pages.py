"""Pages out of scanned files, one at a time, as grey arrays at a working resolution.

Scanners write image-only PDFs: each page is one JPEG (DCT), Flate or CCITT G4
image. A JPEG stream is taken out of the PDF as it is and decoded at a reduced
size (Pillow's ``draft``), which is most of the speed of the scanner; other
images are decoded by pdfium; a page with no full-page image (filled in on a
computer, or not a scan at all) is rendered, and so is a scanned page that
someone has since marked in a PDF reader (pen, stamp or text annotations drawn
over the scan: the image alone would lose those marks). Single PNG, JPEG and TIFF files
(multi-page TIFF too) are read with Pillow under a format allow-list.

Untrusted input: always call this inside ``scan.sandbox`` (memory, CPU and time
limits); the pixel budget here is checked before any page is decoded.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from .errors import PixelBudgetError, ScanInputError

if TYPE_CHECKING:  # pypdfium2 loads lazily, in the worker that reads the file
    from pypdfium2 import PdfImage, PdfPage

#: The resolution pages are read at: enough for 14 pt boxes (29 px) and QR modules.
WORKING_DPI = 150.0
#: Never decode an image with more pixels than this (600 dpi A3 is 70 million).
MAX_PIXELS = 80_000_000
#: Formats Pillow may open (everything else is refused before decoding).
ALLOWED_IMAGE_FORMATS = ("PNG", "JPEG", "TIFF")
#: A full-page image covers at least this share of the page.
FULL_PAGE_SHARE = 0.6
PDF_MAGIC = b"%PDF"
#: Pages read before the PDF is reopened, to keep memory flat (see PdfPages._refresh).
REOPEN_EVERY_PAGES = 25
POINTS_PER_INCH = 72.0


@dataclass
class PageImage:
    """One page ready for reading. ``image`` is grey (uint8, 0 black, 255 white)."""

    index: int
    image: np.ndarray
    dpi: float  # of ``image`` (an estimate for image files without a resolution)
    evidence: bytes  # the page image as scanned (JPEG stream) or as PNG
    evidence_type: str
    bilevel: bool = False  # scanned in black and white (1 bit a pixel)


@dataclass
class PageFailure:
    """A page that could not be decoded; the file's other pages go on."""

    index: int
    message: str


def configure_pillow(max_pixels: int = MAX_PIXELS) -> None:
    """Pillow's decompression-bomb check becomes an error at our pixel budget."""
    Image.MAX_IMAGE_PIXELS = max_pixels // 2  # Pillow raises an error at twice this
    warnings.simplefilter("error", Image.DecompressionBombWarning)


def reduction_for(dpi: float) -> int:
    """The power-of-two reduction that brings ``dpi`` nearest WORKING_DPI from above."""
    factor = 1
    while dpi / (factor * 2) >= WORKING_DPI * 0.9 and factor < 8:
        factor *= 2
    return factor


def check_pixels(width: int, height: int, max_pixels: int, what: str) -> None:
    if width <= 0 or height <= 0:
        raise ScanInputError(f"{what} has no pixels ({width} x {height})")
    if width * height > max_pixels:
        raise PixelBudgetError(
            f"{what} is {width} x {height} pixels, more than the limit of "
            f"{max_pixels // 1_000_000} million; scan at 600 dpi or less"
        )


def sniff(path: Path) -> str:
    """``pdf`` or ``image``; anything else is refused with a clear message."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ScanInputError(f"cannot open the file ({exc.strerror})", file=str(path)) from None
    if not head:
        raise ScanInputError("the file is empty", file=str(path))
    if PDF_MAGIC in head:
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    raise ScanInputError("not a PDF, PNG, JPEG or TIFF file", file=str(path))


def to_grey(image: Image.Image) -> np.ndarray:
    if image.mode in ("1", "L"):
        return np.asarray(image.convert("L"))
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(image, dtype=np.float32)
        top = float(arr.max()) or 1.0
        return (arr * (255.0 / top)).astype(np.uint8)
    return np.asarray(image.convert("L"))


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _reduce(image: Image.Image, factor: int) -> Image.Image:
    if image.mode == "1":
        image = image.convert("L")
    return image.reduce(factor) if factor > 1 else image


def decode_jpeg(data: bytes, dpi: float, max_pixels: int, what: str) -> tuple[np.ndarray, float]:
    """A JPEG decoded straight to grey at a reduced size; the array and its dpi."""
    with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
        check_pixels(image.width, image.height, max_pixels, what)
        full_width = image.width
        factor = reduction_for(dpi)
        if factor > 1:
            # Decode at 1/2, 1/4 or 1/8 in the JPEG decoder itself: no full-size pass.
            image.draft("L", (image.width // factor, image.height // factor))
        grey = to_grey(image)
    return grey, dpi * grey.shape[1] / full_width


# ---------------------------------------------------------------- image files


def iter_image_file(
    path: Path, *, max_pixels: int = MAX_PIXELS, start: int = 0, step: int = 1
) -> Iterator[PageImage | PageFailure]:
    configure_pillow(max_pixels)
    try:
        image = Image.open(path, formats=list(ALLOWED_IMAGE_FORMATS))
    except Image.DecompressionBombError:
        raise PixelBudgetError(
            "the image is larger than the pixel budget", file=str(path)
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ScanInputError(
            f"not a readable PNG, JPEG or TIFF image ({exc})", file=str(path)
        ) from None
    with image:
        frames = getattr(image, "n_frames", 1)
        for index in range(start, frames, step):
            try:
                image.seek(index)
                check_pixels(image.width, image.height, max_pixels, f"page {index + 1}")
                dpi = _image_dpi(image)
                if image.format == "JPEG" and frames == 1:
                    evidence = path.read_bytes()
                    grey, dpi = decode_jpeg(evidence, dpi, max_pixels, f"page {index + 1}")
                    yield PageImage(index, grey, dpi, evidence, "image/jpeg")
                    continue
                factor = reduction_for(dpi)
                bilevel = image.mode == "1"
                if image.format == "PNG" and frames == 1:
                    # The scanner's own file is the page's evidence, as a PDF's JPEG stream
                    # is (encoding the page again as PNG cost two thirds of decoding it);
                    # the pixels read are decoded from exactly those bytes.
                    evidence = path.read_bytes()
                    with Image.open(io.BytesIO(evidence), formats=["PNG"]) as png:
                        png.load()
                        grey = to_grey(_reduce(png, factor))
                    yield PageImage(index, grey, dpi / factor, evidence, "image/png", bilevel)
                    continue
                image.load()
                grey = to_grey(_reduce(image.copy(), factor))
                evidence_image = image.copy() if bilevel else Image.fromarray(grey)
                yield PageImage(
                    index, grey, dpi / factor, _png(evidence_image), "image/png", bilevel
                )
            except (
                ScanInputError,
                Image.DecompressionBombError,
                Image.DecompressionBombWarning,
            ) as exc:
                yield PageFailure(index, _message(exc))
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                yield PageFailure(index, f"the image cannot be decoded ({exc})")


def count_image_frames(path: Path) -> int:
    configure_pillow()
    with Image.open(path, formats=list(ALLOWED_IMAGE_FORMATS)) as image:
        return getattr(image, "n_frames", 1)


def _image_dpi(image: Image.Image) -> float:
    """The file's resolution, or a guess from its width taken as an A4 page."""
    info = image.info.get("dpi")
    if info and info[0] and 50 <= float(info[0]) <= 1200:
        return float(info[0])
    return image.width / (595.28 / POINTS_PER_INCH)


def _message(exc: BaseException) -> str:
    if isinstance(exc, ScanInputError):
        return exc.message
    return f"the image is larger than the pixel budget ({exc})"


# ---------------------------------------------------------------- PDF files


class PdfPages:
    """An open scanned PDF, read page by page (pdfium reads lazily from the file)."""

    def __init__(self, path: Path, *, max_pixels: int = MAX_PIXELS):
        import pypdfium2 as pdfium

        self._pdfium = pdfium
        self.path = path
        self.max_pixels = max_pixels
        configure_pillow(max_pixels)
        try:
            self.pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise ScanInputError(_pdf_open_message(str(exc)), file=str(path)) from None
        try:
            self.count = len(self.pdf)
        except Exception as exc:  # noqa: BLE001 - pdfium reports broken page trees in many ways
            raise ScanInputError(f"the PDF's page list is broken ({exc})", file=str(path)) from None
        if self.count <= 0:
            raise ScanInputError("the PDF has no pages (it may be damaged)", file=str(path))
        self._read_since_open = 0

    def close(self) -> None:
        self.pdf.close()

    def _refresh(self) -> None:
        """Reopen the document now and then: pdfium keeps every object it has parsed
        (image streams included) until the document closes, which would grow with
        the file; reopening is cheap, since pages load lazily."""
        self._read_since_open += 1
        if self._read_since_open >= REOPEN_EVERY_PAGES:
            self.pdf.close()
            self.pdf = self._pdfium.PdfDocument(str(self.path))
            self._read_since_open = 0

    def page(self, index: int) -> PageImage | PageFailure:
        self._refresh()
        try:
            page = self.pdf[index]
        except Exception as exc:  # noqa: BLE001 - a damaged page must not end the file
            return PageFailure(index, f"page {index + 1} cannot be opened ({exc})")
        try:
            return self._read(index, page)
        except ScanInputError as exc:
            return PageFailure(index, exc.message)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            return PageFailure(index, _message(exc))
        except (OSError, ValueError, SyntaxError, EOFError, self._pdfium.PdfiumError) as exc:
            return PageFailure(index, f"page {index + 1} cannot be decoded ({exc})")
        finally:
            page.close()

    def _read(self, index: int, page: PdfPage) -> PageImage:
        pdfium = self._pdfium
        width_pt, height_pt = page.get_size()
        what = f"page {index + 1}"
        if _has_drawn_annotations(pdfium, page):
            return self._render(index, page, width_pt, height_pt)
        image_obj = None
        for obj in page.get_objects(max_depth=1):
            if obj.type != pdfium.raw.FPDF_PAGEOBJ_IMAGE:
                continue
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) >= FULL_PAGE_SHARE * width_pt * height_pt:
                if image_obj is not None:
                    image_obj = None  # several big images: let pdfium compose the page
                    break
                image_obj = obj
        if image_obj is None:
            return self._render(index, page, width_pt, height_pt)
        px_w, px_h = image_obj.get_px_size()
        check_pixels(px_w, px_h, self.max_pixels, what)
        left, bottom, right, top = image_obj.get_bounds()
        # The image may be placed turned by a quarter; its dpi is along its own width.
        # The image may be placed turned by a quarter: take the dpi along the longer sides.
        dpi = max(px_w, px_h) / max(right - left, top - bottom, 1.0) * POINTS_PER_INCH
        filters = image_obj.get_filters()
        if filters == ["DCTDecode"]:
            data = image_obj.get_data(decode_simple=True)
            data = bytes(data)
            grey, work_dpi = decode_jpeg(data, dpi, self.max_pixels, what)
            return PageImage(index, grey, work_dpi, data, "image/jpeg")
        bitmap = image_obj.get_bitmap(render=False)
        pil = bitmap.to_pil()
        bilevel = pil.mode == "1" or _bits_per_pixel(image_obj) == 1
        factor = reduction_for(dpi)
        evidence = _png(pil) if bilevel else None
        grey = to_grey(_reduce(pil, factor))
        if evidence is None:
            evidence = _png(Image.fromarray(grey))
        return PageImage(index, grey, dpi / factor, evidence, "image/png", bilevel)

    def _render(self, index: int, page: PdfPage, width_pt: float, height_pt: float) -> PageImage:
        scale = WORKING_DPI / POINTS_PER_INCH
        check_pixels(
            round(width_pt * scale), round(height_pt * scale), self.max_pixels, f"page {index + 1}"
        )
        bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
        pil = bitmap.to_pil().convert("L")
        grey = np.asarray(pil)
        return PageImage(index, grey, WORKING_DPI, _png(pil), "image/png")


#: Annotations that draw nothing a person put on the page: links and their pop-up notes.
_SILENT_ANNOTATIONS = frozenset({2, 16})  # FPDF_ANNOT_LINK, FPDF_ANNOT_POPUP
#: Looking at more annotations than this is pointless: one drawn annotation decides.
_MAX_ANNOTATIONS_LOOKED_AT = 64


def _has_drawn_annotations(pdfium: ModuleType, page: PdfPage) -> bool:
    """Whether anything was drawn on the page in a PDF reader (ink, stamps, shapes, text)."""
    raw = pdfium.raw
    count = raw.FPDFPage_GetAnnotCount(page.raw)
    for n in range(min(count, _MAX_ANNOTATIONS_LOOKED_AT)):
        annot = raw.FPDFPage_GetAnnot(page.raw, n)
        if not annot:
            continue
        try:
            if raw.FPDFAnnot_GetSubtype(annot) not in _SILENT_ANNOTATIONS:
                return True
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return False


def _bits_per_pixel(image_obj: PdfImage) -> int | None:
    try:
        return int(image_obj.get_metadata().bits_per_pixel)
    except Exception:  # noqa: BLE001 - metadata is a nicety; the image reads without it
        return None


def _pdf_open_message(detail: str) -> str:
    lowered = detail.lower()
    if "password" in lowered or "security" in lowered:
        return "the PDF is encrypted (password protected); save a copy without a password"
    if "format" in lowered or "not found" in lowered or "data" in lowered:
        return f"the PDF is damaged or cut short and cannot be opened ({detail})"
    return f"the PDF cannot be opened ({detail})"


def page_count(path: Path, *, max_pixels: int = MAX_PIXELS) -> int:
    if sniff(path) == "pdf":
        pages = PdfPages(path, max_pixels=max_pixels)
        try:
            return pages.count
        finally:
            pages.close()
    return count_image_frames(path)


class Source:
    """An opened input file: its page count, then its pages one at a time."""

    def __init__(self, path: Path, *, max_pixels: int = MAX_PIXELS):
        self.path = path
        self.max_pixels = max_pixels
        self.kind = sniff(path)
        self._pdf: PdfPages | None = None
        if self.kind == "pdf":
            self._pdf = PdfPages(path, max_pixels=max_pixels)
            self.count = self._pdf.count
        else:
            try:
                self.count = count_image_frames(path)
            except Image.DecompressionBombError:
                raise PixelBudgetError(
                    "the image has more pixels than the limit of "
                    f"{max_pixels // 1_000_000} million; "
                    "scan at 600 dpi or less",
                    file=str(path),
                ) from None
            except (OSError, SyntaxError, ValueError) as exc:
                raise ScanInputError(
                    f"not a readable PNG, JPEG or TIFF image ({exc})", file=str(path)
                ) from None

    def pages(self, start: int = 0, step: int = 1) -> Iterator[PageImage | PageFailure]:
        if self._pdf is not None:
            for index in range(start, self.count, step):
                yield self._pdf.page(index)
        else:
            yield from iter_image_file(
                self.path, max_pixels=self.max_pixels, start=start, step=step
            )

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def iter_pages(
    path: Path, *, start: int = 0, step: int = 1, max_pixels: int = MAX_PIXELS
) -> Iterator[PageImage | PageFailure]:
    """Every ``step``-th page from ``start``, one at a time (never the whole file)."""
    if sniff(path) == "image":
        yield from iter_image_file(path, max_pixels=max_pixels, start=start, step=step)
        return
    pages = PdfPages(path, max_pixels=max_pixels)
    try:
        for index in range(start, pages.count, step):
            yield pages.page(index)
    finally:
        pages.close()

"""Hostile and broken input files, built byte by byte (each small, made in milliseconds)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from numbered object bodies (object n is objects[n-1]) with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, xref)
    )
    return out.getvalue()


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def zeros_deflated(gigabytes: int) -> bytes:
    """A zlib stream that inflates to ``gigabytes`` GB of zeros, made without deflating them all.

    Full-flushed deflate blocks of a zero chunk are identical, so one block is
    repeated; the checksum at the end is wrong, which a bomb does not care about.
    """
    chunk = bytes(64 << 20)
    comp = zlib.compressobj(9)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    repeats = gigabytes * 16 - 1
    return first + block * repeats + comp.flush()


def flate_bomb_pdf(gigabytes: int = 4) -> bytes:
    """A page whose content stream is Flate in Flate in Flate: ~1.6 kB inflating to GBs."""
    inner = zeros_deflated(gigabytes)
    data = zlib.compress(zlib.compress(inner, 9), 9)
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _stream(b"/Filter [/FlateDecode /FlateDecode /FlateDecode]", data),
        ]
    )


def looping_pdf() -> bytes:
    """A page tree whose node lists itself (and its parent) as a kid."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 2 >>",
        ]
    )


def huge_image_pdf(side: int = 20_000) -> bytes:
    """A page holding a JPEG that says it is side x side pixels (the data are a few bytes)."""
    small = io.BytesIO()
    Image.new("L", (8, 8), 255).save(small, format="JPEG")
    data = small.getvalue()
    # Patch the SOF0 frame header's height and width to the claimed size.
    sof = data.index(b"\xff\xc0")
    data = data[: sof + 5] + struct.pack(">HH", side, side) + data[sof + 9 :]
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            _stream(b"", content),
            _stream(
                b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /DCTDecode" % (side, side),
                data,
            ),
        ]
    )


def huge_png_header(side: int = 20_000) -> bytes:
    """A PNG whose header says side x side pixels (a decompression bomb's first bytes)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" + bytes(side), 9)  # one row; the rest is missing anyway
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def cat_photo(path: Path, seed: int = 1) -> None:
    """A photo-like picture (smooth blotches and fur-like noise): no code, no marks."""
    rng = np.random.default_rng(seed)
    small = rng.integers(40, 220, size=(12, 9, 3), dtype=np.uint8)
    image = Image.fromarray(small).resize((1240, 1654), Image.Resampling.BICUBIC)
    fur = rng.normal(0, 18, size=(1654, 1240, 1))
    arr = np.clip(np.asarray(image).astype(np.float32) + fur, 0, 255).astype(np.uint8)
    Image.fromarray(arr).save(path, format="JPEG", quality=85)


def encrypted_pdf(path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), encrypt="secret")
    canvas.drawString(72, 720, "Locked")
    canvas.showPage()
    canvas.save()


def text_only_pdf(path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    for n in range(2):
        canvas.drawString(72, 720, f"Minutes of the meeting, page {n + 1}")
        canvas.showPage()
    canvas.save()


def pages_with_a_bomb(jpeg: bytes, size: tuple[int, int], gigabytes: int = 4) -> bytes:
    """Three pages: a scanned page, a page whose contents are a Flate bomb, the scan again."""
    width, height = size
    w_pt, h_pt = width * 72 / 200, height * 72 / 200
    bomb = zlib.compress(zlib.compress(zeros_deflated(gigabytes), 9), 9)
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode" % (width, height),
        jpeg,
    )
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
        b"/Resources << /XObject << /Im0 6 0 R >> >> >>"
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>",
            page % (w_pt, h_pt, 7),
            page % (w_pt, h_pt, 8),
            page % (w_pt, h_pt, 7),
            image,
            _stream(b"", content),
            _stream(b"/Filter [/FlateDecode /FlateDecode /FlateDecode]", bomb),
        ]
    )

"""The streaming PDF joiner: output every reader opens, with every page and its text."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from printing.pdfjoin import PdfJoiner, PdfJoinError
from printing.render import draw_text, new_canvas
from tests.tools import require_tool


def small_pdf(label: str, pages: int) -> bytes:
    out = io.BytesIO()
    canvas = new_canvas(out)
    for n in range(pages):
        draw_text(canvas, 72, 100, f"{label} side {n + 1} æøå ŋ", 14, 841.89)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def joined_abc(path: Path) -> Path:
    with open(path, "wb") as handle:
        joiner = PdfJoiner(handle, title="Brev (test)")
        assert joiner.append(small_pdf("A", 3)) == 3
        assert joiner.append(small_pdf("B", 1)) == 1
        assert joiner.append(small_pdf("C", 2)) == 2
        joiner.close()
    return path


def test_joined_pdf_has_every_page_in_order(tmp_path):
    path = joined_abc(tmp_path / "joined.pdf")
    expected = ["A side 1", "A side 2", "A side 3", "B side 1", "C side 1", "C side 2"]
    with pdfplumber.open(path) as doc:
        texts = [page.extract_text() for page in doc.pages]
        assert doc.metadata["Title"] == "Brev (test)"
    assert [t.split(" æ")[0] for t in texts] == expected
    assert all("æøå ŋ" in t for t in texts)
    assert len(pdfium.PdfDocument(path)) == 6


def test_poppler_reads_the_joined_pdf_without_complaint(tmp_path):
    pdfinfo = require_tool("pdfinfo")
    path = joined_abc(tmp_path / "joined.pdf")
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           6" in info.stdout and not info.stderr


def test_empty_join_is_a_valid_pdf(tmp_path):
    path = tmp_path / "empty.pdf"
    with open(path, "wb") as handle:
        PdfJoiner(handle).close()
    assert path.read_bytes().startswith(b"%PDF-1.4")
    assert b"/Count 0" in path.read_bytes()


@pytest.mark.parametrize("bad", [b"", b"%PDF-1.4\nnot really", small_pdf("x", 1)[:-200]])
def test_not_a_reportlab_pdf_is_refused(bad):
    with pytest.raises(PdfJoinError):
        PdfJoiner(io.BytesIO()).append(bad)

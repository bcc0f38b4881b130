"""A scanned page marked afterwards in a PDF reader: the drawn annotations are read too.

A PDF reader's pen, stamp or shape tools do not change the page's image; they
add annotations on top. Taking the scanned image alone would lose those marks,
so such a page is rendered with its annotations instead.
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from scan.pages import iter_pages
from scan.sandbox import read_files

from . import synthetic as syn


def _scanned(tmp_path: Path, questionnaire, name: str) -> Path:
    rng = random.Random(3)
    cond = syn.CONDITION_BY_NAME["normal"]
    sheet = syn.fill_page(questionnaire, "nb", "standard", 1, [], cond, rng)
    path = tmp_path / name
    syn.to_pdf([sheet.image], path, dpi=cond.dpi)
    return path


def _annotate(path: Path, box, subtype: int, out: Path) -> None:
    """Add an annotation over ``box`` (layout points): an ink cross, or a link."""
    pdf = pdfium.PdfDocument(str(path))
    page = pdf[0]
    height = page.get_size()[1]
    x, y, w, h = box
    annot = raw.FPDFPage_CreateAnnot(page.raw, subtype)
    if subtype == raw.FPDF_ANNOT_INK:
        for (ax, ay), (bx, by) in (
            ((x + 2, y + 2), (x + w - 2, y + h - 2)),
            ((x + 2, y + h - 2), (x + w - 2, y + 2)),
        ):
            points = (raw.FS_POINTF * 2)()
            points[0].x, points[0].y = ax, height - ay
            points[1].x, points[1].y = bx, height - by
            assert raw.FPDFAnnot_AddInkStroke(annot, points, 2) >= 0
        raw.FPDFAnnot_SetColor(annot, raw.FPDFANNOT_COLORTYPE_Color, 20, 20, 160, 255)
        raw.FPDFAnnot_SetBorder(annot, 0.0, 0.0, 1.8)
    rect = raw.FS_RECTF(x - 2, height - y + 2, x + w + 2, height - y - h - 2)
    assert raw.FPDFAnnot_SetRect(annot, rect)
    raw.FPDFPage_CloseAnnot(annot)
    page.close()
    pdf.save(str(out))
    pdf.close()


def _box(questionnaire, value: str):
    page = syn.form_map(questionnaire)["pages"][0]
    return next(f["box"] for f in page["fields"] if f.get("value") == value)


def test_a_cross_drawn_in_a_pdf_reader_over_a_scan_is_read(tmp_path, questionnaire, resolver):
    scan = _scanned(tmp_path, questionnaire, "scan.pdf")
    marked = tmp_path / "marked.pdf"
    _annotate(scan, _box(questionnaire, "own"), raw.FPDF_ANNOT_INK, marked)
    plain, annotated = list(read_files([scan, marked], resolver))
    # The scan itself has nothing marked; the reader's pen put the cross on top.
    assert plain.status == "ok" and plain.answers["housing"] == []
    assert annotated.status == "ok", annotated.message
    assert annotated.answers["housing"] == ["own"]
    assert annotated.image_type == "image/png"  # rendered with the cross, kept as evidence


def test_a_link_annotation_keeps_the_fast_path(tmp_path, questionnaire, resolver):
    """Links draw nothing: the page's JPEG is still taken out as it is."""
    scan = _scanned(tmp_path, questionnaire, "scan.pdf")
    linked = tmp_path / "linked.pdf"
    _annotate(scan, _box(questionnaire, "own"), raw.FPDF_ANNOT_LINK, linked)
    (page,) = list(iter_pages(linked))
    assert page.evidence_type == "image/jpeg"
    (result,) = list(read_files([linked], resolver))
    assert result.status == "ok" and result.answers["housing"] == []

"""Rendered PDFs read back: boxes where the map says, QR codes, glyphs, envelope window."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest

from forms.model import Item, ItemType, Section, Text
from printing import geometry as g
from printing.layout import layout_form
from printing.letters import Addressee, Credentials, PackError, PackPrinter
from printing.qr import personal_payload
from printing.render import FormPrinter, Stamp, new_canvas
from printing.typeface import MissingGlyphError
from tests.factories import make_consent_form, make_questionnaire, make_study
from tests.printing.rasters import (
    box_error_mm,
    find_box,
    find_filled,
    pdfium_pages,
    poppler_pages,
    read_qr,
)

BASE = "https://deltaker.example.no"
TOKEN = "Q2hlY2tzdW1zQXJlTmljZQ"
GLYPHS = "å ø æ á č đ ŋ š ŧ ž ł ą ę ė ğ ş ı Å Ø Æ Č Đ Ŋ Š Ŧ Ž Ł Ğ Ş İ"
DPI = 200


def render_form(form, language="nb", profile="standard") -> tuple[bytes, dict]:
    layout = layout_form(form, language, profile)
    printer = FormPrinter(layout)
    out = io.BytesIO()
    canvas = new_canvas(out)
    for page in layout.pages:
        printer.draw_page(
            canvas,
            page.page,
            Stamp(
                personal_payload(BASE, TOKEN, page.page),
                "Deltakerkode: P-7K3M",
                f"Side {page.page} av {len(layout.pages)}",
                f"v {layout.text_version}",
            ),
        )
        canvas.showPage()
    canvas.save()
    return out.getvalue(), layout.to_map("u-sving")


@pytest.mark.parametrize("profile", ["standard", "large"])
@pytest.mark.parametrize("factory", [make_questionnaire, make_consent_form])
def test_every_box_and_mark_is_where_the_map_says(factory, profile):
    pdf, layout_map = render_form(factory(), "nb", profile)
    images = pdfium_pages(pdf, DPI)
    assert len(images) == len(layout_map["pages"])
    for page, image in zip(layout_map["pages"], images, strict=True):
        for f in page["fields"]:
            found = find_box(image, f["box"], DPI)
            assert found is not None, f"{f['item']} not drawn"
            assert box_error_mm(found, f["box"]) <= 0.5, f
        for mark in page["marks"]:
            assert box_error_mm(find_filled(image, mark, DPI), mark) <= 0.5
        payload = personal_payload(BASE, TOKEN, page["page"])
        assert read_qr(image, page["qr"], DPI) == [payload]
        assert read_qr(image, page["qr2"], DPI) == [payload]


def test_a_box_that_is_not_drawn_is_not_found():
    """The checker can fail: a box displaced by 1 mm is out of tolerance."""
    pdf, layout_map = render_form(make_consent_form())
    image = pdfium_pages(pdf, DPI)[0]
    f = next(f for f in layout_map["pages"][0]["fields"] if f["kind"] == "choice")
    x, y, w, h = f["box"]
    moved = [x + 1.5 * g.MM, y, w, h]
    found = find_box(image, moved, DPI)
    assert found is None or box_error_mm(found, moved) > 0.5


def pack_pdf(study=None, language="nb", *, duplex=True, person=None, profile="standard"):
    study = study or make_study()
    printer = PackPrinter(
        study, language, duplex=duplex, date=dt.date(2026, 11, 22), profile=profile
    )
    person = person or Addressee("P-7K3M", "Åse Øvrebø", ("Storgata 1 B", "0155 Oslo"), language)
    out = io.BytesIO()
    canvas = new_canvas(out)
    count = printer.draw(canvas, person, Credentials(TOKEN, "7K3M-QX2P"))
    canvas.save()
    return out.getvalue(), printer, count


def test_pack_pages_qr_codes_read_by_poppler(tmp_path: Path):
    """Second renderer: Debian's pdftoppm. Every page that can come back identifies itself."""
    pdf, printer, count = pack_pdf()
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    images = poppler_pages(path, tmp_path, dpi=150)
    assert len(images) == count == len(printer.pages)
    returnable = {p["n"]: p for p in printer.pages_json()}
    assert {p["form"] for p in returnable.values()} == {"consent", "families"}
    layouts = {form.id: m for form, m in printer.layout_maps()}
    for page in printer.pages:
        image = images[page.n - 1]
        if page.form:
            qr = layouts[page.form]["pages"][page.page - 1]["qr"]
            assert read_qr(image, qr, 150) == [personal_payload(BASE, TOKEN, page.n)]
            for mark in layouts[page.form]["pages"][0]["marks"]:
                assert box_error_mm(find_filled(image, mark, 150), mark) <= 0.5
        elif page.kind == "letter":
            assert read_qr(image, dpi=150) == [personal_payload(BASE, TOKEN)]
        else:
            assert read_qr(image, dpi=150) == []


def test_duplex_pack_starts_forms_on_a_new_sheet_and_has_even_length():
    _, printer, count = pack_pdf()
    assert count % 2 == 0
    starts = [p.n for p in printer.pages if p.form and p.page == 1]
    assert starts and all(n % 2 == 1 for n in starts)
    _, simplex, simplex_count = pack_pdf(duplex=False)
    assert not any(p.kind == "blank" for p in simplex.pages)
    assert simplex_count < count


def test_pack_text_has_the_parts_a_person_needs():
    pdf, printer, _ = pack_pdf(language="en")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        texts = [" ".join(page.extract_text().split()) for page in doc.pages]
    letter = texts[0]
    assert "7K3M-QX2P" in letter and "deltaker.example.no" in letter
    assert "Scan the code" in letter and "22 November 2026" in letter
    assert "Will you take part in the research project" in texts[1]
    for page in printer.pages:
        text = texts[page.n - 1]
        if page.form:
            assert "Participant code: P-7K3M" in text
            assert "Put a cross in the box." in text
            assert "Text version" in text
            assert f"Page {page.page} of" in text
    assert "How to answer" in texts[[p.kind for p in printer.pages].index("how_to_answer")]
    assert TOKEN not in "".join(texts), "the token is only in the QR code"


def test_name_and_address_inside_the_envelope_window():
    pdf, _, _ = pack_pdf()
    x, y, w, h = g.WINDOW_BOX
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        inside = page.within_bbox((x, y, x + w, y + h)).extract_text()
        words = page.extract_words()
    for needle in ("Åse Øvrebø", "Storgata 1 B", "0155 Oslo"):
        assert needle in inside
    for word in words:
        if word["text"] in ("Åse", "Storgata", "0155"):
            assert x + g.WINDOW_PLAY_PT - 1 <= word["x0"] and word["x1"] <= x + w
            assert y <= word["top"] and word["bottom"] <= y + h
    # Nothing but the return address and the address shows through the window.
    allowed = "Avsender: Høgskolen Åse Øvrebø Storgata 1 B 0155 Oslo"
    assert set(inside.split()) <= set(allowed.split())


@pytest.mark.parametrize(
    "lines,match",
    [
        (("a", "b", "c", "d", "e", "f"), "envelope window"),
        (("Ein sehr sehr sehr langer Straßenname mit Hausnummer 1234",), "too wide"),
    ],
)
def test_address_that_does_not_fit_the_window_is_a_clear_error(lines, match):
    person = Addressee("P-7K3M", "Åse", lines, "nb")
    with pytest.raises(PackError, match=match):
        pack_pdf(person=person)


def test_required_glyphs_are_embedded_and_extractable():
    title = Text({"nb": "Øvre Ŋuolja " + GLYPHS})
    form = replace(
        make_consent_form(),
        title=Text({"nb": "Samtykke ŧ"}),
        sections=(Section("s", title, (Item("i", ItemType.INFO, title),)),),
    )
    pdf, _ = render_form(form)
    assert b"/FontFile2" in pdf, "the TTF is embedded"
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[0].chars
    printed = "".join(c["text"] for c in chars)
    for glyph in GLYPHS.split():
        assert glyph in printed
    assert all("DejaVuSans" in c["fontname"] for c in chars)


@pytest.mark.parametrize("bad", ["漢字", "क", "𝔄", "ก", "\u0378"])
def test_a_missing_glyph_is_an_error_not_a_blank_box(bad):
    form = replace(make_questionnaire(), title=Text({"nb": f"Spørsmål {bad}"}))
    with pytest.raises(MissingGlyphError, match=r"no glyph for .*U\+"):
        render_form(form)


def test_a_missing_glyph_in_a_name_is_an_error():
    person = Addressee("P-7K3M", "李小龍", ("Storgata 1",), "nb")
    with pytest.raises(MissingGlyphError, match="name of P-7K3M"):
        pack_pdf(person=person)


def test_large_print_pack_renders():
    pdf, printer, count = pack_pdf(profile="large")
    assert count == len(pdfium_pages(pdf, 30))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        sizes = {round(c["size"]) for p in doc.pages for c in p.chars}
    assert max(sizes) >= 24 and 18 in sizes


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_example_study_forms_boxes_and_codes(language):
    """Every form of the bundled example study, read back at scanner-like resolution."""
    from forms.load import load_study

    study = load_study(Path(__file__).resolve().parents[2] / "examples" / "u-sving")
    for form in study.forms:
        pdf, layout_map = render_form(form, language)
        images = pdfium_pages(pdf, 150)
        for page, image in zip(layout_map["pages"], images, strict=True):
            for f in page["fields"]:
                found = find_box(image, f["box"], 150)
                assert found is not None and box_error_mm(found, f["box"]) <= 0.5, (form.id, f)
            assert read_qr(image, page["qr"], 150) == [personal_payload(BASE, TOKEN, page["page"])]


def test_long_sami_and_polish_text_stays_inside_the_printed_column():
    from tests.printing.test_print_layout import POLISH, SAMI

    for language, text, word in (("se", SAMI, "gáhttejuvvojit"), ("pl", POLISH, "Źdźbło")):
        label = Text({language: text})
        items = (
            Item("info", ItemType.INFO, label),
            Item("q", ItemType.YES_NO, label),
            Item("story", ItemType.LONG_TEXT, label),
        )
        form = replace(
            make_questionnaire(),
            title=Text({language: text[:30]}),
            languages=(language,),
            sections=(Section("s", label, items),),
        )
        pdf, _ = render_form(form, language)
        printed = ""
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            for page in doc.pages:
                for char in page.chars:
                    assert char["x0"] >= g.MARGIN_LEFT_PT - 0.5
                    assert char["x1"] <= 595.28 - g.MARGIN_RIGHT_PT + 0.5, char["text"]
                printed += page.extract_text()
        assert word in printed


@pytest.mark.parametrize("duplex,per_copy", [(True, 2), (False, 1)])
def test_blank_copies_start_on_their_own_sheet_when_duplex(duplex, per_copy):
    from printing.blank import render_blank
    from printing.qr import AnonymousPayload, parse_payload

    form = make_consent_form()
    assert len(layout_form(form, "nb").pages) == 1
    out = io.BytesIO()
    result = render_blank(
        out, form, study_id="s", base_url=BASE, copies=3, first_serial=7, duplex=duplex
    )
    images = pdfium_pages(out.getvalue(), 100)
    assert result.pages == len(images) == 3 * per_copy
    codes = [parse_payload(t) for image in images for t in read_qr(image)]
    # Two codes on every form page (top right, and the second bottom left), same text.
    assert [c.serial for c in codes] == [7, 7, 8, 8, 9, 9]
    assert all(isinstance(c, AnonymousPayload) and c.page == 1 for c in codes)


def test_a_base_url_too_long_for_a_scannable_code_is_an_error():
    from printing.blank import render_blank
    from printing.render import QRTooDense

    long_url = "https://deltaker.example.no/" + "x" * 160
    with pytest.raises(QRTooDense, match="shorter base_url"):
        render_blank(io.BytesIO(), make_consent_form(), study_id="s", base_url=long_url, copies=1)


def test_the_qr_box_comes_before_the_letters_closing():
    from forms.load import load_study

    study = load_study(Path(__file__).resolve().parents[2] / "examples" / "u-sving")
    pdf, printer, _ = pack_pdf(study, "en")
    letter_pages = [p.n for p in printer.pages if p.kind == "letter"]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = " ".join(" ".join(doc.pages[n - 1].extract_text().split()) for n in letter_pages)
    assert text.index("Scan the code") < text.index("Best wishes") < text.index("Ingrid Haugen,")


def test_both_qr_encoders_give_codes_that_read_back(monkeypatch):
    """zxing-cpp's encoder, and the `qrcode` fallback for older zxing-cpp releases."""
    import zxingcpp

    from printing import render

    payload = personal_payload(BASE, TOKEN, 12)
    fast = render.qr_matrix(payload)
    slow = render.qr_matrix_qrcode(payload)
    assert fast.shape == slow.shape and fast.dtype == slow.dtype == bool
    monkeypatch.delattr(zxingcpp, "create_barcode")
    pdf, layout_map = render_form(make_consent_form())
    image = pdfium_pages(pdf, DPI)[0]
    assert read_qr(image, layout_map["pages"][0]["qr"], DPI) == [personal_payload(BASE, TOKEN, 1)]


def test_a_pack_in_a_language_without_standard_wording_uses_english_furniture():
    """A Polish pack: the study's own texts as written, the information letter's fixed
    wording in Polish (forms/words/translations/pl.py), the other standard wording in English."""
    base = make_study()
    polish = Text({**base.purpose.values, "pl": "Chcemy się dowiedzieć, jak żyjesz."})
    study = replace(base, languages=(*base.languages, "pl"), purpose=polish)
    pdf, printer, count = pack_pdf(study, "pl")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = " ".join(" ".join(p.extract_text().split()) for p in doc.pages)
    assert "Chcemy się dowiedzieć, jak żyjesz." in text
    assert "Cel projektu" in text and "Purpose of the project" not in text
    assert "Put a cross in the box." in text
    assert count == len(printer.pages)

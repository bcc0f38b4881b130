"""Right-to-left and complex scripts in print: shaped glyphs, reading order, mirrored pages.

Arabic (``ar``) and Persian (``fa``) forms are rendered by reportlab and read back
with pdfplumber and Debian's pdftotext. The glyphs must be HarfBuzz's shaping of
the text (joined forms, not letters in a row), the text must come back in reading
order, the tick boxes must stand right of their options, and a number or a Latin
name inside a right-to-left sentence must keep its place.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics

from forms.load import load_study
from forms.model import Form, Item, ItemType, Section, Text
from printing import geometry as g
from printing.layout import FormLayout, TextLine, layout_form
from printing.letters import Addressee, Credentials, PackPrinter
from printing.render import FormPrinter, Stamp, new_canvas
from printing.typeface import FONT_DIR, MissingGlyphError, has_rtl, is_simple, text_width
from tests.factories import RTL_MIXED, make_rtl_consent_form, make_rtl_questionnaire
from tests.tools import require_tool

LANGS = ["ar", "fa"]
ROOT = Path(__file__).resolve().parents[2]
ARABIC_FILES = {False: "NotoSansArabic-Regular.ttf", True: "NotoSansArabic-Bold.ttf"}


def render(form: Form, language: str) -> tuple[bytes, FormLayout]:
    layout = layout_form(form, language)
    printer = FormPrinter(layout)
    out = io.BytesIO()
    canvas = new_canvas(out)
    for page in layout.pages:
        stamp = Stamp("https://deltaker.example.no/a/1", "P-7K3M", f"{page.page}", "v 1")
        printer.draw_page(canvas, page.page, stamp)
        canvas.showPage()
    canvas.save()
    return out.getvalue(), layout


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[bytes, FormLayout, list[list[dict]]]]:
    out = {}
    for language in LANGS:
        pdf, layout = render(make_rtl_questionnaire(), language)
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            chars = [list(page.chars) for page in doc.pages]
        out[language] = (pdf, layout, chars)
    return out


def letters_only(text: str) -> str:
    """Letters and digits in order: no spaces, no combining marks, no format characters.

    Extractors split a mark raised above its letter into a text piece of its own;
    the order of the letters is what reading order means here.
    """
    text = unicodedata.normalize("NFKC", text)  # presentation forms back to letters
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def on_line(chars: list[dict], line: TextLine, page_height: float) -> list[dict]:
    """The drawn glyphs of ``line``, in the order they were drawn."""
    width = text_width(line.text, line.size, bold=line.bold, rtl=line.rtl)
    return [
        c
        for c in chars
        if abs((page_height - c["matrix"][5]) - line.y) < line.size * 0.5
        and c["x0"] >= line.x - 1
        and c["x1"] <= line.x + width + 1
    ]


def rtl_only(line: TextLine) -> bool:
    """A line of right-to-left letters only (no digits, no Latin)."""
    return has_rtl(line.text) and not any(c.isascii() and c.isalnum() for c in line.text)


@pytest.mark.parametrize("language", LANGS)
def test_pdftotext_reads_right_to_left_lines_in_reading_order(printed, language):
    pdf, layout, _ = printed[language]
    text = subprocess.run(
        [require_tool("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    extracted = letters_only(text)
    lines = [t for page in layout.pages for t in page.lines if rtl_only(t)]
    assert len(lines) >= 15
    for line in lines:
        assert letters_only(line.text) in extracted, line.text
    # The check can fail: letters in drawing (visual) order do not match.
    assert letters_only("أين تسكن؟" if language == "ar" else "کجا زندگی می‌کنید؟")[::-1] not in (
        extracted
    )


@pytest.mark.parametrize("language", LANGS)
def test_pdfplumber_glyphs_read_right_to_left_give_the_text(printed, language):
    _, layout, chars = printed[language]
    height = layout.page_size[1]
    for page, page_chars in zip(layout.pages, chars, strict=True):
        for line in page.lines:
            if not rtl_only(line):
                continue
            glyphs = on_line(page_chars, line, height)
            right_to_left = sorted(glyphs, key=lambda c: -c["x0"])
            assert letters_only("".join(c["text"] for c in right_to_left)) == letters_only(
                line.text
            ), line.text


def harfbuzz_glyphs(text: str, bold: bool) -> list[int]:
    """HarfBuzz's own shaping of ``text`` in the vendored font: glyph ids, left to right."""
    blob = hb.Blob((FONT_DIR / ARABIC_FILES[bold]).read_bytes())
    font = hb.Font(hb.Face(blob))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return [info.codepoint for info in buf.glyph_infos]


@pytest.mark.parametrize("language", LANGS)
def test_the_glyphs_are_harfbuzz_shaping_of_the_text(printed, language):
    """Joined letters and ligatures, not the letters' isolated forms in a row."""
    _, layout, chars = printed[language]
    height = layout.page_size[1]
    compared = 0
    for page, page_chars in zip(layout.pages, chars, strict=True):
        for line in page.lines:
            if not rtl_only(line):
                continue
            glyphs = [c for c in on_line(page_chars, line, height) if "Arabic" in c["fontname"]]
            name = "NotoSansArabic-Bold" if line.bold else "NotoSansArabic"
            # The drawn code maps back to its glyph through the font the PDF embeds a subset of.
            cmap = pdfmetrics.getFont(name).face.charToGlyph
            drawn = [cmap[ord(c["text"])] for c in glyphs]
            expected = harfbuzz_glyphs(line.text, line.bold)
            assert drawn == expected, line.text
            compared += 1
    assert compared >= 15
    # Shaping changed something: "نعم" joined is not its three isolated letters.
    isolated = [pdfmetrics.getFont("NotoSansArabic").face.charToGlyph[ord(c)] for c in "معن"]
    assert harfbuzz_glyphs("نعم", False) != isolated


@pytest.mark.parametrize("language", LANGS)
def test_tick_boxes_stand_right_of_their_options(printed, language):
    _, layout, chars = printed[language]
    right_edge = layout.page_size[0] - g.MARGIN_RIGHT_PT
    choices = [f for page in layout.pages for f in page.fields if f.kind == "choice"]
    assert len(choices) >= 10
    for f in choices:
        assert f.label is not None
        x, y, w, h = f.box
        if f.type == ItemType.SCALE:
            continue  # the number stands above its box
        assert f.label[0] + f.label[2] < x, f  # the option's words end left of its box
        assert x + w == pytest.approx(right_edge, abs=0.01), f
    # On paper: every glyph of an option's words is left of its box.
    for page, page_chars in zip(layout.pages, chars, strict=True):
        for f in page.fields:
            if f.kind != "choice" or f.type == ItemType.SCALE or f.label is None:
                continue
            lx, ly, lw, lh = f.label
            inside = [
                c
                for c in page_chars
                if c["x0"] >= lx - 0.5 and c["x1"] <= lx + lw + 0.5 and ly <= c["top"] < ly + lh
            ]
            assert inside, f
            assert max(c["x1"] for c in inside) < f.box[0]
    # A scale reads right to left too: its first step is the rightmost box.
    scale = [f for f in choices if f.type == ItemType.SCALE]
    assert [f.value for f in sorted(scale, key=lambda f: -f.box[0])] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize("language", LANGS)
def test_a_number_and_a_latin_name_keep_their_place_in_right_to_left_text(printed, language):
    _, layout, chars = printed[language]
    height = layout.page_size[1]
    page = layout.pages[0]
    line = next(t for t in page.lines if "Eksempelby" in t.text)
    assert line.text == RTL_MIXED.get(language) and line.rtl
    glyphs = on_line(chars[0], line, height)
    latin = [c for c in glyphs if c["text"] in "Eksempelby" and "DejaVu" in c["fontname"]]
    digits = [c for c in glyphs if c["text"] in "12"]
    # Inside, each reads left to right.
    assert "".join(c["text"] for c in sorted(latin, key=lambda c: c["x0"])) == "Eksempelby"
    assert "".join(c["text"] for c in sorted(digits, key=lambda c: c["x0"])) == "12"
    name_x = min(c["x0"] for c in latin)
    number_x = min(c["x0"] for c in digits)
    arabic = [c for c in glyphs if "Arabic" in c["fontname"] and c["text"].strip()]
    if language == "ar":  # تسكن في Eksempelby منذ 12 سنة.
        assert number_x < name_x  # the number comes later, so further left
    else:  # شما 12 سال در Eksempelby زندگی کرده‌اید.
        assert name_x < number_x
    left, right = sorted([name_x, number_x])
    # Right-to-left words before, between and after the two.
    assert any(c["x0"] > max(c2["x1"] for c2 in latin + digits) for c in arabic)
    assert any(left < c["x0"] < right for c in arabic)
    assert any(c["x1"] < left for c in arabic)
    # The full stop ends the sentence: at its left end. The line ends at the right margin.
    assert min(glyphs, key=lambda c: c["x0"])["text"] == "."
    assert max(c["x1"] for c in glyphs) == pytest.approx(
        layout.page_size[0] - g.MARGIN_RIGHT_PT, abs=1.0
    )


@pytest.mark.parametrize("language", LANGS)
def test_mirrored_layout_map_boxes_are_where_the_boxes_are_drawn(language):
    from tests.printing.rasters import box_error_mm, find_box, pdfium_pages

    for form in (make_rtl_questionnaire(), make_rtl_consent_form()):
        pdf, layout = render(form, language)
        layout_map = layout.to_map("u-sving")
        images = pdfium_pages(pdf, 200)
        for page, image in zip(layout_map["pages"], images, strict=True):
            for f in page["fields"]:
                found = find_box(image, f["box"], 200)
                assert found is not None, f"{f['item']} not drawn"
                assert box_error_mm(found, f["box"]) <= 0.5, f


def test_a_glyph_no_font_has_in_arabic_text_is_a_check_error():
    form = replace(make_rtl_consent_form(), title=Text({"nb": "Samtykke", "ar": "الموافقة ก"}))
    with pytest.raises(MissingGlyphError, match=r"U\+0E01.*الموافقة ก"):
        render(form, "ar")


def test_tigrinya_prints_in_noto_sans_ethiopic():
    title = Text({"nb": "Samtykke", "ti": "ፍቓድ ምሃብ"})
    form = replace(
        make_rtl_consent_form(),
        title=title,
        languages=("nb", "ti"),
        sections=(Section("s", None, (Item("i", ItemType.INFO, title),)),),
    )
    pdf, layout = render(form, "ti")
    assert not layout.rtl
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[0].chars
    ethiopic = [c for c in chars if "Ethiopic" in c["fontname"]]
    assert "".join(c["text"] for c in ethiopic).startswith("ፍቓድምሃብ".replace(" ", "")[:3])
    text = subprocess.run(
        [require_tool("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "ፍቓድ ምሃብ" in text


@pytest.mark.parametrize("bold", [False, True])
def test_only_left_to_right_text_in_the_main_font_is_simple(bold):
    """is_simple remembers the characters it found simple: a text with one more
    character, right to left or in another script's font, is still shaped."""
    assert is_simple("Blåbærsyltetøy på Ørland, 12 kr", bold=bold)
    assert is_simple("Ґанна Пʼятниця", bold=bold)  # Cyrillic: DejaVu Sans, left to right
    for other in ("\u0628", "\u200f", "\u1208", "\u05d0", "\u0661"):  # ب RLM ለ א ١
        assert not is_simple("Blåbærsyltetøy" + other, bold=bold), repr(other)
        assert not is_simple(other, bold=bold), repr(other)
    assert is_simple("Blåbærsyltetøy på Ørland, 12 kr", bold=bold)


def test_norwegian_pages_draw_as_before():
    """Left-to-right pages take the plain path: no mirroring, one font, no shaping."""
    pdf, layout = render(make_rtl_questionnaire(), "nb")
    assert not layout.rtl
    assert not any(t.rtl for page in layout.pages for t in page.lines)
    choice = next(f for f in layout.pages[0].fields if f.kind == "choice")
    assert choice.box[0] == pytest.approx(g.MARGIN_LEFT_PT, abs=0.01)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert all("DejaVuSans" in c["fontname"] for c in doc.pages[0].chars)


def test_an_arabic_letter_mirrors_but_the_address_stays_in_the_window():
    study = load_study(ROOT / "examples" / "hverdagen-nb-ar-pl")
    printer = PackPrinter(study, "ar", date=dt.date(2026, 11, 22))
    out = io.BytesIO()
    canvas = new_canvas(out)
    person = Addressee("P-7K3M", "ليلى Hansen", ("Storgata 1 B", "0155 Oslo"), "ar")
    printer.draw(canvas, person, Credentials("Q2hlY2tzdW1zQXJlTmljZQ", "7K3M-QX2P"))
    canvas.save()
    width = printer.page_size[0]
    letter = printer.letter[0]
    # The QR panel's code moves to the right; the letter's lines end at the right margin.
    assert letter.slots["letter_qr"][0] > width / 2
    body = [t for t in letter.lines if has_rtl(t.text)]
    assert body and all(t.rtl for t in body)
    for t in body:
        end = t.x + text_width(t.text, t.size, bold=t.bold, rtl=True)
        assert end == pytest.approx(width - g.MARGIN_RIGHT_PT, abs=0.01), t
    with pdfplumber.open(io.BytesIO(out.getvalue())) as doc:
        chars = doc.pages[0].chars
    wx, wy, ww, wh = g.WINDOW_BOX
    in_window = [
        c for c in chars if wx <= c["x0"] and c["x1"] <= wx + ww and wy <= c["top"] <= wy + wh
    ]
    street = [c for c in in_window if c["text"] in "Storgata"]
    assert street, "the address is printed in the envelope window"
    assert min(c["x0"] for c in street) == pytest.approx(wx + g.WINDOW_PLAY_PT, abs=0.5)


def test_an_arabic_reminder_mirrors_like_the_invitation(tmp_path):
    import shutil

    from printing.reminders import ReminderPrinter

    folder = tmp_path / "hverdagen"
    shutil.copytree(ROOT / "examples" / "hverdagen-nb-ar-pl", folder)
    texts = {
        "nb": "# Husker du oss?\n\nVi har ikke fått svar fra deg ennå.",
        "ar": "# هل تتذكرنا؟\n\nلم نتلق ردك بعد. يمكنك أن تجيب حتى 30 يونيو.",
        "pl": "# Pamiętasz nas?\n\nNie dostaliśmy jeszcze twojej odpowiedzi.",
    }
    for language, text in texts.items():
        (folder / "letters" / f"reminder.{language}.md").write_text(text, encoding="utf-8")
    printer = ReminderPrinter(load_study(folder), "ar", date=dt.date(2026, 11, 22))
    out = io.BytesIO()
    canvas = new_canvas(out)
    person = Addressee("P-7K3M", "Kari Nordmann", ("Storgata 1", "5003 Bergen"), "ar")
    assert printer.draw(canvas, person, Credentials("A" * 22, "7K3M-QX2P")) == 1
    canvas.save()
    width = printer.page_size[0]
    lines = [t for t in printer.letter[0].lines if has_rtl(t.text)]
    assert len(lines) >= 2
    for t in lines:
        end = t.x + text_width(t.text, t.size, bold=t.bold, rtl=True)
        assert end == pytest.approx(width - g.MARGIN_RIGHT_PT, abs=0.01), t
    assert printer.letter[0].slots["letter_qr"][0] > width / 2

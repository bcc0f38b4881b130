"""Form layout: pure geometry, DESIGN.md's map shape, easy-to-read rules, pagination."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from forms.model import Choice, Item, ItemType, Section, Text
from printing import geometry as g
from printing.layout import LAYOUT_RULES, LayoutError, layout_form, wrap
from printing.render import DRAWERS
from printing.typeface import text_width
from tests.factories import make_consent_form, make_questionnaire, t

POLISH = (
    "Chcielibyśmy się dowiedzieć, jak wygląda Twoje codzienne życie w mieszkaniu, "
    "które wynajmujesz, i czy właściciel szybko naprawia usterki, gdy coś się zepsuje. "
    "Źdźbło żółwia ćwierkało gęślą jaźń."
)
SAMI = (
    "Mii háliidivččiimet diehtit movt don orut ja movt du beaivválaš eallin lea. "
    "Áššit maid don muitalat, gáhttejuvvojit dorvvolaččat ja ii oktage beasa daid oaidnit. "
    "Čállit dan maid don jurddašat, ja sádde dan munnje ruovttoluotta ŋ ŧ đ š ž."
)


def test_every_item_type_has_a_layout_rule_and_a_drawer():
    assert set(LAYOUT_RULES) == set(ItemType)
    assert set(DRAWERS) == set(ItemType)


def test_map_has_design_shape():
    form = make_questionnaire()
    layout = layout_form(form, "nb")
    m = layout.to_map("u-sving")
    assert set(m) == {
        "study",
        "form",
        "version",
        "language",
        "page_size",
        "pages",
        "geometry",
        "profile",
    }
    assert m["study"] == "u-sving" and m["form"] == "families" and m["language"] == "nb"
    assert m["version"] == layout.text_version and len(m["version"]) == 8
    assert m["page_size"] == [595.28, 841.89] and m["profile"] == "standard"
    values = []
    for page in m["pages"]:
        assert set(page) == {"page", "qr", "qr2", "marks", "fields"}
        assert len(page["marks"]) == 4
        for f in page["fields"]:
            assert f["kind"] in ("choice", "text", "signature")
            assert ("value" in f) == (f["kind"] == "choice")
            # DESIGN.md's keys, plus the additive "label" (the option text) on choices.
            assert set(f) == {"item", "kind", "box"} | (
                {"value", "label"} if f["kind"] == "choice" else set()
            )
            x, y, w, h = f["box"]
            assert 0 < x and x + w < 595.28 and 0 < y and y + h < 841.89
            if f["kind"] == "choice":
                values.append((f["item"], f["value"]))
    expected = [(i.id, c.value) for i in form.answerable() for c in i.options()]
    assert values == expected
    written = {f["item"] for p in m["pages"] for f in p["fields"] if f["kind"] != "choice"}
    assert written == {"rooms", "moved", "name", "story"}
    json.dumps(m)  # JSON-ready


def test_marks_are_in_the_four_corners_and_qr_top_right():
    page = layout_form(make_consent_form(), "en").to_map("s")["pages"][0]
    (tl, tr, bl, br) = page["marks"]
    assert tl[0] < 40 and tl[1] < 40 and tr[0] > 550 and br[1] > 800 and bl[0] < 40
    qx, qy, qw, qh = page["qr"]
    assert qx > 400 and qy < 60 and qw == qh >= 20 * g.MM
    # The second code: bottom left, diagonally across from the first, inside the marks.
    sx, sy, sw, sh = page["qr2"]
    assert sx < 100 and sy + sh > 800 and sw == sh >= 18 * g.MM
    assert sx > bl[0] + bl[2] and sy + sh <= bl[1] + bl[3] + 0.01


@pytest.mark.parametrize("profile", ["standard", "large"])
@pytest.mark.parametrize("factory", [make_questionnaire, make_consent_form])
def test_nothing_is_printed_over_the_second_code(factory, profile):
    """Content ends above the second code; the footer text starts right of it."""
    layout = layout_form(factory(), "nb", profile)
    for page in layout.pages:
        sx, sy, sw, sh = page.qr2
        for f in page.fields:
            assert f.box[1] + f.box[3] <= sy - 2 * g.MM, f
        for line in page.lines:
            assert line.y <= sy - 2 * g.MM, line
        assert page.footer[0] >= sx + sw + 2 * g.MM


@pytest.mark.parametrize("profile,body,box", [("standard", 14, 6), ("large", 18, 7.5)])
def test_easy_to_read_sizes(profile, body, box):
    layout = layout_form(make_questionnaire(), "nb", profile)
    sizes = {line.size for p in layout.pages for line in p.lines}
    assert min(sizes) >= body
    for p in layout.pages:
        for f in p.fields:
            if f.kind == "choice":
                assert f.box[2] >= g.CHECKBOX_MIN_PT and abs(f.box[2] - box * g.MM) < 0.01
        # Generous space between the options of one question.
        tops = sorted(f.box[1] for f in p.fields if f.item == "housing")
        gaps = zip(tops, tops[1:], strict=False)
        assert all(b - a >= p.fields[0].box[3] + 3 * g.MM for a, b in gaps)
    assert g.LINE_SPACING >= 1.3


def test_deterministic_even_in_another_process():
    first = layout_form(make_questionnaire(), "nn").to_map("u-sving")
    assert first == layout_form(make_questionnaire(), "nn").to_map("u-sving")
    code = (
        "import json; from printing.layout import layout_form; "
        "from tests.factories import make_questionnaire; "
        "print(json.dumps(layout_form(make_questionnaire(), 'nn').to_map('u-sving')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PYTHONPATH": "."},
    )
    assert json.loads(out.stdout) == first


def _many_items_form(n: int = 14):
    items = tuple(
        Item(
            f"q{k}",
            ItemType.SINGLE_CHOICE,
            t(f"Spørsmål nummer {k}: hvordan har du det i dag?"),
            choices=tuple(Choice(v, t(f"Svar {v}")) for v in ("a", "b", "c", "d")),
        )
        for k in range(n)
    )
    return replace(make_questionnaire(), sections=(Section("s", t("Del én"), items),))


def test_items_never_split_and_questions_stay_with_their_options():
    layout = layout_form(_many_items_form(), "nb")
    assert len(layout.pages) >= 3
    seen: dict[str, int] = {}
    for p in layout.pages:
        labels = {line.text.split(":")[0] for line in p.lines if line.bold}
        for f in p.fields:
            assert seen.setdefault(f.item, p.page) == p.page, f"{f.item} split"
            number = f.item[1:]
            assert f"Spørsmål nummer {number}" in labels, "options without their question"
        bottom = max(f.box[1] + f.box[3] for f in p.fields)
        assert bottom < 841.89 - g.MARGIN_BOTTOM_PT - 14 * 1.35
    assert len(seen) == 14
    # The section heading stays with its first item.
    first = layout.pages[0]
    assert any(line.text == "Del én" for line in first.lines)


def test_page_break_before_starts_a_new_page():
    form = _many_items_form(3)
    items = list(form.sections[0].items)
    items[2] = replace(items[2], page_break_before=True)
    form = replace(form, sections=(replace(form.sections[0], items=tuple(items)),))
    layout = layout_form(form, "nb")
    assert len(layout.pages) == 2
    assert [f.item for f in layout.pages[1].fields][0] == "q2"


def test_an_item_taller_than_a_page_that_cannot_flow_is_a_clear_error():
    item = Item("huge", ItemType.LONG_TEXT, t("Fortell"), lines=80)
    form = replace(make_questionnaire(), sections=(Section("s", None, (item,)),))
    with pytest.raises(LayoutError, match="'huge'.*too tall"):
        layout_form(form, "nb")


def _choices_form(count: int, label: str = "Valg {k}"):
    choices = tuple(Choice(f"v{k}", t(label.format(k=k))) for k in range(count))
    item = Item("huge", ItemType.SINGLE_CHOICE, t("Velg én"), choices=choices)
    return replace(make_questionnaire(), sections=(Section("s", None, (item,)),))


def _choice_boxes(layout):
    return [[f for f in p.fields if f.item == "huge"] for p in layout.pages]


def test_a_list_too_tall_for_one_column_goes_into_columns_on_one_page():
    layout = layout_form(_choices_form(30), "nb")
    (boxes,) = _choice_boxes(layout)
    assert [f.value for f in boxes] == [f"v{k}" for k in range(30)]
    columns = sorted({f.box[0] for f in boxes})
    assert len(columns) == 2  # the fewest columns that bring it onto the page
    # Read down the first column, then the next.
    assert [f.box[0] for f in boxes[:15]] == [columns[0]] * 15
    # 45 need three columns.
    assert len({f.box[0] for f in _choice_boxes(layout_form(_choices_form(45), "nb"))[0]}) == 3
    _no_overlaps(boxes)


def test_a_178_choice_list_flows_over_pages_with_the_question_continued():
    layout = layout_form(_choices_form(178), "nb")
    pages = [boxes for boxes in _choice_boxes(layout) if boxes]
    assert len(pages) >= 2
    assert [f.value for boxes in pages for f in boxes] == [f"v{k}" for k in range(178)]
    for n, page in enumerate(layout.pages[1:], start=2):
        texts = [line.text for line in page.lines]
        assert "Velg én (fortsetter)" in texts, n
    room = layout.pages[0].footer[1]
    for boxes in pages:
        _no_overlaps(boxes)
        assert all(f.box[1] + f.box[3] < room for f in boxes)


def test_long_labels_keep_one_column_and_flow_over_pages():
    label = "Et langt svaralternativ nummer {k} som går over mer enn to linjer i en smal spalte"
    layout = layout_form(_choices_form(30, label), "nb")
    pages = [boxes for boxes in _choice_boxes(layout) if boxes]
    assert len(pages) >= 2
    assert {f.box[0] for boxes in pages for f in boxes} == {round(g.MARGIN_LEFT_PT, 2)}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_continued_is_said_in_the_form_language(language):
    form = _choices_form(178)
    words = {"nb": "(fortsetter)", "nn": "(held fram)", "en": "(continued)"}
    layout = layout_form(replace(form, languages=(language,)), language)
    assert any(line.text.endswith(words[language]) for line in layout.pages[1].lines)


def test_a_long_information_text_breaks_between_paragraphs():
    paragraph = "Dette er et avsnitt om hva studien handler om. " * 10
    text = "\n\n".join(f"{k}. {paragraph}" for k in range(12))
    item = Item("info", ItemType.INFO, t(text))
    form = replace(make_questionnaire(), sections=(Section("s", None, (item,)),))
    layout = layout_form(form, "nb")
    assert len(layout.pages) >= 2
    # Every page after the first starts with a paragraph's first line.
    header = len(layout_form(replace(form, sections=()), "nb").pages[0].lines)
    for page in layout.pages[1:]:
        first = min(page.lines[header:], key=lambda line: line.y)
        assert first.text[0].isdigit(), first
    words = " ".join(line.text for p in layout.pages for line in p.lines[header:])
    assert words.count("avsnitt") == 120


def test_one_paragraph_taller_than_a_page_breaks_between_lines():
    text = " ".join(f"Ord{k}" for k in range(2500))
    item = Item("info", ItemType.INFO, t(text))
    form = replace(make_questionnaire(), sections=(Section("s", None, (item,)),))
    layout = layout_form(form, "nb")
    assert len(layout.pages) >= 3
    printed = " ".join(line.text for p in layout.pages for line in p.lines).split()
    assert [w for w in printed if w.startswith("Ord")] == [f"Ord{k}" for k in range(2500)]
    # Nothing runs into the footer band (the second code's top).
    assert all(line.y < p.qr2[1] for p in layout.pages for line in p.lines)


def _no_overlaps(fields):
    """Boxes (and their labels) never touch: a scanner must tell every one apart."""
    boxes = [f.box for f in fields] + [f.label for f in fields if f.label]
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            apart = (
                a[0] + a[2] <= b[0]
                or b[0] + b[2] <= a[0]
                or a[1] + a[3] <= b[1]
                or b[1] + b[3] <= a[1]
            )
            if not apart:
                # A box and its own label sit side by side, never on each other.
                raise AssertionError(f"{a} overlaps {b}")


@pytest.mark.parametrize("bad", ["huge", "", "LARGE"])
def test_unknown_profile(bad):
    with pytest.raises(LayoutError, match="profile"):
        layout_form(make_questionnaire(), "nb", bad)


def test_scale_too_wide_is_a_clear_error():
    item = Item("wide", ItemType.SCALE, t("Hvor enig?"), scale_min=0, scale_max=40)
    form = replace(make_questionnaire(), sections=(Section("s", None, (item,)),))
    with pytest.raises(LayoutError, match="'wide'.*does not fit"):
        layout_form(form, "nb")


@pytest.mark.parametrize("language,text", [("pl", POLISH), ("se", SAMI)])
@pytest.mark.parametrize("profile", ["standard", "large"])
def test_long_polish_and_sami_text_wraps_within_the_column(language, text, profile):
    label = Text({language: text})
    items = (
        Item("info", ItemType.INFO, label),
        Item(
            "q",
            ItemType.MULTIPLE_CHOICE,
            label,
            choices=(Choice("a", label), Choice("b", Text({language: "Żółć"}))),
        ),
        Item("story", ItemType.LONG_TEXT, label),
    )
    form = replace(
        make_questionnaire(),
        title=Text({language: text[:40]}),
        languages=(language,),
        sections=(Section("s", label, items),),
    )
    layout = layout_form(form, language, profile)
    right = 595.28 - g.MARGIN_RIGHT_PT
    body = g.PROFILES[profile].body_pt
    words = set(text.split())
    printed = []
    for p in layout.pages:
        for line in p.lines:
            width = text_width(line.text, line.size, bold=line.bold)
            assert line.x + width <= right + 0.01, line.text
            if line.size == body:
                assert len(line.text) <= 66, line.text
            printed.extend(line.text.split())
    assert words <= set(printed), "no word lost or cut"


def test_wrap_cuts_a_word_longer_than_the_line():
    word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 2
    lines = wrap(f"kort {word} slutt", 200, 14)
    assert "".join(lines[1:-1]) + lines[-1].split()[0] == word
    assert all(text_width(line, 14) <= 200 for line in lines)


from hypothesis import given, settings  # noqa: E402 - property tests below the examples
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøåčđŋšŧžłąęėğşı", min_size=1, max_size=30),
        min_size=1,
        max_size=40,
    ),
    width=st.floats(40, 480),
)
def test_wrap_never_overflows_and_keeps_every_character(words, width):
    text = " ".join(words)
    lines = wrap(text, width, 14)
    assert all(text_width(line, 14) <= width + 1e-6 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_signature_and_date_share_a_row():
    layout = layout_form(make_consent_form(), "nb")
    fields = {f.item: f for p in layout.pages for f in p.fields}
    sign, date = fields["signature"], fields["signed_on"]
    assert [p.page for p in layout.pages if sign in p.fields] == [
        p.page for p in layout.pages if date in p.fields
    ]
    assert date.box[0] >= sign.box[0] + sign.box[2] + 5 * g.MM, "beside, not below"
    assert abs(date.box[1] - sign.box[1]) < 25, "on the same row"
    assert date.box[0] + date.box[2] <= 595.28 - g.MARGIN_RIGHT_PT + 0.01


# --- option-text (label) boxes: where the scanner looks for ink on the text ----------------


def _label_form():
    """Option texts that test a tight box: an accented capital, a "J" reaching left of
    its pen position, descenders, a label that wraps, a scale up to 10 and a consent."""
    long_label = (
        "Jeg leier av kommunen eller av et boligselskap, og jeg har bodd der i mange år "
        "sammen med familien min"
    )
    items = (
        Item(
            "often",
            ItemType.SINGLE_CHOICE,
            t("Hvor ofte?"),
            choices=(
                Choice("once", t("Én gang i uken")),
                Choice("rent", t("Jeg leier av kommunen")),
                Choice("deep", t("gjøpy Å")),
                Choice("long", t(long_label)),
            ),
        ),
        Item("score", ItemType.SCALE, t("Hvor enig?"), scale_min=0, scale_max=10),
        Item("ok", ItemType.CONSENT, t("Jeg sier ja til intervju"), consent_item="interview"),
    )
    return replace(make_questionnaire(), sections=(Section("s", None, items),))


@pytest.mark.parametrize("profile", ["standard", "large"])
def test_choice_fields_carry_their_option_text_box(profile):
    layout = layout_form(_label_form(), "nb", profile)
    m = layout.to_map("u-sving")
    body = g.PROFILES[profile].body_pt
    fields = [f for p in m["pages"] for f in p["fields"] if f["kind"] == "choice"]
    assert len(fields) == 4 + 11 + 1
    for f in fields:
        x, y, w, h = f["label"]
        bx, by, bw, bh = f["box"]
        assert all(v == round(v, 2) for v in f["label"])
        if f["item"] == "score":
            # The number above its box, centred on it, the box just below.
            assert abs((x + w / 2) - (bx + bw / 2)) < 0.6
            assert 1.0 < by - (y + h) < 3.0
            assert h == pytest.approx(body, abs=0.05)
        else:
            # Beside the box, starting where the text starts (3 mm right of the box).
            assert bx + bw + 2 * g.MM < x <= bx + bw + 3 * g.MM + 0.01
            assert y <= by + 0.5 * bh < y + h
            assert x + w <= 595.28 - g.MARGIN_RIGHT_PT + 0.01
    by_value = {f["value"]: f for f in fields if f["item"] == "often"}
    # An accented capital reaches above the font's ascent: the box grows to hold it.
    assert by_value["once"]["label"][3] > by_value["rent"]["label"][3] + 0.1 * body
    # "J" reaches left of the pen position: the box starts left of the other labels.
    assert by_value["rent"]["label"][0] < by_value["once"]["label"][0]
    # A label that wraps spans its lines.
    assert by_value["long"]["label"][3] >= body * g.LINE_SPACING + 0.95 * body
    # The labels of one question never overlap.
    boxes = sorted(f["label"] for f in by_value.values())
    for a in boxes:
        for b in boxes:
            if a is not b:
                assert a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]


def test_option_text_boxes_move_with_their_block():
    layout = layout_form(_label_form(), "nb")
    for p in layout.pages:
        for f in p.fields:
            assert (f.label is not None) == (f.kind == "choice")
    # Another section head above the item shifts the fields; labels keep their offset.
    form = _label_form()
    shifted_form = replace(
        form, sections=(replace(form.sections[0], title=t("En overskrift som tar plass")),)
    )
    a = [f for p in layout.pages for f in p.fields if f.label]
    b = [f for p in layout_form(shifted_form, "nb").pages for f in p.fields if f.label]
    dy = b[0].box[1] - a[0].box[1]
    assert dy > 10
    for fa, fb in zip(a, b, strict=True):
        assert fb.label[1] - fa.label[1] == pytest.approx(dy, abs=0.02)
        assert fb.label[0] == fa.label[0] and fb.label[2:] == fa.label[2:]


@pytest.mark.parametrize("profile", ["standard", "large"])
def test_each_option_text_box_holds_its_printed_text(profile):
    """Render, rasterise, and check the text's ink is inside its box and a ring round it is
    white paper (the scanner reads ink in that ring as someone's pen)."""
    import io

    import numpy as np

    from printing.render import FormPrinter, Stamp, new_canvas
    from tests.printing.rasters import pdfium_pages

    dpi = 300
    layout = layout_form(_label_form(), "nb", profile)
    out = io.BytesIO()
    canvas = new_canvas(out)
    printer = FormPrinter(layout)
    for page in layout.pages:
        printer.draw_page(canvas, page.page, Stamp("https://x.example/a/b/c/1?p=1", "", "", ""))
        canvas.showPage()
    canvas.save()
    images = pdfium_pages(out.getvalue(), dpi)
    s = dpi / 72
    checked = 0
    for page, image in zip(layout.pages, images, strict=True):
        dark = image < 160
        for f in page.fields:
            if f.label is None:
                continue
            x, y, w, h = f.label
            # Inside (half a pixel of anti-aliasing allowed): the text's ink is there...
            inside = dark[int(y * s) : int(np.ceil((y + h) * s)), int(x * s) : int((x + w) * s)]
            assert inside.mean() > 0.05, (f.item, f.value)
            # ...and a ring from 0.4 to 1.2 pt outside the box holds no ink at all.
            r0, r1 = 0.4, 1.2
            outer = dark[
                int((y - r1) * s) : int(np.ceil((y + h + r1) * s)),
                int((x - r1) * s) : int(np.ceil((x + w + r1) * s)),
            ].copy()
            a = round((r1 - r0) * s)
            outer[a : outer.shape[0] - a, a : outer.shape[1] - a] = False  # the box + 0.4 pt
            assert not outer.any(), (f.item, f.value, np.argwhere(outer)[:5])
            checked += 1
    assert checked == 16
    # The check can fail: a box 2 pt too narrow (more than the right bearing of "n")
    # leaves the end of the text in the ring.
    f = next(f for f in layout.pages[0].fields if f.value == "rent")
    x, y, w, h = f.label
    ring = images[0][int(y * s) : int((y + h) * s), int((x + w - 2.0) * s) : int((x + w) * s)]
    assert (ring < 160).any()

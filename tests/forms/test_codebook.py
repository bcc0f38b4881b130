"""The codebook: (headers, rows) per form, the column naming intake shares, the xlsx writer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from forms.codebook import (
    CODING,
    CodebookError,
    codebook,
    codebook_headers,
    columns,
    write_codebook_xlsx,
)
from forms.errors import UserError
from forms.model import Choice, Form, FormKind, Item, ItemType, Section, Text
from tests.factories import make_consent_form, make_questionnaire, t

LANGS = ("nb", "nn", "en")


def test_every_item_type_has_a_coding():
    assert set(CODING) == set(ItemType)


def test_column_names():
    names = [c.name for c in columns(make_questionnaire())]
    assert names == [
        "housing",
        "help__nav",
        "help__kommune",
        "help__family",
        "children",
        "satisfied",
        "rooms",
        "moved",
        "name",
        "story",
    ]
    help_columns = [c for c in columns(make_questionnaire()) if c.item.id == "help"]
    assert [c.value for c in help_columns] == ["nav", "kommune", "family"]
    assert all(c.value is None for c in columns(make_questionnaire()) if c.item.id != "help")


def test_columns_agree_with_the_results_export():
    spreadsheet = pytest.importorskip("intake.spreadsheet")
    for form in (make_questionnaire(), make_consent_form()):
        assert [c.name for c in columns(form)] == [c.name for c in spreadsheet.item_columns(form)]


def test_headers_per_language():
    assert codebook_headers(("nb", "en")) == [
        "form",
        "section",
        "item",
        "column",
        "type",
        "required",
        "question (nb)",
        "question (en)",
        "value",
        "value label (nb)",
        "value label (en)",
        "coding",
        "source name",
    ]


def test_questionnaire_rows():
    headers, rows = codebook(make_questionnaire(), LANGS)
    assert headers == codebook_headers(LANGS)
    table = [dict(zip(headers, r, strict=True)) for r in rows]
    by_column = {}
    for r in table:
        by_column.setdefault(r["column"], []).append(r)
    # information text: listed, no column
    (intro,) = by_column[None]
    assert (intro["item"], intro["type"], intro["question (en)"]) == (
        "intro",
        "info",
        "Answer what you like.",
    )
    # single choice: one row per option, same column
    housing = by_column["housing"]
    assert [
        (r["value"], r["value label (nb)"], r["value label (nn)"], r["value label (en)"])
        for r in housing
    ] == [
        ("rent", "Jeg leier", "Eg leiger", "I rent"),
        ("own", "Jeg eier", "Eg eig", "I own"),
        ("other", "Annet", "Anna", "Other"),
    ]
    assert {r["required"] for r in housing} == {"yes"}
    assert housing[0]["question (nn)"] == "Kvar bur du?"
    # multiple choice: one column per option
    assert [(r["column"], r["value"]) for r in table if r["item"] == "help"] == [
        ("help__nav", "nav"),
        ("help__kommune", "kommune"),
        ("help__family", "family"),
    ]
    assert by_column["help__nav"][0]["coding"].startswith("1 = marked")
    # yes/no from the type
    assert [r["value"] for r in by_column["children"]] == ["yes", "no"]
    assert [r["value label (nb)"] for r in by_column["children"]] == ["Ja", "Nei"]
    # scale: every step, ends labelled
    assert [(r["value"], r["value label (en)"]) for r in by_column["satisfied"]] == [
        ("1", "1 (Not at all)"),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", "5 (Very)"),
    ]
    # written items: one row, no value
    for column in ("rooms", "moved", "name", "story"):
        (row,) = by_column[column]
        assert row["value"] is None and row["section"] == "s1" and row["form"] == "families"
    assert by_column["moved"][0]["type"] == "date"
    assert len(rows) == 1 + 3 + 3 + 2 + 5 + 4


def test_consent_form_rows():
    headers, rows = codebook(make_consent_form(), ("en",))
    got = [(r[2], r[3], r[4], r[5], r[7]) for r in rows]
    assert got == [
        ("understood", None, "info", "no", None),
        ("c_interview", "c_interview", "consent", "no", "yes"),
        ("c_audio", "c_audio", "consent", "no", "yes"),
        ("signature", "signature", "signature", "yes", None),
        ("signed_on", "signed_on", "date", "yes", None),
    ]


def test_missing_translation_shows_as_a_gap():
    form = make_questionnaire()
    item = replace(form.item("housing"), label=Text({"nb": "Hvor bor du?"}))
    form = replace(form, sections=(Section("s", None, (item,)),))
    headers, rows = codebook(form, ("nb", "en"))
    assert rows[0][headers.index("question (nb)")] == "Hvor bor du?"
    assert rows[0][headers.index("question (en)")] == ""


def test_no_languages_is_a_clear_error():
    with pytest.raises(CodebookError, match="at least one language") as info:
        codebook(make_questionnaire(), ())
    assert isinstance(info.value, UserError)


def test_write_and_read_back(tmp_path):
    form = make_questionnaire()
    path = write_codebook_xlsx(tmp_path / "codebook.xlsx", form, LANGS)
    headers, rows = codebook(form, LANGS)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["codebook"]
    sheet = workbook["codebook"]
    read = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert read[0] == headers
    assert read[1:] == [[None if v == "" else v for v in r] for r in rows]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_formula_like_labels_stay_text(tmp_path):
    form = Form(
        "f",
        FormKind.QUESTIONNAIRE,
        t("F"),
        (
            Section(
                "s",
                None,
                (
                    Item(
                        "q",
                        ItemType.SINGLE_CHOICE,
                        t("=SUM(A1:A9)"),
                        choices=(Choice("a", t("=1+1")), Choice("b", t("-2"))),
                    ),
                ),
            ),
        ),
    )
    path = write_codebook_xlsx(tmp_path / "c.xlsx", form, ("en",))
    sheet = openpyxl.load_workbook(path)["codebook"]
    values = [r for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[0][6] == "=SUM(A1:A9)" and values[0][8] == "=1+1"
    assert sheet["G2"].data_type == "s" and sheet["I2"].data_type == "s"


def test_unwritable_path(tmp_path):
    with pytest.raises(CodebookError, match="cannot write"):
        write_codebook_xlsx(tmp_path / "missing" / "c.xlsx", make_questionnaire(), LANGS)


def test_codebook_of_an_imported_xlsform(tmp_path):
    from forms.xlsform import import_xlsform

    wb = openpyxl.Workbook()
    wb.active.title = "survey"
    for row in (
        ["type", "name", "label::English", "label::Norsk"],
        ["select_multiple c", "colours", "Colours?", "Farger?"],
        ["integer", "age", "Age?", "Alder?"],
    ):
        wb["survey"].append(row)
    choices = wb.create_sheet("choices")
    for row in (
        ["list_name", "name", "label::English", "label::Norsk"],
        ["c", "red", "Red", "Rød"],
        ["c", "blue", "Blue", "Blå"],
    ):
        choices.append(row)
    wb.save(tmp_path / "x.xlsx")
    form = import_xlsform(tmp_path / "x.xlsx").form
    headers, rows = codebook(form, form.languages)
    assert form.languages == ("en", "nb")
    assert [(r[3], r[7], r[8], r[9], r[10]) for r in rows] == [
        ("colours__red", "Farger?", "red", "Red", "Rød"),
        ("colours__blue", "Farger?", "blue", "Blue", "Blå"),
        ("age", "Alder?", None, "", ""),
    ]
    path = write_codebook_xlsx(Path(tmp_path) / "cb.xlsx", form, form.languages)
    assert openpyxl.load_workbook(path)["codebook"].max_row == 4


def test_several_forms_a_sheet_each(tmp_path):
    from forms.codebook import write_codebooks_xlsx

    long_id = "a-form-with-a-very-long-id-indeed-yes"
    forms = [make_consent_form(), make_questionnaire(id=long_id)]
    path = write_codebooks_xlsx(tmp_path / "all.xlsx", forms)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["consent", long_id[:31]]
    for form, name in zip(forms, workbook.sheetnames, strict=True):
        headers, rows = codebook(form, form.languages)
        read = list(workbook[name].iter_rows(values_only=True))
        assert list(read[0]) == headers and len(read) == 1 + len(rows)
    only_en = write_codebooks_xlsx(tmp_path / "en.xlsx", forms, ["en"])
    header = next(openpyxl.load_workbook(only_en)["consent"].iter_rows(values_only=True))
    assert [h for h in header if h.startswith("question")] == ["question (en)"]
    with pytest.raises(CodebookError, match="no forms"):
        write_codebooks_xlsx(tmp_path / "none.xlsx", [])

"""The streaming xlsx writer, read back with openpyxl (the reference reader)."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from intake.xlsx_stream import column_letter, sheet_titles, write_workbook


def test_values_of_every_kind_read_back(tmp_path):
    out = tmp_path / "t.xlsx"
    when = dt.datetime(2026, 11, 22, 13, 45, tzinfo=dt.UTC)
    rows = [
        ["text", 3, 2.5, True, when, dt.date(2024, 5, 1), None, "=1+1"],
        ['æøå <&> "q"', -7, float("nan"), False, None, None, "\tx", "a\x00b\x1fc"],
        ["line\r\nbreak", 10**15, 0.1, None, None, None, "+47", "@x"],
    ]
    counts = write_workbook(out, [("data", ["a", "b", "c", "d", "e", "f", "g", "h"], rows)])
    assert counts == {"data": 3}
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["data"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b is True
    got = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert got[0][:6] == [
        "text",
        3,
        2.5,
        True,
        dt.datetime(2026, 11, 22, 13, 45),
        dt.datetime(2024, 5, 1),
    ]
    assert got[0][6] is None and got[0][7] == "=1+1"
    assert sheet["H2"].data_type == "s"  # text, never a formula
    assert got[1][0] == 'æøå <&> "q"' and got[1][2] == "nan" and got[1][3] is False
    assert got[1][6] == "\tx" and got[1][7] == "a\ufffdb\ufffdc"
    assert got[2][0] == "line\nbreak" and got[2][1] == 10**15
    assert sheet["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width >= 6


def test_no_formula_element_is_ever_written(tmp_path):
    out = tmp_path / "t.xlsx"
    write_workbook(out, [("s", ["=h"], [["=cmd|' /C calc'!A0"], ["-2+3"]])])
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_sheet_titles_are_excel_safe_and_unique():
    titles = sheet_titles(["a/b", "A/B", "x" * 40, "x" * 40, "", "[c]"])
    assert titles[0] == "a_b" and titles[1] == "A_B (2)"
    assert all(len(t) <= 31 for t in titles)
    assert len({t.casefold() for t in titles}) == len(titles)


@pytest.mark.parametrize(
    ("n", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA")]
)
def test_column_letters(n, letters):
    assert column_letter(n) == letters


def test_many_sheets_and_empty_sheet(tmp_path):
    out = tmp_path / "t.xlsx"
    write_workbook(out, [("one", ["h"], []), ("two", ["h", "i"], [[1, 2]] * 300)])
    workbook = openpyxl.load_workbook(out, read_only=True)
    assert workbook.sheetnames == ["one", "two"]
    assert len(list(workbook["two"].iter_rows(values_only=True))) == 301
    workbook.close()


def test_any_text_reads_back_as_the_same_text(tmp_path_factory):
    """Property: every string comes back unchanged (but for XML-forbidden characters and CR)."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    forbidden = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    texts = st.lists(st.text(max_size=40), min_size=1, max_size=8)

    @settings(max_examples=40, deadline=None)
    @given(texts)
    def check(values):
        out = tmp_path_factory.mktemp("prop") / "p.xlsx"
        write_workbook(out, [("s", ["h"], [[v] for v in values])])
        workbook = openpyxl.load_workbook(out, read_only=True)
        got = [r[0] for r in workbook["s"].iter_rows(min_row=2, values_only=True)]
        workbook.close()
        # An empty string is written as an empty text cell; openpyxl reads it as None or "".
        assert [g or "" for g in got] == [
            forbidden.sub("\ufffd", v.replace("\r\n", "\n").replace("\r", "\n")) for v in values
        ]

    check()

"""Streaming .xlsx writing with XlsxWriter: rows go to disk as they come, memory stays flat.

Why XlsxWriter and not openpyxl's write-only mode: measured in bench/export.py
on 100,000 responses x 40 items, openpyxl spends about 8 µs of CPU per cell
building a Cell object, which put the export near a minute of CPU. XlsxWriter's
``constant_memory`` mode writes each row straight to a temporary file. Every
test reads the output back with openpyxl, the reference reader.

What it writes, and why it is safe:

- Text is always written with ``write_string`` (and the workbook is opened with
  ``strings_to_formulas`` off), so text such as ``=HYPERLINK(...)`` is a text
  cell and can never run.
- Characters XML 1.0 forbids (most control characters) are replaced by U+FFFD;
  a carriage return becomes a line feed, Excel's line break in a cell.
- Dates and times are real Excel dates with a date format; times with a zone
  are shown in UTC, as stored (Excel has no time zones).
- Each sheet has a bold, frozen header row and column widths from the first rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

#: Column width bounds in characters (Excel's unit).
MIN_COLUMN_WIDTH = 6
MAX_COLUMN_WIDTH = 60
#: Rows looked at to size the columns.
WIDTH_SAMPLE_ROWS = 200
#: Excel's limits.
MAX_SHEET_TITLE = 31
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class SheetTooBig(ValueError):
    """More rows than a spreadsheet can hold."""


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    return xl_col_to_name(index - 1)


def sheet_titles(titles: Sequence[str]) -> list[str]:
    """Excel-safe, unique sheet titles (at most 31 characters, none of []:*?/\\)."""
    out: list[str] = []
    for title in titles:
        cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:MAX_SHEET_TITLE]
        cleaned = cleaned.strip("'") or "Sheet"
        candidate, n = cleaned, 2
        while candidate.casefold() in (t.casefold() for t in out):
            suffix = f" ({n})"
            candidate = cleaned[: MAX_SHEET_TITLE - len(suffix)] + suffix
            n += 1
        out.append(candidate)
    return out


def _text(value: str) -> str:
    if len(value) > MAX_CELL_CHARS:
        value = value[: MAX_CELL_CHARS - 1] + "…"
    # Excel's line break inside a cell is a line feed; XlsxWriter would escape a
    # carriage return as _x000D_, which other readers show literally.
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_XML.sub("\ufffd", value)


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return len(str(value))


class _Writer:
    """Writes one value per cell by its type; text never becomes a formula."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.header = workbook.add_format({"bold": True})

    def cell(self, sheet: Any, row: int, col: int, value: Any) -> None:
        kind = type(value)
        if kind is str:
            sheet.write_string(row, col, _text(value))
        elif kind is bool:
            sheet.write_boolean(row, col, value)
        elif kind is int or (kind is float and math.isfinite(value)):
            sheet.write_number(row, col, value)
        elif isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            sheet.write_datetime(row, col, value, self.datetime)
        elif isinstance(value, dt.date):
            sheet.write_datetime(
                row, col, dt.datetime(value.year, value.month, value.day), self.date
            )
        elif isinstance(value, int | float) and math.isfinite(value):  # numpy and other numbers
            sheet.write_number(row, col, float(value))
        else:
            sheet.write_string(row, col, _text(str(value)))


def _write_sheet(
    writer: _Writer, sheet: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    iterator = iter(rows)
    sample: list[Sequence[Any]] = []
    for row in iterator:
        sample.append(row)
        if len(sample) >= WIDTH_SAMPLE_ROWS:
            break
    for index, header in enumerate(headers):
        longest = max(
            [len(str(header))] + [_shown_length(r[index]) for r in sample if index < len(r)]
        )
        sheet.set_column(index, index, min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, longest + 2)))
    sheet.freeze_panes(1, 0)
    for col, header in enumerate(headers):
        sheet.write_string(0, col, _text(str(header)), writer.header)
    count = 0
    for row in chain(sample, iterator):
        count += 1
        if count >= MAX_ROWS:
            raise SheetTooBig(f"more than {MAX_ROWS - 1:,} rows do not fit in one sheet")
        for col, value in enumerate(row):
            if value is not None:
                writer.cell(sheet, count, col, value)
    return count


def write_workbook(
    path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> dict[str, int]:
    """Write ``sheets`` (title, headers, rows) to ``path``; returns rows per given title."""
    titles = sheet_titles([title for title, _, _ in sheets])
    counts: dict[str, int] = {}
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        writer = _Writer(workbook)
        for safe_title, (title, headers, rows) in zip(titles, sheets, strict=True):
            counts[title] = _write_sheet(writer, workbook.add_worksheet(safe_title), headers, rows)
    finally:
        workbook.close()
    return counts

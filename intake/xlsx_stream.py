# ruff: noqa: E501 - the XML templates below read best unbroken
"""A streaming .xlsx writer: rows go straight into the zip, nothing is held in memory.

Why not openpyxl's write-only mode: measured in bench/export.py on 100,000
responses x 40 items, openpyxl spends about 8 µs of CPU per cell building a
Cell object and serialising it, which put the export near a minute of CPU.
This writer emits the few SpreadsheetML elements the results need as text and
is several times faster; every test reads its output back with openpyxl.

What it writes, and why it is safe:

- Text is always an inline string cell (``t="inlineStr"``) and there is no
  formula element at all, so text such as ``=HYPERLINK(...)`` can never run.
- Characters XML 1.0 forbids (most control characters) are replaced by
  U+FFFD; a carriage return is kept as ``&#13;``.
- Dates and times are real Excel dates (serial numbers with a date style).
- Each sheet has a bold, frozen header row and column widths from the first
  rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

#: Excel's day zero for the 1900 date system (with its 1900 leap-year quirk built in).
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
SECONDS_PER_DAY = 86_400
#: Column width bounds in characters (Excel's unit).
MIN_COLUMN_WIDTH = 6
MAX_COLUMN_WIDTH = 60
#: Rows looked at to size the columns.
WIDTH_SAMPLE_ROWS = 200
#: Excel's limits.
MAX_SHEET_TITLE = 31
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576

# Style indexes in STYLES below.
STYLE_DATETIME = 1
STYLE_DATE = 2
STYLE_HEADER = 3

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ENTITIES = {"\r": "&#13;", '"': "&quot;"}

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
{sheets}</Types>"""
SHEET_CONTENT_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\n')
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<bookViews><workbookView/></bookViews>
<sheets>
{sheets}</sheets>
</workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
{sheets}<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
SHEET_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>
<sheetFormatPr defaultRowHeight="15"/>
"""


class SheetTooBig(ValueError):
    """More rows than a spreadsheet can hold."""


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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


_NEEDS_WORK = re.compile('[&<>"\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _text(value: str) -> str:
    if len(value) > MAX_CELL_CHARS:
        value = value[: MAX_CELL_CHARS - 1] + "…"
    if _NEEDS_WORK.search(value) is None:  # most answers: nothing to escape
        return value
    return escape(_ILLEGAL_XML.sub("\ufffd", value), _ENTITIES)


def _cell(ref: str, value: Any, style: int = 0) -> str:
    kind = type(value)
    s = f' s="{style}"' if style else ""
    if kind is str:
        return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if kind is int or (kind is float and math.isfinite(value)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if kind is bool:
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            # Excel has no time zones: the time is shown in UTC, as stored.
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        serial = (value - EXCEL_EPOCH).total_seconds() / SECONDS_PER_DAY
        return f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        serial = (value - EXCEL_EPOCH.date()).days
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{serial}</v></c>'
    if isinstance(value, int | float) and math.isfinite(value):  # numpy and other numbers
        return f'<c r="{ref}"{s}><v>{float(value)!r}</v></c>'
    return _cell(ref, str(value), style)


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return len(str(value))


def _write_sheet(handle: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    iterator = iter(rows)
    sample: list[Sequence[Any]] = []
    for row in iterator:
        sample.append(row)
        if len(sample) >= WIDTH_SAMPLE_ROWS:
            break
    letters = [column_letter(i + 1) for i in range(max([len(headers)] + [len(r) for r in sample]))]
    handle.write(SHEET_HEAD.encode())
    if headers:
        cols = []
        for index, header in enumerate(headers):
            longest = max([len(str(header))] + [_shown_length(r[index]) for r in sample
                                                if index < len(r)])
            width = min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, longest + 2))
            cols.append(f'<col min="{index + 1}" max="{index + 1}" width="{width}" '
                        'customWidth="1"/>')
        handle.write(("<cols>" + "".join(cols) + "</cols>\n").encode())
    handle.write(b"<sheetData>\n")
    header_cells = "".join(_cell(f"{letters[i]}1", str(h), STYLE_HEADER)
                           for i, h in enumerate(headers))
    handle.write(f'<row r="1">{header_cells}</row>\n'.encode())
    count = 0
    buffer: list[str] = []
    for row in _chain(sample, iterator):
        count += 1
        number = count + 1
        if number > MAX_ROWS:
            raise SheetTooBig(f"more than {MAX_ROWS - 1:,} rows do not fit in one sheet")
        if len(row) > len(letters):
            letters += [column_letter(i + 1) for i in range(len(letters), len(row))]
        cells = "".join(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(row)
                        if v is not None)
        buffer.append(f'<row r="{number}">{cells}</row>\n')
        if len(buffer) >= 500:
            handle.write("".join(buffer).encode())
            buffer.clear()
    if buffer:
        handle.write("".join(buffer).encode())
    handle.write(b"</sheetData>\n</worksheet>")
    return count


def _chain(first: list, rest: Iterable) -> Iterable:
    yield from first
    yield from rest


def write_workbook(path: Path,
                   sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
                   ) -> dict[str, int]:
    """Write ``sheets`` (title, headers, rows) to ``path``; returns rows per given title."""
    titles = sheet_titles([title for title, _, _ in sheets])
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            sheets="".join(SHEET_CONTENT_TYPE.format(n=n) for n in range(1, len(titles) + 1))))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(sheets="".join(
            f'<sheet name="{escape(t, _ENTITIES)}" sheetId="{n}" r:id="rId{n}"/>\n'
            for n, t in enumerate(titles, start=1))))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(sheets="".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>\n'
            for n in range(1, len(titles) + 1))))
        archive.writestr("xl/styles.xml", STYLES)
        for n, (title, headers, rows) in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as handle:
                counts[title] = _write_sheet(handle, headers, rows)
    return counts

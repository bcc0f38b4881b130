"""Thin writers for (headers, rows) tables: xlsx and CSV, atomic, formula-safe.

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return could
be run as a formula by a spreadsheet program (CSV injection). In xlsx such a
cell is written as a text cell, never a formula; in CSV it gets a leading ``'``.
Files are written to a temporary name in the same folder and renamed, so a
crash never leaves a half-written file under the real name.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from forms.errors import UserError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Column width bounds in characters (Excel's unit).
MIN_COLUMN_WIDTH = 6
MAX_COLUMN_WIDTH = 60
#: How many rows are looked at to size a column (write-only sheets stream the rest).
WIDTH_SAMPLE_ROWS = 200


class OutputExists(UserError):
    """The output file exists and --force was not given."""


class OutputError(UserError):
    """The output cannot be written."""


Table = tuple[Sequence[str], Iterable[Sequence[Any]]]


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_csv(value: Any) -> Any:
    if is_formula_like(value):
        return "'" + value
    return value


def check_output(path: Path, *, force: bool) -> None:
    if path.exists() and not force:
        raise OutputExists(f"{path} exists; use --force to overwrite it")
    if path.exists() and path.is_dir():
        raise OutputError(f"{path} is a folder")
    if not path.parent.exists():
        raise OutputError(f"the folder {path.parent} does not exist")


@contextmanager
def atomic_path(path: Path, *, force: bool = False):
    """A temporary path beside ``path``; renamed onto it only when the block succeeds."""
    path = Path(path)
    check_output(path, force=force)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
              sep: str = ",", force: bool = False) -> int:
    """UTF-8 with BOM (so Excel reads æøå), formula-safe; returns the number of rows."""
    if len(sep) != 1:
        raise OutputError(f"the separator must be one character, not {sep!r}")
    count = 0
    with atomic_path(path, force=force) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=sep)
            writer.writerow([neutralise_csv(h) for h in headers])
            for row in rows:
                writer.writerow([_csv_value(v) for v in row])
                count += 1
    return count


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return neutralise_csv(value)


#: Values openpyxl writes as they are (no wrapping needed): the fast path per cell.
_PLAIN_TYPES = frozenset({int, float, type(None), bool})


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A value for a write-only sheet: formula-like text as a text cell, dates as dates."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is str:
        if not value.startswith(FORMULA_PREFIXES):
            return value
        cell = _write_only_cell()(sheet, value=value)
        cell.data_type = "s"  # a string cell, never a formula
        return cell
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            # Excel has no time zones; show the time in UTC, as stored.
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        cell = _write_only_cell()(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, dt.date):
        cell = _write_only_cell()(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if is_formula_like(value):  # str subclasses
        cell = _write_only_cell()(sheet, value=str(value))
        cell.data_type = "s"
        return cell
    return value


_WRITE_ONLY_CELL: Any = None


def _write_only_cell() -> Any:
    # Imported once, lazily: openpyxl is only needed when a workbook is written.
    global _WRITE_ONLY_CELL
    if _WRITE_ONLY_CELL is None:
        from openpyxl.cell import WriteOnlyCell

        _WRITE_ONLY_CELL = WriteOnlyCell
    return _WRITE_ONLY_CELL


def add_sheet(workbook: Any, title: str, headers: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> int:
    """A write-only sheet with a frozen, bold header row and sized columns."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    iterator = iter(rows)
    sample: list[Sequence[Any]] = []
    for row in iterator:
        sample.append(row)
        if len(sample) >= WIDTH_SAMPLE_ROWS:
            break
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(_shown(r[index - 1])) for r in sample
                                            if index - 1 < len(r)])
        width = min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, longest + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        if is_formula_like(header):
            cell.data_type = "s"
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in _chain(sample, iterator):
        sheet.append([xlsx_cell(sheet, v) for v in row])
        count += 1
    return count


def _chain(first: list, rest: Iterable) -> Iterable:
    yield from first
    yield from rest


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return "2026-01-01 00:00"
    return str(value)


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    return cleaned[:31] or "Sheet"


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
               *, force: bool = False) -> dict[str, int]:
    """A workbook with one sheet per (title, headers, rows); returns rows per sheet."""
    from openpyxl import Workbook

    counts: dict[str, int] = {}
    with atomic_path(path, force=force) as tmp:
        workbook = Workbook(write_only=True)
        for title, headers, rows in sheets:
            counts[title] = add_sheet(workbook, title, headers, rows)
        workbook.save(tmp)
    return counts


"""Thin writers for (headers, rows) tables: xlsx and CSV, atomic, formula-safe.

A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return could
be run as a formula by a spreadsheet program (CSV injection). In xlsx every
text is written as a text cell and no formula is ever written; in CSV such a
cell gets a leading ``'``.
Files are written to a temporary name in the same folder and renamed, so a
crash never leaves a half-written file under the real name.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from forms.errors import UserError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
def atomic_path(path: Path, *, force: bool = False) -> Iterator[Path]:
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


def write_csv(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sep: str = ",",
    force: bool = False,
) -> int:
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


def write_xlsx(
    path: Path,
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    force: bool = False,
) -> dict[str, int]:
    """A workbook with one sheet per (title, headers, rows); returns rows per sheet.

    Streamed by :mod:`intake.xlsx_stream`: text is always a text cell, never a formula.
    """
    from .xlsx_stream import write_workbook

    with atomic_path(path, force=force) as tmp:
        return write_workbook(tmp, sheets)

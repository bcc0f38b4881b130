"""Reading a participant file (.csv or .xlsx) into a raw table, at arm's length when asked.

Workbooks go through the one safe reader, :mod:`forms.workbook` (zip limits,
defusedxml, the limited worker), as the XLSForm import does.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from forms import workbook
from forms.isolation import Limits
from forms.workbook import (
    WORKER_LIMITS,
    TooManyRows,
    WorkbookError,
    json_value,
    read_isolated,
    worker_reply,
)

from .check import blank
from .headers import HEADER_LOOKUP, norm_header
from .records import ParticipantImportError, RawTable

#: The most data rows one import takes (a municipality's list is hundreds).
MAX_ROWS = 20_000
#: The biggest file read at all (a CSV too: the same bound as for workbooks).
MAX_FILE_BYTES = workbook.MAX_FILE_BYTES


def read_table(path: str | Path) -> RawTable:
    """The file's header row and non-blank data rows, within the limits above."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParticipantImportError(f"cannot read the file: {exc.strerror}", file=name) from exc
    if path.is_dir():
        raise ParticipantImportError("this is a folder, not a file", file=name)
    if size == 0:
        raise ParticipantImportError("the file is empty", file=name)
    if size > MAX_FILE_BYTES:
        raise ParticipantImportError(
            f"the file is too big ({size // 1_000_000} MB; at most "
            f"{MAX_FILE_BYTES // 1_000_000} MB)",
            file=name,
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise ParticipantImportError(
            "old Excel files (.xls) are not read; save it as .xlsx or .csv", file=name
        )
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    raise ParticipantImportError(
        f"unknown file type '{suffix or 'none'}'; use .xlsx or .csv", file=name
    )


def decode_text(data: bytes, name: str) -> str:
    """Text from the bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name)
    if b"\x00" in data:
        raise ParticipantImportError(
            "this is not a text file (it holds binary data); use .xlsx or .csv", file=name
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_utf8_read_as_cp1252(text):
            raise ParticipantImportError(
                "the text looks converted twice (æ, ø and å show as Ã¦, Ã¸ and Ã¥); "
                "export the list again as CSV UTF-8",
                file=name,
            )
        return text
    # Excel on Windows saves "CSV" in Windows-1252; five byte values are unused there.
    text = _strict(data, "cp1252", name)
    if _looks_like_utf8_read_as_cp1252(text):
        raise ParticipantImportError(
            "the file mixes two text encodings (UTF-8 and Windows-1252), so letters like "
            "æ, ø and å would come out wrong; save it again as CSV UTF-8",
            file=name,
        )
    return text


def _looks_like_utf8_read_as_cp1252(text: str) -> bool:
    """UTF-8 letters such as ø (bytes C3 B8) read as Windows-1252 give "Ã¸"."""
    for match in re.finditer("[\u00c2\u00c3](.)", text):
        follower = match.group(1).encode("cp1252", errors="ignore")
        if follower and 0x80 <= follower[0] <= 0xBF:
            return True
    return False


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ParticipantImportError(
            f"cannot read the text (byte {exc.start + 1} is not {encoding} text); "
            "save the file as CSV UTF-8",
            file=name,
        ) from exc
    if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t" for ch in text[:4096]):
        raise ParticipantImportError(
            "this is not a text file (it holds control characters); use .xlsx or .csv", file=name
        )
    return text


def _read_csv(path: Path) -> RawTable:
    name = str(path)
    text = decode_text(path.read_bytes(), name)
    if not text.strip():
        raise ParticipantImportError("the file is empty", file=name)
    lines = text.splitlines()
    delimiter = None
    first_index = next(i for i, line in enumerate(lines) if line.strip())
    hint = re.fullmatch(r"\s*sep=(.)\s*", lines[first_index])
    if hint:
        # Excel's "sep=;" first line names the separator; blank it so row numbers stay.
        delimiter = hint.group(1)
        lines[first_index] = ""
        text = "\n".join(lines)
        first_index = next((i for i, line in enumerate(lines) if line.strip()), first_index)
    if delimiter is None:
        delimiter = _guess_delimiter(lines[first_index], text[:8192])
    dialect = type("Detected", (csv.excel,), {"delimiter": delimiter})
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return _collect(enumerate(reader, start=1), name, from_xlsx=False)
    except csv.Error as exc:
        raise ParticipantImportError(f"the CSV is malformed: {exc}", file=name) from exc


def _guess_delimiter(header_line: str, sample: str) -> str:
    """The separator that splits the header into the most known column names.

    The header is the best evidence: addresses often hold commas ("Storgata 1,
    2. etasje") inside a semicolon file. Ties go to csv.Sniffer, then to ``;``.
    """
    scores = {}
    for delimiter in (";", ",", "\t"):
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        scores[delimiter] = sum(1 for c in cells if norm_header(c) in HEADER_LOOKUP)
    best = max(scores.values())
    candidates = [d for d, score in scores.items() if score == best]
    if len(candidates) == 1:
        return candidates[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(candidates)).delimiter
    except csv.Error:
        sniffed = max(candidates, key=header_line.count)
    return sniffed


def _read_xlsx(path: Path) -> RawTable:
    name = str(path)
    try:
        # formulas_as_text: a formula comes back as its text and is never evaluated.
        # One row more than the header and MAX_ROWS people, so _collect says what is wrong.
        (sheet,) = workbook.read_workbook(
            path, first_sheet_only=True, formulas_as_text=True, max_rows=MAX_ROWS + 2
        )
    except TooManyRows:
        raise _too_many(name) from None
    except WorkbookError as exc:
        raise ParticipantImportError(exc.message, file=name) from None
    return _collect(sheet.rows, name, from_xlsx=True)


def _too_many(name: str) -> ParticipantImportError:
    return ParticipantImportError(
        f"the file has more than {MAX_ROWS:,} people; split it into smaller files", file=name
    )


def _collect(rows: Iterable[tuple[int, Sequence[Any]]], name: str, *, from_xlsx: bool) -> RawTable:
    headers: tuple[str, ...] | None = None
    data: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in rows:
        cells = tuple(cells or ())
        if all(blank(c) for c in cells):
            continue
        if headers is None:
            headers = tuple("" if c is None else str(c) for c in cells)
            continue
        data.append((number, cells))
        if len(data) > MAX_ROWS:
            raise _too_many(name)
    if headers is None:
        raise ParticipantImportError("the file is empty (no header row)", file=name)
    # Row numbers stay the file's own (blank rows counted), so people find them in Excel.
    return RawTable(headers, tuple(data), from_xlsx)


# ---------------------------------------------------------------- reading at arm's length


def read_table_isolated(path: str | Path, *, limits: Limits = WORKER_LIMITS) -> RawTable:
    """:func:`read_table` in a fresh worker process with memory, CPU and time limits.

    The table comes back as JSON, so nothing but plain values crosses back. A
    worker that breaks a limit is ended and the file refused with one clear message.
    """
    name = str(path)
    try:
        reply = read_isolated(
            "intake.participants.read:read_in_worker", {"path": name}, file=name, limits=limits
        )
    except WorkbookError as exc:
        raise ParticipantImportError(exc.message, file=exc.file or name) from None
    return RawTable(
        tuple(reply["headers"]),
        tuple((int(number), tuple(cells)) for number, cells in reply["rows"]),
        bool(reply["from_xlsx"]),
    )


def _read_for_worker(request: dict[str, Any]) -> dict[str, Any]:
    table = read_table(request["path"])
    return {
        "headers": list(table.headers),
        "rows": [[n, [json_value(c) for c in cells]] for n, cells in table.rows],
        "from_xlsx": table.from_xlsx,
    }


#: The worker's entry (named in read_table_isolated).
read_in_worker = worker_reply(_read_for_worker)

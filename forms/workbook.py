"""The one safe reader of Excel workbooks (.xlsx and old .xls) from outside.

The XLSForm import (``forms.xlsform``) and the participant import
(``intake.participants``) both read workbooks that somebody uploaded, so both
go through this module: the same size and zip limits, the same XML parser
(openpyxl with defusedxml, so no entity tricks), the same worker process with
memory, CPU and time limits (:mod:`forms.isolation`), and the same one-line
messages for a damaged or hostile file. Problems are :class:`WorkbookError`;
each import turns them into its own error class without changing the words.

The format is found by the file's first bytes, not its name: an .xlsx is a zip
archive, an .xls an OLE2 compound file.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms.errors import UserError
from forms.isolation import LimitBroken, Limits, run_limited

# The limits below are one set for every import. They were two sets once (500
# zip parts for participant lists, 10,000 for XLSForms; a compression-ratio
# check in one only). A real workbook holds about 10 parts plus 2-4 per sheet,
# so 500 parts leaves room for over a hundred sheets with comments and images,
# and a workbook with thousands of parts is built to make the reader work.

#: A workbook file larger than this is refused before it is opened (bytes).
MAX_FILE_BYTES = 20_000_000
#: Parts an .xlsx may hold.
MAX_ZIP_ENTRIES = 500
#: Largest total size of the parts of an .xlsx once unzipped; bounds zip bombs (bytes).
MAX_UNZIPPED_BYTES = 100_000_000
#: Largest unzipped/zipped ratio of a part over :data:`RATIO_CHECKED_FROM_BYTES`
#: (real sheets stay under 100; a run of zeros reaches about 1,000).
MAX_COMPRESSION_RATIO = 500
#: Parts smaller than this are not held to the ratio (a tiny part may pack very well).
RATIO_CHECKED_FROM_BYTES = 1_000_000
#: Filled rows read from one sheet, unless the caller asks for fewer.
MAX_ROWS = 50_000
#: Columns read from one sheet (the participant list and an XLSForm need a few dozen).
MAX_COLUMNS = 1_024

#: Limits of the worker process that reads an uploaded file.
WORKER_LIMITS = Limits(memory_bytes=1_000_000_000, cpu_seconds=60, wall_seconds=120.0)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


class WorkbookError(UserError):
    """A workbook that cannot be read; ``sheet`` says where when one sheet is the cause."""

    def __init__(self, message: str, *, file: str, sheet: str | None = None):
        self.sheet = sheet
        super().__init__(message, file=file)


class TooManyRows(WorkbookError):
    """A sheet has more filled rows than the caller reads; ``limit`` is that number."""

    def __init__(self, limit: int, *, file: str, sheet: str):
        self.limit = limit
        super().__init__(f"more than {limit:,} filled rows", file=file, sheet=sheet)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name as written and its filled rows as (1-based row number, cells)."""

    name: str
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


def read_workbook(
    path: str | Path,
    *,
    first_sheet_only: bool = False,
    formulas_as_text: bool = False,
    max_rows: int = MAX_ROWS,
) -> list[Sheet]:
    """Every sheet (or the first) of an .xlsx or .xls file, within the limits above.

    Rows with nothing but blanks are left out; row numbers stay the file's own,
    so people find them in Excel. ``formulas_as_text`` gives a formula cell as its
    text (``=SUM(A1:A3)``), never evaluated; otherwise the value Excel last saved.
    More than ``max_rows`` filled rows on a sheet is :class:`TooManyRows`.
    """
    path = Path(path)
    display = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except IsADirectoryError:
        raise WorkbookError("is a folder, not a workbook", file=display) from None
    except OSError as exc:
        raise WorkbookError(f"cannot open the file ({exc.strerror or exc})", file=display) from None
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            f"the file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read", file=display
        )
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, display, first_sheet_only, formulas_as_text, max_rows)
    if head == _OLE2_MAGIC:
        return _read_xls(path, display, first_sheet_only, max_rows)
    raise WorkbookError(
        "not an Excel workbook (not a zip archive); save it again from Excel as .xlsx",
        file=display,
    )


def check_zip(path: Path, display: str) -> None:
    """Refuse an .xlsx whose zip is damaged, not a workbook, or would unpack into too much.

    Only the zip directory is read here, before any part is unpacked.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on a damaged archive
        # (BadZipFile, NotImplementedError for a garbled version field, OSError, ValueError...)
        raise WorkbookError(
            f"not a readable .xlsx workbook: the .xlsx file is damaged or not a real .xlsx file "
            f"({type(exc).__name__}: {_first_line(exc)})",
            file=display,
        ) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise WorkbookError(
            f"the workbook holds too many parts ({len(entries):,}; at most "
            f"{MAX_ZIP_ENTRIES:,}); it is not a normal workbook",
            file=display,
        )
    # The ratio first: it names the part, and a bomb is usually one part.
    for entry in entries:
        packed = max(entry.compress_size, 1)
        if (
            entry.file_size > RATIO_CHECKED_FROM_BYTES
            and entry.file_size > MAX_COMPRESSION_RATIO * packed
        ):
            raise WorkbookError(
                f"part {entry.filename!r} would unpack to {entry.file_size // packed:,} "
                "times its packed size (a zip bomb?)",
                file=display,
            )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNZIPPED_BYTES:
        raise WorkbookError(
            f"the workbook unpacks to {total:,} bytes, more than the "
            f"{MAX_UNZIPPED_BYTES:,} allowed (a zip bomb?)",
            file=display,
        )
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise WorkbookError(
            "could not read the workbook: this zip file is not an Excel workbook "
            "(no xl/workbook.xml)",
            file=display,
        )


def _read_xlsx(
    path: Path, display: str, first_sheet_only: bool, formulas_as_text: bool, max_rows: int
) -> list[Sheet]:
    import openpyxl  # only this reader and the codebook need it (tests/test_architecture.py)

    check_zip(path, display)
    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a declared dependency
        raise WorkbookError("defusedxml is not installed; refusing to read .xlsx", file=display)
    sheets: list[Sheet] = []
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops (extensions, validation)
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=not formulas_as_text)
            try:
                worksheets = workbook.worksheets
                if not worksheets:
                    raise WorkbookError("the workbook has no sheets", file=display)
                for ws in worksheets[:1] if first_sheet_only else worksheets:
                    # Files often claim a million rows in their <dimension>; read what is there.
                    ws.reset_dimensions()
                    rows = _filled(
                        enumerate(ws.iter_rows(values_only=True), start=1),
                        max_rows,
                        display,
                        ws.title,
                    )
                    sheets.append(Sheet(ws.title, rows))
            finally:
                workbook.close()
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a hostile file is the file's fault
        raise WorkbookError(_unreadable("the workbook", exc), file=display) from None
    return sheets


def _read_xls(path: Path, display: str, first_sheet_only: bool, max_rows: int) -> list[Sheet]:
    import xlrd

    sheets: list[Sheet] = []
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
        try:
            count = min(book.nsheets, 1) if first_sheet_only else book.nsheets
            for index in range(count):
                sh = book.sheet_by_index(index)
                width = min(sh.ncols, MAX_COLUMNS)

                def values(sh: Any = sh, width: int = width) -> Iterator[tuple[int, list[Any]]]:
                    for r in range(sh.nrows):
                        types = sh.row_types(r, 0, width)
                        cells = sh.row_values(r, 0, width)
                        yield (
                            r + 1,
                            [
                                _xls_value(ctype, value, book.datemode)
                                for ctype, value in zip(types, cells, strict=True)
                            ],
                        )

                sheets.append(Sheet(sh.name, _filled(values(), max_rows, display, sh.name)))
                book.unload_sheet(index)
        finally:
            book.release_resources()
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a hostile file is the file's fault
        raise WorkbookError(_unreadable("the .xls workbook", exc), file=display) from None
    return sheets


def _filled(
    numbered: Iterable[tuple[int, Sequence[Any]]], max_rows: int, display: str, sheet: str
) -> tuple[tuple[int, tuple[Any, ...]], ...]:
    """The rows with something in them, at most ``max_rows``, cut to :data:`MAX_COLUMNS`."""
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, row in numbered:
        # Empty rows are not kept: some files pad a sheet to row 1,048,576.
        if all(_blank(v) for v in row):
            continue
        if len(rows) >= max_rows:
            raise TooManyRows(max_rows, file=display, sheet=sheet)
        rows.append((number, tuple(row[:MAX_COLUMNS])))
    return tuple(rows)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _xls_value(ctype: int, value: Any, datemode: int) -> Any:
    import xlrd

    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(value, 1 if datemode else 0)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value  # an impossible date stays the number that was typed
    if ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return value


def _unreadable(what: str, exc: BaseException) -> str:
    # Both phrasings stay: each import's users (and tests) know one of them.
    return (
        f"could not read {what}, which is damaged or holds what Deltaker cannot read "
        f"safely ({type(exc).__name__}: {_first_line(exc)})"
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:200]


def json_value(value: Any) -> Any:
    """A cell as a JSON value: dates and times as ISO text, anything odd as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- reading at arm's length ------------------------------------------------------------------


def read_isolated(
    entry: str, request: dict[str, Any], *, file: str, limits: Limits = WORKER_LIMITS
) -> Any:
    """Run the reader ``entry`` (``module:function``, made with :func:`worker_reply`) in a
    limited worker; the plain JSON value it read.

    DESIGN.md: untrusted spreadsheets are parsed in a worker with memory, CPU and
    time limits. Only JSON crosses back, so a reader subverted by a file cannot
    send code. A broken limit, or a problem the reader found, is a :class:`WorkbookError`.
    """
    try:
        raw = run_limited(entry, request, limits)
    except LimitBroken as exc:
        raise WorkbookError(
            f"reading the file {exc.reason} (a broken or hostile file?)", file=file
        ) from None
    try:
        reply = json.loads(raw)
    except json.JSONDecodeError:
        reply = None
    if not isinstance(reply, dict) or not ("value" in reply or "error" in reply):
        raise WorkbookError(
            "the reader sent back nothing it read (a broken or hostile file?)", file=file
        )
    if "error" in reply:
        error = reply["error"]
        raise WorkbookError(
            error["message"], file=error.get("file") or file, sheet=error.get("sheet")
        )
    return reply["value"]


def worker_reply(read: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], bytes]:
    """A worker entry for :func:`read_isolated`: ``read``'s JSON value, or its one-line problem."""

    def entry(request: dict[str, Any]) -> bytes:
        reply: dict[str, Any]
        try:
            reply = {"value": read(request)}
        except UserError as exc:
            reply = {
                "error": {
                    "message": exc.message,
                    "file": exc.file,
                    "sheet": getattr(exc, "sheet", None),
                }
            }
        except (MemoryError, SystemError):
            # under the address-space limit a C extension that cannot allocate sometimes
            # returns without setting an exception (SystemError) instead of MemoryError
            reply = {
                "error": {
                    "message": "reading the file needs more memory than the reader may use; "
                    "it was stopped (a broken or hostile file?)"
                }
            }
        except Exception as exc:  # noqa: BLE001 - reported to the caller as one clear line
            reply = {
                "error": {
                    "message": f"cannot read the file ({type(exc).__name__}: {_first_line(exc)})"
                }
            }
        return json.dumps(reply).encode()

    return entry

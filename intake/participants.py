"""Participant import from .csv and .xlsx files as Norwegian offices export them.

Decisions, so a recruiter can predict what happens:

- Files: .csv/.txt (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else Windows-1252;
  comma, semicolon or tab, detected) or .xlsx (first sheet). At most
  :data:`MAX_ROWS` data rows (a bigger file is refused, not cut) and
  :data:`MAX_FILE_BYTES` bytes. An .xlsx is checked as a zip (entry count,
  total uncompressed size) before openpyxl opens it; openpyxl parses its XML
  with defusedxml.
- Headers in Norwegian or English, any case (see :data:`HEADER_ALIASES`). A
  ``name`` column is required, and every person needs a way to reach them: a
  full postal address (address, postcode, city), a phone number or an e-mail.
- Postcodes are four digits. A number cell in an .xlsx with fewer digits is
  padded (Excel drops the leading zero of 0150); in a CSV it is an error,
  because there it may be a typo.
- Languages: nb, nn, en (or the study's languages), also written as bokmål,
  nynorsk, engelsk, English...; blank means the study's default language.
- Duplicates, inside the file and against people already stored: the same
  name and postal address, the same phone number, or the same e-mail address.
- Cells that look like formulas (``=SUM(...)``) are kept as plain text, never
  evaluated; exports neutralise them.
- All or nothing: one bad row means nothing is stored, and every problem is
  reported with its row number (the header is row 1). ``skip_invalid`` stores
  the good rows and returns the rejected ones, to be written to a file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from forms.errors import UserError
from forms.isolation import LimitBroken, Limits, run_limited

from .codes import random_participant_code
from .models import ContactDetails, ExportLog, Participant, ParticipantStatus, StudyRecord, utcnow

#: The most data rows one import takes (a municipality's list is hundreds).
MAX_ROWS = 20_000
#: The biggest file read at all.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: .xlsx limits checked before the file is opened (a zip bomb stops here).
MAX_XLSX_ENTRIES = 500
MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
#: Longest text kept in one cell.
MAX_CELL_CHARS = 500

DEFAULT_LANGUAGES = ("nb", "nn", "en")

FIELDS = ("name", "address", "postcode", "city", "language", "group", "phone", "email")

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("navn", "name", "fullt navn", "full name", "fornavn og etternavn", "namn"),
    # Many registers export the name in two columns; they are joined as "first last".
    "first_name": ("fornavn", "first name", "firstname", "given name", "førenamn"),
    "last_name": ("etternavn", "last name", "lastname", "surname", "family name", "etternamn"),
    "address": ("adresse", "address", "gateadresse", "postadresse", "street address"),
    "postcode": (
        "postnummer",
        "postnr",
        "postnr.",
        "postcode",
        "post code",
        "postal code",
        "zip",
        "zip code",
    ),
    "city": ("poststed", "sted", "city", "town", "post town"),
    "language": ("språk", "sprak", "language", "målform", "malform", "lang"),
    "group": ("gruppe", "group"),
    "phone": (
        "telefon",
        "tlf",
        "tlf.",
        "mobil",
        "mobilnummer",
        "telefonnummer",
        "phone",
        "mobile",
        "telephone",
    ),
    "email": ("e-post", "epost", "e-postadresse", "email", "e-mail", "mail"),
}
_HEADER_LOOKUP = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}

LANGUAGE_ALIASES = {
    "nb": "nb",
    "bokmål": "nb",
    "bokmal": "nb",
    "norsk": "nb",
    "norsk bokmål": "nb",
    "no": "nb",
    "nob": "nb",
    "nn": "nn",
    "nynorsk": "nn",
    "nno": "nn",
    "norsk nynorsk": "nn",
    "en": "en",
    "engelsk": "en",
    "english": "en",
    "eng": "en",
}

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ()\-.]+$")


class ParticipantImportError(UserError):
    """The participant file is unreadable or has invalid rows; nothing was stored."""

    def __init__(self, message: str, *, file: str | None = None, problems: Sequence[Problem] = ()):
        self.problems = tuple(problems)
        super().__init__(message, file=file)


@dataclass(frozen=True)
class Problem:
    row: int  # row number in the file, header = 1
    column: str | None
    message: str

    def format(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PersonRow:
    row: int
    name: str
    address: str | None
    postcode: str | None
    city: str | None
    language: str
    group: str | None
    phone: str | None
    email: str | None

    @property
    def name_address_key(self) -> str | None:
        if not (self.address and self.postcode):
            return None
        return "|".join(_fold(v) for v in (self.name, self.address, self.postcode))

    @property
    def phone_key(self) -> str | None:
        return _phone_key(self.phone) if self.phone else None

    @property
    def email_key(self) -> str | None:
        return self.email.strip().casefold() if self.email else None


@dataclass(frozen=True)
class RawTable:
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]  # (row number, cells)
    from_xlsx: bool


@dataclass(frozen=True)
class Rejected:
    row: int
    cells: dict[str, Any]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[str, ...]  # participant codes, in file order
    rejected: tuple[Rejected, ...] = field(default_factory=tuple)
    headers: tuple[str, ...] = ()


# ---------------------------------------------------------------- reading


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
            f"the file is too big ({size // (1024 * 1024)} MB; at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB)",
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
        return _collect(reader, name, from_xlsx=False)
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
        scores[delimiter] = sum(1 for c in cells if _norm_header(c) in _HEADER_LOOKUP)
    best = max(scores.values())
    candidates = [d for d, score in scores.items() if score == best]
    if len(candidates) == 1:
        return candidates[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(candidates)).delimiter
    except csv.Error:
        sniffed = max(candidates, key=header_line.count)
    return sniffed


def check_xlsx_zip(path: Path) -> None:
    """Refuse files that are not a zip, or whose zip would unpack into too much."""
    name = str(path)
    if not zipfile.is_zipfile(path):
        raise ParticipantImportError(
            "this is not a real .xlsx file (not a zip archive); save it again from Excel", file=name
        )
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_XLSX_ENTRIES:
                raise ParticipantImportError(
                    f"the .xlsx holds too many parts ({len(entries)}; at most "
                    f"{MAX_XLSX_ENTRIES}); it is not a normal participant list",
                    file=name,
                )
            total = sum(entry.file_size for entry in entries)
            if total > MAX_XLSX_UNCOMPRESSED_BYTES:
                raise ParticipantImportError(
                    f"the .xlsx would unpack to {total // (1024 * 1024)} MB (at most "
                    f"{MAX_XLSX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB); refused",
                    file=name,
                )
            names = {entry.filename for entry in entries}
    except ParticipantImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on a damaged archive
        # (BadZipFile, NotImplementedError for a garbled version field, OSError, ValueError...)
        raise ParticipantImportError(
            f"the .xlsx file is damaged ({type(exc).__name__}: {exc})", file=name
        ) from None
    if "xl/workbook.xml" not in names:
        raise ParticipantImportError(
            "this zip file is not an Excel workbook (no xl/workbook.xml)", file=name
        )


def _read_xlsx(path: Path) -> RawTable:
    import openpyxl

    name = str(path)
    check_xlsx_zip(path)
    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a declared dependency
        raise ParticipantImportError("defusedxml is not installed; refusing to read .xlsx")
    try:
        # data_only=False: a formula comes back as its text and is never evaluated.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted file
        raise ParticipantImportError(
            f"cannot read the .xlsx file ({type(exc).__name__}: {_first_line(exc)})", file=name
        ) from exc
    try:
        if not workbook.worksheets:
            raise ParticipantImportError("the workbook has no sheets", file=name)
        sheet = workbook.worksheets[0]
        try:
            return _collect(sheet.iter_rows(values_only=True), name, from_xlsx=True)
        except ParticipantImportError:
            raise
        except Exception as exc:  # noqa: BLE001 - malformed sheet XML
            raise ParticipantImportError(
                f"cannot read the sheet ({type(exc).__name__}: {_first_line(exc)})", file=name
            ) from exc
    finally:
        workbook.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:200]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _collect(rows: Iterator[Sequence[Any]], name: str, *, from_xlsx: bool) -> RawTable:
    headers: tuple[str, ...] | None = None
    data: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in enumerate(rows, start=1):
        cells = tuple(cells or ())
        if all(_blank(c) for c in cells):
            continue
        if headers is None:
            headers = tuple("" if c is None else str(c) for c in cells)
            continue
        data.append((number, cells))
        if len(data) > MAX_ROWS:
            raise ParticipantImportError(
                f"the file has more than {MAX_ROWS:,} people; split it into smaller files",
                file=name,
            )
    if headers is None:
        raise ParticipantImportError("the file is empty (no header row)", file=name)
    # Row numbers stay the file's own (blank rows counted), so people find them in Excel.
    return RawTable(headers, tuple(data), from_xlsx)


# ---------------------------------------------------------------- reading at arm's length

#: Limits for the worker process that parses a participant file (DESIGN.md:
#: untrusted spreadsheets are parsed in a worker with memory, CPU and time limits).
WORKER_LIMITS = Limits(memory_bytes=1_000_000_000, cpu_seconds=60, wall_seconds=120.0)


def read_table_isolated(path: str | Path, *, limits: Limits = WORKER_LIMITS) -> RawTable:
    """:func:`read_table` in a fresh worker process with memory, CPU and time limits.

    The table comes back as JSON, so nothing but plain values crosses back. A
    worker that breaks a limit is ended and the file refused with one clear message.
    """
    import json

    name = str(path)
    try:
        raw = run_limited("intake.participants:_read_in_worker", {"path": name}, limits)
    except LimitBroken as exc:
        raise ParticipantImportError(
            f"reading the file {exc.reason} (a broken or hostile file?)", file=name
        ) from None
    try:
        reply = json.loads(raw)
    except json.JSONDecodeError:
        reply = None
    if not isinstance(reply, dict):
        raise ParticipantImportError(
            "the reader sent back no table (a broken or hostile file?)", file=name
        )
    if reply.get("error"):
        raise ParticipantImportError(reply["error"], file=reply.get("file") or name)
    return RawTable(
        tuple(reply["headers"]),
        tuple((int(number), tuple(cells)) for number, cells in reply["rows"]),
        bool(reply["from_xlsx"]),
    )


def _read_in_worker(request: dict[str, Any]) -> bytes:
    """In the worker: read the table; the outcome as JSON."""
    import json

    try:
        table = read_table(request["path"])
        reply: dict[str, Any] = {
            "headers": list(table.headers),
            "rows": [[n, [_json_cell(c) for c in cells]] for n, cells in table.rows],
            "from_xlsx": table.from_xlsx,
        }
    except ParticipantImportError as exc:
        reply = {"error": exc.message, "file": exc.file}
    except MemoryError:
        reply = {
            "error": "reading the file needs more memory than the reader may use and "
            "was stopped (a broken or hostile file?)"
        }
    except Exception as exc:  # noqa: BLE001 - reported to the caller as one clear line
        reply = {"error": f"cannot read the file ({type(exc).__name__}: {_first_line(exc)})"}
    return json.dumps(reply).encode()


def _json_cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------- validating


def map_headers(headers: Sequence[str], name: str) -> dict[str, int]:
    """Which column holds which field; unknown columns are ignored, missing ones reported."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _HEADER_LOOKUP.get(_norm_header(header))
        if key is None:
            continue
        if key in mapping:
            raise ParticipantImportError(
                f"two columns mean '{key}': '{headers[mapping[key]]}' and '{header}'", file=name
            )
        mapping[key] = index
    has_split_name = {"first_name", "last_name"} <= mapping.keys()
    if "name" in mapping and has_split_name:
        raise ParticipantImportError(
            "both a name column and first/last name columns; keep one of them", file=name
        )
    if "name" not in mapping and not has_split_name:
        shown = ", ".join(f"'{h}'" for h in headers if h.strip())[:200] or "none"
        raise ParticipantImportError(
            "no name column (a column called 'navn' or 'name', or both 'fornavn' and "
            f"'etternavn', is needed); columns found: {shown}",
            file=name,
        )
    if not {"address", "phone", "email"} & mapping.keys():
        raise ParticipantImportError(
            "no way to reach people: add an address (adresse, postnummer, poststed), "
            "phone (telefon) or e-mail (e-post) column",
            file=name,
        )
    if "address" in mapping and not {"postcode", "city"} <= mapping.keys():
        missing = [k for k in ("postcode", "city") if k not in mapping]
        raise ParticipantImportError(
            f"an address column needs {' and '.join(missing)} columns too (postnummer, poststed)",
            file=name,
        )
    return mapping


def _norm_header(header: str) -> str:
    text = unicodedata.normalize("NFC", str(header)).replace("\ufeff", "")
    text = re.sub(r"\s+", " ", text).strip().strip("*:").strip().casefold()
    return text


def _cell_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def validate_rows(
    table: RawTable,
    name: str,
    *,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    default_language: str = "nb",
    default_group: str | None = None,
) -> tuple[list[PersonRow], list[Rejected]]:
    """Every row checked on its own and against the rows above it (duplicates)."""
    mapping = map_headers(table.headers, name)
    good: list[PersonRow] = []
    rejected: list[Rejected] = []
    seen: dict[str, dict[str, int]] = {"name_address": {}, "phone": {}, "email": {}}
    for number, cells in table.rows:
        raw = {key: (cells[i] if i < len(cells) else None) for key, i in mapping.items()}
        if all(_blank(v) for v in raw.values()):
            continue  # a row with text only in columns we do not read
        problems: list[Problem] = []
        person = _validate_row(
            number, raw, problems, table.from_xlsx, languages, default_language, default_group
        )
        if person is not None:
            for kind, key in (
                ("name_address", person.name_address_key),
                ("phone", person.phone_key),
                ("email", person.email_key),
            ):
                if key and key in seen[kind]:
                    what = {
                        "name_address": "name and address",
                        "phone": "phone number",
                        "email": "e-mail address",
                    }[kind]
                    problems.append(Problem(number, None, f"same {what} as row {seen[kind][key]}"))
        if problems:
            cells = {k: _cell_text(v) for k, v in raw.items()}
            if "name" not in cells:
                parts = (cells.get("first_name"), cells.get("last_name"))
                cells["name"] = " ".join(p for p in parts if p) or None
            rejected.append(Rejected(number, cells, tuple(problems)))
            continue
        assert person is not None
        for kind, key in (
            ("name_address", person.name_address_key),
            ("phone", person.phone_key),
            ("email", person.email_key),
        ):
            if key:
                seen[kind][key] = number
        good.append(person)
    return good, rejected


def _validate_row(
    number, raw, problems, from_xlsx, languages, default_language, default_group
) -> PersonRow | None:
    def text(key: str) -> str | None:
        value = _cell_text(raw.get(key))
        if value is not None and len(value) > MAX_CELL_CHARS:
            problems.append(
                Problem(
                    number, key, f"too long ({len(value)} characters; at most {MAX_CELL_CHARS})"
                )
            )
            return None
        return value

    name = text("name")
    if "name" not in raw:  # the name comes in two columns (both present, see map_headers)
        name = " ".join(part for part in (text("first_name"), text("last_name")) if part) or None
    if not name:
        problems.append(Problem(number, "name", "the name is missing"))
    address, city = text("address"), text("city")
    postcode = _postcode(number, raw.get("postcode"), problems, from_xlsx)
    phone = text("phone")
    if phone is not None:
        if not _PHONE_CHARS_RE.match(phone):
            problems.append(Problem(number, "phone", f"'{_short(phone)}' is not a phone number"))
            phone = None
        else:
            digits = re.sub(r"\D", "", phone)
            if not 8 <= len(digits) <= 15:
                problems.append(
                    Problem(
                        number,
                        "phone",
                        f"'{_short(phone)}' is not a phone number "
                        "(8 digits, or + and country code)",
                    )
                )
                phone = None
    email = text("email")
    if email is not None and not _EMAIL_RE.match(email):
        problems.append(Problem(number, "email", f"'{_short(email)}' is not an e-mail address"))
        email = None
    language_text = text("language")
    if language_text is None:
        language = default_language
    else:
        language = LANGUAGE_ALIASES.get(language_text.casefold(), language_text.casefold())
        if language not in languages:
            problems.append(
                Problem(
                    number,
                    "language",
                    f"unknown language '{_short(language_text)}' (use {', '.join(languages)})",
                )
            )
    group = text("group") or default_group
    has_address = bool(address or postcode or city)
    if has_address and not (address and postcode and city):
        missing = [
            k
            for k, v in (("address", address), ("postcode", postcode), ("city", city))
            if not v and not any(p.column == k for p in problems)
        ]
        if missing:
            problems.append(
                Problem(
                    number,
                    missing[0],
                    f"the postal address is incomplete ({', '.join(missing)} missing)",
                )
            )
    if not (address or phone or email) and not problems:
        problems.append(Problem(number, None, "no address, phone or e-mail to reach the person"))
    if problems or not name:
        return None
    return PersonRow(number, name, address, postcode, city, language, group, phone, email)


def _postcode(number: int, value: Any, problems: list[Problem], from_xlsx: bool) -> str | None:
    if _blank(value):
        return None
    if from_xlsx and isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 0 <= value < 10_000:
            return f"{int(value):04d}"  # Excel dropped the leading zero of 0150
    text = _cell_text(value) or ""
    if re.fullmatch(r"\d{4}", text):
        return text
    hint = ""
    if re.fullmatch(r"\d{1,3}", text):
        hint = " (did a leading zero get lost? write it as text, like 0150)"
    problems.append(
        Problem(number, "postcode", f"'{_short(text)}' is not a postcode (four digits){hint}")
    )
    return None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def _phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+47") or (len(digits) == 10 and digits.startswith("47")):
        digits = digits[2:]
    if digits.startswith("0047"):
        digits = digits[4:]
    return digits


# ---------------------------------------------------------------- storing


def _database_duplicates(session: Session, people: Sequence[PersonRow]) -> dict[int, Problem]:
    """Problems for rows that match someone already stored (by the keys above)."""
    found: dict[int, Problem] = {}
    checks = (
        ("name_address_key", "name and address", lambda p: p.name_address_key),
        ("phone_key", "phone number", lambda p: p.phone_key),
        ("email_key", "e-mail address", lambda p: p.email_key),
    )
    for column_name, what, key_of in checks:
        keys = {key_of(p) for p in people if key_of(p)}
        if not keys:
            continue
        column = getattr(ContactDetails, column_name)
        known: dict[str, str] = {}
        key_list = sorted(keys)
        for start in range(0, len(key_list), 500):  # stay under bound-parameter limits
            chunk = key_list[start : start + 500]
            for key, code in session.execute(
                select(column, Participant.code)
                .join(Participant, Participant.id == ContactDetails.participant_id)
                .where(column.in_(chunk))
            ):
                known[key] = code
        for person in people:
            key = key_of(person)
            if key and key in known and person.row not in found:
                found[person.row] = Problem(
                    person.row, None, f"same {what} as participant {known[key]}, already stored"
                )
    return found


def new_codes(session: Session, count: int) -> list[str]:
    """``count`` fresh participant codes, unique among themselves and in the database."""
    taken = set(session.scalars(select(Participant.code)))
    codes: list[str] = []
    misses = 0
    while len(codes) < count:
        # Lengthen codes if the 4-symbol space gets crowded (about a million codes).
        length = 4 if misses < 200 else 5
        code = random_participant_code(length)
        if code in taken:
            misses += 1
            continue
        taken.add(code)
        codes.append(code)
    return codes


def import_participants(
    session: Session,
    path: str | Path,
    *,
    study: StudyRecord | None = None,
    group: str | None = None,
    skip_invalid: bool = False,
    on_checked: Any = None,
    isolated: bool = True,
    table: RawTable | None = None,
) -> ImportResult:
    """Read, check and store everyone in the file, in the caller's transaction.

    Raises :class:`ParticipantImportError` with every problem and stores nothing
    when any row is invalid, unless ``skip_invalid``. ``on_checked(n)`` is called
    after checking, before storing (the command prints progress there).
    ``isolated`` parses the file in a worker process with limits (the default;
    tests of the checking rules may read in-process). A ``table`` already read
    (with :func:`read_table_isolated`, before the transaction began, so no lock
    is held while a big file is parsed) is used as it is.
    """
    name = str(path)
    if table is None:
        table = read_table_isolated(path) if isolated else read_table(path)
    languages: Sequence[str] = DEFAULT_LANGUAGES
    default_language = "nb"
    if study is not None:
        languages = tuple(study.definition.get("languages") or DEFAULT_LANGUAGES)
        default_language = study.definition.get("default_language") or languages[0]
    good, rejected = validate_rows(
        table, name, languages=languages, default_language=default_language, default_group=group
    )
    duplicates = _database_duplicates(session, good)
    if duplicates:
        still_good = []
        for person in good:
            if person.row in duplicates:
                rejected.append(
                    Rejected(person.row, _person_cells(person), (duplicates[person.row],))
                )
            else:
                still_good.append(person)
        good = still_good
    rejected.sort(key=lambda r: r.row)
    if rejected and not skip_invalid:
        problems = [p for r in rejected for p in r.problems]
        raise ParticipantImportError(
            f"{len(problems)} problem(s) in {len(rejected)} row(s); nothing was imported "
            f"(first: {problems[0].format()})",
            file=name,
            problems=problems,
        )
    if not good and not rejected:
        raise ParticipantImportError("the file has a header row but no people", file=name)
    if on_checked is not None:
        on_checked(len(good))
    codes = new_codes(session, len(good))
    _store(session, good, codes, study)
    return ImportResult(tuple(codes), tuple(rejected), tuple(FIELDS))


#: Rows per bulk INSERT while storing (bounded memory, few round trips).
STORE_BATCH = 1_000


def _store(
    session: Session, people: Sequence[PersonRow], codes: Sequence[str], study: StudyRecord | None
) -> None:
    """Bulk inserts in the caller's transaction: nothing is visible until it commits."""
    study_id = study.id if study is not None else None
    now = utcnow()
    for start in range(0, len(people), STORE_BATCH):
        batch = list(
            zip(
                people[start : start + STORE_BATCH], codes[start : start + STORE_BATCH], strict=True
            )
        )
        ids = session.scalars(
            insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
            [
                {
                    "study_id": study_id,
                    "code": code,
                    "group": person.group,
                    "language": person.language,
                    "status": ParticipantStatus.NEW.value,
                    "created_at": now,
                }
                for person, code in batch
            ],
        ).all()
        session.execute(
            insert(ContactDetails),
            [
                {
                    "participant_id": pid,
                    "name": person.name,
                    "address": person.address,
                    "postcode": person.postcode,
                    "city": person.city,
                    "phone": person.phone,
                    "email": person.email,
                    "name_address_key": person.name_address_key,
                    "phone_key": person.phone_key,
                    "email_key": person.email_key,
                }
                for pid, (person, _code) in zip(ids, batch, strict=True)
            ],
        )


def _person_cells(person: PersonRow) -> dict[str, Any]:
    return {key: getattr(person, key) for key in FIELDS}


def rejected_table(result: ImportResult) -> tuple[list[str], list[list[Any]]]:
    """The rejected rows as (headers, rows), with the row number and the problems."""
    headers = ["row", *FIELDS, "problems"]
    rows = [
        [r.row, *(r.cells.get(k) for k in FIELDS), "; ".join(p.message for p in r.problems)]
        for r in result.rejected
    ]
    return headers, rows


def participants_table(
    session: Session, *, with_contacts: bool = False, study: StudyRecord | None = None
) -> tuple[list[str], Iterator[list[Any]]]:
    """Everyone stored: codes, group, language, status (contacts only when asked).

    Rows come lazily, in batches from the database (an export may hold many).
    """
    headers = ["code", "group", "language", "status"]
    columns: list[Any] = [
        Participant.code,
        Participant.group,
        Participant.language,
        Participant.status,
    ]
    if with_contacts:
        headers += ["name", "address", "postcode", "city", "phone", "email"]
        columns += [
            ContactDetails.name,
            ContactDetails.address,
            ContactDetails.postcode,
            ContactDetails.city,
            ContactDetails.phone,
            ContactDetails.email,
        ]
    query = select(*columns).order_by(Participant.id).execution_options(yield_per=2_000)
    if with_contacts:
        query = query.outerjoin(ContactDetails, ContactDetails.participant_id == Participant.id)
    if study is not None:
        query = query.where(Participant.study_id == study.id)

    def rows() -> Iterator[list[Any]]:
        for row in session.execute(query):
            yield list(row)

    return headers, rows()


def log_personal_data_export(
    session: Session, *, actor: str, kind: str, path: str, file_format: str, participants: int
) -> ExportLog:
    """Record that personal data left the system (the DPO report lists these)."""
    entry = ExportLog(
        actor=actor, kind=kind, path=path, file_format=file_format, participants=participants
    )
    session.add(entry)
    session.flush()
    return entry

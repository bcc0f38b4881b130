"""Import an XLSForm (.xlsx or old .xls) as a Deltaker form.

XLSForm is the spreadsheet format of ODK and KoboToolbox: a ``survey`` sheet (a
row per question), a ``choices`` sheet (the answer lists) and an optional
``settings`` sheet. ``import_xlsform(path)`` returns an :class:`XLSFormImport`
with the :class:`forms.model.Form` and the warnings about what was left out.
Every problem is an :class:`XLSFormError` naming the file, the sheet, the row
and what to fix; all problems of one file are raised together in
:class:`XLSFormErrors` (a :class:`forms.errors.DefinitionErrors`). A broken or
hostile file is never a traceback.

Decisions (a paper form cannot do everything a phone app does):

* Types: ``text``/``string``/``phone number`` -> short text (long text when the
  appearance holds ``multiline``); ``integer``/``int``/``decimal`` -> number;
  ``date``; ``note`` -> information text; ``select_one L`` / ``select one from L``
  -> single choice; ``select_multiple L`` / ``select all that apply from L`` ->
  multiple choice. Choice lists keep their values and order.
* ``or_other`` (and the old ``or specify other``) adds a choice ``other``
  ("Other") and a short-text item ``<name>_other`` shown when ``other`` is
  picked, as ODK does.
* Metadata and computed fields (``start``, ``end``, ``today``, ``deviceid``,
  ``calculate``, ``hidden``, ...) have nothing to print: skipped with a warning.
* Everything a paper form cannot hold (``geopoint``, ``image``, ``audio``,
  ``time``, repeats, loops, external choice files, ...) is an error naming the
  row and the type. A repeat's contents are not reported again.
* Groups become sections. A group at any depth is a section of its own, in sheet
  order (nested groups are flattened); questions that follow a nested group
  inside its parent go into a continuation section ``<parent>__2``, ``__3``...
  with the parent's title. Questions outside any group go into sections
  ``section_1``, ``section_2``... A group's ``relevant`` is joined with ``and``
  onto each question inside it; its hint becomes the section's introduction.
* ``relevant`` is kept as a string on the item (the web form may use it; paper
  prints every item). ``choice_filter`` and the extra columns of the choices
  sheet it refers to are kept in :attr:`XLSFormImport.choice_filters`; paper
  prints every choice. A conditional ``required`` (an expression) becomes not
  required, with a warning.
* Names become ids in lower case (warned when that changes them; ``${Name}``
  references follow); an id, and a choice name, must fit Deltaker's stable keys
  (letters, digits, ``_`` and ``-``). A choice question needs two choices.
* HTML and Markdown in labels and hints (shown by ODK on a phone) are removed,
  with a warning: paper prints plain text.
* Languages: ``label::English (en)`` takes the code in brackets; ``label::English``,
  ``label:Norsk`` and the like are looked up by name (English -> en,
  Norwegian/Norsk/Bokmål -> nb, Nynorsk -> nn, French -> fr, ...); a bare code
  (``label::nb``) is used as it is. ``label`` without a language is the
  settings' ``default_language``, else ``en``. Headers and sheet names are read
  without regard to case, spaces or underscores (``list name`` = ``list_name``).
* Duplicate choices in one list are an error, unless the settings say
  ``allow_choice_duplicates: yes``; then the first is kept, with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from forms.errors import DefinitionError, DefinitionErrors
from forms.isolation import LimitBroken, Limits, run_limited
from forms.model import Choice, Form, FormKind, Item, ItemType, Section, Text

#: A workbook file larger than this is refused before it is opened (bytes).
MAX_FILE_BYTES = 20_000_000
#: Largest total size of the parts of an .xlsx once unzipped; bounds zip bombs (bytes).
MAX_UNZIPPED_BYTES = 100_000_000
#: Largest unzipped/zipped ratio of a part over 1 MB (real sheets stay under 100;
#: a run of zeros reaches about 1,000).
MAX_COMPRESSION_RATIO = 500
#: Parts an .xlsx may hold.
MAX_ZIP_ENTRIES = 10_000
#: Rows read from one sheet (real XLSForms hold a few hundred).
MAX_ROWS = 50_000
#: Columns read from one sheet.
MAX_COLUMNS = 1_024

#: Stable keys: the same rule as forms.load (ids are what spreadsheets and databases store).
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
#: Longest choice name read before it is judged (longer ones are an error either way).
MAX_VALUE_LENGTH = 100
#: A choice question needs this many choices (the same rule as forms.load).
MIN_CHOICES = 2
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")

#: Language names seen in XLSForm headers -> language codes.
LANGUAGE_NAMES: Mapping[str, str] = {
    "english": "en",
    "engelsk": "en",
    "norwegian": "nb",
    "norsk": "nb",
    "bokmål": "nb",
    "bokmal": "nb",
    "norsk bokmål": "nb",
    "norwegian bokmål": "nb",
    "norwegian bokmal": "nb",
    "norsk bokmal": "nb",
    "nynorsk": "nn",
    "norsk nynorsk": "nn",
    "norwegian nynorsk": "nn",
    "sami": "se",
    "sámi": "se",
    "northern sami": "se",
    "nordsamisk": "se",
    "davvisámegiella": "se",
    "swedish": "sv",
    "svenska": "sv",
    "svensk": "sv",
    "danish": "da",
    "dansk": "da",
    "finnish": "fi",
    "suomi": "fi",
    "icelandic": "is",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "portuguese": "pt",
    "português": "pt",
    "italian": "it",
    "italiano": "it",
    "dutch": "nl",
    "polish": "pl",
    "polski": "pl",
    "lithuanian": "lt",
    "latvian": "lv",
    "estonian": "et",
    "russian": "ru",
    "ukrainian": "uk",
    "romanian": "ro",
    "turkish": "tr",
    "arabic": "ar",
    "persian": "fa",
    "farsi": "fa",
    "dari": "prs",
    "pashto": "ps",
    "urdu": "ur",
    "hindi": "hi",
    "bengali": "bn",
    "punjabi": "pa",
    "tamil": "ta",
    "somali": "so",
    "tigrinya": "ti",
    "amharic": "am",
    "swahili": "sw",
    "kiswahili": "sw",
    "hausa": "ha",
    "yoruba": "yo",
    "igbo": "ig",
    "chinese": "zh",
    "mandarin": "zh",
    "japanese": "ja",
    "korean": "ko",
    "vietnamese": "vi",
    "thai": "th",
    "tagalog": "tl",
    "kurdish": "ku",
    "bosnian": "bs",
    "croatian": "hr",
    "serbian": "sr",
    "albanian": "sq",
    "greek": "el",
    "hungarian": "hu",
    "czech": "cs",
    "slovak": "sk",
    "hebrew": "he",
    "nepali": "ne",
    "burmese": "my",
    "indonesian": "id",
    "malay": "ms",
    "macedonian": "mk",
    "slovenian": "sl",
    "bulgarian": "bg",
}

#: Question types Deltaker prints, by their XLSForm names (aliases included).
SIMPLE_TYPES: Mapping[str, ItemType] = {
    "text": ItemType.SHORT_TEXT,
    "string": ItemType.SHORT_TEXT,
    "phone number": ItemType.SHORT_TEXT,
    "integer": ItemType.NUMBER,
    "int": ItemType.NUMBER,
    "decimal": ItemType.NUMBER,
    "date": ItemType.DATE,
    "note": ItemType.INFO,
}

#: Metadata and computed fields: nothing for a person to answer, skipped with a warning.
SKIPPED_TYPES: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "start",
            "end",
            "today",
            "deviceid",
            "imei",
            "subscriberid",
            "simserial",
            "phonenumber",
            "username",
            "email",
            "audit",
            "start-geopoint",
            "uri:deviceid",
            "uri:subscriberid",
            "uri:simserial",
            "uri:phonenumber",
            "uri:username",
            "uri:email",
            "xml-external",
            "csv-external",
        ),
        "it is recorded by the phone app, not answered by a person",
    ),
    "calculate": "a calculation is done by the phone app; paper cannot compute it",
    "hidden": "a hidden field is never shown to a person",
}

_MEDIA = "a photo, sound, video or file cannot be given on paper"
_PLACE = "a map location cannot be given on paper"
#: Types a paper form cannot hold: an error naming the row, with the reason.
UNSUPPORTED_TYPES: Mapping[str, str] = {
    "geopoint": _PLACE,
    "geotrace": _PLACE,
    "geoshape": _PLACE,
    "gps": _PLACE,
    "image": _MEDIA,
    "photo": _MEDIA,
    "audio": _MEDIA,
    "video": _MEDIA,
    "file": _MEDIA,
    "background-audio": _MEDIA,
    "barcode": "a barcode needs the phone's camera",
    "acknowledge": "an 'OK' button has no meaning on paper; use a note",
    "trigger": "an 'OK' button has no meaning on paper; use a note",
    "range": "a slider has no place on paper; use select_one with the steps as choices",
    "rank": "ranking cannot be marked with crosses; ask separate questions",
    "time": "Deltaker has no time-of-day question; use text",
    "datetime": "Deltaker has no date-and-time question; use a date and a text",
    "begin repeat": "a repeat (a set of questions answered several times) has no fixed size "
    "on paper; write the questions out once per time",
    "begin_repeat": "a repeat (a set of questions answered several times) has no fixed size "
    "on paper; write the questions out once per time",
    "include": "including another form is not supported; copy its rows in",
    "osm": "a map drawing cannot be given on paper",
    "entity": "ODK entities are not supported",
}
_EXTERNAL = "choices from an outside file cannot be printed; put them on the choices sheet"

_SELECT_RE = re.compile(
    r"^(?P<kind>select_one|select one|select_multiple|select multiple)\s+(?P<list>\S+)"
    r"(?P<other>\s+or_other)?$",
    re.IGNORECASE,
)
_SELECT_FROM_RE = re.compile(
    r"^(?P<kind>select one|select all that apply) from\s+(?P<list>\S+)"
    r"(?P<other>\s+or specify other)?$",
    re.IGNORECASE,
)
_EXTERNAL_RE = re.compile(
    r"^(select_one_from_file|select_multiple_from_file|select_one_external|"
    r"select_multiple_external)\b",
    re.IGNORECASE,
)

_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"", "no", "false", "false()", "0"}

_OTHER_LABELS: Mapping[str, str] = {"nb": "Annet", "nn": "Anna", "en": "Other"}
_OTHER_SPECIFY: Mapping[str, str] = {
    "nb": "Annet. Skriv her:",
    "nn": "Anna. Skriv her:",
    "en": "Other. Write here:",
}


class XLSFormError(DefinitionError):
    """One problem in an XLSForm: the file, the sheet and the row say where."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        sheet: str | None = None,
        row: int | None = None,
        type: str | None = None,
    ):
        self.sheet = sheet
        self.row = row
        self.type = type
        super().__init__(message, file=file, line=row)

    def format(self) -> str:
        where = self.file or ""
        if self.sheet and self.row:
            where += f": sheet {self.sheet!r}, row {self.row}"
        elif self.sheet:
            where += f": sheet {self.sheet!r}"
        return f"{where}: {self.message}"


class XLSFormErrors(DefinitionErrors):
    """Every problem found in one XLSForm (``errors`` holds them, in sheet order)."""


@dataclass(frozen=True)
class ImportWarning:
    """Something left out or changed on import; the form is still usable."""

    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        where = f"sheet {self.sheet!r}, row {self.row}" if self.row else f"sheet {self.sheet!r}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ChoiceFilter:
    """An XLSForm choice_filter, kept for the web form (paper prints every choice).

    ``attributes`` holds, per choice value, the extra columns of the choices sheet
    (e.g. ``{"king": {"cf": "washington"}}``) the expression refers to.
    """

    expression: str
    attributes: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class XLSFormImport:
    form: Form
    warnings: tuple[ImportWarning, ...] = ()
    choice_filters: Mapping[str, ChoiceFilter] = field(default_factory=dict)


# --- reading workbooks ------------------------------------------------------------------------


@dataclass
class _Sheet:
    name: str  # as written in the workbook
    rows: list[tuple[int, list[Any]]]  # (1-based row number, cell values)


def _cell(value: Any) -> str:
    """A cell as text: numbers without a needless '.0', booleans as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _check_zip(path: Path, display: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except Exception as exc:  # noqa: BLE001 - zipfile raises several kinds on a damaged archive
        # (BadZipFile, NotImplementedError for a garbled version field, OSError, ValueError...)
        raise _single(f"not a readable .xlsx workbook ({exc})", display) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _single(
            f"the workbook holds {len(entries)} parts; at most {MAX_ZIP_ENTRIES} are read", display
        )
    total = sum(e.file_size for e in entries)
    if total > MAX_UNZIPPED_BYTES:
        raise _single(
            f"the workbook unpacks to {total:,} bytes, more than the "
            f"{MAX_UNZIPPED_BYTES:,} allowed (a zip bomb?)",
            display,
        )
    for e in entries:
        if e.file_size > 1_000_000 and e.file_size > MAX_COMPRESSION_RATIO * max(
            e.compress_size, 1
        ):
            raise _single(
                f"part {e.filename!r} unpacks {e.file_size // max(e.compress_size, 1)}"
                " times its packed size (a zip bomb?)",
                display,
            )


def _read_xlsx(path: Path, display: str) -> list[_Sheet]:
    import openpyxl  # only the readers need it (tests/test_architecture.py)

    _check_zip(path, display)
    sheets: list[_Sheet] = []
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops (extensions, validation)
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                for ws in workbook.worksheets:
                    # Files often claim a million rows in their <dimension>; read what is there.
                    ws.reset_dimensions()
                    rows: list[tuple[int, list[Any]]] = []
                    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                        # Empty rows are not kept: some files pad a sheet to row 1,048,576.
                        if not any(v is not None and v != "" for v in row):
                            continue
                        if len(rows) >= MAX_ROWS:
                            raise _single(
                                f"more than {MAX_ROWS:,} filled rows", display, sheet=ws.title
                            )
                        rows.append((number, list(row[:MAX_COLUMNS])))
                    sheets.append(_Sheet(ws.title, rows))
            finally:
                workbook.close()
    except XLSFormErrors:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a hostile file is the file's fault
        raise _single(
            f"could not read the workbook ({type(exc).__name__}: {exc})", display
        ) from None
    return sheets


def _read_xls(path: Path, display: str) -> list[_Sheet]:
    import xlrd

    sheets: list[_Sheet] = []
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
        try:
            for index in range(book.nsheets):
                sh = book.sheet_by_index(index)
                rows: list[tuple[int, list[Any]]] = []
                width = min(sh.ncols, MAX_COLUMNS)
                for r in range(sh.nrows):
                    types = sh.row_types(r, 0, width)
                    if all(t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) for t in types):
                        continue
                    if len(rows) >= MAX_ROWS:
                        raise _single(f"more than {MAX_ROWS:,} filled rows", display, sheet=sh.name)
                    values: list[Any] = []
                    for ctype, value in zip(types, sh.row_values(r, 0, width), strict=True):
                        if ctype == xlrd.XL_CELL_BOOLEAN:
                            values.append(bool(value))
                        elif ctype == xlrd.XL_CELL_DATE:
                            values.append(_xls_date(value, book.datemode))
                        elif ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                            values.append(None)
                        else:
                            values.append(value)
                    rows.append((r + 1, values))
                sheets.append(_Sheet(sh.name, rows))
                book.unload_sheet(index)
        finally:
            book.release_resources()
    except XLSFormErrors:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a hostile file is the file's fault
        raise _single(
            f"could not read the .xls workbook ({type(exc).__name__}: {exc})", display
        ) from None
    return sheets


def _xls_date(value: float, datemode: int) -> Any:
    import xlrd

    try:
        return xlrd.xldate.xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
        return value  # an impossible date stays the number that was typed


def _single(
    message: str, display: str, *, sheet: str | None = None, row: int | None = None
) -> XLSFormErrors:
    return XLSFormErrors([XLSFormError(message, file=display, sheet=sheet, row=row)])


def read_workbook(path: str | Path) -> list[_Sheet]:
    """Every sheet of an .xlsx or .xls file as rows of cell values (format found by content)."""
    path = Path(path)
    display = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _single(f"cannot open the file ({exc.strerror or exc})", display) from None
    if path.is_dir():
        raise _single("is a folder, not an XLSForm workbook", display)
    if size > MAX_FILE_BYTES:
        raise _single(f"the file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read", display)
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, display)
    if head == _OLE2_MAGIC:
        return _read_xls(path, display)
    raise _single("not an Excel workbook: save the XLSForm as .xlsx (or .xls)", display)


# --- headers and languages ---------------------------------------------------------------------


def language_code(name: str) -> str | None:
    """The language code for a header's language part, or None when it is not known.

    "English (en)" -> "en"; "Norsk" -> "nb"; "nb" -> "nb"; "Klingon" -> None.
    """
    name = name.strip()
    bracket = re.fullmatch(r".*\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\s*\)", name)
    if bracket:
        return bracket.group(1).lower()
    low = " ".join(name.lower().split())
    if low in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[low]
    if LANGUAGE_CODE.match(low):
        return low
    return None


def _split_header(raw: str) -> tuple[str, str | None]:
    """'label::English (en)' -> ('label', 'English (en)'); 'bind: relevant' -> ('relevant', None)"""
    text = raw.strip()
    if text.lower().startswith("bind:"):
        text = text[5:].strip()
    if "::" in text:
        base, lang = text.split("::", 1)
    elif ":" in text:
        base, lang = text.split(":", 1)
    else:
        base, lang = text, None
    base = "_".join(base.strip().lower().split())
    return base, (lang.strip() if lang is not None and lang.strip() else None)


@dataclass
class _Columns:
    """Where each column we read sits on a sheet."""

    single: dict[str, int] = field(default_factory=dict)  # base name -> column index
    texts: dict[str, dict[str, int]] = field(default_factory=dict)  # label/hint -> lang -> col
    others: dict[str, int] = field(default_factory=dict)  # every other header -> col
    language_order: list[str] = field(default_factory=list)


def _col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _read_header(
    sheet: _Sheet,
    singles: Sequence[str],
    texts: Sequence[str],
    default_language: str,
    errs: _Errors,
) -> tuple[_Columns, int]:
    """Parse the first non-empty row of ``sheet`` as its header."""
    cols = _Columns()
    header_row = 0
    for number, row in sheet.rows:
        if any(_cell(v) for v in row):
            header_row = number
            header = [_cell(v) for v in row]
            break
    else:
        return cols, 0
    seen: dict[tuple[str, str | None], int] = {}
    for index, raw in enumerate(header):
        if not raw:
            continue
        base, lang_name = _split_header(raw)
        if base == "list_name" or base == "listname":
            base = "list_name"
        if base in texts:
            if lang_name is None or lang_name.lower() == "default":
                lang = default_language
            else:
                lang = language_code(lang_name)
                if lang is None:
                    errs.add(
                        f"column {_col_letter(index)} {raw!r}: unknown language "
                        f"{lang_name!r}; write it with its code, e.g. "
                        f"'{base}::{lang_name} (xx)'",
                        sheet.name,
                        header_row,
                    )
                    continue
            key: tuple[str, str | None] = (base, lang)
        elif base in singles:
            key = (base, None)
        else:
            cols.others.setdefault(raw.strip().lower(), index)
            continue
        if key in seen:
            errs.add(
                f"columns {_col_letter(seen[key])} and {_col_letter(index)} are both "
                f"{raw!r}" + (f" (language {key[1]})" if key[1] else "") + "; keep one",
                sheet.name,
                header_row,
            )
            continue
        seen[key] = index
        if key[1] is None:
            cols.single[base] = index
        else:
            cols.texts.setdefault(base, {})[key[1]] = index
            if key[1] not in cols.language_order:
                cols.language_order.append(key[1])
    return cols, header_row


def _get(row: list[Any], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return _cell(row[index])


def _tidy(text: str) -> str:
    """Trailing spaces at line ends are not content (the same rule as forms.load)."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def plain_text(text: str) -> str:
    """A label without the HTML and Markdown ODK renders on a phone (paper prints plain text).

    '<span style="color:red">Stop</span>' -> 'Stop'; '**Only** [here](http://x)' -> 'Only here'.
    """
    text = _HTML_TAG.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EMPHASIS.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    return (
        text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )


def _has_markup(row: list[Any], columns: Mapping[str, int] | None) -> bool:
    return any(plain_text(_get(row, i)) != _get(row, i) for i in (columns or {}).values())


def _text_of(row: list[Any], columns: Mapping[str, int] | None) -> Text | None:
    if not columns:
        return None
    values = {lang: _tidy(plain_text(_get(row, i))) for lang, i in columns.items()}
    values = {lang: v for lang, v in values.items() if v}
    return Text(values) if values else None


class _Errors:
    def __init__(self, display: str):
        self.display = display
        self.errors: list[XLSFormError] = []
        self.warnings: list[ImportWarning] = []

    def add(
        self,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        type: str | None = None,
    ) -> None:
        self.errors.append(
            XLSFormError(message, file=self.display, sheet=sheet, row=row, type=type)
        )

    def warn(self, message: str, sheet: str, row: int | None = None) -> None:
        self.warnings.append(ImportWarning(sheet, row, message))


# --- settings and choices ----------------------------------------------------------------------


def _find_sheet(sheets: Sequence[_Sheet], name: str) -> _Sheet | None:
    for sheet in sheets:
        if "_".join(sheet.name.strip().lower().split()) == name:
            return sheet
    return None


_SETTING_ALIASES = {"title": "form_title", "id_string": "form_id"}


def _settings(sheet: _Sheet | None) -> dict[str, str]:
    if sheet is None:
        return {}
    filled = [row for _, row in sheet.rows if any(_cell(v) for v in row)]
    if len(filled) < 2:
        return {}
    header, values = filled[0], filled[1]
    out: dict[str, str] = {}
    for index, raw in enumerate(header):
        key = "_".join(_cell(raw).lower().split())
        key = _SETTING_ALIASES.get(key, key)
        if key and key not in out:
            out[key] = _get(values, index)
    return out


@dataclass
class _ChoiceRow:
    value: str  # lower case: a stable key
    written: str  # as written on the sheet
    label: Text | None
    row: int
    attributes: dict[str, str]


_CHOICE_MEDIA = {"image", "audio", "video", "media", "big-image"}


def _choices(
    sheet: _Sheet | None, default_language: str, errs: _Errors, allow_duplicates: bool
) -> dict[str, list[_ChoiceRow]]:
    lists: dict[str, list[_ChoiceRow]] = {}
    if sheet is None:
        return lists
    cols, header_row = _read_header(
        sheet, ("list_name", "name"), ("label",), default_language, errs
    )
    if not header_row:
        return lists
    if "list_name" not in cols.single or "name" not in cols.single:
        missing = [c for c in ("list_name", "name") if c not in cols.single]
        errs.add(f"the header row has no {' or '.join(missing)} column", sheet.name, header_row)
        return lists
    attribute_cols = {
        h: i
        for h, i in cols.others.items()
        if _split_header(h)[0] not in _CHOICE_MEDIA and not h.startswith("_")
    }
    first_row: dict[tuple[str, str], int] = {}
    for number, row in sheet.rows:
        if number <= header_row:
            continue
        list_name = _get(row, cols.single["list_name"])
        value = _get(row, cols.single["name"])
        label = _text_of(row, cols.texts.get("label"))
        if not list_name and not value:
            if label is not None:
                errs.add("this choice has a label but no list_name and no name", sheet.name, number)
            continue
        if not list_name:
            errs.add(f"choice {value!r} has no list_name", sheet.name, number)
            continue
        if not value:
            errs.add(
                f"a choice in list {list_name!r} has no name (the value to store)",
                sheet.name,
                number,
            )
            continue
        if "\n" in value or len(value) > MAX_VALUE_LENGTH:
            errs.add(
                f"choice name {value[:40]!r} must be one line of at most "
                f"{MAX_VALUE_LENGTH} characters",
                sheet.name,
                number,
            )
            continue
        written, value = value, value.lower()
        key = (list_name, value)
        if key in first_row:
            if allow_duplicates:
                errs.warn(
                    f"list {list_name!r} has {value!r} again (first on row "
                    f"{first_row[key]}); kept the first",
                    sheet.name,
                    number,
                )
            else:
                errs.add(
                    f"list {list_name!r} has {value!r} twice (rows {first_row[key]} and "
                    f"{number}); names in a list must differ",
                    sheet.name,
                    number,
                )
            continue
        first_row[key] = number
        attrs = {h: _get(row, i) for h, i in attribute_cols.items() if _get(row, i)}
        lists.setdefault(list_name, []).append(_ChoiceRow(value, written, label, number, attrs))
    return lists


# --- the survey sheet --------------------------------------------------------------------------


@dataclass
class _Group:
    name: str
    title: Text | None
    intro: Text | None
    relevant: str | None
    row: int
    parts: int = 1  # sections this group has opened so far
    count: int = 0  # questions inside it, at any depth


@dataclass
class _Builder:
    sections: list[Section] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    items: list[Item] = field(default_factory=list)
    current: tuple[str, Text | None, Text | None, int | None] = ("", None, None, None)
    loose_runs: int = 0

    def unique(self, wanted: str) -> str:
        sid, n = wanted, 1
        while sid in self.used_ids:
            n += 1
            sid = f"{wanted}__{n}"
        self.used_ids.add(sid)
        return sid

    def start(
        self, wanted: str | None, title: Text | None, intro: Text | None, row: int | None
    ) -> None:
        self.flush()
        self.current = (wanted or "", title, intro, row)

    def flush(self) -> None:
        if not self.items:
            return
        wanted, title, intro, row = self.current
        if not wanted:
            self.loose_runs += 1
            wanted = f"section_{self.loose_runs}"
        self.sections.append(
            Section(self.unique(wanted), title, tuple(self.items), intro=intro, line=row)
        )
        self.items = []


def _is_required(raw: str) -> bool | None:
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return None


def _parse_type(raw: str) -> tuple[str, ItemType | None, str | None, bool]:
    """(kind, item type, list name, or_other); kind: item|group|end_group|skip|bad|external."""
    text = " ".join(raw.split())
    low = text.lower()
    if low in ("begin group", "begin_group"):
        return "group", None, None, False
    if low in ("end group", "end_group"):
        return "end_group", None, None, False
    if low in ("end repeat", "end_repeat", "end loop", "end_loop"):
        return "end_repeat", None, None, False
    if _EXTERNAL_RE.match(low):
        return "external", None, None, False
    for pattern in (_SELECT_RE, _SELECT_FROM_RE):
        m = pattern.match(text)
        if m:
            kind = m.group("kind").lower()
            multiple = "multiple" in kind or "all that apply" in kind
            item_type = ItemType.MULTIPLE_CHOICE if multiple else ItemType.SINGLE_CHOICE
            return "item", item_type, m.group("list"), bool(m.group("other"))
    if low in SIMPLE_TYPES:
        return "item", SIMPLE_TYPES[low], None, False
    if low in SKIPPED_TYPES:
        return "skip", None, None, False
    if low in UNSUPPORTED_TYPES or low.startswith("begin loop") or low.startswith("begin_loop"):
        return "bad", None, None, False
    return "unknown", None, None, False


def _reason(low: str) -> str:
    if low.startswith("begin loop") or low.startswith("begin_loop"):
        return (
            "a loop (the same questions for each choice) cannot be printed as a fixed "
            "form; write the questions out"
        )
    return UNSUPPORTED_TYPES.get(low, "")


def _join_relevant(parts: Sequence[str | None]) -> str | None:
    present = [p for p in parts if p]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return " and ".join(f"({p})" for p in present)


def _item_id(name: str, sheet: str, row: int, errs: _Errors) -> str | None:
    if not name:
        errs.add("this row has a type but no name", sheet, row)
        return None
    ident = name.lower()
    if not ID_PATTERN.match(ident):
        errs.add(
            f"name {name!r} cannot be an id: use letters, digits, '_' and '-', starting "
            "with a letter or digit (at most 63)",
            sheet,
            row,
        )
        return None
    if ident != name:
        errs.warn(f"name {name!r} is stored as {ident!r} (ids are lower case)", sheet, row)
    return ident


def _check_list(list_name: str, rows: Sequence[_ChoiceRow], sheet: str, errs: _Errors) -> None:
    """Choice names must be stable keys too; checked once per list a question uses."""
    changed = []
    for r in rows:
        if not ID_PATTERN.match(r.value):
            errs.add(
                f"choice name {r.written!r} in list {list_name!r} cannot be a stored "
                "value: use letters, digits, '_' and '-', starting with a letter or digit",
                sheet,
                r.row,
            )
        elif r.value != r.written:
            changed.append(r.written)
    if changed:
        errs.warn(
            f"list {list_name!r}: {', '.join(map(repr, changed))} stored in lower case",
            sheet,
            rows[0].row,
        )


def _other_text(languages: Sequence[str], table: Mapping[str, str]) -> Text:
    return Text({lang: table.get(lang, table["en"]) for lang in languages})


def import_xlsform(
    path: str | Path,
    *,
    form_id: str | None = None,
    kind: FormKind = FormKind.QUESTIONNAIRE,
    sheets: list[_Sheet] | None = None,
) -> XLSFormImport:
    """Read an XLSForm workbook and build the form (see the module text for every decision).

    Raises :class:`XLSFormErrors` listing every problem, each naming the sheet and row.
    """
    path = Path(path)
    display = str(path)
    errs = _Errors(display)
    if sheets is None:  # else read already, in a worker (import_xlsform_isolated)
        sheets = read_workbook(path)

    survey = _find_sheet(sheets, "survey")
    if survey is None:
        names = ", ".join(repr(s.name) for s in sheets) or "none"
        raise _single(f"no sheet named 'survey' (the sheets are: {names})", display)
    settings = _settings(_find_sheet(sheets, "settings"))
    default_language = _default_language(settings, errs)
    the_id = _form_id(form_id, settings, path, errs)

    allow_duplicates = _is_required(settings.get("allow_choice_duplicates", "")) is True
    choices_found = _find_sheet(sheets, "choices")
    lists = _choices(choices_found, default_language, errs, allow_duplicates)

    cols, header_row = _read_header(
        survey,
        ("type", "name", "required", "relevant", "choice_filter", "appearance"),
        ("label", "hint"),
        default_language,
        errs,
    )
    if not header_row:
        raise _single("the survey sheet is empty", display, sheet=survey.name)
    missing = [needed for needed in ("type", "name") if needed not in cols.single]
    if missing:
        found = ", ".join(_cell(v) for v in dict(survey.rows)[header_row] if _cell(v))
        errs.add(
            f"the header row has no {' or '.join(map(repr, missing))} column (found: {found})",
            survey.name,
            header_row,
        )
        raise XLSFormErrors(errs.errors)

    reader = _SurveyReader(
        survey.name,
        cols,
        lists,
        choices_found.name if choices_found else "choices",
        default_language,
        errs,
    )
    for number, row in survey.rows:
        if number > header_row:
            reader.row(number, row)
    reader.close()
    if errs.errors:
        raise XLSFormErrors(errs.errors)
    if not reader.builder.sections:
        raise _single(
            "there are no questions Deltaker can print (every row was skipped: "
            + "; ".join(str(w) for w in errs.warnings[:3])
            + ")"
            if errs.warnings
            else "there are no questions on the survey sheet",
            display,
            sheet=survey.name,
        )

    ignored = sorted(
        h
        for h, i in cols.others.items()
        if not h.startswith("_") and any(_get(r, i) for n, r in survey.rows if n > header_row)
    )
    if ignored:
        errs.warn(f"columns not used on paper: {', '.join(ignored)}", survey.name)

    found_languages = reader.languages
    languages = tuple(
        ([default_language] if default_language in found_languages else [])
        + [lang for lang in found_languages if lang != default_language]
    ) or (default_language,)
    title_text = settings.get("form_title") or the_id
    form = Form(
        id=the_id,
        kind=kind,
        title=Text(dict.fromkeys(languages, title_text)),
        sections=_finish_sections(reader.builder.sections, languages, errs, survey.name),
        languages=languages,
        source=display,
    )
    if len(languages) > 1:
        for lang in languages:
            gaps = _untranslated(form, lang)
            if gaps:
                errs.warn(
                    f"{len(gaps)} text{'s have' if len(gaps) > 1 else ' has'} no "
                    f"{lang!r} version (first: {gaps[0]}); another language is shown "
                    "instead",
                    survey.name,
                )
    return XLSFormImport(form, tuple(errs.warnings), reader.choice_filters)


def _default_language(settings: Mapping[str, str], errs: _Errors) -> str:
    """The settings' default_language as a code; ``en`` when none is given."""
    given = settings.get("default_language")
    if not given:
        return "en"
    code = language_code(given)
    if code is None:
        errs.add(
            f"default_language {given!r} is not a language Deltaker knows; write it with "
            "its code, e.g. 'Norsk (nb)'",
            "settings",
        )
        return "en"
    return code


def _form_id(form_id: str | None, settings: Mapping[str, str], path: Path, errs: _Errors) -> str:
    """The id asked for, else the settings' form_id or the file name made into an id."""
    if form_id is not None:
        if not ID_PATTERN.match(form_id):
            raise _single(
                f"form id {form_id!r} must be lower-case letters, digits, '_' or '-'", str(path)
            )
        return form_id
    wanted = settings.get("form_id") or path.stem
    the_id = re.sub(r"[^a-z0-9_-]+", "-", wanted.lower()).strip("-_")[:63] or "form"
    if the_id != wanted:
        errs.warn(f"form id {wanted!r} is stored as {the_id!r}", "settings")
    return the_id


class _SurveyReader:
    """Reads the survey sheet row by row into sections, collecting problems in ``errs``."""

    def __init__(
        self,
        sheet: str,
        cols: _Columns,
        lists: Mapping[str, list[_ChoiceRow]],
        choices_sheet: str,
        default_language: str,
        errs: _Errors,
    ):
        self.sheet = sheet
        self.cols = cols
        self.lists = lists
        self.choices_sheet = choices_sheet
        self.default_language = default_language
        self.errs = errs
        self.builder = _Builder()
        self.stack: list[_Group] = []
        self.item_rows: dict[str, int] = {}
        self.choice_filters: dict[str, ChoiceFilter] = {}
        self.checked_lists: set[str] = set()
        self.languages: list[str] = []  # of question and group texts, in order of appearance
        self.skip_depth = 0  # inside an unsupported repeat or loop: its rows are not reported
        self.skip_row = 0

    def _column(self, row: list[Any], name: str) -> str:
        return _get(row, self.cols.single.get(name))

    def _error(self, message: str, number: int | None, type_: str | None = None) -> None:
        self.errs.add(message, self.sheet, number, type_)

    def _note_languages(self, *texts: Text | None) -> None:
        for text in texts:
            for lang in text.values if text is not None else ():
                if lang not in self.languages:
                    self.languages.append(lang)

    def row(self, number: int, row: list[Any]) -> None:
        raw_type = self._column(row, "type")
        name = self._column(row, "name")
        if not raw_type:
            if name:
                self._error(f"{name!r} has no type", number)
            return
        kind, item_type, list_name, or_other = _parse_type(raw_type)
        low = " ".join(raw_type.lower().split())
        if self.skip_depth:
            if kind == "bad" and low.startswith("begin"):
                self.skip_depth += 1
            elif kind == "end_repeat":
                self.skip_depth -= 1
            return
        if kind == "group":
            self.begin_group(number, row, name, raw_type)
        elif kind == "end_group":
            self.end_group(number, raw_type)
        elif kind == "end_repeat":
            self._error(f"{raw_type!r} without a matching begin", number, raw_type)
        elif kind == "skip":
            self.errs.warn(
                f"type {raw_type!r} ({name or 'no name'}) skipped: {SKIPPED_TYPES[low]}",
                self.sheet,
                number,
            )
        elif kind == "bad":
            self._error(f"type {raw_type!r} is not supported: {_reason(low)}", number, raw_type)
            if low.startswith("begin"):
                self.skip_depth, self.skip_row = 1, number
        elif kind == "external":
            self._error(f"type {raw_type!r} is not supported: {_EXTERNAL}", number, raw_type)
        elif kind == "unknown":
            self._error(
                f"unknown type {raw_type!r}; Deltaker reads text, integer, decimal, "
                "date, note, select_one, select_multiple, begin group and end group",
                number,
                raw_type,
            )
        elif item_type is not None:
            self.question(number, row, name, raw_type, item_type, list_name, or_other)

    def begin_group(self, number: int, row: list[Any], name: str, raw_type: str) -> None:
        if not name:
            self._error("'begin group' needs a name", number, raw_type)
            return
        group_id = name.lower()
        if not ID_PATTERN.match(group_id):
            self._error(
                f"group name {name!r} cannot be an id: use letters, digits, '_' and '-'",
                number,
                raw_type,
            )
            return
        label = _text_of(row, self.cols.texts.get("label"))
        hint = _text_of(row, self.cols.texts.get("hint"))
        title = label or (self.stack[-1].title if self.stack else None)
        self.stack.append(
            _Group(group_id, title, hint, self._column(row, "relevant") or None, number)
        )
        self._note_languages(label, hint)
        self.builder.start(group_id, title, hint, number)

    def end_group(self, number: int, raw_type: str) -> None:
        if not self.stack:
            self._error("'end group' without a 'begin group' before it", number, raw_type)
            return
        closed = self.stack.pop()
        if closed.count == 0:
            self.errs.warn(
                f"group {closed.name!r} (row {closed.row}) holds no questions; left out",
                self.sheet,
                number,
            )
        if self.stack:  # back in the parent group: its questions continue in a new section
            parent = self.stack[-1]
            parent.parts += 1
            self.builder.start(f"{parent.name}__{parent.parts}", parent.title, None, number)
        else:
            self.builder.start(None, None, None, number)

    def question(
        self,
        number: int,
        row: list[Any],
        name: str,
        raw_type: str,
        item_type: ItemType,
        list_name: str | None,
        or_other: bool,
    ) -> None:
        ident = _item_id(name, self.sheet, number, self.errs)
        if ident is None:
            return
        if ident in self.item_rows:
            self._error(
                f"name {name!r} is used twice (rows {self.item_rows[ident]} and "
                f"{number}); every question needs its own name",
                number,
            )
            return
        self.item_rows[ident] = number
        label = _text_of(row, self.cols.texts.get("label"))
        hint = _text_of(row, self.cols.texts.get("hint"))
        if any(_has_markup(row, self.cols.texts.get(c)) for c in ("label", "hint")):
            self.errs.warn(
                f"{name!r}: HTML or Markdown formatting removed (paper prints plain text)",
                self.sheet,
                number,
            )
        if item_type == ItemType.INFO and label is None:
            self.errs.warn(f"note {name!r} has no text (only media?); left out", self.sheet, number)
            return
        if label is None:
            label = Text({self.default_language: name})
            self.errs.warn(f"{name!r} has no label; its name is shown instead", self.sheet, number)
        if (
            item_type == ItemType.SHORT_TEXT
            and "multiline" in self._column(row, "appearance").lower()
        ):
            item_type = ItemType.LONG_TEXT
        required = self._required(number, row, name) and item_type != ItemType.INFO

        choices: tuple[Choice, ...] = ()
        if list_name is not None:
            found = self._choices(number, row, ident, raw_type, list_name)
            if found is None:
                return
            choices = found
        if or_other:
            if any(choice.value == "other" for choice in choices):
                self.errs.warn(
                    f"list {list_name!r} already has 'other'; or_other adds no choice",
                    self.sheet,
                    number,
                )
            else:
                other = Choice("other", _other_text(list(label.values), _OTHER_LABELS))
                choices = (*choices, other)

        conditions = [g.relevant for g in self.stack] + [self._column(row, "relevant") or None]
        self._add(
            Item(
                id=ident,
                type=item_type,
                label=label,
                hint=hint,
                required=required,
                choices=choices,
                relevant=_join_relevant(conditions),
                line=number,
            )
        )
        if or_other:
            self._add_other_text(number, ident, label, conditions)

    def _required(self, number: int, row: list[Any], name: str) -> bool:
        raw = self._column(row, "required")
        required = _is_required(raw)
        if required is None:
            self.errs.warn(
                f"required {raw!r} is a condition; {name!r} is imported as not required",
                self.sheet,
                number,
            )
            return False
        return required

    def _choices(
        self, number: int, row: list[Any], ident: str, raw_type: str, list_name: str
    ) -> tuple[Choice, ...] | None:
        """The question's choices from its list; None (with an error) when it cannot have them."""
        if list_name not in self.lists:
            known = ", ".join(sorted(self.lists)) or "the choices sheet is empty or missing"
            self._error(
                f"{raw_type!r}: list {list_name!r} is not on the choices sheet ({known})",
                number,
                raw_type,
            )
            return None
        rows = self.lists[list_name]
        if list_name not in self.checked_lists:
            self.checked_lists.add(list_name)
            _check_list(list_name, rows, self.choices_sheet, self.errs)
        if len(rows) < MIN_CHOICES:
            self._error(
                f"{raw_type!r}: list {list_name!r} has {len(rows)} choice; a question "
                f"needs at least {MIN_CHOICES}",
                number,
                raw_type,
            )
            return None
        unlabelled = [r.value for r in rows if r.label is None]
        if unlabelled:
            self.errs.warn(
                f"list {list_name!r}: {', '.join(map(repr, unlabelled))} have no "
                "label; their names are shown",
                self.sheet,
                number,
            )
        expression = self._column(row, "choice_filter")
        if expression:
            self.choice_filters[ident] = ChoiceFilter(
                _lower_references(expression) or expression,
                {r.value: dict(r.attributes) for r in rows},
            )
            self.errs.warn(
                f"choice_filter {expression!r} kept for the web form; paper shows every choice",
                self.sheet,
                number,
            )
        return tuple(
            Choice(r.value, r.label or Text({self.default_language: r.value})) for r in rows
        )

    def _add_other_text(
        self, number: int, ident: str, label: Text, conditions: list[str | None]
    ) -> None:
        """or_other: the short text written when 'other' is marked, as ODK adds it."""
        other_id = f"{ident}_other"
        if other_id in self.item_rows:
            self._error(
                f"or_other needs the name {other_id!r} for the 'other' text, but row "
                f"{self.item_rows[other_id]} uses it",
                number,
            )
            return
        self.item_rows[other_id] = number
        self._add(
            Item(
                id=other_id,
                type=ItemType.SHORT_TEXT,
                label=_other_text(list(label.values), _OTHER_SPECIFY),
                relevant=_join_relevant([*conditions, f"selected(${{{ident}}}, 'other')"]),
                line=number,
            )
        )

    def _add(self, item: Item) -> None:
        self._note_languages(item.label, item.hint)
        for group in self.stack:
            group.count += 1
        self.builder.items.append(item)

    def close(self) -> None:
        if self.skip_depth:
            self._error(
                f"the repeat or loop begun on row {self.skip_row} is never closed", self.skip_row
            )
        for group in self.stack:
            self._error(
                f"group {group.name!r} (row {group.row}) is never closed with 'end group'",
                group.row,
            )
        self.builder.flush()


_REFERENCE = re.compile(r"\$\{([^}]*)\}")


def _finish_sections(
    sections: Sequence[Section], languages: tuple[str, ...], errs: _Errors, sheet: str
) -> tuple[Section, ...]:
    """Keep texts to the form's languages; drop conditions that name no question of the form.

    Choice lists may carry languages the questions lack (a form's languages come from
    its questions). A ``relevant`` that refers to a skipped calculation or metadata
    field cannot be evaluated here: the question is then always shown, with a warning.
    """
    ids = {item.id for section in sections for item in section.items}
    finished = []
    for section in sections:
        items = []
        for item in section.items:
            choices = tuple(
                replace(c, label=_only(c.label, languages, c.value)) for c in item.choices
            )
            relevant = _lower_references(item.relevant)
            if relevant:
                unknown = sorted({n.strip().lower() for n in _REFERENCE.findall(relevant)} - ids)
                if unknown:
                    errs.warn(
                        f"{item.id!r}: relevant {relevant!r} refers to "
                        f"{', '.join(map(repr, unknown))}, which is not a question here "
                        "(a skipped calculation?); the question is always shown",
                        sheet,
                        item.line,
                    )
                    relevant = None
            items.append(replace(item, choices=choices, relevant=relevant))
        finished.append(replace(section, items=tuple(items)))
    dropped = {
        lang
        for section in sections
        for item in section.items
        for c in item.choices
        for lang in c.label.values
    } - set(languages)
    if dropped:
        errs.warn(
            f"choice labels in {', '.join(sorted(dropped))} left out: no question has "
            "a label in that language",
            sheet,
        )
    return tuple(finished)


def _lower_references(expression: str | None) -> str | None:
    """``${FirstName}`` -> ``${firstname}``: names became lower-case ids."""
    if not expression:
        return expression
    return _REFERENCE.sub(lambda m: "${" + m.group(1).strip().lower() + "}", expression)


def _only(text: Text, languages: tuple[str, ...], fallback: str) -> Text:
    kept = {lang: v for lang, v in text.values.items() if lang in languages}
    return Text(kept or {languages[0]: fallback})


def _untranslated(form: Form, language: str) -> list[str]:
    """Where ``form`` has a text without a ``language`` version, as "item 'x' label"."""
    gaps: list[str] = []
    for section in form.sections:
        for what, text in (("title", section.title), ("intro", section.intro)):
            if text is not None and language not in text.values:
                gaps.append(f"section {section.id!r} {what}")
        for item in section.items:
            for what, text in (("label", item.label), ("hint", item.hint)):
                if text is not None and language not in text.values:
                    gaps.append(f"item {item.id!r} {what}")
            for choice in item.choices:
                if language not in choice.label.values:
                    gaps.append(f"item {item.id!r} choice {choice.value!r}")
    return gaps


# --- reading in a worker process with limits --------------------------------------------------

#: Limits of the worker process that reads a workbook for import_xlsform_isolated.
WORKER_LIMITS = Limits(memory_bytes=1_000_000_000, cpu_seconds=60, wall_seconds=120.0)


def import_xlsform_isolated(
    path: str | Path,
    *,
    form_id: str | None = None,
    kind: FormKind = FormKind.QUESTIONNAIRE,
    limits: Limits = WORKER_LIMITS,
) -> XLSFormImport:
    """:func:`import_xlsform` with the workbook read in a worker with memory, CPU and time limits.

    For files from outside (DESIGN.md: untrusted spreadsheets are parsed at arm's
    length). Only the reading of the file, where a hostile workbook can do harm,
    runs in the worker; its cells come back as JSON text, so nothing but plain
    values crosses back, and the form is built from them here.
    """
    import json

    display = str(path)
    try:
        raw = run_limited("forms.xlsform:_read_in_worker", {"path": display}, limits)
        reply = json.loads(raw)
    except LimitBroken as exc:
        raise _single(
            f"reading the file {exc.reason} (a hostile or broken file?)", display
        ) from None
    except json.JSONDecodeError:
        raise _single(
            "the reader sent back no workbook (a hostile or broken file?)", display
        ) from None
    if "errors" in reply:
        raise XLSFormErrors(
            [
                XLSFormError(
                    e["message"], file=e["file"], sheet=e["sheet"], row=e["row"], type=e["type"]
                )
                for e in reply["errors"]
            ]
        )
    if "failed" in reply:
        raise _single(reply["failed"], display)
    sheets = [
        _Sheet(sheet["name"], [(int(n), cells) for n, cells in sheet["rows"]])
        for sheet in reply["sheets"]
    ]
    return import_xlsform(path, form_id=form_id, kind=kind, sheets=sheets)


def _read_in_worker(request: dict[str, Any]) -> bytes:
    """In the worker: read every sheet; cells as text (as :func:`_cell` shows them) in JSON."""
    import json

    reply: dict[str, Any]
    try:
        sheets = read_workbook(request["path"])
        reply = {
            "sheets": [
                {
                    "name": sheet.name,
                    "rows": [
                        [n, [None if v is None else _cell(v) for v in cells]]
                        for n, cells in sheet.rows
                    ],
                }
                for sheet in sheets
            ]
        }
    except XLSFormErrors as exc:
        reply = {
            "errors": [
                {
                    "message": e.message,
                    "file": e.file,
                    "sheet": getattr(e, "sheet", None),
                    "row": getattr(e, "row", e.line),
                    "type": getattr(e, "type", None),
                }
                for e in exc.errors
            ]
        }
    except MemoryError:
        reply = {
            "failed": "reading the file needs more memory than the reader may use; it "
            "was stopped (a hostile or broken file?)"
        }
    except Exception as exc:  # noqa: BLE001 - reported to the caller as one clear line
        reply = {"failed": f"could not read the file ({type(exc).__name__}: {exc})"}
    return json.dumps(reply).encode()


# --- writing the imported form as a study form file --------------------------------------------


def _text_yaml(text: Text) -> dict[str, str]:
    return dict(text.values)


def form_yaml(result: XLSFormImport) -> str:
    """The imported form as a study form file (``forms/<id>.yaml``, docs/study-format.md).

    ``forms.load.load_form`` reads it back to the same form. Texts are written as
    imported: a missing translation stays missing, and ``deltaker check`` names it.
    """
    import yaml

    form = result.form
    sections = []
    for section in form.sections:
        entry: dict[str, Any] = {"id": section.id}
        if section.title is not None:
            entry["title"] = _text_yaml(section.title)
        if section.intro is not None:
            entry["intro"] = _text_yaml(section.intro)
        items = []
        for item in section.items:
            node: dict[str, Any] = {
                "id": item.id,
                "type": str(item.type),
                "label": _text_yaml(item.label),
            }
            if item.hint is not None:
                node["hint"] = _text_yaml(item.hint)
            if item.required:
                node["required"] = True
            if item.relevant:
                node["relevant"] = item.relevant
            if item.choices:
                node["choices"] = [
                    {"value": c.value, "label": _text_yaml(c.label)} for c in item.choices
                ]
            items.append(node)
        entry["items"] = items
        sections.append(entry)
    document: dict[str, Any] = {
        "id": form.id,
        "kind": str(form.kind),
        "languages": list(form.languages),
        "title": _text_yaml(form.title),
        "sections": sections,
    }
    head = [
        f"# Imported from {Path(form.source).name if form.source else 'an XLSForm'} "
        "by `deltaker xlsform`."
    ]
    if result.choice_filters:
        head.append("# Choice filters (web only) were kept in the import, not in this file:")
        head += [f"#   {item}: {cf.expression}" for item, cf in result.choice_filters.items()]
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body

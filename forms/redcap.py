"""Import a REDCap data dictionary (.csv) as a Deltaker form.

A REDCap project is described by its data dictionary: a CSV file with a row per
field. ``import_redcap(path, form=NAME)`` returns a :class:`RedcapImport` with
the :class:`forms.model.Form` of one instrument (one ``Form Name``) and the
warnings about what was left out or changed. Every problem is a
:class:`RedcapError` naming the file, the row (the line the record starts on)
and the column; all problems of one file are raised together in
:class:`RedcapErrors` (a :class:`forms.errors.DefinitionErrors`). A broken or
hostile file is never a traceback. Pure: the csv module, no framework.

Decisions (a paper form cannot do everything REDCap does):

* Both header styles are read: the web export's ("Variable / Field Name",
  "Form Name", ...) and the API's (``field_name``, ``form_name``, ...), without
  regard to case or surrounding spaces. Columns after "Field Annotation" and
  unknown ones are ignored with a warning.
* One form per ``Form Name``: a dictionary with several instruments needs
  ``form=NAME``; without it the error lists the names.
* The first field of a dictionary is REDCap's record id: not asked (Deltaker
  identifies each response by its participant code or serial), with a warning.
* Types: ``text`` -> short text, or number (validations ``integer``,
  ``number*``), or date (``date_*``; ``datetime_*`` too, warned that the time of
  day is not asked); ``notes`` -> long text; ``radio``, ``dropdown`` -> single
  choice; ``checkbox`` -> multiple choice; ``yesno`` and ``truefalse`` -> single
  choice with REDCap's own codes (1 Yes / 0 No, 1 True / 0 False), so exported
  values match REDCap's; ``descriptive`` -> information text; ``slider`` -> a
  scale when its range has at most 11 steps, else a number with the range in the
  hint; ``file`` with validation ``signature`` -> signature.
* ``calc`` is worked out by REDCap from other answers; paper cannot compute it:
  dropped with a warning. ``file`` (other than a signature) and ``sql`` cannot
  be held on paper: an error naming the row.
* ``Section Header`` starts a new section (``section_1``, ``section_2``...) with
  that title. Matrix groups have no grid in Deltaker's model: their fields become
  consecutive choice questions, with one warning per group.
* ``Branching Logic`` becomes the item's ``relevant`` when it can be said in
  Deltaker's small condition language (``[q] = '1'``, ``<>``, ``<``..., ``and``,
  ``or``, parentheses, ``[q(2)] = '1'`` for a checkbox option); anything else
  (functions, events, fields of other instruments) is left out with a warning:
  the question is then always shown.
* HTML in labels, notes and choices is reduced to plain text (html.parser);
  piped values (``[field]`` in a label) print as a blank line "____".
* Action tags in ``Field Annotation``: ``@HIDDEN`` and ``@HIDDEN-SURVEY`` leave
  the field out (people never see it); ``@NOW``, ``@TODAY``, ``@USERNAME``,
  ``@CALCTEXT``, ``@CALCDATE`` and the like are filled in by REDCap: left out;
  ``@HIDDEN-FORM``/``-APP`` concern REDCap's data-entry pages only; every other
  tag (``@DEFAULT``, ``@READONLY``, ``@HIDDEN-PDF``...) is not honoured, with a
  warning.
* Field names are REDCap's (lower case, letters, digits, ``_``); one that does
  not fit a Deltaker id (over 63 characters) gets a stable safe id, warned.
  Choice codes become choice values in lower case; a code that is not a
  Deltaker value (``-1``, ``1.5``) is an error naming the row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from forms.errors import DefinitionError, DefinitionErrors
from forms.model import Choice, Form, FormKind, Item, ItemType, Section, Text

#: A dictionary larger than this is refused before it is read (real ones stay under 1 MB).
MAX_FILE_BYTES = 10_000_000
#: Records read from one dictionary (real ones hold a few thousand fields).
MAX_ROWS = 50_000
#: Longest cell read (a long consent text in a descriptive field stays far below).
MAX_CELL_CHARS = 100_000
#: Stable keys: the same rule as forms.load.
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
#: A choice question needs this many choices (the same rule as forms.load).
MIN_CHOICES = 2
#: Steps a printed scale may have (forms.load's MAX_SCALE_STEPS).
MAX_SCALE_STEPS = 11
#: What REDCap's slider runs from and to when the dictionary does not say.
SLIDER_RANGE = (0, 100)
#: A descriptive text taller than this many lines (of CHARS_PER_LINE) is cut at
#: paragraphs, then at lines, into several information texts, so each fits on a page
#: and a long text flows across pages.
MAX_INFO_LINES = 16
CHARS_PER_LINE = 80
#: What a piped value (``[field]`` in a label) prints as.
PIPE_BLANK = "____"

#: Column keys (the API's names) by the web export's header, both read the same way.
WEB_HEADERS: Mapping[str, str] = {
    "Variable / Field Name": "field_name",
    "Form Name": "form_name",
    "Section Header": "section_header",
    "Field Type": "field_type",
    "Field Label": "field_label",
    "Choices, Calculations, OR Slider Labels": "select_choices_or_calculations",
    "Field Note": "field_note",
    "Text Validation Type OR Show Slider Number": "text_validation_type_or_show_slider_number",
    "Text Validation Min": "text_validation_min",
    "Text Validation Max": "text_validation_max",
    "Identifier?": "identifier",
    "Branching Logic (Show field only if...)": "branching_logic",
    "Required Field?": "required_field",
    "Custom Alignment": "custom_alignment",
    "Question Number (surveys only)": "question_number",
    "Matrix Group Name": "matrix_group_name",
    "Matrix Ranking?": "matrix_ranking",
    "Field Annotation": "field_annotation",
}
API_HEADERS = frozenset(WEB_HEADERS.values())
_WEB_KEYS: Mapping[str, str] = {h.lower(): k for h, k in WEB_HEADERS.items()}
#: The web export's header of each column key, for messages.
HEADER_NAMES: Mapping[str, str] = {
    key: next(h for h, k in WEB_HEADERS.items() if k == key) for key in API_HEADERS
}
REQUIRED_COLUMNS = ("field_name", "form_name", "field_type", "field_label")

#: REDCap's field types, with what each becomes (None: handled on its own).
FIELD_TYPES: Mapping[str, ItemType | None] = {
    "text": ItemType.SHORT_TEXT,
    "notes": ItemType.LONG_TEXT,
    "radio": ItemType.SINGLE_CHOICE,
    "dropdown": ItemType.SINGLE_CHOICE,
    "checkbox": ItemType.MULTIPLE_CHOICE,
    "yesno": ItemType.SINGLE_CHOICE,
    "truefalse": ItemType.SINGLE_CHOICE,
    "descriptive": ItemType.INFO,
    "slider": ItemType.SCALE,
    "file": ItemType.SIGNATURE,
    "calc": None,
    "sql": None,
}
#: REDCap's fixed codes of yes/no and true/false fields, in REDCap's order.
FIXED_CHOICES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "yesno": (("1", "Yes"), ("0", "No")),
    "truefalse": (("1", "True"), ("0", "False")),
}
#: Text validations that are numbers.
NUMBER_VALIDATIONS = re.compile(r"^(integer|int|float|number(_\d+dp)?(_comma_decimal)?)$")
#: Action tags that mean nobody filling in the form sees the field.
HIDING_TAGS = frozenset({"@HIDDEN", "@HIDDEN-SURVEY"})
#: Action tags whose value REDCap fills in itself: nothing for a person to answer.
FILLED_TAGS = frozenset(
    {
        "@NOW",
        "@NOW-SERVER",
        "@NOW-UTC",
        "@TODAY",
        "@TODAY-SERVER",
        "@TODAY-UTC",
        "@USERNAME",
        "@LATITUDE",
        "@LONGITUDE",
        "@CALCTEXT",
        "@CALCDATE",
        "@SETVALUE",
    }
)
#: Action tags about REDCap's own data-entry pages and app: no meaning here.
IRRELEVANT_TAGS = frozenset({"@HIDDEN-FORM", "@HIDDEN-APP", "@SHOWCHOICE", "@HIDECHOICE"})

_ACTION_TAG = re.compile(r"(?<![\w@])@[A-Z][A-Z0-9_-]*")
_PIPE = re.compile(r"\[([a-z][a-z0-9_]*)(?:\([^)\]]*\))?(?::[a-z-]+)?\]")
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")


class RedcapError(DefinitionError):
    """One problem in a data dictionary: the file, the row and the column say where."""

    def __init__(
        self, message: str, *, file: str, row: int | None = None, column: str | None = None
    ):
        self.row = row
        self.column = column
        super().__init__(message, file=file, line=row)

    def format(self) -> str:
        where = self.file or ""
        if self.row:
            where += f": row {self.row}"
        if self.column:
            where += f", column {HEADER_NAMES.get(self.column, self.column)!r}"
        return f"{where}: {self.message}"


class RedcapErrors(DefinitionErrors):
    """Every problem found in one data dictionary (``errors`` holds them, in row order)."""


@dataclass(frozen=True)
class RedcapWarning:
    """Something left out or changed on import; the form is still usable."""

    row: int | None
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}" if self.row else self.message


@dataclass(frozen=True)
class RedcapImport:
    form: Form
    warnings: tuple[RedcapWarning, ...] = ()
    #: Every ``Form Name`` in the dictionary, in order.
    forms: tuple[str, ...] = ()
    #: REDCap field name by item id, where they differ.
    original_names: Mapping[str, str] = field(default_factory=dict)


# --- reading the file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int  # line the record starts on (the header is line 1)
    cells: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "").strip()


class _Problems:
    def __init__(self, display: str):
        self.display = display
        self.errors: list[RedcapError] = []
        self.warnings: list[RedcapWarning] = []

    def error(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.errors.append(RedcapError(message, file=self.display, row=row, column=column))

    def warn(self, message: str, row: int | None = None) -> None:
        self.warnings.append(RedcapWarning(row, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise RedcapErrors(self.errors)


def _single(message: str, display: str, row: int | None = None) -> RedcapErrors:
    return RedcapErrors([RedcapError(message, file=display, row=row)])


def _decode(data: bytes, display: str) -> str:
    if _BINARY_BYTES.search(data[:65536]):
        raise _single(
            "this is not a CSV text file (it holds binary data); export the data "
            "dictionary from REDCap as CSV",
            display,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _single(
            "the file is not UTF-8 text; REDCap exports UTF-8: export the data dictionary "
            "again, or save it as 'CSV UTF-8'",
            display,
            line,
        ) from None


def _header_keys(header: Sequence[str], problems: _Problems) -> list[str | None]:
    keys: list[str | None] = []
    for raw in header:
        name = " ".join(raw.split()).lower()
        key = _WEB_KEYS.get(name) or (name if name in API_HEADERS else None)
        if key is None and name:
            problems.warn(
                f"column {raw.strip()!r} is not a REDCap data dictionary column; ignored", 1
            )
        if key is not None and key in keys:
            problems.error(f"column {raw.strip()!r} is given twice", 1)
            key = None
        keys.append(key)
    missing = [k for k in REQUIRED_COLUMNS if k not in keys]
    if missing:
        problems.error(
            "this is not a REDCap data dictionary: the header has no column "
            + ", ".join(repr(HEADER_NAMES[k]) for k in missing)
            + " (the first line must be REDCap's header, e.g. "
            "'Variable / Field Name,Form Name,Section Header,Field Type,Field Label,...' "
            "or 'field_name,form_name,section_header,field_type,field_label,...')",
            1,
        )
    return keys


def read_dictionary(
    path: str | Path, *, display: str | None = None
) -> tuple[list[_Row], list[RedcapWarning]]:
    """The records of a data dictionary, each with its line number; header problems raised."""
    path = Path(path)
    display = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _single(f"cannot read the file: {exc.strerror or exc}", display) from None
    if size > MAX_FILE_BYTES:
        raise _single(
            f"the file is {size / 1e6:.1f} MB; a REDCap data dictionary is at most "
            f"{MAX_FILE_BYTES // 1_000_000} MB (is it the data export rather than the dictionary?)",
            display,
        )
    if size == 0:
        raise _single("the file is empty; export the data dictionary from REDCap as CSV", display)
    text = _decode(path.read_bytes(), display)
    problems = _Problems(display)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    old_limit = csv.field_size_limit(MAX_CELL_CHARS)
    rows: list[_Row] = []
    try:
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise _single(f"the header line is not CSV ({exc})", display, 1) from None
        if header is None or not any(h.strip() for h in header):
            raise _single("the file has no header line; it is empty or blank", display, 1)
        keys = _header_keys(header, problems)
        problems.raise_if_any()
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise _single(
                    f"the file is not valid CSV here ({exc}); a quote may be missing",
                    display,
                    start,
                ) from None
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise _single(
                    f"the dictionary has more than {MAX_ROWS:,} fields; that is not a form "
                    "people fill in",
                    display,
                    start,
                )
            if len(cells) > len(keys) and any(c.strip() for c in cells[len(keys) :]):
                problems.warn(f"{len(cells) - len(keys)} cells beyond the header ignored", start)
            rows.append(
                _Row(start, {k: c for k, c in zip(keys, cells, strict=False) if k is not None})
            )
    finally:
        csv.field_size_limit(old_limit)
    if not rows:
        raise _single("the dictionary has a header but no fields", display, 1)
    return rows, problems.warnings


# --- texts ---------------------------------------------------------------------------------------


class _TextOnly(HTMLParser):
    """The text of an HTML fragment; block elements and <br> become line breaks."""

    BLOCKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})
    SKIPPED = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(text: str) -> str:
    """``'<b>Age</b>&nbsp;(years)'`` -> ``'Age (years)'``: paper prints plain text."""
    if "<" in text or "&" in text:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    lines = (" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines())
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# --- branching logic -----------------------------------------------------------------------------

_LOGIC_TOKEN = re.compile(
    r"""\s*(?:
    (?P<event>\[[a-z0-9_]+\]\s*(?=\[))
  | (?P<ref>\[(?P<name>[a-z][a-z0-9_]*)(?:\((?P<code>[^)\]]+)\))?\])
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<num>-?\d+(?:\.\d+)?)
  | (?P<op><>|<=|>=|!=|==|=|<|>)
  | (?P<punct>[(),])
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
)""",
    re.VERBOSE,
)


class _Untranslatable(Exception):
    """Branching logic that Deltaker's condition language cannot say; the reason is the text."""


def translate_logic(logic: str, items: Mapping[str, Item]) -> str:
    """REDCap branching logic as a Deltaker ``relevant`` condition (webapp/relevance.py).

    ``items`` are the questions of the same form already read (by REDCap name).
    Raises :class:`_Untranslatable` with the reason otherwise.
    """
    tokens: list[tuple[str, str, re.Match[str]]] = []
    position, text = 0, logic.strip()
    while position < len(text):
        match = _LOGIC_TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise _Untranslatable(f"it holds {text[position : position + 20]!r}")
        kind = match.lastgroup or ""
        if kind == "name" or kind == "code":
            kind = "ref"
        tokens.append((kind, match.group(kind).strip(), match))
        position = match.end()
    for (kind, value, _), after in zip(tokens, tokens[1:], strict=False):
        if kind == "word" and after[1] == "(":
            raise _Untranslatable(f"it uses the function {value}()")
    out: list[str] = []
    depth = 0
    at = 0
    while at < len(tokens):
        kind, value, match = tokens[at]
        if kind == "event":
            raise _Untranslatable("it names a longitudinal event")
        if kind == "ref":
            name, code = match.group("name"), match.group("code")
            item = items.get(name)
            if item is None:
                raise _Untranslatable(
                    f"it refers to [{name}], which is not a question of this form"
                )
            if code is not None:
                if item.type != ItemType.MULTIPLE_CHOICE:
                    raise _Untranslatable(f"[{name}({code})] is not a checkbox option")
                op = tokens[at + 1] if at + 1 < len(tokens) else None
                lit = tokens[at + 2] if at + 2 < len(tokens) else None
                if (
                    op is None
                    or lit is None
                    or op[1] not in ("=", "==", "<>", "!=")
                    or lit[0]
                    not in (
                        "str",
                        "num",
                    )
                ):
                    raise _Untranslatable(f"[{name}({code})] is not compared with '1' or '0'")
                ticked = lit[1].strip("'\"") == "1"
                if op[1] in ("<>", "!="):
                    ticked = not ticked
                test = f"selected(${{{item.id}}}, '{code.strip().lower()}')"
                out.append(test if ticked else f"not({test})")
                at += 3
                continue
            if item.type == ItemType.MULTIPLE_CHOICE:
                raise _Untranslatable(f"[{name}] is a checkbox field compared as a whole")
            out.append(f"${{{item.id}}}")
        elif kind == "op":
            out.append({"<>": "!=", "==": "="}.get(value, value))
        elif kind in ("str", "num"):
            out.append(value)
        elif value == ",":
            raise _Untranslatable("it holds a ','")
        elif kind == "punct":
            depth += 1 if value == "(" else -1
            if depth < 0:
                raise _Untranslatable("its brackets do not match")
            out.append(value)
        elif kind == "word":
            low = value.lower()
            if low in ("and", "or"):
                out.append(low)
            elif at + 1 < len(tokens) and tokens[at + 1][1] == "(":
                raise _Untranslatable(f"it uses the function {value}()")
            else:
                raise _Untranslatable(f"it holds the word {value!r}")
        at += 1
    if depth != 0:
        raise _Untranslatable("its brackets do not match")
    if not out:
        raise _Untranslatable("it is empty")
    return " ".join(out).replace("( ", "(").replace(" )", ")")


# --- building the form ---------------------------------------------------------------------------


def _safe_id(name: str) -> str:
    """A Deltaker id for a REDCap name: itself when it fits, else a stable shortened form."""
    low = name.strip().lower()
    if ID_PATTERN.match(low):
        return low
    cleaned = re.sub(r"[^a-z0-9_-]+", "_", low).strip("_-") or "field"
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{cleaned[:54]}_{digest}"


def _choices(raw: str, row: _Row, language: str, problems: _Problems) -> tuple[Choice, ...] | None:
    column = "select_choices_or_calculations"
    if not raw.strip():
        problems.error("a choice field needs its choices ('1, Yes | 2, No')", row.number, column)
        return None
    out: list[Choice] = []
    seen: set[str] = set()
    # REDCap writes '\n' between choices in some exports, '|' in others
    parts = [p for p in re.split(r"\s*\|\s*|\n", raw) if p.strip()]
    for n, part in enumerate(parts, start=1):
        if "," not in part:
            problems.error(
                f"bad choices string: choice {n} ({part.strip()[:40]!r}) has no comma between "
                "its code and its label (write '1, Yes | 2, No')",
                row.number,
                column,
            )
            return None
        code, label = (s.strip() for s in part.split(",", 1))
        value = code.lower()
        if not ID_PATTERN.match(value):
            problems.error(
                f"choice code {code!r} cannot be a Deltaker choice value (letters, digits, "
                "'_' and '-', starting with a letter or digit)",
                row.number,
                column,
            )
            return None
        if value in seen:
            problems.error(f"choice code {code!r} is given twice", row.number, column)
            return None
        seen.add(value)
        if value != code:
            problems.warn(f"choice code {code!r} is stored as {value!r} (lower case)", row.number)
        out.append(Choice(value, Text({language: plain_text(label) or code})))
    if len(out) < MIN_CHOICES:
        problems.error(
            f"a choice field needs at least {MIN_CHOICES} choices; it has {len(out)}",
            row.number,
            column,
        )
        return None
    return tuple(out)


def _int(text: str) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


@dataclass
class _Builder:
    form_id: str
    language: str
    problems: _Problems
    sections: list[Section] = field(default_factory=list)
    current: list[Item] = field(default_factory=list)
    title: Text | None = None
    by_name: dict[str, Item] = field(default_factory=dict)
    original: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)

    def new_section(self, title: str | None) -> None:
        self.flush()
        self.title = Text({self.language: title}) if title else None

    def flush(self) -> None:
        if self.current:
            number = len(self.sections) + 1
            self.sections.append(Section(f"section_{number}", self.title, tuple(self.current)))
        self.current = []

    def text(self, raw: str, row: _Row, what: str) -> str:
        text = plain_text(raw)
        if _PIPE.search(text):
            self.problems.warn(f"piped values in the {what} print as a blank line", row.number)
            text = _PIPE.sub(PIPE_BLANK, text)
        return text


def _height(text: str) -> int:
    """Roughly how many printed lines ``text`` takes (a blank line counts as one)."""
    return sum(max(1, -(-len(line) // CHARS_PER_LINE)) for line in text.split("\n"))


def _pieces(text: str) -> list[str]:
    """``text`` cut at paragraphs, then at lines, into pieces of at most MAX_INFO_LINES."""
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        units += [paragraph] if _height(paragraph) <= MAX_INFO_LINES else paragraph.splitlines()
    pieces: list[str] = []
    for unit in units:
        joined = f"{pieces[-1]}\n\n{unit}" if pieces else unit
        if pieces and _height(joined) <= MAX_INFO_LINES:
            pieces[-1] = joined
        else:
            pieces.append(unit)
    return [p.strip() for p in pieces if p.strip()]


def _split_info(item: Item) -> list[Item]:
    """A long information text as several (``id``, ``id__2``...), one per piece."""
    text = item.label.get(next(iter(item.label.values)))
    pieces = _pieces(text)
    if len(pieces) <= 1:
        return [item]
    language = next(iter(item.label.values))
    return [
        replace(
            item,
            id=item.id if n == 1 else f"{item.id[:58]}__{n}",
            label=Text({language: piece}),
            hint=item.hint if n == len(pieces) else None,
        )
        for n, piece in enumerate(pieces, start=1)
    ]


def _tags(annotation: str) -> list[str]:
    return [t.upper() for t in _ACTION_TAG.findall(annotation)]


def _item(row: _Row, builder: _Builder, problems: _Problems) -> Item | None:
    name = row.get("field_name")
    ftype = row.get("field_type").lower()
    validation = row.get("text_validation_type_or_show_slider_number").lower()
    lang = builder.language
    where = row.number

    if ftype not in FIELD_TYPES:
        problems.error(
            f"unknown field type {ftype!r}; REDCap's are {', '.join(FIELD_TYPES)}",
            where,
            "field_type",
        )
        return None
    if ftype == "calc":
        problems.warn(
            f"calculated field {name!r} left out: REDCap works it out from other answers, "
            "and paper cannot compute it",
            where,
        )
        return None
    if ftype == "sql":
        problems.error(
            f"field {name!r}: a dynamic SQL list (type 'sql') cannot be printed on paper; "
            "replace it by a dropdown with fixed choices",
            where,
            "field_type",
        )
        return None
    if ftype == "file" and validation != "signature":
        problems.error(
            f"field {name!r}: a file upload cannot be held on paper (only a signature can); "
            "remove the field or make it a signature",
            where,
            "field_type",
        )
        return None

    tags = _tags(row.get("field_annotation"))
    hidden = [t for t in tags if t in HIDING_TAGS]
    if hidden:
        problems.warn(f"field {name!r} left out: {hidden[0]} hides it from people", where)
        return None
    filled = [t for t in tags if t in FILLED_TAGS]
    if filled:
        problems.warn(f"field {name!r} left out: REDCap fills it in ({filled[0]})", where)
        return None
    for tag in dict.fromkeys(tags):
        if tag not in IRRELEVANT_TAGS:
            problems.warn(f"field {name!r}: action tag {tag} is not honoured", where)

    item_id = _safe_id(name)
    if item_id != name:
        problems.warn(
            f"field {name!r} is item {item_id!r} (Deltaker ids are at most 63 characters)", where
        )
    if item_id in builder.ids or name in builder.by_name:
        problems.error(f"field {name!r} is given twice", where, "field_name")
        return None

    label_text = builder.text(row.get("field_label"), row, "label")
    note = builder.text(row.get("field_note"), row, "field note")
    if not label_text:
        if ftype == "descriptive":
            problems.warn(f"descriptive field {name!r} has no text; left out", where)
            return None
        problems.warn(f"field {name!r} has no label; its name is printed instead", where)
        label_text = name
    label = Text({lang: label_text})
    hint = Text({lang: note}) if note else None
    item_type = FIELD_TYPES[ftype]
    assert item_type is not None  # calc and sql returned above
    extra: dict[str, Any] = {}
    choices: tuple[Choice, ...] = ()

    if ftype == "text":
        if NUMBER_VALIDATIONS.match(validation):
            item_type = ItemType.NUMBER
        elif validation.startswith("date_"):
            item_type = ItemType.DATE
        elif validation.startswith("datetime_"):
            item_type = ItemType.DATE
            problems.warn(f"field {name!r}: a date and time; paper asks the date only", where)
        elif validation.startswith("time"):
            problems.warn(
                f"field {name!r}: a time, written as text (the format is not checked)", where
            )
    elif ftype in ("radio", "dropdown", "checkbox"):
        parsed = _choices(row.get("select_choices_or_calculations"), row, lang, problems)
        if parsed is None:
            return None
        choices = parsed
    elif ftype in FIXED_CHOICES:
        choices = tuple(Choice(v, Text({lang: t})) for v, t in FIXED_CHOICES[ftype])
    elif ftype == "slider":
        item_type, extra, hint = _slider(row, name, lang, hint, problems)
    if ftype == "checkbox" and row.get("required_field").lower() == "y":
        problems.warn(f"checkbox field {name!r}: 'required' means at least one box", where)

    relevant = None
    logic = row.get("branching_logic")
    if logic:
        try:
            relevant = translate_logic(logic, builder.by_name)
        except _Untranslatable as why:
            problems.warn(
                f"branching logic of {name!r} left out ({why}); the question is always shown",
                where,
            )
    if row.get("matrix_ranking").lower() == "y":
        problems.warn(f"field {name!r}: matrix ranking is not held; any choices may repeat", where)
    return Item(
        id=item_id,
        type=item_type,
        label=label,
        hint=hint,
        required=row.get("required_field").lower() in ("y", "yes", "1")
        and item_type != ItemType.INFO,
        choices=choices,
        relevant=relevant,
        line=where,
        **extra,
    )


def _slider(
    row: _Row, name: str, lang: str, hint: Text | None, problems: _Problems
) -> tuple[ItemType, dict[str, Any], Text | None]:
    low = _int(row.get("text_validation_min"))
    high = _int(row.get("text_validation_max"))
    low = SLIDER_RANGE[0] if low is None else low
    high = SLIDER_RANGE[1] if high is None else high
    ends = [plain_text(p) for p in row.get("select_choices_or_calculations").split("|")]
    ends = [e for e in ends if e]
    left = ends[0] if ends else str(low)
    right = ends[-1] if len(ends) > 1 else str(high)
    if 0 <= low < high and high - low + 1 <= MAX_SCALE_STEPS:
        return (
            ItemType.SCALE,
            {
                "scale_min": low,
                "scale_max": high,
                "scale_low": Text({lang: left}),
                "scale_high": Text({lang: right}),
            },
            hint,
        )
    problems.warn(
        f"slider {name!r} runs from {low} to {high}: too many steps for tick boxes; "
        "people write a number instead",
        row.number,
    )
    range_text = f"A number from {low} ({left}) to {high} ({right})."
    hint_text = f"{hint.get(lang)} {range_text}" if hint else range_text
    return ItemType.NUMBER, {}, Text({lang: hint_text})


def _rows_by_form(rows: Sequence[_Row]) -> dict[str, list[_Row]]:
    forms: dict[str, list[_Row]] = {}
    for row in rows:
        forms.setdefault(row.get("form_name"), []).append(row)
    return forms


def import_redcap(
    path: str | Path,
    *,
    form: str | None = None,
    form_id: str | None = None,
    kind: FormKind = FormKind.QUESTIONNAIRE,
    language: str = "en",
) -> RedcapImport:
    """The form of one instrument of a REDCap data dictionary (see the module text).

    ``form`` picks the instrument (its ``Form Name``); a dictionary with one
    instrument needs none. ``language`` is the language its texts are in.
    """
    display = str(path)
    rows, read_warnings = read_dictionary(path, display=display)
    problems = _Problems(display)
    problems.warnings += read_warnings
    for row in rows:
        if not row.get("field_name"):
            problems.error("the field has no name", row.number, "field_name")
        if not row.get("form_name"):
            problems.error("the field has no form name", row.number, "form_name")
    problems.raise_if_any()
    by_form = _rows_by_form(rows)
    names = tuple(by_form)
    if form is None and len(names) > 1:
        raise _single(
            f"the dictionary holds {len(names)} forms ({', '.join(names)}); pick one "
            "with --form NAME",
            display,
        )
    chosen = form if form is not None else names[0]
    if chosen not in by_form:
        raise _single(f"there is no form {chosen!r}; the forms are {', '.join(names)}", display)
    the_id = (form_id or chosen).strip().lower()
    if not ID_PATTERN.match(the_id):
        raise _single(
            f"form name {the_id!r} cannot be a Deltaker form id; give one with --id", display
        )
    builder = _Builder(the_id, language, problems)
    record_id = rows[0].get("field_name")
    matrices: set[str] = set()
    for row in by_form[chosen]:
        header = plain_text(row.get("section_header"))
        if header:
            builder.new_section(header)
        name = row.get("field_name")
        if name == record_id and row is rows[0]:
            problems.warn(
                f"field {name!r} is REDCap's record id: not asked (each response is "
                "known by its participant code or serial)",
                row.number,
            )
            continue
        group = row.get("matrix_group_name")
        if group and group not in matrices:
            matrices.add(group)
            problems.warn(
                f"matrix group {group!r} is printed as separate questions (one per field), "
                "not as a grid",
                row.number,
            )
        item = _item(row, builder, problems)
        if item is None:
            continue
        parts = _split_info(item) if item.type == ItemType.INFO else [item]
        builder.current += parts
        builder.by_name[name] = item
        builder.ids.update(p.id for p in parts)
        if item.id != name:
            builder.original[item.id] = name
    builder.flush()
    problems.raise_if_any()
    if not any(s.items for s in builder.sections):
        raise _single(f"form {chosen!r} has no field that can be printed or asked", display)
    title = Text({language: chosen.replace("_", " ").strip().capitalize()})
    result_form = Form(
        id=the_id,
        kind=kind,
        title=title,
        sections=tuple(builder.sections),
        languages=(language,),
        source=display,
        register="plain",
    )
    return RedcapImport(result_form, tuple(problems.warnings), names, dict(builder.original))


# --- writing the imported form as a study form file -----------------------------------------------


def _text_yaml(text: Text) -> dict[str, str]:
    return dict(text.values)


def _item_yaml(item: Item) -> dict[str, Any]:
    node: dict[str, Any] = {"id": item.id, "type": str(item.type), "label": _text_yaml(item.label)}
    if item.hint is not None:
        node["hint"] = _text_yaml(item.hint)
    if item.required:
        node["required"] = True
    if item.relevant:
        node["relevant"] = item.relevant
    if item.choices:
        node["choices"] = [{"value": c.value, "label": _text_yaml(c.label)} for c in item.choices]
    if item.type == ItemType.SCALE:
        node["min"] = item.scale_min
        node["max"] = item.scale_max
        for key, text in (("low", item.scale_low), ("high", item.scale_high)):
            if text is not None:
                node[key] = _text_yaml(text)
    return node


def form_yaml(result: RedcapImport) -> str:
    """The imported form as a study form file (docs/study-format.md); forms.load reads it back."""
    import yaml

    form = result.form
    sections: list[dict[str, Any]] = []
    for section in form.sections:
        entry: dict[str, Any] = {"id": section.id}
        if section.title is not None:
            entry["title"] = _text_yaml(section.title)
        entry["items"] = [_item_yaml(i) for i in section.items]
        sections.append(entry)
    document: dict[str, Any] = {
        "id": form.id,
        "kind": str(form.kind),
        "languages": list(form.languages),
        "register": form.register,
        "title": _text_yaml(form.title),
        "sections": sections,
    }
    head = [
        f"# Imported from {Path(form.source).name if form.source else 'a REDCap data dictionary'} "
        "by `deltaker redcap`."
    ]
    head += [f"# item {i}: REDCap field {n}" for i, n in result.original_names.items()]
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body


def iter_forms(path: str | Path) -> Iterator[str]:
    """The ``Form Name`` of every instrument in a dictionary, in order."""
    rows, _ = read_dictionary(path)
    yield from _rows_by_form(rows)

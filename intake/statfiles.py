"""Labelled results for statistics packages: one SPSS (.sav) or Stata (.dta) file per form.

Data first: :func:`stat_table` is pure and turns a form's versions and its
responses into typed columns (safe name, variable label, kind, value labels,
values); :func:`write_sav` and :func:`write_dta` are thin writers over
``pyreadstat``; :func:`write_stat_files` reads the database, writes one file
per form (``results.sav`` -> ``results.<form>.sav``, like the CSV export) and
returns the same :class:`intake.spreadsheet.ExportResult` the other exports
log.

Columns, in the order of the spreadsheet (intake.spreadsheet, forms.codebook):

* the response columns (participant, serial, channel, received, status,
  version, language);
* one per item: choice items (single choice, yes/no, consent) as numbers with a
  value label per option: the option's own value when every value is a whole
  number (REDCap's ``1``, ``2``...), else the option's position (1, 2, ...); a
  scale as its number; a number item as a number; a date as a date; written
  text as text;
* one 0/1 column per option of a multiple-choice item, labelled "marked" / "not
  marked".

Missing values in numeric columns (SPSS user-missing codes; Stata's extended
missing values): :data:`NOT_ANSWERED` (-99, Stata ``.a``): the item was on the
form the person got but has no answer; :data:`NOT_ASKED` (-98, ``.b``): the
item was not on the version of the form the person got; :data:`NOT_READABLE`
(-97, ``.c``): a number written in words (the xlsx export keeps the text). Text
columns hold "" and dates hold the system missing value for all three.
Conditions (``relevant``) are not evaluated here: a web question left out by
its condition counts as not answered.

Variable names: Stata allows 32 characters, SPSS 64, both letters, digits and
``_`` and a letter first; :func:`safe_names` derives them deterministically
(the same columns always get the same names) and keeps them unique; the
original column name is the start of the variable label's codebook entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.codebook import Column, columns
from forms.model import Form, Item, ItemType

from .models import FormVersion, StudyRecord
from .spreadsheet import ExportError, ExportResult, form_versions, responses_query
from .studies import stored_form
from .tables import atomic_path, check_output

STAT_FORMATS = ("sav", "dta")
#: Longest variable name each format allows (characters).
NAME_LIMITS: Mapping[str, int] = {"sav": 64, "dta": 32}
#: Words neither package accepts as a variable name (SPSS's reserved words, Stata's).
RESERVED = frozenset(
    {
        "all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with",
        "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
        "_n", "_pi", "_pred", "_rc", "_skip", "strl", "using", "str",
    }
)  # fmt: skip

NOT_ANSWERED = -99
NOT_ASKED = -98
NOT_READABLE = -97
MISSING_LABELS: Mapping[int, str] = {
    NOT_ANSWERED: "not answered",
    NOT_ASKED: "not asked",
    NOT_READABLE: "written, not a number (see the xlsx export)",
}
#: Stata's extended missing value for each code.
STATA_MISSING: Mapping[int, str] = {NOT_ANSWERED: "a", NOT_ASKED: "b", NOT_READABLE: "c"}
MARKED_LABELS: Mapping[int, str] = {1: "marked", 0: "not marked"}

_NUMBER = re.compile(r"^\s*-?\d+([.,]\d+)?\s*$")


class StatKind(StrEnum):
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class StatColumn:
    """One variable of a statistics file."""

    name: str  # safe variable name
    source: str  # the spreadsheet column it is (forms.codebook naming)
    label: str  # variable label
    kind: StatKind
    values: tuple[Any, ...]  # one per response; codes of MISSING_LABELS where missing
    value_labels: Mapping[int, str] = field(default_factory=dict)
    missing: tuple[int, ...] = ()  # missing codes this column uses (numbers only)


@dataclass(frozen=True)
class StatTable:
    form: str
    columns: tuple[StatColumn, ...]

    @property
    def rows(self) -> int:
        return len(self.columns[0].values) if self.columns else 0


@dataclass(frozen=True)
class StatResponse:
    """What :func:`stat_table` needs of one response."""

    participant: str | None
    serial: str | None
    channel: str
    received: dt.datetime
    status: str
    version: str
    language: str | None
    answers: Mapping[str, Any]


# --- names -----------------------------------------------------------------------------------


def safe_names(sources: Sequence[str], limit: int) -> list[str]:
    """Variable names for ``sources``: valid in SPSS and Stata, unique, at most ``limit`` long.

    ``"received (UTC)"`` -> ``received_utc``; ``"2nd"`` -> ``v_2nd``; a name that had
    to be shortened, or that would clash, ends in ``_`` and 6 hex digits of the
    source's hash, so the same source always gets the same name.
    """
    out: list[str] = []
    taken: set[str] = set()
    for source in sources:
        name = re.sub(r"[^A-Za-z0-9_]+", "_", source).strip("_").lower() or "v"
        if not re.match(r"[a-z]", name):
            name = f"v_{name}"
        if name in RESERVED:
            name = f"{name}_"
        if len(name) > limit or name in taken:
            digest = hashlib.sha1(source.encode()).hexdigest()
            for n in range(0, len(digest) - 6):
                candidate = f"{name[: limit - 7]}_{digest[n : n + 6]}"
                if candidate not in taken:
                    name = candidate
                    break
        taken.add(name)
        out.append(name)
    return out


# --- the pure table --------------------------------------------------------------------------


def _codes(item: Item) -> dict[str, int]:
    """Numeric code per option value: the value itself when all are whole numbers."""
    values = [o.value for o in item.options()]
    if item.type == ItemType.YES_NO and set(values) == {"yes", "no"}:
        return {"yes": 1, "no": 0}
    if values and all(re.fullmatch(r"-?\d+", v) for v in values):
        codes = {v: int(v) for v in values}
        if not set(codes.values()) & set(MISSING_LABELS):
            return codes
    return {v: n for n, v in enumerate(values, start=1)}


def _label(text: Any, language: str) -> str:
    return " ".join(str(text.get(language)).split()) if text is not None else ""


def _present(answer: Any) -> bool:
    return answer not in (None, "", [])


@dataclass(frozen=True)
class _Spec:
    """How one item column is labelled and how an answer becomes its value."""

    label: str
    kind: StatKind
    encode: Callable[[Any, bool], Any]  # (answer, asked) -> value
    value_labels: Mapping[int, str] = field(default_factory=dict)
    missing: tuple[int, ...] = ()


def _missing(asked: bool) -> int:
    return NOT_ANSWERED if asked else NOT_ASKED


def _spec(column: Column, language: str) -> _Spec:
    item = column.item
    question = _label(item.label, language)
    coded = tuple(MISSING_LABELS)
    if column.value is not None:  # one option of a multiple choice
        option = next(o for o in item.options() if o.value == column.value)
        value = column.value

        def marked(answer: Any, asked: bool) -> Any:
            if not _present(answer):
                return _missing(asked)
            return 1 if value in (answer if isinstance(answer, list) else [answer]) else 0

        return _Spec(
            f"{question}: {_label(option.label, language)}",
            StatKind.NUMBER,
            marked,
            {**MARKED_LABELS, **MISSING_LABELS},
            coded,
        )
    if item.type in (ItemType.SINGLE_CHOICE, ItemType.YES_NO, ItemType.CONSENT, ItemType.SCALE):
        if item.type == ItemType.SCALE:
            codes = {str(n): n for n in range(item.scale_min, item.scale_max + 1)}
            labels = {
                item.scale_min: _label(item.scale_low, language) or str(item.scale_min),
                item.scale_max: _label(item.scale_high, language) or str(item.scale_max),
            }
        else:
            codes = _codes(item)
            labels = {codes[o.value]: _label(o.label, language) for o in item.options()}

        def chosen(answer: Any, asked: bool) -> Any:
            if isinstance(answer, list) and len(answer) == 1:
                answer = answer[0]
            if not _present(answer):
                return _missing(asked)
            return codes.get(str(answer), NOT_READABLE)

        return _Spec(question, StatKind.NUMBER, chosen, {**labels, **MISSING_LABELS}, coded)
    if item.type == ItemType.NUMBER:

        def number(answer: Any, asked: bool) -> Any:
            if not _present(answer):
                return _missing(asked)
            if isinstance(answer, int | float) and not isinstance(answer, bool):
                return answer
            if isinstance(answer, str) and _NUMBER.match(answer):
                return float(answer.strip().replace(",", "."))
            return NOT_READABLE

        return _Spec(question, StatKind.NUMBER, number, dict(MISSING_LABELS), coded)
    if item.type == ItemType.DATE:

        def date(answer: Any, asked: bool) -> Any:
            try:
                return dt.date.fromisoformat(answer) if isinstance(answer, str) else None
            except ValueError:
                return None  # written in words: kept as text in the xlsx export

        return _Spec(question, StatKind.DATE, date)

    def text(answer: Any, asked: bool) -> Any:
        if isinstance(answer, list):
            return ", ".join(map(str, answer))
        return "" if answer is None else str(answer)

    return _Spec(question, StatKind.TEXT, text)


#: The response columns: (spreadsheet column, StatResponse attribute, label, kind).
_RESPONSE_COLUMNS = (
    ("participant", "participant", "Participant code", StatKind.TEXT),
    ("serial", "serial", "Serial number of an anonymous paper copy", StatKind.TEXT),
    ("channel", "channel", "Channel (paper, web, manual)", StatKind.TEXT),
    ("received (UTC)", "received", "Received (UTC)", StatKind.DATETIME),
    ("status", "status", "Response status", StatKind.TEXT),
    ("version", "version", "Text version of the form", StatKind.TEXT),
    ("language", "language", "Language of the form", StatKind.TEXT),
)


def stat_table(
    form_id: str,
    versions: Mapping[str, Form],
    responses: Iterable[StatResponse],
    *,
    language: str,
    name_limit: int,
) -> StatTable:
    """The typed columns of one form (see the module text). Pure.

    ``versions`` maps each text version to its form, oldest first; the columns
    are those of the newest version, then any only older versions had.
    ``responses`` are read once, in order, and not kept (only the values are).
    """
    merged: dict[str, Column] = {}
    for form in reversed(list(versions.values())):
        for column in columns(form):
            merged.setdefault(column.name, column)
    on_version = {version: {c.name for c in columns(form)} for version, form in versions.items()}
    specs = [(c, _spec(c, language)) for c in merged.values()]
    head_values: list[list[Any]] = [[] for _ in _RESPONSE_COLUMNS]
    item_values: list[list[Any]] = [[] for _ in specs]
    for response in responses:
        for values, (_, attr, _, kind) in zip(head_values, _RESPONSE_COLUMNS, strict=True):
            value = getattr(response, attr)
            values.append((value or "") if kind == StatKind.TEXT else value)
        asked_here = on_version.get(response.version, set())
        answers = response.answers
        for values, (column, spec) in zip(item_values, specs, strict=True):
            values.append(spec.encode(answers.get(column.item.id), column.name in asked_here))
    every = [
        StatColumn("", source, label, kind, tuple(values))
        for (source, _, label, kind), values in zip(_RESPONSE_COLUMNS, head_values, strict=True)
    ] + [
        StatColumn(
            "", column.name, spec.label, spec.kind, tuple(values), spec.value_labels, spec.missing
        )
        for (column, spec), values in zip(specs, item_values, strict=True)
    ]
    names = safe_names([c.source for c in every], name_limit)
    return StatTable(
        form_id,
        tuple(
            StatColumn(n, c.source, c.label, c.kind, c.values, c.value_labels, c.missing)
            for n, c in zip(names, every, strict=True)
        ),
    )


# --- thin writers ----------------------------------------------------------------------------


def _frame(table: StatTable, *, stata: bool) -> Any:
    import pandas as pd

    data: dict[str, Any] = {}
    for c in table.columns:
        if c.kind == StatKind.NUMBER:
            if stata and c.missing:
                # pyreadstat writes a one-letter cell as Stata's extended missing value
                data[c.name] = pd.Series(
                    [STATA_MISSING.get(v, v) if v in STATA_MISSING else v for v in c.values],
                    dtype=object,
                )
            else:
                data[c.name] = pd.Series(c.values, dtype="float64")
        elif c.kind == StatKind.DATE:
            data[c.name] = pd.Series(
                [pd.Timestamp(v) if v else pd.NaT for v in c.values], dtype="datetime64[ns]"
            )
        elif c.kind == StatKind.DATETIME:
            data[c.name] = pd.Series(
                [pd.Timestamp(v.replace(tzinfo=None)) if v else pd.NaT for v in c.values],
                dtype="datetime64[ns]",
            )
        else:
            data[c.name] = pd.Series([str(v) for v in c.values], dtype=object)
    return pd.DataFrame(data, columns=[c.name for c in table.columns])


def write_sav(path: Path, table: StatTable) -> None:
    """One SPSS file: variable labels, value labels, user-missing codes, date formats."""
    import pyreadstat

    formats = {c.name: "DATE11" for c in table.columns if c.kind == StatKind.DATE}
    formats |= {c.name: "DATETIME20" for c in table.columns if c.kind == StatKind.DATETIME}
    pyreadstat.write_sav(
        _frame(table, stata=False),
        str(path),
        file_label=table.form,
        column_labels={c.name: c.label for c in table.columns},
        variable_value_labels={
            c.name: {float(k): v for k, v in c.value_labels.items()}
            for c in table.columns
            if c.value_labels
        },
        missing_ranges={c.name: list(map(float, c.missing)) for c in table.columns if c.missing},
        variable_format=formats or None,
    )


def write_dta(path: Path, table: StatTable) -> None:
    """One Stata file: variable labels, value labels, extended missing values (.a .b .c)."""
    import pyreadstat

    pyreadstat.write_dta(
        _frame(table, stata=True),
        str(path),
        file_label=table.form[:80],
        column_labels={c.name: c.label[:80] for c in table.columns},
        variable_value_labels={
            c.name: {int(k): v for k, v in c.value_labels.items() if k not in STATA_MISSING}
            for c in table.columns
            if c.value_labels and all(isinstance(v, int) or v in STATA_MISSING for v in c.values)
        },
        missing_user_values={
            c.name: [STATA_MISSING[m] for m in c.missing] for c in table.columns if c.missing
        },
    )


WRITERS: Mapping[str, Callable[[Path, StatTable], None]] = {"sav": write_sav, "dta": write_dta}


# --- from the database -----------------------------------------------------------------------


def stat_paths(out: Path, forms: Sequence[str], fmt: str) -> dict[str, Path]:
    """``results.sav`` -> ``results.families.sav``, ... (as intake.spreadsheet.csv_paths)."""
    stem = out.with_suffix("") if out.suffix.lower() in (".sav", ".dta") else out
    return {
        f: stem.with_name(f"{stem.name}.{re.sub(r'[^A-Za-z0-9_-]+', '-', f)}.{fmt}") for f in forms
    }


def form_stat_table(
    session: Session,
    study: StudyRecord,
    form_key: str,
    *,
    fmt: str,
    codes: set[str] | None = None,
) -> StatTable:
    """:func:`stat_table` of one form of a study in the database."""
    versions = form_versions(session, study, form_key)
    forms = {v.text_version: stored_form(v) for v in versions}
    names = {v.id: v.text_version for v in versions}
    languages = tuple(study.definition.get("languages") or ())
    language = study.definition.get("default_language") or (languages[0] if languages else "nb")
    query = responses_query(names)

    def responses() -> Iterator[StatResponse]:
        for code, serial, channel, received, status, vid, lang, answers in session.execute(query):
            if code is not None and codes is not None:
                codes.add(code)  # who is in the file, for the export log
            yield StatResponse(
                code, serial, channel, received, status, names[vid], lang, answers or {}
            )

    return stat_table(form_key, forms, responses(), language=language, name_limit=NAME_LIMITS[fmt])


def write_stat_files(
    session: Session, out: str | Path, *, study: StudyRecord, fmt: str, force: bool = False
) -> ExportResult:
    """One .sav or .dta file per form of ``study``; only reads the database.

    :func:`privacy.exports.results` writes and logs it, as the other exports.
    """
    if fmt not in STAT_FORMATS:
        raise ExportError(f"unknown format '{fmt}'; use {' or '.join(STAT_FORMATS)}")
    out = Path(out)
    keys = list(
        dict.fromkeys(
            session.scalars(
                select(FormVersion.form_key)
                .where(FormVersion.study_id == study.id)
                .order_by(FormVersion.id)
            )
        )
    )
    if not keys:
        raise ExportError(f"study '{study.key}' has no forms to export")
    paths = stat_paths(out, keys, fmt)
    for path in paths.values():  # refuse before writing anything
        check_output(path, force=force)
    counts: dict[str, int] = {}
    codes: set[str] = set()
    for key in keys:
        table = form_stat_table(session, study, key, fmt=fmt, codes=codes)
        with atomic_path(paths[key], force=force) as tmp:
            WRITERS[fmt](tmp, table)
        counts[key] = table.rows
    return ExportResult(tuple(paths.values()), counts, fmt, False, frozenset(codes))

"""The results workbook: pure (headers, rows) tables, then thin writers.

Sheets, in order: one per form (a row per response: participant code or
serial, channel, received, status, version, language, then one column per
item, one per option for multiple choice), the codebook, the current consent
status, open review tasks, and the participants (codes only unless
``with_contacts``, which is logged as an export of personal data).

Column naming per item (the same as the codebook): the item id for
everything but multiple choice; ``<item>__<value>`` per option of a
multiple-choice item (1 marked, 0 not, empty when the response has no answer
to the item). With ``labels`` choice values are shown as their label in the
form's first language instead. Numbers and dates typed as text become real
numbers and dates.

Rows are produced lazily from the database in batches, so a workbook of
100,000 responses never sits in memory at once (see bench/export.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from forms.codebook import Column, codebook, columns
from forms.errors import UserError
from forms.model import Form, Item, ItemType

from .models import FormVersion, Participant, Response, StudyRecord
from .participants import participants_table
from .review import tasks_table
from .scope import rows_of_study, several_studies, study_codes
from .studies import stored_form
from .tables import OutputExists, check_output, write_csv, write_xlsx

#: Responses fetched from the database per round trip while streaming rows.
BATCH_SIZE = 2_000
FORMATS = ("xlsx", "csv")
RESPONSE_COLUMNS = (
    "participant",
    "serial",
    "channel",
    "received (UTC)",
    "status",
    "version",
    "language",
)

Sheet = tuple[str, list[str], Any]  # (title, headers, rows iterable)


class ExportError(UserError):
    """The export cannot be made as asked."""


def item_columns(form: Form) -> list[Column]:
    """The spreadsheet columns of a form's items: forms.codebook's naming, shared."""
    return columns(form)


def _merged_columns(forms: Sequence[Form]) -> list[Column]:
    """Columns of the newest version first, then any only older versions had."""
    seen: dict[str, Column] = {}
    for form in reversed(forms):
        for column in item_columns(form):
            seen.setdefault(column.name, column)
    return list(seen.values())


_NUMBER_RE = re.compile(r"^-?\d+([.,]\d+)?$")


def _joined(item: Item, answer: list[Any], labels: bool, language: str) -> Any:
    if not answer:
        return None
    shown = [_label(item, v, language) if labels else v for v in answer]
    return ", ".join(str(v) for v in shown)


def _as_given(item: Item, answer: Any, labels: bool, language: str) -> Any:
    if isinstance(answer, list):
        return _joined(item, answer, labels, language)
    return answer


def _scale(item: Item, answer: Any, labels: bool, language: str) -> Any:
    # one point on the scale is a number a statistics program can count with
    if isinstance(answer, list) and len(answer) == 1 and not labels:
        value = answer[0]
        return int(value) if str(value).lstrip("-").isdigit() else value
    return _as_given(item, answer, labels, language)


def _number(item: Item, answer: Any, labels: bool, language: str) -> Any:
    if isinstance(answer, str) and _NUMBER_RE.match(answer):
        text = answer.replace(",", ".")
        return float(text) if "." in text else int(text)
    return _as_given(item, answer, labels, language)


def _date(item: Item, answer: Any, labels: bool, language: str) -> Any:
    if isinstance(answer, str):
        try:
            return dt.date.fromisoformat(answer)
        except ValueError:
            return answer  # handwriting typed in as written; kept as text
    return _as_given(item, answer, labels, language)


#: How each item type's answer becomes a cell: (item, stored answer, labels?, language) -> value.
#: An option column of a multiple choice (1/0, or the label) is the same for every type.
CELL_VALUES: dict[ItemType, Callable[[Item, Any, bool, str], Any]] = {
    ItemType.SINGLE_CHOICE: _as_given,
    ItemType.MULTIPLE_CHOICE: _as_given,
    ItemType.YES_NO: _as_given,
    ItemType.SCALE: _scale,
    ItemType.SHORT_TEXT: _as_given,
    ItemType.LONG_TEXT: _as_given,
    ItemType.NUMBER: _number,
    ItemType.DATE: _date,
    ItemType.SIGNATURE: _as_given,
    ItemType.CONSENT: _as_given,
    ItemType.INFO: _as_given,
}


def cell_value(column: Column, answers: dict[str, Any], *, labels: bool, language: str) -> Any:
    """One response's value for one column, as the spreadsheet shows it."""
    answer = answers.get(column.item.id)
    if answer is None:
        return None
    item = column.item
    if column.value is not None:  # one option of a multiple choice
        chosen = column.value in (answer if isinstance(answer, list) else [answer])
        if labels:
            return _label(item, column.value, language) if chosen else None
        return 1 if chosen else 0
    return CELL_VALUES[item.type](item, answer, labels, language)


def _label(item: Item, value: str, language: str) -> str:
    for option in item.options():
        if option.value == value:
            return option.label.get(language) or value
    return value


def form_versions(session: Session, study: StudyRecord, form_key: str) -> list[FormVersion]:
    """Every stored version of one form, oldest first."""
    return list(
        session.scalars(
            select(FormVersion)
            .where(FormVersion.study_id == study.id, FormVersion.form_key == form_key)
            .order_by(FormVersion.id)
        )
    )


def responses_query(version_ids: Iterable[int]) -> Select[tuple[Any, ...]]:
    """The responses to these form versions, in the order received, streamed in batches:
    participant code, serial, channel, received, status, version id, language, answers."""
    return (
        select(
            Participant.code,
            Response.serial,
            Response.channel,
            Response.received_at,
            Response.status,
            Response.form_version_id,
            Response.language,
            Response.answers,
        )
        .outerjoin(Participant, Participant.id == Response.participant_id)
        .where(Response.form_version_id.in_(list(version_ids) or [-1]))
        .order_by(Response.received_at, Response.id)
        .execution_options(yield_per=BATCH_SIZE)
    )


def form_table(
    session: Session, study: StudyRecord, form_key: str, *, labels: bool = False
) -> tuple[list[str], Iterator[list[Any]]]:
    """(headers, rows) of one form: a row per response, in the order received."""
    versions = form_versions(session, study, form_key)
    forms = [stored_form(v) for v in versions]
    columns = _merged_columns(forms)
    language = forms[-1].languages[0] if forms and forms[-1].languages else "nb"
    headers = [*RESPONSE_COLUMNS, *(c.name for c in columns)]
    version_names = {v.id: v.text_version for v in versions}

    def rows() -> Iterator[list[Any]]:
        query = responses_query(version_names)
        for code, serial, channel, received, status, version_id, lang, answers in session.execute(
            query
        ):
            answers = answers or {}
            yield [
                code,
                serial,
                channel,
                received,
                status,
                version_names[version_id],
                lang,
                *(cell_value(c, answers, labels=labels, language=language) for c in columns),
            ]

    return headers, rows()


def codebook_table(forms: Sequence[Form]) -> tuple[list[str], list[list[Any]]]:
    """What every column means, for every form (forms.codebook, one block per form)."""
    headers: list[str] = []
    rows: list[list[Any]] = []
    for form in forms:
        headers, form_rows = codebook(form, form.languages)
        rows += [list(row) for row in form_rows]
    return headers or ["form"], rows


def consent_table(session: Session) -> tuple[list[str], list[list[Any]]]:
    """Where every person stands on every consent item, from the consent ledger."""
    from consent.ledger import status_book

    headers = ["participant", "item", "state", "channel", "text version", "since"]
    book = status_book(session)
    rows = [
        [s.participant, s.item, str(s.state), s.channel, s.text_version, s.occurred_at]
        for _key, s in sorted(book.items.items())
    ]
    return headers, rows


def results_tables(
    session: Session,
    *,
    study: StudyRecord,
    labels: bool = False,
    with_contacts: bool = False,
) -> list[Sheet]:
    """Every sheet of the results workbook as (title, headers, rows).

    The rows of the form and participants sheets are lazy (streamed from the
    database in batches): write them before the session's transaction ends.
    """
    versions = list(
        session.scalars(
            select(FormVersion).where(FormVersion.study_id == study.id).order_by(FormVersion.id)
        )
    )
    form_keys = list(dict.fromkeys(v.form_key for v in versions))
    newest: dict[str, FormVersion] = {v.form_key: v for v in versions}
    sheets: list[Sheet] = []
    for key in form_keys:
        headers, rows = form_table(session, study, key, labels=labels)
        sheets.append((key, headers, rows))
    sheets.append(("codebook", *codebook_table([stored_form(newest[k]) for k in form_keys])))
    people: list[Sheet] = [
        ("consent status", *consent_table(session)),
        ("review tasks", *tasks_table(session)),
        ("participants", *participants_table(session, with_contacts=with_contacts)),
    ]
    if several_studies(session):  # only this study's people (intake.scope)
        codes = study_codes(session, study)
        for title, names, table in people:
            column = names.index("participant" if "participant" in names else "code")
            sheets.append((title, names, rows_of_study(table, column, codes)))
    else:
        sheets.extend(people)
    return sheets


def response_counts(session: Session, study: StudyRecord) -> dict[str, int]:
    """Responses per form (for a progress bar's length)."""
    query = (
        select(FormVersion.form_key, func.count(Response.id))
        .join(Response, Response.form_version_id == FormVersion.id)
        .where(FormVersion.study_id == study.id)
        .group_by(FormVersion.form_key)
    )
    return {key: count for key, count in session.execute(query)}


def csv_paths(out: Path, titles: Sequence[str]) -> dict[str, Path]:
    """``results.csv`` -> ``results.families.csv``, ``results.codebook.csv``, ..."""
    stem = out.with_suffix("") if out.suffix.lower() in (".csv", ".xlsx", ".txt") else out
    return {
        t: stem.with_name(f"{stem.name}.{re.sub(r'[^A-Za-z0-9_-]+', '-', t)}.csv") for t in titles
    }


@dataclass(frozen=True)
class ExportResult:
    files: tuple[Path, ...]
    rows: dict[str, int]
    file_format: str = "xlsx"
    with_contacts: bool = False
    #: The participant codes in the rows written (what privacy.exports logs).
    codes: frozenset[str] = frozenset()


#: The columns that name a person in the results' sheets (the codebook has none).
CODE_COLUMNS = ("participant", "code")
NO_PEOPLE_SHEETS = frozenset({"codebook"})


def collect_codes(
    title: str, headers: Sequence[str], rows: Iterable[Any], into: set[str]
) -> Iterator[Any]:
    """The rows unchanged, each person's code added to ``into`` on the way past."""
    at = next((list(headers).index(c) for c in CODE_COLUMNS if c in headers), None)
    if at is None or title in NO_PEOPLE_SHEETS:
        yield from rows
        return
    for row in rows:
        value = row[at]
        if value:
            into.add(str(value))
        yield row


def write_results(
    session: Session,
    out: str | Path,
    *,
    study: StudyRecord,
    file_format: str | None = None,
    labels: bool = False,
    with_contacts: bool = False,
    sep: str = ",",
    force: bool = False,
    wrap_rows: Callable[[str, Iterable[Any]], Iterable[Any]] | None = None,
) -> ExportResult:
    """Write the results workbook (or one CSV per sheet); only reads the database.

    ``wrap_rows(title, rows)`` may wrap each sheet's rows (the command shows a
    progress bar with it).
    """
    out = Path(out)
    fmt = (file_format or out.suffix.lstrip(".") or "xlsx").lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}'; use {' or '.join(FORMATS)}")
    if fmt == "xlsx" and out.suffix.lower() != ".xlsx":
        raise ExportError(f"{out}: an xlsx export needs a file name ending in .xlsx")
    sheets = results_tables(session, study=study, labels=labels, with_contacts=with_contacts)
    if wrap_rows is not None:
        sheets = [(title, headers, wrap_rows(title, rows)) for title, headers, rows in sheets]
    codes: set[str] = set()
    sheets = [(t, h, collect_codes(t, h, rows, codes)) for t, h, rows in sheets]
    if fmt == "xlsx":
        counts = write_xlsx(out, sheets, force=force)
        files: tuple[Path, ...] = (out,)
    else:
        paths = csv_paths(out, [title for title, _, _ in sheets])
        for path in paths.values():  # refuse before writing anything
            check_output(path, force=force)
        counts = {}
        for title, headers, rows in sheets:
            counts[title] = write_csv(paths[title], headers, rows, sep=sep, force=force)
        files = tuple(paths.values())
    return ExportResult(files, counts, fmt, with_contacts, frozenset(codes))


__all__ = [
    "Column",
    "ExportError",
    "OutputExists",
    "cell_value",
    "codebook_table",
    "consent_table",
    "form_table",
    "item_columns",
    "results_tables",
    "write_results",
]

"""The codebook of a form: what every item and every spreadsheet column means.

``codebook(form, languages)`` is pure and returns ``(headers, rows)``;
``write_codebook_xlsx(path, form, languages)`` is the thin writer.

Spreadsheet column naming (shared with intake's results export, which uses
:func:`columns`):

* one column per answerable item, named by the item id (single choice, yes/no,
  scale and consent hold the chosen value; text, number, date and signature
  hold what was written);
* a multiple-choice item has one column per option instead, named
  ``<item>__<value>`` (two underscores), holding 1 when the option is marked,
  0 when it is not, and nothing when the item was not answered;
* information texts have no column (they ask nothing) but are listed in the
  codebook, so it describes the whole form.

Rows: one per option of a choice-like item (value and its label in every
language), one per written item, one per information text. The last column,
"source name", names an imported question (and value) as its XLSForm or REDCap
file wrote it when that was not an id: results columns use our safe ids, the
codebook and the statistics files' variable labels lead back to the original.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms.errors import UserError
from forms.model import DISPLAY_TYPES, WRITTEN_TYPES, Choice, Form, Item, ItemType, Text

#: Separator between an item id and an option value in a multiple-choice column name.
OPTION_SEPARATOR = "__"

#: How a column's cells are to be read, per item type (English: the codebook is for analysts).
CODING: dict[ItemType, str] = {
    ItemType.SINGLE_CHOICE: "the value of the marked option",
    ItemType.MULTIPLE_CHOICE: "1 = marked, 0 = not marked, empty = item not answered",
    ItemType.YES_NO: "yes or no",
    ItemType.SCALE: "the number marked",
    ItemType.SHORT_TEXT: "text as written",
    ItemType.LONG_TEXT: "text as written",
    ItemType.NUMBER: "a number",
    ItemType.DATE: "a date (YYYY-MM-DD)",
    ItemType.SIGNATURE: "whether a signature is present",
    ItemType.CONSENT: "yes = consent given on this form",
    ItemType.INFO: "no column: information text only",
}


class CodebookError(UserError):
    """The codebook cannot be made as asked (no languages, file cannot be written...)."""


@dataclass(frozen=True)
class Column:
    """One spreadsheet column of a form's results."""

    name: str
    item: Item
    value: str | None  # the option of a multiple-choice item; None for one-column items


def columns(form: Form) -> list[Column]:
    """The results columns of ``form``, in form order (see the module text for naming)."""
    out: list[Column] = []
    for item in form.items():
        if item.type in DISPLAY_TYPES:
            continue
        if item.type == ItemType.MULTIPLE_CHOICE:
            out += [
                Column(f"{item.id}{OPTION_SEPARATOR}{c.value}", item, c.value)
                for c in item.options()
            ]
        else:
            out.append(Column(item.id, item, None))
    return out


def _in(text: Text | None, language: str) -> str:
    """The text in exactly ``language`` (no fallback: a gap shows as a gap)."""
    if text is None:
        return ""
    return text.values.get(language) or text.values.get("*") or ""


def _value_label(item: Item, option_index: int, language: str) -> str:
    option = item.options()[option_index]
    if item.type == ItemType.SCALE:
        ends = {item.scale_min: item.scale_low, item.scale_max: item.scale_high}
        end = _in(ends.get(int(option.value)), language)
        return f"{option.value} ({end})" if end else option.value
    return _in(option.label, language)


def codebook_headers(languages: Sequence[str]) -> list[str]:
    return [
        "form",
        "section",
        "item",
        "column",
        "type",
        "required",
        *(f"question ({lang})" for lang in languages),
        "value",
        *(f"value label ({lang})" for lang in languages),
        "coding",
        "source name",
    ]


def _source_name(item: Item, option: Choice | None) -> str:
    """The name (and value) as the imported form wrote them, when they differ from ours.

    XLSForm and REDCap names that are not ids (``tel.office``, ``_id``, a name used
    in two groups, a choice ``geflüchtete``) get a derived id; this column names the
    original, so an analyst can match the results to the form they wrote.
    """
    name = item.source_name or item.id
    if option is not None and option.source_value:
        return f"{name} = {option.source_value}"
    return item.source_name or ""


def codebook(form: Form, languages: Sequence[str]) -> tuple[list[str], list[list[Any]]]:
    """Every item of ``form``: id, section, type, required, labels, values, column names."""
    languages = tuple(languages)
    if not languages:
        raise CodebookError(f"form {form.id!r}: name at least one language for the codebook")
    headers = codebook_headers(languages)
    rows: list[list[Any]] = []
    for section in form.sections:
        for item in section.items:
            start = [form.id, section.id, item.id]
            middle = [
                str(item.type),
                "yes" if item.required else "no",
                *(_in(item.label, lang) for lang in languages),
            ]
            no_labels = [""] * len(languages)
            if item.type in DISPLAY_TYPES:
                rows.append(
                    [
                        *start,
                        None,
                        *middle,
                        None,
                        *no_labels,
                        CODING[item.type],
                        _source_name(item, None),
                    ]
                )
            elif item.type in WRITTEN_TYPES:
                rows.append(
                    [
                        *start,
                        item.id,
                        *middle,
                        None,
                        *no_labels,
                        CODING[item.type],
                        _source_name(item, None),
                    ]
                )
            else:
                for n, option in enumerate(item.options()):
                    column = (
                        f"{item.id}{OPTION_SEPARATOR}{option.value}"
                        if item.type == ItemType.MULTIPLE_CHOICE
                        else item.id
                    )
                    labels = [_value_label(item, n, lang) for lang in languages]
                    rows.append(
                        [
                            *start,
                            column,
                            *middle,
                            option.value,
                            *labels,
                            CODING[item.type],
                            _source_name(item, option),
                        ]
                    )
    return headers, rows


def write_codebook_xlsx(path: str | Path, form: Form, languages: Sequence[str]) -> Path:
    """Write the codebook of ``form`` to an .xlsx file (one sheet, "codebook")."""
    return _write(path, [("codebook", *codebook(form, languages))])


def write_codebooks_xlsx(
    path: str | Path, forms: Sequence[Form], languages: Sequence[str] | None = None
) -> Path:
    """Write one codebook sheet per form (named by the form id); each form's own languages
    unless ``languages`` is given."""
    if not forms:
        raise CodebookError("no forms to write a codebook for")
    sheets = []
    for form in forms:
        langs = tuple(languages) if languages else form.languages
        sheets.append((form.id[:MAX_SHEET_TITLE], *codebook(form, langs)))
    return _write(path, sheets)


#: Excel refuses longer sheet names.
MAX_SHEET_TITLE = 31


def _write(path: str | Path, sheets: Sequence[tuple[str, list[str], list[list[Any]]]]) -> Path:
    import openpyxl  # only the writer needs it (tests/test_architecture.py)
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

    path = Path(path)
    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"

        def cells(values: list[Any], font: Font | None = None, sheet: Any = sheet) -> list[Cell]:
            out = []
            for value in values:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a label like "=1" is text, never a formula
                if font is not None:
                    cell.font = font
                out.append(cell)
            return out

        sheet.append(cells(headers, bold))
        for r in rows:
            sheet.append(cells(r))
    # Built in memory first (codebooks are small), so a bad path leaves no half-written file.
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        path.write_bytes(buffer.getvalue())
    except OSError as exc:
        raise CodebookError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path

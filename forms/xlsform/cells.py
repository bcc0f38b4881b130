"""Cells, headers and settings of an XLSForm's sheets, read the same way on every sheet."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forms.model import Text
from forms.rules import tidy
from forms.workbook import Sheet

from .languages import language_code
from .problems import Problems


def cell_text(value: Any) -> str:
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


def split_header(raw: str) -> tuple[str, str | None]:
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
class Columns:
    """Where each column we read sits on a sheet."""

    single: dict[str, int] = field(default_factory=dict)  # base name -> column index
    texts: dict[str, dict[str, int]] = field(default_factory=dict)  # label/hint -> lang -> col
    others: dict[str, int] = field(default_factory=dict)  # every other header -> col
    language_order: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_header(
    sheet: Sheet,
    singles: Sequence[str],
    texts: Sequence[str],
    default_language: str,
    errs: Problems,
) -> tuple[Columns, int]:
    """Parse the first non-empty row of ``sheet`` as its header."""
    cols = Columns()
    header_row = 0
    for number, row in sheet.rows:
        if any(cell_text(v) for v in row):
            header_row = number
            header = [cell_text(v) for v in row]
            break
    else:
        return cols, 0
    seen: dict[tuple[str, str | None], int] = {}
    for index, raw in enumerate(header):
        if not raw:
            continue
        base, lang_name = split_header(raw)
        if base == "list_name" or base == "listname":
            base = "list_name"
        if base in texts:
            if lang_name is None or lang_name.lower() == "default":
                lang = default_language
            else:
                code = language_code(lang_name)
                if code is None:
                    errs.add(
                        f"column {column_letter(index)} {raw!r}: unknown language "
                        f"{lang_name!r}; write it with its code, e.g. "
                        f"'{base}::{lang_name} (xx)'",
                        sheet.name,
                        header_row,
                    )
                    continue
                lang = code
            key: tuple[str, str | None] = (base, lang)
        elif base in singles:
            key = (base, None)
        else:
            cols.others.setdefault(raw.strip().lower(), index)
            continue
        if key in seen:
            errs.add(
                f"columns {column_letter(seen[key])} and {column_letter(index)} are both "
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


def cell_at(row: Sequence[Any], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return cell_text(row[index])


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


def has_markup(row: Sequence[Any], columns: Mapping[str, int] | None) -> bool:
    return any(plain_text(cell_at(row, i)) != cell_at(row, i) for i in (columns or {}).values())


def text_of(row: Sequence[Any], columns: Mapping[str, int] | None) -> Text | None:
    if not columns:
        return None
    values = {lang: tidy(plain_text(cell_at(row, i))) for lang, i in columns.items()}
    values = {lang: v for lang, v in values.items() if v}
    return Text(values) if values else None


def find_sheet(sheets: Sequence[Sheet], name: str) -> Sheet | None:
    for sheet in sheets:
        if "_".join(sheet.name.strip().lower().split()) == name:
            return sheet
    return None


_SETTING_ALIASES = {"title": "form_title", "id_string": "form_id"}


def read_settings(sheet: Sheet | None) -> dict[str, str]:
    if sheet is None:
        return {}
    filled = [row for _, row in sheet.rows if any(cell_text(v) for v in row)]
    if len(filled) < 2:
        return {}
    header, values = filled[0], filled[1]
    out: dict[str, str] = {}
    for index, raw in enumerate(header):
        key = "_".join(cell_text(raw).lower().split())
        key = _SETTING_ALIASES.get(key, key)
        if key and key not in out:
            out[key] = cell_at(values, index)
    return out

"""The choices sheet: the answer lists, their names checked as stable keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from forms.model import Text
from forms.workbook import Sheet

from .cells import cell_at, read_header, split_header, text_of
from .names import safe_key
from .problems import Problems

#: Longest choice name read before it is judged (longer ones are an error either way).
MAX_VALUE_LENGTH = 100


@dataclass
class ChoiceRow:
    value: str  # lower case: a stable key
    written: str  # as written on the sheet
    label: Text | None
    row: int
    attributes: dict[str, str]


_CHOICE_MEDIA = {"image", "audio", "video", "media", "big-image"}


def read_choices(
    sheet: Sheet | None, default_language: str, errs: Problems, allow_duplicates: bool
) -> dict[str, list[ChoiceRow]]:
    lists: dict[str, list[ChoiceRow]] = {}
    if sheet is None:
        return lists
    cols, header_row = read_header(sheet, ("list_name", "name"), ("label",), default_language, errs)
    if not header_row:
        return lists
    if "list_name" not in cols.single or "name" not in cols.single:
        missing = [c for c in ("list_name", "name") if c not in cols.single]
        errs.add(f"the header row has no {' or '.join(missing)} column", sheet.name, header_row)
        return lists
    attribute_cols = {
        h: i
        for h, i in cols.others.items()
        if split_header(h)[0] not in _CHOICE_MEDIA and not h.startswith("_")
    }
    first_row: dict[tuple[str, str], int] = {}
    for number, row in sheet.rows:
        if number <= header_row:
            continue
        list_name = cell_at(row, cols.single["list_name"])
        value = cell_at(row, cols.single["name"])
        label = text_of(row, cols.texts.get("label"))
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
        attrs = {h: cell_at(row, i) for h, i in attribute_cols.items() if cell_at(row, i)}
        lists.setdefault(list_name, []).append(ChoiceRow(value, written, label, number, attrs))
    return lists


def check_list(list_name: str, rows: Sequence[ChoiceRow], sheet: str, errs: Problems) -> None:
    """Give every choice of a list a stable key; checked once per list a question uses.

    A name that is not a key (``geflüchtete``, ``24/7``, ``0.5``) keeps its written
    form as the choice's source value; its key is derived (:func:`safe_key`).
    """
    changed, lowered = [], []
    taken: set[str] = set()
    for r in rows:
        r.value = safe_key(r.written, taken)
        taken.add(r.value)
        if r.value == r.written.lower() and r.value != r.written:
            lowered.append(repr(r.written))
        elif r.value != r.written:
            changed.append(f"{r.written!r} as {r.value!r}")
    if lowered:
        errs.warn(
            f"list {list_name!r}: {', '.join(lowered)} stored in lower case", sheet, rows[0].row
        )
    if changed:
        errs.warn(
            f"list {list_name!r}: {', '.join(changed)} stored (not a key as written; "
            "the codebook keeps the name as written)",
            sheet,
            rows[0].row,
        )

"""The survey sheet, row by row: groups become sections, rows become questions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from forms.model import Choice, Form, Item, ItemType, Section, Text
from forms.references import BLANK, condition_answer

from .cells import Columns, cell_at, has_markup, text_of
from .choices import ChoiceRow, check_list
from .names import safe_key
from .problems import Problems
from .question_types import (
    EXTERNAL_REASON,
    SKIPPED_TYPES,
    is_required,
    parse_type,
    unsupported_reason,
)
from .result import ChoiceFilter

#: A choice question needs this many choices (the same rule as forms.load): one is a
#: single tick box.
MIN_CHOICES = 1

OTHER_LABELS: Mapping[str, str] = {"nb": "Annet", "nn": "Anna", "en": "Other"}
OTHER_SPECIFY: Mapping[str, str] = {
    "nb": "Annet. Skriv her:",
    "nn": "Anna. Skriv her:",
    "en": "Other. Write here:",
}


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


def join_relevant(parts: Sequence[str | None]) -> str | None:
    present = [p for p in parts if p]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return " and ".join(f"({p})" for p in present)


def other_text(languages: Sequence[str], table: Mapping[str, str]) -> Text:
    return Text({lang: table.get(lang, table["en"]) for lang in languages})


class SurveyReader:
    """Reads the survey sheet row by row into sections, collecting problems in ``errs``."""

    def __init__(
        self,
        sheet: str,
        cols: Columns,
        lists: Mapping[str, list[ChoiceRow]],
        choices_sheet: str,
        default_language: str,
        errs: Problems,
    ):
        self.sheet = sheet
        self.cols = cols
        self.lists = lists
        self.choices_sheet = choices_sheet
        self.default_language = default_language
        self.errs = errs
        self.builder = _Builder()
        self.stack: list[_Group] = []
        self.item_rows: dict[str, int] = {}  # id -> row
        # (group path, name in lower case) -> row: a name may come again in another group
        self.name_rows: dict[tuple[str, str], int] = {}
        # name in lower case -> id, the first question of that name (what ${name} refers to)
        self.names: dict[str, str] = {}
        self.choice_filters: dict[str, ChoiceFilter] = {}
        self.checked_lists: set[str] = set()
        self.languages: list[str] = []  # of question and group texts, in order of appearance
        self.skip_depth = 0  # inside an unsupported repeat or loop: its rows are not reported
        self.skip_row = 0

    def _column(self, row: Sequence[Any], name: str) -> str:
        return cell_at(row, self.cols.single.get(name))

    def _error(self, message: str, number: int | None, type_: str | None = None) -> None:
        self.errs.add(message, self.sheet, number, type_)

    def _note_languages(self, *texts: Text | None) -> None:
        for text in texts:
            for lang in text.values if text is not None else ():
                if lang not in self.languages:
                    self.languages.append(lang)

    def row(self, number: int, row: Sequence[Any]) -> None:
        raw_type = self._column(row, "type")
        name = self._column(row, "name")
        if not raw_type:
            if name:
                self._error(f"{name!r} has no type", number)
            return
        kind, item_type, list_name, or_other = parse_type(raw_type)
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
            self._error(
                f"type {raw_type!r} is not supported: {unsupported_reason(low)}", number, raw_type
            )
            if low.startswith("begin"):
                self.skip_depth, self.skip_row = 1, number
        elif kind == "external":
            self._error(f"type {raw_type!r} is not supported: {EXTERNAL_REASON}", number, raw_type)
        elif kind == "unknown":
            self._error(
                f"unknown type {raw_type!r}; Deltaker reads text, integer, decimal, "
                "date, note, select_one, select_multiple, begin group and end group",
                number,
                raw_type,
            )
        elif item_type is not None:
            self.question(number, row, name, raw_type, item_type, list_name, or_other)

    def begin_group(self, number: int, row: Sequence[Any], name: str, raw_type: str) -> None:
        if not name:
            self._error("'begin group' needs a name", number, raw_type)
            return
        group_id = safe_key(name, ())
        label = text_of(row, self.cols.texts.get("label"))
        hint = text_of(row, self.cols.texts.get("hint"))
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
        row: Sequence[Any],
        name: str,
        raw_type: str,
        item_type: ItemType,
        list_name: str | None,
        or_other: bool,
    ) -> None:
        if not name:
            self._error("this row has a type but no name", number)
            return
        group = self.stack[-1].name if self.stack else ""
        key = ("/".join(g.name for g in self.stack), name.strip().lower())
        if key in self.name_rows:
            self._error(
                f"name {name!r} is used twice (rows {self.name_rows[key]} and "
                f"{number}); every question needs its own name",
                number,
            )
            return
        label = text_of(row, self.cols.texts.get("label"))
        hint = text_of(row, self.cols.texts.get("hint"))
        if any(has_markup(row, self.cols.texts.get(c)) for c in ("label", "hint")):
            self.errs.warn(
                f"{name!r}: HTML or Markdown formatting removed (paper prints plain text)",
                self.sheet,
                number,
            )
        if item_type == ItemType.INFO and label is None:
            # left out before its name is taken: a later row may use the name
            self.errs.warn(f"note {name!r} has no text (only media?); left out", self.sheet, number)
            return
        ident = self._ident(name, group, number)
        if label is None:
            label = Text({self.default_language: name})
            self.errs.warn(f"{name!r} has no label; its name is shown instead", self.sheet, number)
        if (
            item_type == ItemType.SHORT_TEXT
            and "multiline" in self._column(row, "appearance").lower()
        ):
            item_type = ItemType.LONG_TEXT
        required = self._required(number, row, name) and item_type != ItemType.INFO
        self.name_rows[key] = number

        choices: tuple[Choice, ...] = ()
        if list_name is not None:
            found = self._choices(number, row, ident, raw_type, list_name, item_type)
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
                other = Choice("other", other_text(list(label.values), OTHER_LABELS))
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
                relevant=join_relevant(conditions),
                source_name=name if name != ident else None,
                line=number,
            )
        )
        if or_other:
            self._add_other_text(number, ident, label, conditions)

    def _ident(self, name: str, group: str, number: int) -> str:
        """The question's id: its name when that is a free key, else a derived one (warned)."""
        ident = safe_key(name, self.item_rows, prefix=group)
        self.item_rows[ident] = number
        self.names.setdefault(name.strip().lower(), ident)
        if ident == name.lower() and ident != name:
            self.errs.warn(
                f"name {name!r} is stored as {ident!r} (ids are lower case)", self.sheet, number
            )
        elif ident != name.lower():
            reused = self.names[name.strip().lower()] != ident
            why = "the name is used in another group" if reused else "the name is not an id"
            self.errs.warn(
                f"question {name!r} is stored as {ident!r} ({why}; the codebook keeps "
                "the name as written)",
                self.sheet,
                number,
            )
        return ident

    def _required(self, number: int, row: Sequence[Any], name: str) -> bool:
        raw = self._column(row, "required")
        required = is_required(raw)
        if required is None:
            self.errs.warn(
                f"required {raw!r} is a condition; {name!r} is imported as not required",
                self.sheet,
                number,
            )
            return False
        return required

    def _choices(
        self,
        number: int,
        row: Sequence[Any],
        ident: str,
        raw_type: str,
        list_name: str,
        item_type: ItemType,
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
            check_list(list_name, rows, self.choices_sheet, self.errs)
        if len(rows) < MIN_CHOICES:
            self._error(
                f"{raw_type!r}: list {list_name!r} has no choices; a question "
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
                expression,  # its ${names} become ids once every name is known
                {r.value: dict(r.attributes) for r in rows},
            )
            self.errs.warn(
                f"choice_filter {expression!r} kept for the web form; paper shows every choice",
                self.sheet,
                number,
            )
        return tuple(
            Choice(
                r.value,
                r.label or Text({self.default_language: r.written}),
                source_value=r.written if r.written != r.value else None,
            )
            for r in rows
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
                label=other_text(list(label.values), OTHER_SPECIFY),
                relevant=join_relevant([*conditions, f"selected(${{{ident}}}, 'other')"]),
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


def finish_sections(
    sections: Sequence[Section],
    languages: tuple[str, ...],
    errs: Problems,
    sheet: str,
    names: Mapping[str, str],
) -> tuple[Section, ...]:
    """Keep texts to the form's languages; drop conditions that name no question of the form.

    Choice lists may carry languages the questions lack (a form's languages come from
    its questions). A ``relevant`` that refers to a skipped calculation or metadata
    field cannot be evaluated here: the question is then always shown, with a warning.
    A note's ``relevant`` must be one answer to one choice question, which paper says
    in words; any other note with a condition is left out, with a warning. ``${name}``
    in a text becomes ``{{id}}`` (forms.references), or a blank line when it names no
    question (a calculation), with a warning.
    """
    by_id = {item.id: item for section in sections for item in section.items}
    ids = set(by_id)
    askable = {i for i, item in by_id.items() if item.type != ItemType.INFO}
    values = {
        item.id: {c.source_value: c.value for c in item.choices if c.source_value}
        for section in sections
        for item in section.items
    }
    finished = []
    blanks: list[str] = []  # the names a text refers to that are no question

    def refs(text: Text | None) -> Text | None:
        return _with_references(text, names, askable, blanks)

    for section in sections:
        items = []
        for item in section.items:
            blanks.clear()
            choices = tuple(
                replace(c, label=refs(_only(c.label, languages, c.value)) or c.label)
                for c in item.choices
            )
            label, hint = refs(item.label) or item.label, refs(item.hint)
            relevant = as_ids(item.relevant, names, values)
            if relevant and item.type == ItemType.INFO:
                if condition_answer(relevant, by_id) is None:
                    errs.warn(
                        f"note {item.id!r} left out: paper cannot say when to read it "
                        f"(relevant {relevant!r}); a note's condition is printed in words "
                        "only when it is one answer to one question, like ${q} = 'yes'",
                        sheet,
                        item.line,
                    )
                    continue
            elif relevant:
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
            if blanks:
                errs.warn(
                    f"{item.id!r}: {', '.join('${' + b + '}' for b in dict.fromkeys(blanks))} "
                    "is not a question here (a skipped calculation?); paper and the web "
                    "show a blank line for it",
                    sheet,
                    item.line,
                )
            items.append(replace(item, label=label, hint=hint, choices=choices, relevant=relevant))
        blanks.clear()
        title, intro = refs(section.title), refs(section.intro)
        if blanks:
            errs.warn(
                f"section {section.id!r}: {', '.join('${' + b + '}' for b in blanks)} is "
                "not a question here; paper and the web show a blank line for it",
                sheet,
                section.line,
            )
        if items:
            finished.append(replace(section, title=title, intro=intro, items=tuple(items)))
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


def _with_references(
    text: Text | None, names: Mapping[str, str], askable: set[str], blanks: list[str]
) -> Text | None:
    """``text`` with ``${name}`` as ``{{id}}`` for a question, else a blank (noted in
    ``blanks``): paper prints both as a line, the web fills in the answer."""
    if text is None or not any("${" in v for v in text.values.values()):
        return text

    def one(m: re.Match[str]) -> str:
        written = m.group(1).strip()
        ident = names.get(written.lower(), written.lower())
        if ident in askable:
            return "{{" + ident + "}}"
        blanks.append(written)
        return BLANK

    return replace(
        text,
        values={k: _REFERENCE.sub(one, v) for k, v in text.values.items()},
        easy={k: _REFERENCE.sub(one, v) for k, v in text.easy.items()},
    )


def as_ids(
    expression: str | None,
    names: Mapping[str, str],
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> str | None:
    """An expression in ids: ``${FirstName}`` -> ``${firstname}``, ``${tel.office}`` ->
    ``${tel_office}``; a compared choice name that became a key (``'geflüchtete'``) follows.
    """
    if not expression:
        return expression

    def ident(m: re.Match[str]) -> str:
        low = m.group(1).strip().lower()
        return "${" + names.get(low, low) + "}"

    out = _REFERENCE.sub(ident, expression)
    for item, mapping in (values or {}).items():
        for written, key in mapping.items():
            quoted = re.escape(written)
            ref = re.escape("${" + item + "}")
            out = re.sub(rf"(selected\(\s*{ref}\s*,\s*)'{quoted}'", rf"\g<1>'{key}'", out)
            out = re.sub(rf"({ref}\s*!?=\s*)'{quoted}'", rf"\g<1>'{key}'", out)
    return out


def _only(text: Text, languages: tuple[str, ...], fallback: str) -> Text:
    kept = {lang: v for lang, v in text.values.items() if lang in languages}
    return Text(kept or {languages[0]: fallback})


def untranslated(form: Form, language: str) -> list[str]:
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

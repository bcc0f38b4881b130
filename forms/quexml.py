"""Import a queXML questionnaire (.xml) as a Deltaker form.

queXML (ACSPRI, formerly DCARF at Deakin University) is the XML schema that
queXF prints and reads paper questionnaires from, and that LimeSurvey exports
("queXML" export). ``import_quexml(path)`` returns a :class:`QuexmlImport` with
the :class:`forms.model.Form` and the warnings about what was left out or
changed. Every problem is a :class:`QuexmlError` naming the file and where in
it (``section 2, question 3, response 'B4'``); all problems of one file are
raised together in :class:`QuexmlErrors` (a :class:`forms.errors.DefinitionErrors`).
A broken or hostile file is never a traceback. Pure: the standard library's
ElementTree behind defusedxml, no framework.

Decisions (docs/quexml.md has the table):

* The file is parsed by defusedxml: an entity declaration (``<!ENTITY``, the
  "billion laughs" and external-file tricks) is refused with one message, not
  expanded; so is an external reference. A file over MAX_FILE_BYTES is refused
  before it is read.
* ``<section>`` -> section; its ``sectionInfo`` with position ``title`` is the
  section title, ``before``/``during`` its introduction, ``after`` an
  information text at its end. ``questionnaireInfo`` ``before`` opens the form
  as an information text, ``after`` closes it.
* ``<question>``: its ``text`` elements are the label; ``directive`` elements
  for the respondent (administration ``self``) and ``specifier`` are the help
  text; directives for an interviewer are left out with a warning (paper is
  filled in by the person).
* ``<response varName=...>``: the varName is the item id (lower case; one that
  is not a Deltaker id gets a stable safe id, named in the form file).

  - ``fixed`` with two or more categories -> single choice; the categories'
    ``value`` are the choice values (a value that is not a stable key keeps
    its original as ``source_value``). One category alone (a lone tick box)
    -> yes/no, warned.
  - ``fixed`` with ``subQuestion`` elements and one category -> multiple
    choice, one option per subQuestion (queXF and LimeSurvey's export write a
    "tick all that apply" question this way; the option values are the
    subQuestions' varNames). With two or more categories it is a matrix: one
    single-choice question per subQuestion after an information text with the
    question's text, warned (Deltaker has no grid). ``rotate`` and
    ``separate`` only turn the grid on paper; they change nothing here.
  - ``free``: format ``text`` -> short text (long text when its ``length`` is
    over LONG_TEXT_LENGTH), ``longtext`` -> long text, ``integer``,
    ``number``, ``numeric``, ``currency`` -> number (the ``label``, e.g. a
    currency sign, goes in the help text), ``date`` -> date. With
    subQuestions: one such question per subQuestion.
  - ``vas`` (a 0-100 line) -> a scale 0-10 with ``labelleft``/``labelright``
    at its ends, warned; ``dvas`` -> a scale over its categories when their
    values are consecutive whole numbers (at most MAX_SCALE_STEPS), else a
    single choice.
  - A question with several responses becomes one item per response, each
    labelled "question text: response label".

* ``contingentQuestion`` ("please specify") -> a short text question after its
  question, shown on the web only when its category is chosen.
* ``skipTo`` on a category becomes the ``relevant`` of every question between
  the question and the target when it is that simple (a single-choice question,
  a target later in the form); otherwise it is left out with a warning (paper
  prints every question either way). ``skip`` on a subQuestion is left out,
  warned.
* ``image`` elements cannot be printed from a file name: left out, warned.
  Investigators, data collectors and ``randomise`` say nothing a form needs.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from forms.errors import DefinitionError, DefinitionErrors
from forms.model import Choice, Form, FormKind, Item, ItemType, Section, Text
from forms.redcap import plain_text
from forms.rules import ID_PATTERN

#: A questionnaire larger than this is refused before it is read (real ones are < 1 MB).
MAX_FILE_BYTES = 10_000_000
#: Elements read from one file (a long survey holds a few thousand).
MAX_ELEMENTS = 500_000
#: A free text answer longer than this many characters is printed as a long text.
LONG_TEXT_LENGTH = 80
#: Steps a printed scale may have (forms.load's MAX_SCALE_STEPS).
MAX_SCALE_STEPS = 11
#: What a visual analogue scale (0-100) is printed as.
VAS_RANGE = (0, 10)
#: A choice question needs this many choices (the same rule as forms.load).
MIN_CHOICES = 2

FREE_TYPES: Mapping[str, ItemType] = {
    "text": ItemType.SHORT_TEXT,
    "longtext": ItemType.LONG_TEXT,
    "integer": ItemType.NUMBER,
    "number": ItemType.NUMBER,
    "numeric": ItemType.NUMBER,
    "currency": ItemType.NUMBER,
    "date": ItemType.DATE,
}
#: The response kinds a question may have (queXML schema 1.0), for messages and docs.
RESPONSE_KINDS = ("fixed", "free", "vas", "dvas")


class QuexmlError(DefinitionError):
    """One problem in a queXML file: the file and the place in it say where."""

    def __init__(self, message: str, *, file: str, where: str | None = None):
        self.where = where
        super().__init__(message, file=file)

    def format(self) -> str:
        place = f"{self.file}: " if self.file else ""
        if self.where:
            place += f"{self.where}: "
        return f"{place}{self.message}"


class QuexmlErrors(DefinitionErrors):
    """Every problem found in one queXML file (``errors`` holds them, in file order)."""


@dataclass(frozen=True)
class QuexmlWarning:
    """Something left out or changed on import; the form is still usable."""

    where: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class QuexmlImport:
    form: Form
    warnings: tuple[QuexmlWarning, ...] = ()
    #: queXML varName by item id, where they differ.
    original_names: Mapping[str, str] = field(default_factory=dict)


class _Problems:
    def __init__(self, display: str):
        self.display = display
        self.errors: list[QuexmlError] = []
        self.warnings: list[QuexmlWarning] = []

    def error(self, message: str, where: str | None = None) -> None:
        self.errors.append(QuexmlError(message, file=self.display, where=where))

    def warn(self, message: str, where: str | None = None) -> None:
        self.warnings.append(QuexmlWarning(where, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise QuexmlErrors(self.errors)


def _single(message: str, display: str, where: str | None = None) -> QuexmlErrors:
    return QuexmlErrors([QuexmlError(message, file=display, where=where)])


# --- reading the file ----------------------------------------------------------------------------


def _local(tag: object) -> str:
    """``{namespace}question`` -> ``question`` (queXML has no namespace; some tools add one)."""
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def read_questionnaire(path: str | Path, *, display: str | None = None) -> ET.Element:
    """The file's ``<questionnaire>`` element, read safely (see the module text)."""
    # defusedxml ships no type stubs; it wraps the standard library's parser
    from defusedxml import (  # type: ignore[import-untyped]
        DTDForbidden,
        EntitiesForbidden,
        ExternalReferenceForbidden,
    )
    from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]

    display = display or str(path)
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _single(
                f"the file is {size / 1e6:.0f} MB; a queXML questionnaire is far smaller "
                f"(at most {MAX_FILE_BYTES // 1_000_000} MB is read)",
                display,
            )
        data = file.read_bytes()
    except OSError as exc:
        raise _single(f"cannot read the file: {exc.strerror or exc}", display) from None
    try:
        root: ET.Element = fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except EntitiesForbidden:
        raise _single(
            "the file declares XML entities (<!ENTITY ...>); queXML needs none, and they can "
            "make a file expand without end or read other files: refused, nothing was read",
            display,
        ) from None
    except (ExternalReferenceForbidden, DTDForbidden):
        raise _single(
            "the file refers to an external file or DTD; refused, nothing was read", display
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise _single(
            f"this is not well-formed XML ({reason}, line {line}, column {column}); "
            "export the questionnaire again as queXML",
            display,
        ) from None
    except (ValueError, UnicodeError) as exc:
        raise _single(f"this is not an XML text file ({exc})", display) from None
    count = 0
    for element in root.iter():
        count += 1
        if count > MAX_ELEMENTS:
            raise _single(f"the file holds more than {MAX_ELEMENTS} elements; refused", display)
        element.tag = _local(element.tag)
    if root.tag != "questionnaire":
        raise _single(
            f"the root element is <{root.tag}>, not <questionnaire>: this is not a queXML "
            "questionnaire",
            display,
        )
    return root


def _text(element: ET.Element | None) -> str:
    """An element's words as plain text (``<bold>`` and embedded HTML reduced)."""
    if element is None:
        return ""
    return plain_text("".join(element.itertext()))


def _texts(parent: ET.Element, tag: str) -> str:
    return "\n".join(t for t in (_text(e) for e in parent.findall(tag)) if t)


def _child_text(parent: ET.Element, tag: str) -> str:
    return _text(parent.find(tag))


def _safe_id(name: str) -> str:
    """A Deltaker id for a queXML name: itself in lower case when it fits, else a stable form."""
    low = name.strip().lower()
    if ID_PATTERN.match(low):
        return low
    cleaned = re.sub(r"[^a-z0-9_-]+", "_", low).strip("_-") or "q"
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{cleaned[:54]}_{digest}"


# --- building the form ---------------------------------------------------------------------------


@dataclass
class _Skip:
    """A category's skipTo: answering ``value`` to ``source`` skips to ``target``."""

    source: str  # item id
    value: str
    target: str  # a varName
    where: str


class _Builder:
    def __init__(self, language: str, problems: _Problems):
        self.language = language
        self.problems = problems
        self.sections: list[Section] = []
        self.ids: set[str] = set()
        self.original: dict[str, str] = {}
        self.by_name: dict[str, str] = {}  # varName -> item id
        self.skips: list[_Skip] = []
        self.info_count = 0

    def t(self, text: str) -> Text:
        return Text({self.language: text})

    def new_id(self, var_name: str | None, where: str) -> str | None:
        if var_name is None or not var_name.strip():
            self.problems.error("the response has no varName (queXML requires one)", where)
            return None
        item_id = _safe_id(var_name)
        if item_id in self.ids:
            same = var_name.strip() in self.by_name
            self.problems.error(
                f"varName {var_name!r} is used twice"
                + ("" if same else f" (ids are lower case: {item_id!r} is taken)"),
                where,
            )
            return None
        if item_id != var_name.strip():
            self.original[item_id] = var_name.strip()
            if item_id != var_name.strip().lower():
                self.problems.warn(f"varName {var_name!r} is stored as {item_id!r}", where)
        self.ids.add(item_id)
        self.by_name[var_name.strip()] = item_id
        return item_id

    def info(self, text: str) -> Item:
        self.info_count += 1
        item_id = f"info_{self.info_count}"
        while item_id in self.ids:
            self.info_count += 1
            item_id = f"info_{self.info_count}"
        self.ids.add(item_id)
        return Item(item_id, ItemType.INFO, self.t(text))

    def item(self, item_id: str, item_type: ItemType, label: str, **extra: Any) -> Item:
        hint = extra.pop("hint", "")
        return Item(
            item_id,
            item_type,
            self.t(label),
            hint=self.t(hint) if hint else None,
            source_name=self.original.get(item_id),
            **extra,
        )

    def choices(self, categories: list[ET.Element], where: str) -> tuple[Choice, ...] | None:
        out: list[Choice] = []
        seen: set[str] = set()
        for n, category in enumerate(categories, start=1):
            raw = _child_text(category, "value")
            label = _child_text(category, "label")
            if not raw:
                self.problems.error(f"category {n} ({label[:40]!r}) has no <value>", where)
                return None
            value = raw.lower() if ID_PATTERN.match(raw.lower()) else _safe_id(raw)
            if value in seen:
                self.problems.error(f"category value {raw!r} is given twice", where)
                return None
            seen.add(value)
            source = raw if value != raw else None
            out.append(Choice(value, self.t(label or raw), source_value=source))
            if category.find("image") is not None:
                self.problems.warn(f"category {raw!r}: its image is left out", where)
        return tuple(out)


def _help(question: ET.Element, builder: _Builder, where: str) -> str:
    parts: list[str] = []
    for directive in question.findall("directive"):
        text = _child_text(directive, "text")
        if not text:
            continue
        if _child_text(directive, "administration") == "interviewer":
            builder.problems.warn(
                f"a directive for the interviewer is left out ({text[:40]!r})", where
            )
            continue
        parts.append(text)
    for tag in ("specifier", "qualifier"):
        parts += [_text(e) for e in question.findall(tag) if _text(e)]
    return "\n".join(parts)


def _joined(first: str, second: str) -> str:
    return f"{first}: {second}" if first and second else first or second


def _contingent(
    parent_id: str,
    value: str,
    multiple: bool,
    element: ET.Element,
    builder: _Builder,
    where: str,
) -> Item | None:
    other = element.find("contingentQuestion")
    if other is None:
        return None
    item_id = builder.new_id(other.get("varName"), f"{where}, contingentQuestion")
    if item_id is None:
        return None
    long = _child_text(other, "format") == "longtext"
    relevant = (
        f"selected(${{{parent_id}}}, '{value}')" if multiple else f"${{{parent_id}}} = '{value}'"
    )
    # without its own text, the box is labelled with its choice (the form's own words)
    label = (
        _child_text(other, "text")
        or _child_text(element, "label")
        or _child_text(element, "text")
        or item_id
    )
    return builder.item(
        item_id, ItemType.LONG_TEXT if long else ItemType.SHORT_TEXT, label, relevant=relevant
    )


def _fixed(
    response: ET.Element,
    fixed: ET.Element,
    label: str,
    help_text: str,
    subquestions: list[ET.Element],
    builder: _Builder,
    where: str,
) -> list[Item]:
    categories = fixed.findall("category")
    if not categories:
        builder.problems.error("a fixed response has no <category>", where)
        return []
    if subquestions and len(categories) == 1:
        # "tick all that apply": one box per subQuestion
        item_id = builder.new_id(response.get("varName"), where)
        if item_id is None:
            return []
        options: list[Choice] = []
        extra: list[Item] = []
        for sub in subquestions:
            name = (sub.get("varName") or "").strip()
            if not name:
                builder.problems.error("a subQuestion has no varName", where)
                continue
            value = _safe_id(name)
            options.append(
                Choice(
                    value,
                    builder.t(_child_text(sub, "text") or name),
                    source_value=None if value == name.lower() else name,
                )
            )
            other = _contingent(item_id, value, True, sub, builder, where)
            if other is not None:
                extra.append(other)
            if sub.find("skip") is not None:
                builder.problems.warn(f"subQuestion {name!r}: its skip is left out", where)
        if len(options) < MIN_CHOICES:
            builder.problems.error(
                f"a multiple choice question needs at least {MIN_CHOICES} subQuestions", where
            )
            return []
        question = builder.item(
            item_id, ItemType.MULTIPLE_CHOICE, label, hint=help_text, choices=tuple(options)
        )
        return [question, *extra]
    if subquestions:
        builder.problems.warn(
            f"a matrix of {len(subquestions)} questions is printed as separate questions, "
            "not as a grid",
            where,
        )
        out: list[Item] = (
            [builder.info("\n".join(p for p in (label, help_text) if p))] if label else []
        )
        for sub in subquestions:
            sub_id = builder.new_id(sub.get("varName"), f"{where}, subQuestion")
            if sub_id is None:
                continue
            choices = builder.choices(categories, where)
            if choices is None:
                return out
            out.append(
                builder.item(
                    sub_id,
                    ItemType.SINGLE_CHOICE,
                    _child_text(sub, "text") or sub_id,
                    choices=choices,
                )
            )
        return out
    item_id = builder.new_id(response.get("varName"), where)
    if item_id is None:
        return []
    if len(categories) == 1:
        builder.problems.warn(
            f"a fixed response with one category ({_child_text(categories[0], 'label')[:40]!r}) "
            "is asked as yes or no",
            where,
        )
        return [builder.item(item_id, ItemType.YES_NO, label, hint=help_text)]
    choices = builder.choices(categories, where)
    if choices is None:
        return []
    out = [builder.item(item_id, ItemType.SINGLE_CHOICE, label, hint=help_text, choices=choices)]
    for category, choice in zip(categories, choices, strict=True):
        other = _contingent(item_id, choice.value, False, category, builder, where)
        if other is not None:
            out.append(other)
        target = _child_text(category, "skipTo")
        if target:
            builder.skips.append(_Skip(item_id, choice.value, target, where))
    return out


def _free(
    free: ET.Element, item_id: str, label: str, help_text: str, builder: _Builder, where: str
) -> Item:
    fmt = (_child_text(free, "format") or "text").lower()
    item_type = FREE_TYPES.get(fmt)
    if item_type is None:
        builder.problems.warn(f"free format {fmt!r} is asked as a short text", where)
        item_type = ItemType.SHORT_TEXT
    length = _child_text(free, "length")
    if item_type == ItemType.SHORT_TEXT and length.isdigit() and int(length) > LONG_TEXT_LENGTH:
        item_type = ItemType.LONG_TEXT
    unit = _child_text(free, "label")
    hint = "\n".join(p for p in (help_text, unit if item_type == ItemType.NUMBER else "") if p)
    if item_type != ItemType.NUMBER:
        label = _joined(label, unit)
    # the range in signs, not words: the form's language is not known here
    low, high = _child_text(free, "min"), _child_text(free, "max")
    bounds = f"{low}–{high}" if low and high else f"≥ {low}" if low else f"≤ {high}" if high else ""
    if bounds:
        hint = "\n".join(p for p in (hint, bounds) if p)
    return builder.item(item_id, item_type, label, hint=hint)


def _dvas(
    dvas: ET.Element, item_id: str, label: str, help_text: str, builder: _Builder, where: str
) -> Item | None:
    categories = dvas.findall("category")
    low, high = _child_text(dvas, "labelleft"), _child_text(dvas, "labelright")
    values = [_child_text(c, "value") for c in categories]
    if all(re.fullmatch(r"-?\d+", v) for v in values) and values:
        numbers = [int(v) for v in values]
        steps = numbers[-1] - numbers[0] + 1
        if numbers == list(range(numbers[0], numbers[-1] + 1)) and 2 <= steps <= MAX_SCALE_STEPS:
            return builder.item(
                item_id,
                ItemType.SCALE,
                label,
                hint=help_text,
                scale_min=numbers[0],
                scale_max=numbers[-1],
                scale_low=builder.t(low) if low else None,
                scale_high=builder.t(high) if high else None,
            )
    choices = builder.choices(categories, where)
    if choices is None:
        return None
    if len(choices) < MIN_CHOICES:
        builder.problems.error(f"a dvas needs at least {MIN_CHOICES} categories", where)
        return None
    return builder.item(
        item_id,
        ItemType.SINGLE_CHOICE,
        label,
        hint=_joined(help_text, f"{low} – {high}" if low and high else low or high),
        choices=choices,
    )


def _vas(
    vas: ET.Element, item_id: str, label: str, help_text: str, builder: _Builder, where: str
) -> Item:
    low, high = _child_text(vas, "labelleft"), _child_text(vas, "labelright")
    builder.problems.warn(
        f"a visual analogue scale (0-100) is printed as a scale {VAS_RANGE[0]}-{VAS_RANGE[1]}",
        where,
    )
    return builder.item(
        item_id,
        ItemType.SCALE,
        label,
        hint=help_text,
        scale_min=VAS_RANGE[0],
        scale_max=VAS_RANGE[1],
        scale_low=builder.t(low) if low else None,
        scale_high=builder.t(high) if high else None,
    )


def _response(
    response: ET.Element,
    label: str,
    help_text: str,
    subquestions: list[ET.Element],
    builder: _Builder,
    where: str,
) -> list[Item]:
    kinds = [k for k in RESPONSE_KINDS if response.find(k) is not None]
    if not kinds:
        builder.problems.error(
            f"the response has none of {', '.join(f'<{k}>' for k in RESPONSE_KINDS)}", where
        )
        return []
    kind = kinds[0]
    element = response.find(kind)
    assert element is not None  # found just above
    if kind == "fixed":
        return _fixed(response, element, label, help_text, subquestions, builder, where)
    # free, vas, dvas: one question, or one per subQuestion
    targets: list[tuple[str | None, str]] = (
        [(s.get("varName"), _child_text(s, "text")) for s in subquestions]
        if subquestions
        else [(response.get("varName"), "")]
    )
    out: list[Item] = []
    if subquestions and label:
        out.append(builder.info("\n".join(p for p in (label, help_text) if p)))
    for var_name, sub_text in targets:
        item_id = builder.new_id(var_name, where)
        if item_id is None:
            continue
        the_label = sub_text or label
        the_help = "" if subquestions else help_text
        if kind == "free":
            out.append(_free(element, item_id, the_label, the_help, builder, where))
        elif kind == "vas":
            out.append(_vas(element, item_id, the_label, the_help, builder, where))
        else:
            made = _dvas(element, item_id, the_label, the_help, builder, where)
            if made is not None:
                out.append(made)
    return out


def _question(question: ET.Element, builder: _Builder, where: str) -> list[Item]:
    label = _texts(question, "text")
    help_text = _help(question, builder, where)
    subquestions = question.findall("subQuestion")
    responses = question.findall("response")
    if not responses:
        builder.problems.error("the question has no <response>", where)
        return []
    out: list[Item] = []
    for n, response in enumerate(responses, start=1):
        name = response.get("varName")
        here = f"{where}, response {name!r}" if name else f"{where}, response {n}"
        # several responses: each is "question text: response label" (_free adds the label)
        out += _response(response, label, help_text if n == 1 else "", subquestions, builder, here)
    if not label and not any(i.type == ItemType.INFO for i in out):
        builder.problems.warn("the question has no text", where)
    for image in question.iter("image"):
        builder.problems.warn(f"image {(image.text or '').strip()[:40]!r} is left out", where)
        break
    return out


def _apply_skips(sections: list[Section], builder: _Builder) -> list[Section]:
    """Simple skipTo as the web's relevance of the questions skipped over."""
    order = [item.id for section in sections for item in section.items]
    conditions: dict[str, list[str]] = {}
    for skip in builder.skips:
        target = builder.by_name.get(skip.target)
        if target is None or target not in order:
            builder.problems.warn(
                f"skipTo {skip.target!r} names no question of this form; left out", skip.where
            )
            continue
        start, end = order.index(skip.source), order.index(target)
        if end <= start:
            builder.problems.warn(
                f"skipTo {skip.target!r} goes back in the form; left out", skip.where
            )
            continue
        for item_id in order[start + 1 : end]:
            conditions.setdefault(item_id, []).append(f"${{{skip.source}}} != '{skip.value}'")
    if not conditions:
        return sections
    out = []
    for section in sections:
        items = []
        for item in section.items:
            extra = conditions.get(item.id)
            if extra and item.type != ItemType.INFO:
                own = [f"({item.relevant})"] if item.relevant else []
                item = replace(item, relevant=" and ".join([*own, *extra]))
            items.append(item)
        out.append(replace(section, items=tuple(items)))
    return out


def _infos(root: ET.Element, tag: str, position: str) -> list[ET.Element]:
    return [e for e in root.findall(tag) if (_child_text(e, "position") or "before") == position]


def import_quexml(
    path: str | Path,
    *,
    form_id: str | None = None,
    kind: FormKind = FormKind.QUESTIONNAIRE,
    language: str = "en",
) -> QuexmlImport:
    """The form of a queXML questionnaire (see the module text).

    ``form_id`` defaults to the file's name; ``language`` is the language its texts are in.
    """
    display = str(path)
    root = read_questionnaire(path, display=display)
    problems = _Problems(display)
    the_id = (form_id or _safe_id(Path(path).stem)).strip()
    if not ID_PATTERN.match(the_id):
        raise _single(f"{the_id!r} cannot be a Deltaker form id; give one with --id", display)
    builder = _Builder(language, problems)
    sections: list[Section] = []
    opening = [_texts(e, "text") for e in _infos(root, "questionnaireInfo", "before")]
    closing = [_texts(e, "text") for e in _infos(root, "questionnaireInfo", "after")]
    for number, section in enumerate(root.findall("section"), start=1):
        where = f"section {number}"
        title = "\n".join(_texts(e, "text") for e in _infos(section, "sectionInfo", "title"))
        intro = "\n".join(
            _texts(e, "text")
            for position in ("before", "during")
            for e in _infos(section, "sectionInfo", position)
        )
        items: list[Item] = []
        if number == 1:
            items += [builder.info(t) for t in opening if t]
        for q_number, question in enumerate(section.findall("question"), start=1):
            items += _question(question, builder, f"{where}, question {q_number}")
        items += [
            builder.info(t)
            for t in (_texts(e, "text") for e in _infos(section, "sectionInfo", "after"))
            if t
        ]
        sections.append(
            Section(
                f"section_{number}",
                builder.t(title) if title else None,
                tuple(items),
                intro=builder.t(intro) if intro else None,
                page_break_before=section.get("breakbefore") == "true" and number > 1,
            )
        )
    if not sections:
        problems.error("the questionnaire has no <section>")
    elif closing:
        last = sections[-1]
        extra = tuple(builder.info(t) for t in closing if t)
        sections[-1] = replace(last, items=last.items + extra)
    problems.raise_if_any()
    sections = _apply_skips(sections, builder)
    if not any(i.type != ItemType.INFO for s in sections for i in s.items):
        raise _single("the questionnaire has no question that can be asked", display)
    title = _child_text(root, "title") or the_id
    result_form = Form(
        id=the_id,
        kind=kind,
        title=builder.t(title),
        sections=tuple(s for s in sections if s.items),
        languages=(language,),
        source=display,
        register="plain",
    )
    return QuexmlImport(result_form, tuple(problems.warnings), dict(builder.original))


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
    if item.source_name:
        node["source_name"] = item.source_name
    if item.choices:
        node["choices"] = []
        for choice in item.choices:
            entry: dict[str, Any] = {"value": choice.value, "label": _text_yaml(choice.label)}
            if choice.source_value:
                entry["source_value"] = choice.source_value
            node["choices"].append(entry)
    if item.type == ItemType.SCALE:
        node["min"] = item.scale_min
        node["max"] = item.scale_max
        for key, text in (("low", item.scale_low), ("high", item.scale_high)):
            if text is not None:
                node[key] = _text_yaml(text)
    return node


def form_yaml(result: QuexmlImport) -> str:
    """The imported form as a study form file (docs/study-format.md); forms.load reads it back."""
    import yaml

    form = result.form
    sections: list[dict[str, Any]] = []
    for section in form.sections:
        entry: dict[str, Any] = {"id": section.id}
        if section.title is not None:
            entry["title"] = _text_yaml(section.title)
        if section.intro is not None:
            entry["intro"] = _text_yaml(section.intro)
        if section.page_break_before:
            entry["page_break_before"] = True
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
        f"# Imported from {Path(form.source).name if form.source else 'a queXML file'} "
        "by `deltaker quexml`."
    ]
    head += [f"# item {i}: queXML varName {n}" for i, n in result.original_names.items()]
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body

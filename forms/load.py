"""Load a study folder (study.yaml, forms/*.yaml, letters/*.md) into the definition model.

YAML is read with PyYAML's safe node composer, never its object constructor, so
every value keeps the line it was written on and no tag can build a Python
object. Every mistake becomes a :class:`forms.errors.DefinitionError` naming
the file and the line; all of them are collected and raised together as
:class:`forms.errors.DefinitionErrors`, so a person fixes a file in one pass.

The format is documented in docs/study-format.md.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TypedDict, TypeVar

import yaml

from .errors import DefinitionError, DefinitionErrors
from .model import (
    INFORMATION_LETTER,
    YES_NO_VALUES,
    ChangeKind,
    Choice,
    ConsentChange,
    ConsentItem,
    Contact,
    DataAtEnd,
    Form,
    FormKind,
    Item,
    ItemType,
    Letter,
    Processing,
    Section,
    Study,
    Text,
    WithdrawalPolicy,
)
from .references import references
from .rules import (
    ID_PATTERN,
    LANGUAGE_PATTERN,
    OPTIONAL_STUDY_TEXT_FIELDS,
    REQUIRED_STUDY_TEXT_FIELDS,
    tidy,
)

STUDY_FILE = "study.yaml"
FORMS_DIR = "forms"
LETTERS_DIR = "letters"
#: Languages a form uses when it is loaded on its own and names none.
DEFAULT_LANGUAGES = ("nb", "nn", "en")
#: Readability registers a letter or form may declare (see forms.readability).
REGISTERS = ("easy", "plain")

#: A definition file larger than this is refused before parsing (bytes).
MAX_FILE_BYTES = 1_000_000
#: Values a document may hold once YAML aliases are expanded; bounds "billion laughs".
MAX_NODES = 200_000
#: Nesting a document may have; a form needs about 9 levels (form > sections > items > ...).
MAX_DEPTH = 32

#: letters/<id>.<lang>.md, or letters/<id>.<lang>.easy.md for the easy-language variant.
LETTER_NAME = re.compile(r"^(?P<id>[^.]+)\.(?P<lang>[^.]+)(?P<easy>\.easy)?\.md$")

_E = TypeVar("_E", bound=Enum)
_T = TypeVar("_T")


def _checked(value: _T | None) -> _T:
    """A value the loader has read; once no error was recorded, every required one is set."""
    if value is None:
        raise AssertionError("a required value is missing, yet no error was recorded")
    return value


#: Scale items print one box per step; more than this does not fit a line on paper.
MAX_SCALE_STEPS = 11
#: A long-text item prints this many writing lines at most.
MAX_LINES = 30

_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAG = _YAML_TAG + "map"
_SEQ_TAG = _YAML_TAG + "seq"

_STUDY_REQUIRED = (
    "id",
    "languages",
    *REQUIRED_STUDY_TEXT_FIELDS,
    "institution",
    "withdrawal_policy",
    "end_date",
    "data_at_end",
    "sikt_reference",
    "project_leader",
    "dpo",
    "consent_items",
)
_STUDY_OPTIONAL = (
    *sorted(OPTIONAL_STUDY_TEXT_FIELDS),
    "partners",
    "contacts",
    "sender",
    "base_url",
    "default_language",
    "letters",
    "disclosure_threshold",
    "processing",
    "consent_changes",
)
_PROCESSING_KEYS = (
    "controller",
    "storage_location",
    "jurisdiction",
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "security_measures",
    "withdrawal_phone",
)
_PROCESSING_LISTS = (
    "data_subjects",
    "data_categories",
    "recipients",
    "transfers",
    "security_measures",
)
#: An ISO 3166-1 alpha-2 country code (NO, SE, DK...).
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CONTACT_KEYS = ("name", "role", "organisation", "phone", "email", "address")
_CONSENT_ITEM_KEYS = ("id", "text", "required")
_FORM_KEYS = ("id", "kind", "title", "intro", "languages", "sections", "items", "register")
_SECTION_KEYS = ("id", "title", "intro", "items", "page_break_before")
_ITEM_COMMON = (
    "id",
    "type",
    "label",
    "hint",
    "required",
    "page_break_before",
    "relevant",
    "source_name",
)
#: Keys that only make sense for some item types.
_ITEM_TYPE_KEYS: dict[ItemType, tuple[str, ...]] = {
    ItemType.SINGLE_CHOICE: ("choices",),
    ItemType.MULTIPLE_CHOICE: ("choices",),
    ItemType.YES_NO: ("choices",),
    ItemType.SCALE: ("min", "max", "low", "high"),
    ItemType.SHORT_TEXT: (),
    ItemType.LONG_TEXT: ("lines",),
    ItemType.NUMBER: (),
    ItemType.DATE: (),
    ItemType.SIGNATURE: (),
    ItemType.CONSENT: ("consent_item",),
    ItemType.INFO: (),
}
_ALL_ITEM_KEYS = tuple(dict.fromkeys(_ITEM_COMMON + sum(_ITEM_TYPE_KEYS.values(), ())))
_LETTER_KEYS = ("register",)
_CONSENT_CHANGE_KEYS = ("item", "version", "kind", "reason", "what_changed")
#: A text version as forms.version writes it (8 lowercase hex digits).
_VERSION = re.compile(r"^[0-9a-f]{8}$")


# --------------------------------------------------------------------------- errors


class _Errors:
    """Collects the errors of one file; ``add`` never raises."""

    def __init__(self, file: str, sink: list[DefinitionError]):
        self.file = file
        self.sink = sink

    def add(self, line: int | None, message: str) -> None:
        self.sink.append(DefinitionError(message, file=self.file, line=line))


def did_you_mean(word: str, options: Iterable[str], *, listing: bool = True) -> str:
    """A "; did you mean 'x'?" suffix, or the list of options when nothing is close."""
    options = list(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if listing:
        return "; expected one of: " + ", ".join(options)
    return ""


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _YAML_TAG + "null":
        return "nothing"
    return f"'{node.value}'"


# --------------------------------------------------------------------------- YAML


def _read_yaml(path: Path, errors: _Errors) -> yaml.MappingNode | None:
    """The top mapping node of a YAML file, or None after recording why not."""
    data = _read_text(path, errors)
    if data is None:
        return None
    try:
        composed = _compose(data)
    except _TooDeep as exc:
        errors.add(
            exc.line,
            f"lists and 'key: value' blocks are nested more than {MAX_DEPTH} levels deep",
        )
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context or 'unreadable YAML'}"
        if exc.problem and exc.context and exc.context_mark:
            message += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        for problem, hint in _YAML_HINTS.items():
            if problem in (exc.problem or ""):
                message += f"; {hint}"
        errors.add(mark.line + 1 if mark else None, message)
        return None
    except yaml.reader.ReaderError as exc:
        line = data[: exc.position].count("\n") + 1
        errors.add(
            line, f"the file holds a character that is not allowed in text (#x{exc.character:04x})"
        )
        return None
    except (
        yaml.YAMLError
    ) as exc:  # pragma: no cover - every PyYAML error has a mark or is a ReaderError
        errors.add(None, "YAML syntax error: " + " ".join(str(exc).split()))
        return None
    nodes = [n for n in composed if n is not None]
    if not nodes:
        errors.add(None, "the file is empty; it should hold 'key: value' lines")
        return None
    if len(nodes) > 1:
        errors.add(_line(nodes[1]), "the file holds more than one YAML document (a '---' line)")
        return None
    root = nodes[0]
    if not _check_tags(root, errors):
        return None
    if not isinstance(root, yaml.MappingNode):
        errors.add(_line(root), f"the file should hold 'key: value' lines, not {_kind(root)}")
        return None
    return root


#: libyaml's safe composer when PyYAML was built with it: the same nodes, ten times faster.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _compose(data: str) -> list[yaml.Node | None]:
    """The documents' node trees; a broken file is re-read by the pure-Python parser.

    Both parsers give the same nodes and lines, but their error messages differ;
    the pure-Python ones are the ones the hints and the tests know.
    """
    _check_depth(data)
    if _FAST_LOADER is not None:
        try:
            return list(yaml.compose_all(data, Loader=_FAST_LOADER))
        except yaml.YAMLError:
            pass
    return list(yaml.compose_all(data, Loader=yaml.SafeLoader))


class _TooDeep(Exception):
    def __init__(self, line: int):
        self.line = line


def _check_depth(data: str) -> None:
    """Refuse lists and mappings nested past MAX_DEPTH before any composer recurses into them.

    Both composers recurse once per level: libyaml's crashes the process and
    PyYAML's raises RecursionError on a few thousand '['. Reading events is flat
    in both parsers. libyaml may stop earlier with an error of its own (newer
    builds refuse 1,000 levels); then the pure-Python parser, which has no such
    limit and cannot recurse, has the last word, so the answer does not depend
    on which parser or version is installed.
    """
    if _FAST_LOADER is not None:
        try:
            _count_depth(data, _FAST_LOADER)
            return
        except yaml.YAMLError:
            pass
    try:
        _count_depth(data, yaml.SafeLoader)
    except yaml.YAMLError:
        pass  # the composer meets the same error no deeper than this, and reports it


def _count_depth(data: str, loader: type) -> None:
    depth = 0
    for event in yaml.parse(data, Loader=loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark  # the parser always sets it; the stubs allow None
                raise _TooDeep((mark.line if mark is not None else 0) + 1)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


#: PyYAML problems a person meets most, and what to do about them.
_YAML_HINTS = {
    "mapping values are not allowed here": "a text with ': ' in it or ':' at its end needs quotes",
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "found undefined alias": "a '*' at the start of a text needs quotes",
    "found character '@' that cannot start any token": "a text starting with '@' needs quotes",
}


def _read_text(path: Path, errors: _Errors) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            errors.add(None, f"the file is too large ({size} bytes; at most {MAX_FILE_BYTES})")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        errors.add(None, f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.add(None, f"the file is not UTF-8 text (bad byte at position {exc.start})")
        return None


def _check_tags(root: yaml.Node, errors: _Errors) -> bool:
    """Refuse tags that are not plain YAML values and documents that alias-expand too far.

    Aliases share nodes, so the walk counts every visit: an alias bomb or a
    recursive alias runs out of budget instead of out of memory.
    """
    budget = MAX_NODES
    stack = [root]
    bad_tag_seen = False
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            errors.add(
                None,
                f"the file expands to more than {MAX_NODES} values "
                "(YAML anchors and aliases '&'/'*' repeated too often)",
            )
            return False
        if isinstance(node, yaml.MappingNode):
            ok = node.tag == _MAP_TAG
            for key, value in node.value:
                stack.append(value)
                stack.append(key)
        elif isinstance(node, yaml.SequenceNode):
            ok = node.tag == _SEQ_TAG
            stack.extend(node.value)
        else:
            ok = node.tag in _SCALAR_TAGS
        if not ok and not bad_tag_seen:
            bad_tag_seen = True
            tag = node.tag.replace(_YAML_TAG, "!!")
            errors.add(
                _line(node),
                f"the YAML tag '{tag}' is not allowed; write plain text, numbers, "
                "true/false, lists and 'key: value' lines",
            )
    return not bad_tag_seen


class _Map:
    """A YAML mapping node read once: keys checked, values looked up by key."""

    def __init__(
        self,
        node: yaml.MappingNode,
        errors: _Errors,
        what: str,
        allowed: Sequence[str],
        required: Sequence[str] = (),
        suggest: Sequence[str] | None = None,
    ):
        self.node = node
        self.errors = errors
        self.what = what
        self.line = _line(node)
        self.values: dict[str, yaml.Node] = {}
        self.key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _YAML_TAG + "null":
                errors.add(_line(key_node), f"{what}: a key must be a word, not {_kind(key_node)}")
                continue
            key = str(key_node.value)
            if key in self.values:
                errors.add(
                    _line(key_node),
                    f"{what}: key '{key}' is given twice (first at line {self.key_lines[key]})",
                )
                continue
            if key not in allowed:
                errors.add(
                    _line(key_node),
                    f"{what}: unknown key '{key}'" + did_you_mean(key, suggest or allowed),
                )
                continue
            self.values[key] = value_node
            self.key_lines[key] = _line(key_node)
        for key in required:
            if key not in self.values and key not in self.key_lines:
                errors.add(self.line, f"{what}: missing key '{key}'")
            elif key in self.values and self.get(key) is None:
                errors.add(self.key_lines[key], f"{what}: key '{key}' has no value")

    def get(self, key: str) -> yaml.Node | None:
        node = self.values.get(key)
        if (
            node is not None
            and isinstance(node, yaml.ScalarNode)
            and node.tag == _YAML_TAG + "null"
        ):
            return None
        return node

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def where(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def _as_map(
    node: yaml.Node | None,
    errors: _Errors,
    what: str,
    allowed: Sequence[str],
    required: Sequence[str] = (),
) -> _Map | None:
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        errors.add(_line(node), f"{what}: expected 'key: value' lines, got {_kind(node)}")
        return None
    return _Map(node, errors, what, allowed, required)


def _as_list(node: yaml.Node | None, errors: _Errors, what: str) -> list[yaml.Node]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        errors.add(_line(node), f"{what}: expected a list ('- ' lines), got {_kind(node)}")
        return []
    return list(node.value)


def _string(node: yaml.Node | None, errors: _Errors, what: str) -> str | None:
    """Any plain scalar as the text it was written as (so `no` stays "no", `007` stays "007")."""
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        errors.add(_line(node), f"{what}: expected a text, got {_kind(node)}")
        return None
    value = str(node.value).strip()
    if not value:
        errors.add(_line(node), f"{what}: the text is empty")
        return None
    return value


def _identifier(node: yaml.Node | None, errors: _Errors, what: str) -> str | None:
    value = _string(node, errors, what)
    if node is not None and value is not None and not ID_PATTERN.match(value):
        errors.add(
            _line(node),
            f"{what}: '{value}' is not a valid id; use lowercase letters a-z, digits, '_' "
            "and '-' (e.g. 'audio_recording')",
        )
        return None
    return value


def _bool(node: yaml.Node | None, errors: _Errors, what: str, default: bool = False) -> bool:
    if node is None:
        return default
    if isinstance(node, yaml.ScalarNode) and node.tag == _YAML_TAG + "bool":
        return yaml.SafeLoader.bool_values[str(node.value).lower()]
    errors.add(_line(node), f"{what}: expected true or false, got {_kind(node)}")
    return default


def _int(node: yaml.Node | None, errors: _Errors, what: str) -> int | None:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode) and node.tag == _YAML_TAG + "int":
        try:
            return int(str(node.value).replace("_", ""), 0)
        except ValueError:
            pass
    errors.add(_line(node), f"{what}: expected a whole number, got {_kind(node)}")
    return None


def _date(node: yaml.Node | None, errors: _Errors, what: str) -> dt.date | None:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        raw = str(node.value).strip()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    errors.add(
        _line(node),
        f"{what}: {_kind(node)} is not a date; write it as YYYY-MM-DD, e.g. 2027-12-31",
    )
    return None


def _enum(node: yaml.Node | None, errors: _Errors, what: str, enum: type[_E]) -> _E | None:
    value = _string(node, errors, what)
    if node is None or value is None:
        return None
    options = [str(member.value) for member in enum]
    if value not in options:
        errors.add(_line(node), f"{what}: unknown value '{value}'" + did_you_mean(value, options))
        return None
    return enum(value)


def _text(
    node: yaml.Node | None,
    errors: _Errors,
    what: str,
    languages: Sequence[str],
    *,
    required: bool = True,
    line: int | None = None,
) -> Text | None:
    """A multilingual text: one line per language, and an optional `easy:` block of the same."""
    if node is None:
        if required:
            errors.add(line, f"{what}: missing")
        return None
    if isinstance(node, yaml.ScalarNode):
        errors.add(
            _line(node),
            f"{what}: give one text per language ({', '.join(languages)}), "
            f"e.g. '{languages[0]}: ...' on its own line",
        )
        return None
    allowed = (*languages, "easy")
    m = _as_map(node, errors, what, allowed)
    if m is None:
        return None
    values = _language_values(m, errors, what, languages, skip=("easy",))
    easy: dict[str, str] = {}
    easy_node = m.get("easy")
    if easy_node is not None:
        em = _as_map(easy_node, errors, f"{what} (easy)", languages)
        if em is not None:
            easy = _language_values(em, errors, f"{what} (easy)", languages)
    if len(values) != len(languages):
        return None
    return Text(values, easy)


def _language_values(
    m: _Map, errors: _Errors, what: str, languages: Sequence[str], skip: Sequence[str] = ()
) -> dict[str, str]:
    values: dict[str, str] = {}
    for language in languages:
        node = m.values.get(language)
        if node is None:
            errors.add(m.line, f"{what}: missing the '{language}' translation")
            continue
        value = _string(node, errors, f"{what} ({language})")
        if value is not None:
            values[language] = tidy(value)
    return values


# --------------------------------------------------------------------------- study


def load_study(path: str | Path) -> Study:
    """Load and validate a study folder; raise DefinitionErrors listing every mistake."""
    root = Path(path)
    sink: list[DefinitionError] = []
    study = _load_study(root, sink)
    if sink or study is None:
        if not sink:  # pragma: no cover - defensive: a None study always records why
            sink.append(DefinitionError("the study could not be read", file=str(root)))
        raise DefinitionErrors(sink)
    return study


def _load_study(root: Path, sink: list[DefinitionError]) -> Study | None:
    if root.is_file():
        hint = "give the study folder, the one that holds study.yaml"
        sink.append(DefinitionError(f"this is a file; {hint}", file=str(root)))
        return None
    if not root.is_dir():
        sink.append(DefinitionError("no such study folder", file=str(root)))
        return None
    study_file = root / STUDY_FILE
    errors = _Errors(str(study_file), sink)
    if not study_file.is_file():
        errors.add(
            None, f"missing {STUDY_FILE}: every study folder needs one (see 'deltaker init')"
        )
        return None
    node = _read_yaml(study_file, errors)
    if node is None:
        return None
    m = _Map(node, errors, "study", _STUDY_REQUIRED + _STUDY_OPTIONAL, _STUDY_REQUIRED)

    languages = _languages(m.get("languages"), errors, "languages") or DEFAULT_LANGUAGES
    default_language = languages[0]
    if "default_language" in m:
        value = _string(m.get("default_language"), errors, "default_language")
        if value is not None and value not in languages:
            errors.add(
                m.where("default_language"),
                f"default_language: '{value}' is not one of the study's languages "
                f"({', '.join(languages)})",
            )
        elif value is not None:
            default_language = value

    # The required texts first, then the optional ones: the order errors are listed in.
    texts = {
        key: _text(m.get(key), errors, key, languages, required=False)
        for key in (*REQUIRED_STUDY_TEXT_FIELDS, *sorted(OPTIONAL_STUDY_TEXT_FIELDS))
    }
    study_id = _identifier(m.get("id"), errors, "id")
    institution = _string(m.get("institution"), errors, "institution")
    partners = tuple(
        p
        for p in (
            _string(n, errors, "partners") for n in _as_list(m.get("partners"), errors, "partners")
        )
        if p
    )
    withdrawal = _enum(m.get("withdrawal_policy"), errors, "withdrawal_policy", WithdrawalPolicy)
    end_date = _date(m.get("end_date"), errors, "end_date")
    data_at_end = _enum(m.get("data_at_end"), errors, "data_at_end", DataAtEnd)
    sikt_reference = _string(m.get("sikt_reference"), errors, "sikt_reference")
    leader = _contact(m.get("project_leader"), errors, "project_leader", languages)
    dpo = _contact(m.get("dpo"), errors, "dpo", languages)
    sender = _contact(m.get("sender"), errors, "sender", languages)
    contacts = tuple(
        c
        for i, n in enumerate(_as_list(m.get("contacts"), errors, "contacts"), start=1)
        if (c := _contact(n, errors, f"contacts #{i}", languages)) is not None
    )
    base_url = _string(m.get("base_url"), errors, "base_url")
    if base_url is not None and not re.match(r"^https?://[^\s/]+", base_url):
        errors.add(m.where("base_url"), f"base_url: '{base_url}' should start with https://")
        base_url = None
    threshold = _int(m.get("disclosure_threshold"), errors, "disclosure_threshold")
    if threshold is not None and not 1 <= threshold <= 100:
        errors.add(
            m.where("disclosure_threshold"),
            f"disclosure_threshold: {threshold} should be a whole number from 1 to 100",
        )
        threshold = None
    processing = _processing(m.get("processing"), errors, languages)
    consent_lines: dict[str, int] = {}
    before_consent = len(sink)
    consent_items = _consent_items(m, errors, languages, consent_lines)
    if len(sink) > before_consent or "consent_items" not in m:
        consent_items = _Unchecked(consent_items)
    letter_settings = _letter_settings(m.get("letters"), errors)

    before_forms = len(sink)
    forms = _load_forms(root, sink, languages, consent_items)
    consent_forms = [f for f in forms if f.kind == FormKind.CONSENT]
    if consent_items and not consent_forms and len(sink) == before_forms:
        errors.add(
            m.where("consent_items"),
            f"there is no consent form for these consent items: add one to {FORMS_DIR}/ "
            "with 'kind: consent' (see 'deltaker init')",
        )
    if consent_forms and not isinstance(consent_items, _Unchecked):
        on_forms = {i.consent_item for f in consent_forms for i in f.items()}
        for item_id in consent_items:
            if item_id not in on_forms:
                errors.add(
                    consent_lines[item_id],
                    f"consent item '{item_id}' has no box on any consent form, "
                    "so nobody can say yes to it; add a 'type: consent' item for it",
                )
    letters = _load_letters(root, sink, languages, letter_settings, errors)
    changes = _consent_changes(
        m.get("consent_changes"),
        errors,
        languages,
        None
        if isinstance(consent_items, _Unchecked)
        else (*consent_items, *(f.id for f in consent_forms), INFORMATION_LETTER),
    )

    if sink:
        return None
    return Study(
        id=_checked(study_id),
        title=_checked(texts["title"]),
        languages=languages,
        purpose=_checked(texts["purpose"]),
        institution=_checked(institution),
        partners=partners,
        why_asked=_checked(texts["why_asked"]),
        mediated_by=texts["mediated_by"],
        participation=_checked(texts["participation"]),
        data_collected=_checked(texts["data_collected"]),
        no_effect_on_services=_checked(texts["no_effect_on_services"]),
        withdrawal_policy=_checked(withdrawal),
        access=_checked(texts["access"]),
        storage=_checked(texts["storage"]),
        recognisable=_checked(texts["recognisable"]),
        end_date=_checked(end_date),
        data_at_end=_checked(data_at_end),
        end_of_project=_checked(texts["end_of_project"]),
        rights=_checked(texts["rights"]),
        legal_basis=_checked(texts["legal_basis"]),
        sikt_reference=_checked(sikt_reference),
        project_leader=_checked(leader),
        dpo=_checked(dpo),
        contacts=contacts,
        consent_items=tuple(consent_items.values()),
        forms=forms,
        letters=letters,
        sender=sender,
        base_url=base_url or Study.base_url,
        default_language=default_language,
        disclosure_threshold=threshold or Study.disclosure_threshold,
        processing=processing,
        consent_changes=changes,
        source_dir=str(root),
    )


def _languages(node: yaml.Node | None, errors: _Errors, what: str) -> tuple[str, ...] | None:
    if node is None:
        return None
    nodes = _as_list(node, errors, what)
    if isinstance(node, yaml.SequenceNode) and not nodes:
        errors.add(_line(node), f"{what}: name at least one language, e.g. [nb, nn, en]")
        return None
    found: list[str] = []
    for n in nodes:
        code = _string(n, errors, what)
        if code is None:
            continue
        if not LANGUAGE_PATTERN.match(code):
            errors.add(_line(n), f"{what}: '{code}' is not a language code such as nb, nn or en")
        elif code in found:
            errors.add(_line(n), f"{what}: '{code}' is listed twice")
        else:
            found.append(code)
    return tuple(found) or None


def _contact(
    node: yaml.Node | None, errors: _Errors, what: str, languages: Sequence[str]
) -> Contact | None:
    m = _as_map(node, errors, what, _CONTACT_KEYS, ("name",))
    if m is None:
        return None
    name = _string(m.get("name"), errors, f"{what} name")
    role = _text(m.get("role"), errors, f"{what} role", languages, required=False)
    fields = {k: _string(m.get(k), errors, f"{what} {k}") for k in _CONTACT_KEYS[2:]}
    email = fields["email"]
    if email is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        errors.add(m.where("email"), f"{what} email: '{email}' is not an e-mail address")
    if name is None:
        return None
    return Contact(name=name, role=role, **fields)


def _processing(node: yaml.Node | None, errors: _Errors, languages: Sequence[str]) -> Processing:
    """study.yaml `processing:`: the DPO's records beyond the letter (every key optional)."""
    m = _as_map(node, errors, "processing", _PROCESSING_KEYS)
    if m is None:
        return Processing()
    lists = {
        key: tuple(
            value
            for value in (
                _string(n, errors, f"processing {key}")
                for n in _as_list(m.get(key), errors, f"processing {key}")
            )
            if value
        )
        for key in _PROCESSING_LISTS
    }
    jurisdiction = _string(m.get("jurisdiction"), errors, "processing jurisdiction")
    if jurisdiction is not None and not _COUNTRY.match(jurisdiction):
        errors.add(
            m.where("jurisdiction"),
            f"processing jurisdiction: '{jurisdiction}' is not a country code such as NO or SE "
            "(ISO 3166-1, two capital letters)",
        )
        jurisdiction = None
    return Processing(
        controller=_contact(m.get("controller"), errors, "processing controller", languages),
        storage_location=_string(m.get("storage_location"), errors, "processing storage_location"),
        jurisdiction=jurisdiction or Processing.jurisdiction,
        withdrawal_phone=_string(m.get("withdrawal_phone"), errors, "processing withdrawal_phone"),
        data_subjects=lists["data_subjects"],
        data_categories=lists["data_categories"],
        recipients=lists["recipients"],
        transfers=lists["transfers"],
        security_measures=lists["security_measures"],
    )


def _consent_items(
    m: _Map, errors: _Errors, languages: Sequence[str], lines: dict[str, int]
) -> dict[str, ConsentItem]:
    items: dict[str, ConsentItem] = {}
    nodes = _as_list(m.get("consent_items"), errors, "consent_items")
    if "consent_items" in m and isinstance(m.get("consent_items"), yaml.SequenceNode) and not nodes:
        errors.add(m.where("consent_items"), "consent_items: list at least one thing to consent to")
    for n, node in enumerate(nodes, start=1):
        cm = _as_map(node, errors, f"consent item #{n}", _CONSENT_ITEM_KEYS, ("id", "text"))
        if cm is None:
            continue
        item_id = _identifier(cm.get("id"), errors, f"consent item #{n} id")
        what = f"consent item '{item_id}'" if item_id else f"consent item #{n}"
        text = _text(cm.get("text"), errors, f"{what} text", languages, required=False)
        required = _bool(cm.get("required"), errors, f"{what} required")
        if item_id is None:
            continue
        if item_id in items or item_id in lines:
            errors.add(
                cm.line, f"duplicate consent item id '{item_id}' (first at line {lines[item_id]})"
            )
            continue
        lines[item_id] = cm.line
        if text is not None:
            items[item_id] = ConsentItem(item_id, text, required)
    return items


def _consent_changes(
    node: yaml.Node | None,
    errors: _Errors,
    languages: Sequence[str],
    names: Sequence[str] | None,
) -> tuple[ConsentChange, ...]:
    """study.yaml `consent_changes:`: the author's mark on each changed consent text.

    ``names`` are what a mark may be about: consent items, consent forms (their
    title and introduction) and the information letter (None: the consent items
    had errors of their own, so names are not checked).
    """
    changes: list[ConsentChange] = []
    seen: dict[tuple[str, str], int] = {}
    for n, entry in enumerate(_as_list(node, errors, "consent_changes"), start=1):
        cm = _as_map(
            entry, errors, f"consent change #{n}", _CONSENT_CHANGE_KEYS, ("item", "version", "kind")
        )
        if cm is None:
            continue
        item = _string(cm.get("item"), errors, f"consent change #{n} item")
        what = f"consent change #{n} ({item})" if item else f"consent change #{n}"
        if item is not None and names is not None and item not in names:
            errors.add(
                cm.where("item"),
                f"{what}: '{item}' is not a consent item, a consent form or "
                f"'{INFORMATION_LETTER}'" + did_you_mean(item, names),
            )
            item = None
        version = _string(cm.get("version"), errors, f"{what} version")
        if version is not None and not _VERSION.match(version):
            errors.add(
                cm.where("version"),
                f"{what} version: '{version}' is not a text version; copy the 8 letters and "
                "digits that `deltaker consent changes` shows after the arrow (e.g. 3f2a9c1e)",
            )
            version = None
        kind = _enum(cm.get("kind"), errors, f"{what} kind", ChangeKind)
        reason = _string(cm.get("reason"), errors, f"{what} reason")
        if reason is None and "reason" not in cm.values:
            errors.add(
                cm.line, f"{what}: missing key 'reason'; say why the change is {kind or 'so'}"
            )
        told: Text | None = None
        if kind == ChangeKind.MATERIAL:
            if cm.get("what_changed") is None:
                errors.add(
                    cm.where("what_changed"),
                    f"{what}: a material change needs what_changed: one short, easy sentence "
                    f"per language ({', '.join(languages)}) for the re-consent letter",
                )
            else:
                told = _text(cm.get("what_changed"), errors, f"{what} what_changed", languages)
        elif kind == ChangeKind.MINOR and "what_changed" in cm.values:
            errors.add(
                cm.where("what_changed"),
                f"{what}: what_changed is printed only in re-consent letters, and a minor "
                "change sends none; remove it or mark the change material",
            )
        if item is None or version is None or kind is None or reason is None:
            continue
        if kind == ChangeKind.MATERIAL and told is None:
            continue
        if (item, version) in seen:
            errors.add(
                cm.line,
                f"{what}: the change of '{item}' to version {version} is marked twice "
                f"(first at line {seen[item, version]})",
            )
            continue
        seen[item, version] = cm.line
        changes.append(ConsentChange(item, version, kind, reason, told, line=cm.line))
    return tuple(changes)


def _letter_settings(node: yaml.Node | None, errors: _Errors) -> dict[str, str]:
    """study.yaml `letters:` maps a letter id to its settings (today: the register)."""
    m = _as_map(node, errors, "letters", _AnyKey())
    settings: dict[str, str] = {}
    if m is None:
        return settings
    for letter_id, value in m.values.items():
        lm = _as_map(value, errors, f"letter '{letter_id}'", _LETTER_KEYS)
        if lm is None:
            continue
        register = _string(lm.get("register"), errors, f"letter '{letter_id}' register")
        if register is not None and register not in REGISTERS:
            errors.add(
                lm.where("register"),
                f"letter '{letter_id}' register: unknown register '{register}'"
                + did_you_mean(register, REGISTERS),
            )
        elif register is not None:
            settings[letter_id] = register
    return settings


class _AnyKey(tuple[str, ...]):
    """An `allowed` list that allows every key (for mappings keyed by ids)."""

    def __contains__(self, key: object) -> bool:
        return True


def _load_forms(
    root: Path,
    sink: list[DefinitionError],
    languages: tuple[str, ...],
    consent_items: dict[str, ConsentItem],
) -> tuple[Form, ...]:
    forms_dir = root / FORMS_DIR
    paths = sorted(forms_dir.glob("*.yaml")) + sorted(forms_dir.glob("*.yml"))
    if not paths:
        sink.append(
            DefinitionError(
                f"no forms: put at least one form in {FORMS_DIR}/*.yaml", file=str(forms_dir)
            )
        )
        return ()
    forms: list[Form] = []
    seen: dict[str, str] = {}
    for path in paths:
        errors = _Errors(str(path), sink)
        form = _read_form(path, errors, languages, consent_items)
        if form is None:
            continue
        if form.id in seen:
            errors.add(None, f"duplicate form id '{form.id}' (also in {seen[form.id]})")
            continue
        seen[form.id] = str(path)
        forms.append(form)
    return tuple(forms)


def _load_letters(
    root: Path,
    sink: list[DefinitionError],
    languages: tuple[str, ...],
    settings: dict[str, str],
    study_errors: _Errors,
) -> tuple[Letter, ...]:
    letters_dir = root / LETTERS_DIR
    bodies: dict[str, dict[str, str]] = {}
    easy: dict[str, dict[str, str]] = {}
    for path in sorted(letters_dir.glob("*")) if letters_dir.is_dir() else []:
        errors = _Errors(str(path), sink)
        if path.is_dir() or path.name.startswith("."):
            continue
        match = LETTER_NAME.match(path.name)
        if not match:
            errors.add(
                None,
                "a letter file must be named <id>.<language>.md, e.g. invitation.nb.md "
                "(or invitation.nb.easy.md for the easy-language variant)",
            )
            continue
        letter_id, language = match["id"], match["lang"]
        if not ID_PATTERN.match(letter_id):
            errors.add(
                None,
                f"'{letter_id}' is not a valid letter id; "
                "use lowercase letters a-z, digits, '_' and '-'",
            )
            continue
        if language not in languages:
            errors.add(
                None,
                f"language '{language}' is not one of the study's languages "
                f"({', '.join(languages)})" + did_you_mean(language, languages, listing=False),
            )
            continue
        body = _read_text(path, errors)
        if body is None:
            continue
        if not body.strip():
            errors.add(None, "the letter is empty")
            continue
        target = easy if match["easy"] else bodies
        target.setdefault(letter_id, {})[language] = tidy(body)
    letters: list[Letter] = []
    for letter_id in sorted(set(bodies) | set(easy)):
        for variant, found in (("", bodies.get(letter_id, {})), (".easy", easy.get(letter_id, {}))):
            if not found and variant:
                continue
            for language in languages:
                if language not in found:
                    sink.append(
                        DefinitionError(
                            f"letter '{letter_id}' has no {language} text: "
                            f"add {letter_id}.{language}{variant}.md",
                            file=str(letters_dir),
                        )
                    )
        letters.append(
            Letter(
                letter_id,
                Text(bodies.get(letter_id, {}), easy.get(letter_id, {})),
                settings.get(letter_id, "easy"),
            )
        )
    for letter_id in settings:
        if letter_id not in bodies and letter_id not in easy:
            study_errors.add(None, f"letters: there is no letter '{letter_id}' in {LETTERS_DIR}/")
    return tuple(letters)


# --------------------------------------------------------------------------- forms


def load_form(
    path: str | Path,
    *,
    languages: Sequence[str] | None = None,
    consent_items: Sequence[ConsentItem] | None = None,
) -> Form:
    """Load one form file on its own; raise DefinitionErrors listing every mistake.

    Without ``languages`` the form's own `languages:` key (or nb, nn, en) applies.
    Without ``consent_items`` consent boxes are not checked against a study.
    """
    sink: list[DefinitionError] = []
    errors = _Errors(str(path), sink)
    known = {c.id: c for c in consent_items} if consent_items is not None else None
    form = _read_form(Path(path), errors, tuple(languages) if languages else None, known)
    if sink or form is None:
        if not sink:  # pragma: no cover - defensive
            errors.add(None, "the form could not be read")
        raise DefinitionErrors(sink)
    return form


def _read_form(
    path: Path,
    errors: _Errors,
    study_languages: tuple[str, ...] | None,
    consent_items: dict[str, ConsentItem] | None,
) -> Form | None:
    node = _read_yaml(path, errors)
    if node is None:
        return None
    before = len(errors.sink)
    m = _Map(node, errors, "form", _FORM_KEYS, ("kind", "title"))
    form_id = _identifier(m.get("id"), errors, "id") if "id" in m else path.stem
    if form_id is not None and "id" not in m and not ID_PATTERN.match(form_id):
        errors.add(None, f"'{form_id}' is not a valid form id; rename the file or add 'id:'")
    kind = _enum(m.get("kind"), errors, "kind", FormKind)

    languages = study_languages or DEFAULT_LANGUAGES
    if "languages" in m:
        own = _languages(m.get("languages"), errors, "languages")
        if own and study_languages:
            for code in own:
                if code not in study_languages:
                    errors.add(
                        m.where("languages"),
                        f"languages: '{code}' is not one of the study's languages "
                        f"({', '.join(study_languages)})",
                    )
            languages = tuple(c for c in own if c in study_languages) or study_languages
        elif own:
            languages = own

    title = _text(m.get("title"), errors, "title", languages, required=False)
    intro = _text(m.get("intro"), errors, "intro", languages, required=False)
    register = _string(m.get("register"), errors, "register")
    if register is not None and register not in REGISTERS:
        errors.add(
            m.where("register"),
            f"register: unknown register '{register}'" + did_you_mean(register, REGISTERS),
        )

    ids = _Ids(errors)
    sections: list[Section] = []
    if "sections" in m and "items" in m:
        errors.add(m.where("items"), "form: give either 'sections' or 'items', not both")
    elif "items" in m:
        items = _section_items(m.get("items"), errors, languages, consent_items, ids, "items")
        sections.append(Section("main", None, items, line=m.where("items")))
    elif "sections" in m:
        section_ids: dict[str, int] = {}
        for n, snode in enumerate(_as_list(m.get("sections"), errors, "sections"), start=1):
            section = _section(snode, n, errors, languages, consent_items, ids, section_ids)
            if section is not None:
                sections.append(section)
    else:
        errors.add(m.line, "form: missing key 'sections' (or 'items' for a form without sections)")
    if (
        ("sections" in m or "items" in m)
        and not any(s.items for s in sections)
        and len(errors.sink) == before
    ):
        errors.add(m.line, "form: has no items")
    all_items = [item for section in sections for item in section.items]
    if (
        kind in (FormKind.CONSENT, FormKind.WITHDRAWAL)
        and all_items
        and len(errors.sink) == before
        and not any(item.type == ItemType.CONSENT for item in all_items)
    ):
        errors.add(m.line, f"form: a {kind} form needs at least one 'type: consent' item")
    known_ids = {item.id for item in all_items}
    for item in all_items:
        for name in re.findall(r"\$\{([^}]*)\}", item.relevant or ""):
            if name not in known_ids:
                errors.add(
                    item.line,
                    f"item '{item.id}' relevant: there is no item '{name}' in this form"
                    + did_you_mean(name, sorted(known_ids), listing=False),
                )
        # an earlier answer shown in a text ({{town}}) must be a question of this form
        texts = [item.label, item.hint, *(c.label for c in item.choices)]
        for name in sorted(
            {n for t in texts if t for v in t.values.values() for n in references(v)}
        ):
            if name not in known_ids:
                errors.add(
                    item.line,
                    f"item '{item.id}': the text shows the answer to '{{{{{name}}}}}', but "
                    f"there is no item '{name}' in this form"
                    + did_you_mean(name, sorted(known_ids), listing=False),
                )

    if len(errors.sink) > before or kind is None or title is None or form_id is None:
        return None
    form = Form(
        id=form_id,
        kind=kind,
        title=title,
        sections=tuple(sections),
        intro=intro,
        languages=tuple(languages),
        source=str(path),
    )
    if register is not None:
        form = replace(form, register=register)
    return form


class _Unchecked(dict[str, ConsentItem]):
    """The study's consent items, when study.yaml's list was broken: references go unchecked.

    Its own errors are reported already; checking forms against half a list
    would only bury them under follow-on errors.
    """


class _Ids:
    """Item ids are unique across a whole form (they name spreadsheet columns)."""

    def __init__(self, errors: _Errors):
        self.errors = errors
        self.lines: dict[str, int] = {}

    def claim(self, item_id: str, line: int) -> bool:
        if item_id in self.lines:
            self.errors.add(
                line, f"duplicate item id '{item_id}' (first at line {self.lines[item_id]})"
            )
            return False
        self.lines[item_id] = line
        return True


def _section(
    node: yaml.Node,
    n: int,
    errors: _Errors,
    languages: Sequence[str],
    consent_items: dict[str, ConsentItem] | None,
    ids: _Ids,
    section_ids: dict[str, int],
) -> Section | None:
    m = _as_map(node, errors, f"section #{n}", _SECTION_KEYS, ("id", "items"))
    if m is None:
        return None
    section_id = _identifier(m.get("id"), errors, f"section #{n} id")
    what = f"section '{section_id}'" if section_id else f"section #{n}"
    if section_id is not None:
        if section_id in section_ids:
            errors.add(
                m.line,
                f"duplicate section id '{section_id}' (first at line {section_ids[section_id]})",
            )
        else:
            section_ids[section_id] = m.line
    title = _text(m.get("title"), errors, f"{what} title", languages, required=False)
    intro = _text(m.get("intro"), errors, f"{what} intro", languages, required=False)
    page_break = _bool(m.get("page_break_before"), errors, f"{what} page_break_before")
    items = _section_items(m.get("items"), errors, languages, consent_items, ids, f"{what} items")
    if section_id is None:
        return None
    return Section(section_id, title, items, intro=intro, page_break_before=page_break, line=m.line)


def _section_items(
    node: yaml.Node | None,
    errors: _Errors,
    languages: Sequence[str],
    consent_items: dict[str, ConsentItem] | None,
    ids: _Ids,
    what: str,
) -> tuple[Item, ...]:
    nodes = _as_list(node, errors, what)
    if isinstance(node, yaml.SequenceNode) and not nodes:
        errors.add(_line(node), f"{what}: the list is empty")
    items = []
    for n, inode in enumerate(nodes, start=1):
        item = _item(inode, n, errors, languages, consent_items, ids)
        if item is not None:
            items.append(item)
    return tuple(items)


def _item(
    node: yaml.Node,
    n: int,
    errors: _Errors,
    languages: Sequence[str],
    consent_items: dict[str, ConsentItem] | None,
    ids: _Ids,
) -> Item | None:
    if not isinstance(node, yaml.MappingNode):
        errors.add(_line(node), f"item #{n}: expected 'key: value' lines, got {_kind(node)}")
        return None
    # Read id and type first: the allowed keys depend on the type.
    raw = {
        str(k.value): v
        for k, v in node.value
        if isinstance(k, yaml.ScalarNode)
        and not (isinstance(v, yaml.ScalarNode) and v.tag == _YAML_TAG + "null")
    }
    item_id = _identifier(raw.get("id"), errors, f"item #{n} id") if "id" in raw else None
    what = f"item '{item_id}'" if item_id else f"item #{n}"
    item_type: ItemType | None = None
    type_node = raw.get("type")
    if type_node is not None:
        type_name = _string(type_node, errors, f"{what} type")
        options = [t.value for t in ItemType]
        if type_name is not None and type_name not in options:
            errors.add(
                _line(type_node),
                f"{what}: unknown type '{type_name}'" + did_you_mean(type_name, options),
            )
        elif type_name is not None:
            item_type = ItemType(type_name)
    allowed = _ALL_ITEM_KEYS if item_type is None else _ITEM_COMMON + _ITEM_TYPE_KEYS[item_type]
    before = len(errors.sink)
    m = _Map(node, errors, what, _ALL_ITEM_KEYS, ("id", "type"), suggest=allowed)
    for key in m.values:
        if key not in allowed:
            errors.add(m.where(key), f"{what}: key '{key}' does not apply to a {item_type} item")
    if item_id is not None and not ids.claim(item_id, m.line):
        item_id = None

    consent_item = None
    label_required = True
    if item_type == ItemType.CONSENT:
        consent_item = (
            _identifier(m.get("consent_item"), errors, f"{what} consent_item")
            if "consent_item" in m
            else item_id
        )
        if consent_item is not None and consent_items is not None:
            label_required = False  # the study's consent item text is the label
            if consent_item not in consent_items and not isinstance(consent_items, _Unchecked):
                errors.add(
                    m.where("consent_item"),
                    f"{what}: consent_item '{consent_item}' is not one of the study's "
                    f"consent items ({', '.join(consent_items)})"
                    + did_you_mean(consent_item, consent_items, listing=False),
                )
    label = _text(m.get("label"), errors, f"{what} label", languages, required=False)
    if label is None and "label" not in m and label_required:
        errors.add(m.line, f"{what}: missing key 'label'")
    if (
        label is None
        and not label_required
        and consent_items is not None
        and consent_item in consent_items
    ):
        label = consent_items[consent_item].text
    hint = _text(m.get("hint"), errors, f"{what} hint", languages, required=False)
    required = _bool(m.get("required"), errors, f"{what} required")
    page_break = _bool(m.get("page_break_before"), errors, f"{what} page_break_before")
    relevant = _string(m.get("relevant"), errors, f"{what} relevant")
    source_name = _string(m.get("source_name"), errors, f"{what} source_name")

    choices: tuple[Choice, ...] = ()
    if item_type in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE, ItemType.YES_NO):
        choices = _choices(m, errors, what, languages, item_type)

    extra: _ItemExtras = {}
    if item_type == ItemType.SCALE:
        low = _int(m.get("min"), errors, f"{what} min")
        high = _int(m.get("max"), errors, f"{what} max")
        low = 1 if low is None and "min" not in m else low
        high = 5 if high is None and "max" not in m else high
        if low is not None and high is not None:
            if low < 0:
                errors.add(m.where("min"), f"{what}: scale min ({low}) must be 0 or more")
            elif high <= low:
                errors.add(
                    m.where("max"), f"{what}: scale max ({high}) must be greater than min ({low})"
                )
            elif high - low + 1 > MAX_SCALE_STEPS:
                errors.add(
                    m.where("max"),
                    f"{what}: a scale from {low} to {high} has {high - low + 1} steps; "
                    f"at most {MAX_SCALE_STEPS} fit on paper",
                )
            else:
                extra["scale_min"] = low
                extra["scale_max"] = high
        extra["scale_low"] = _text(m.get("low"), errors, f"{what} low", languages, required=False)
        extra["scale_high"] = _text(
            m.get("high"), errors, f"{what} high", languages, required=False
        )
        for key in ("low", "high"):
            if key not in m:
                errors.add(
                    m.line, f"{what}: missing key '{key}' (the label at that end of the scale)"
                )
    if item_type == ItemType.LONG_TEXT and "lines" in m:
        lines = _int(m.get("lines"), errors, f"{what} lines")
        if lines is not None and not 1 <= lines <= MAX_LINES:
            errors.add(
                m.where("lines"), f"{what}: lines must be between 1 and {MAX_LINES}, got {lines}"
            )
        elif lines is not None:
            extra["lines"] = lines

    if len(errors.sink) > before or item_id is None or item_type is None or label is None:
        return None
    return Item(
        id=item_id,
        type=item_type,
        label=label,
        hint=hint,
        required=required,
        choices=choices,
        consent_item=consent_item,
        relevant=relevant,
        page_break_before=page_break,
        source_name=source_name,
        line=m.line,
        **extra,
    )


class _ItemExtras(TypedDict, total=False):
    """The Item fields only some item types set; the others keep Item's defaults."""

    scale_min: int
    scale_max: int
    scale_low: Text | None
    scale_high: Text | None
    lines: int


def _choices(
    m: _Map, errors: _Errors, what: str, languages: Sequence[str], item_type: ItemType
) -> tuple[Choice, ...]:
    if "choices" not in m:
        if item_type != ItemType.YES_NO:
            errors.add(m.line, f"{what}: missing key 'choices'")
        return ()
    nodes = _as_list(m.get("choices"), errors, f"{what} choices")
    # one choice is a single tick box ("I have read this"); a yes_no item has two
    if isinstance(m.get("choices"), yaml.SequenceNode) and not nodes:
        errors.add(m.where("choices"), f"{what}: give at least one choice")
    choices: list[Choice] = []
    seen: dict[str, int] = {}
    for n, node in enumerate(nodes, start=1):
        cm = _as_map(
            node, errors, f"{what} choice #{n}", ("value", "label", "source_value"), ("value",)
        )
        if cm is None:
            continue
        value = _identifier(cm.get("value"), errors, f"{what} choice #{n} value")
        cwhat = f"choice '{value}' of {what}" if value else f"{what} choice #{n}"
        if "label" not in cm:
            errors.add(cm.line, f"{cwhat} has no label")
            label = None
        else:
            label = _text(cm.get("label"), errors, f"{cwhat} label", languages)
        if value is None:
            continue
        if value in seen:
            errors.add(
                cm.line, f"{what}: duplicate choice value '{value}' (first at line {seen[value]})"
            )
            continue
        seen[value] = cm.line
        if item_type == ItemType.YES_NO and value not in YES_NO_VALUES:
            errors.add(
                cm.line, f"{what}: a yes_no item's choice values are 'yes' and 'no', not '{value}'"
            )
            continue
        if label is not None:
            source = _string(cm.get("source_value"), errors, f"{cwhat} source_value")
            choices.append(Choice(value, label, source_value=source))
    if item_type == ItemType.YES_NO and nodes and set(seen) != set(YES_NO_VALUES):
        errors.add(
            m.where("choices"), f"{what}: a yes_no item needs exactly the choices 'yes' and 'no'"
        )
    return tuple(choices)

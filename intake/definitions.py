"""Form and study definitions as JSON, so every stored form version can be rebuilt.

Old paper must stay readable and exportable after the YAML has changed, so the
database keeps the whole definition of every version, not a file name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any

from forms.model import (
    ChangeKind,
    Choice,
    ConsentChange,
    Form,
    FormKind,
    Item,
    ItemType,
    Section,
    Study,
    Text,
)
from forms.version import study_text_version

#: Bumped when the JSON shape changes, so readers can tell old rows apart.
DEFINITION_FORMAT = 1


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates, mappings and tuples as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_jsonable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.compare  # source files and line numbers are not part of a definition
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [to_jsonable(v) for v in value]
    return value


def form_to_json(form: Form) -> dict[str, Any]:
    data = to_jsonable(form)
    data["format"] = DEFINITION_FORMAT
    return data


def study_to_json(study: Study) -> dict[str, Any]:
    """The study-level fields (forms are stored as their own versions)."""
    data = to_jsonable(dataclasses.replace(study, forms=()))
    data.pop("forms", None)
    data["form_ids"] = [form.id for form in study.forms]
    data["format"] = DEFINITION_FORMAT
    # the information letter's version, named by consent records as the notice shown
    data["text_version"] = study_text_version(study)
    return data


def _text(data: Mapping[str, Any] | None) -> Text | None:
    if data is None:
        return None
    return Text(dict(data.get("values", {})), dict(data.get("easy", {})))


def _item(data: Mapping[str, Any]) -> Item:
    return Item(
        id=data["id"],
        type=ItemType(data["type"]),
        label=_text(data["label"]) or Text({}),
        hint=_text(data.get("hint")),
        required=bool(data.get("required", False)),
        choices=tuple(
            Choice(c["value"], _text(c["label"]) or Text({})) for c in data.get("choices", ())
        ),
        scale_min=int(data.get("scale_min", 1)),
        scale_max=int(data.get("scale_max", 5)),
        scale_low=_text(data.get("scale_low")),
        scale_high=_text(data.get("scale_high")),
        consent_item=data.get("consent_item"),
        lines=int(data.get("lines", 4)),
        relevant=data.get("relevant"),
        page_break_before=bool(data.get("page_break_before", False)),
    )


def form_from_json(data: Mapping[str, Any]) -> Form:
    """Rebuild the :class:`Form` that :func:`form_to_json` stored."""
    return Form(
        id=data["id"],
        kind=FormKind(data["kind"]),
        title=_text(data["title"]) or Text({}),
        sections=tuple(
            Section(
                id=s["id"],
                title=_text(s.get("title")),
                items=tuple(_item(i) for i in s.get("items", ())),
                intro=_text(s.get("intro")),
                page_break_before=bool(s.get("page_break_before", False)),
            )
            for s in data.get("sections", ())
        ),
        intro=_text(data.get("intro")),
        languages=tuple(data.get("languages", ("nb", "nn", "en"))),
    )


def consent_changes_from_json(study: Mapping[str, Any] | None) -> tuple[ConsentChange, ...]:
    """The author's marks on changed consent texts, from a stored study definition."""
    return tuple(
        ConsentChange(
            item=c["item"],
            version=c["version"],
            kind=ChangeKind(c["kind"]),
            reason=c["reason"],
            what_changed=_text(c.get("what_changed")),
        )
        for c in (study or {}).get("consent_changes", ())
    )

"""Two fingerprints of a form: its text version and its geometry.

- ``text_version`` hashes everything a person is shown (every text in every
  language, the items, their types and choices). Consent evidence names it, so
  any change in wording gives a new version.
- ``geometry_fingerprint`` hashes only what decides where boxes go and what
  they mean: ids, types, choice values, scale bounds, writing lines and page
  breaks. A typo fix keeps it, so printed sheets stay readable by the scanner.

Both hash a canonical serialisation of the model (keys sorted, whitespace
normalised), not the YAML file, so reordering keys or re-indenting a file
changes neither.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import re
from typing import Any

from .model import Form, Item, Study, Text

#: Hex digits kept from the SHA-256 digest: short enough to print on a page.
VERSION_HEX_DIGITS = 8

#: Fields that say where a definition came from or how it is checked, not what it shows
#: (an imported question's original name and value are provenance: versions stay as they were).
_NOT_SHOWN = {"line", "source", "source_dir", "register", "source_name", "source_value"}


def text_version(form: Form) -> str:
    """8 hex chars naming the exact texts and questions of ``form``."""
    return _digest(_canonical(form))


def geometry_fingerprint(form: Form) -> str:
    """8 hex chars naming the form's layout-relevant structure only."""
    return _digest(
        {
            "form": form.id,
            "kind": str(form.kind),
            "sections": [
                {
                    "id": section.id,
                    "page_break_before": section.page_break_before,
                    "items": [_item_geometry(item) for item in section.items],
                }
                for section in form.sections
            ],
        }
    )


def study_text_version(study: Study) -> str:
    """8 hex chars naming the study's information-letter texts and consent items.

    Forms and letters have their own versions, so they are left out here.
    """
    data = _canonical(study)
    data.pop("forms", None)
    data.pop("letters", None)
    data.pop("disclosure_threshold", None)  # a reporting setting, not a text anyone reads
    data.pop("processing", None)  # the DPO's records, not printed in any letter
    # the author's marks on changed texts: about the versions, not a text of one
    data.pop("consent_changes", None)
    return _digest(data)


def _item_geometry(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "type": str(item.type),
        "values": [choice.value for choice in item.options()],
        "lines": item.lines,
        "page_break_before": item.page_break_before,
    }


def _canonical(value: Any) -> Any:
    """Plain JSON data for a model value: dataclasses as sorted dicts, texts normalised."""
    if isinstance(value, Text):
        return {
            "values": {k: normalise_text(v) for k, v in sorted(value.values.items())},
            "easy": {k: normalise_text(v) for k, v in sorted(value.easy.items())},
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canonical(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _NOT_SHOWN
        }
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (tuple, list)):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return normalise_text(value)
    return value


def normalise_text(text: str) -> str:
    """Whitespace that no reader sees removed: line ends, runs of spaces, extra blank lines."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _digest(data: Any) -> str:
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:VERSION_HEX_DIGITS]

"""The imported form written as a study form file (``forms/<id>.yaml``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forms.model import Choice, Text

from .result import XLSFormImport


def _text_yaml(text: Text) -> dict[str, str]:
    return dict(text.values)


def _choice_yaml(choice: Choice) -> dict[str, Any]:
    node: dict[str, Any] = {"value": choice.value, "label": _text_yaml(choice.label)}
    if choice.source_value:
        node["source_value"] = choice.source_value
    return node


def form_yaml(result: XLSFormImport) -> str:
    """The imported form as a study form file (``forms/<id>.yaml``, docs/study-format.md).

    ``forms.load.load_form`` reads it back to the same form. Texts are written as
    imported: a missing translation stays missing, and ``deltaker check`` names it.
    """
    import yaml

    form = result.form
    sections = []
    for section in form.sections:
        entry: dict[str, Any] = {"id": section.id}
        if section.title is not None:
            entry["title"] = _text_yaml(section.title)
        if section.intro is not None:
            entry["intro"] = _text_yaml(section.intro)
        items = []
        for item in section.items:
            node: dict[str, Any] = {
                "id": item.id,
                "type": str(item.type),
                "label": _text_yaml(item.label),
            }
            if item.hint is not None:
                node["hint"] = _text_yaml(item.hint)
            if item.required:
                node["required"] = True
            if item.relevant:
                node["relevant"] = item.relevant
            if item.source_name:
                node["source_name"] = item.source_name
            if item.choices:
                node["choices"] = [_choice_yaml(c) for c in item.choices]
            items.append(node)
        entry["items"] = items
        sections.append(entry)
    document: dict[str, Any] = {
        "id": form.id,
        "kind": str(form.kind),
        "languages": list(form.languages),
        "title": _text_yaml(form.title),
        "sections": sections,
    }
    head = [
        f"# Imported from {Path(form.source).name if form.source else 'an XLSForm'} "
        "by `deltaker xlsform`."
    ]
    if result.choice_filters:
        head.append("# Choice filters (web only) were kept in the import, not in this file:")
        head += [f"#   {item}: {cf.expression}" for item, cf in result.choice_filters.items()]
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body

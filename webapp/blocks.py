"""The blocks a page of questions is drawn from: each item with its text and its field.

What a block looks like comes from the item type's entry in ``formgen.WEB_TYPES``;
the citizens' pages and the staff's manual-entry page draw the same blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm

from forms.model import Item

from .formgen import WEB_TYPES, field_name


@dataclass(frozen=True)
class Block:
    """One item on a page: its text, and its field when it takes an answer."""

    item: Item
    field: Any
    label: str
    hint: str | None
    grouped: bool
    required: bool
    options: tuple[tuple[str, str], ...] = ()  # (value, label) of each box, in print order
    multiple: bool = False  # boxes are checkboxes (any number), not radio buttons


def _hint(item: Item, language: str) -> str | None:
    own = item.hint.get(language) if item.hint else None
    extra = WEB_TYPES[item.type].hint(item, language)
    if own and extra:
        return f"{own} {extra}"
    return own or extra


def build_blocks(
    items: Iterable[Item], form: FlaskForm, language: str, *, hints: bool = True
) -> list[Block]:
    """The blocks of ``items`` with the fields of ``form``; ``hints=False`` leaves out the help.

    An item with no field is left out unless its type is text only (a signature
    is given on paper; on the web the send button is the act).
    """
    out = []
    for item in items:
        web = WEB_TYPES[item.type]
        field = getattr(form, field_name(item), None)
        if field is None and not web.shown_without_field:
            continue
        out.append(
            Block(
                item,
                field,
                item.label.get(language),
                _hint(item, language) if hints else None,
                web.grouped,
                item.required,
                tuple((c.value, c.label.get(language)) for c in item.options()),
                web.multiple,
            )
        )
    return out


def error_links(blocks: Iterable[Block]) -> list[tuple[str, str]]:
    """(field id, first error) of each block whose answer cannot be used, for the summary."""
    links = []
    for block in blocks:
        if block.field is not None and block.field.errors:
            target = f"{block.field.id}-0" if block.grouped else block.field.id
            links.append((target, block.field.errors[0]))
    return links

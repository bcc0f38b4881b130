"""What each item type's fields mean once measured: one reader per ItemType.

A reader gets the item's measured fields on this page and says what the
person answered, or that a person must look (``review``). The rules keep the
paper channel from being silently wrong:

- an ``ambiguous`` box, two marks on a one-answer question, or a cancelled box
  with no new mark sends the item to review;
- ink beside an unmarked box (between two boxes, a cross next to a box) too;
- ink on any option's printed text (circled, underlined, struck through, a tick
  after the words instead of in the box) too, marked box or not;
- written fields are never read as text here: with ink they go to review
  (a person types them in from the kept crop), without ink they are empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from forms.model import ItemType
from printing.layout_map import FieldKind

from .marks import BoxMeasure, Calibration, LabelMeasure, has_halo_ink, has_label_ink
from .results import FieldResult, MarkState


@dataclass(frozen=True)
class MeasuredField:
    result: FieldResult
    measure: BoxMeasure | None = None  # tick boxes only
    label: LabelMeasure | None = None  # tick boxes whose layout map gives their option text


@dataclass(frozen=True)
class Reading:
    """An item's reading: its answer (None when nothing can be said) and why it needs a person."""

    answer: list[str] | None
    review: str | None = None  # the reason, when a person must look


def _boxes(fields: Sequence[MeasuredField], cal: Calibration, *, multiple: bool) -> Reading:
    states = [f.result.state for f in fields]
    marked = [f.result.value for f in fields if f.result.state == MarkState.MARKED]
    on_text = [f.result.value for f in fields if f.label and has_label_ink(f.label, cal)]
    if on_text:
        # What a circled or struck-out option means is for a person to decide. Said first:
        # a circle round the words often runs through the box too (which then reads ambiguous).
        names = ", ".join(repr(v) for v in on_text)
        return Reading(None, f"ink on the text of option{'s' if len(on_text) > 1 else ''} {names}")
    if MarkState.AMBIGUOUS in states:
        return Reading(None, "a box is neither clearly marked nor clearly empty")
    beside = [
        f
        for f in fields
        if f.result.state == MarkState.EMPTY and f.measure and has_halo_ink(f.measure, cal)
    ]
    if beside:
        return Reading(None, "ink beside a box that is not marked")
    if not multiple and len(marked) > 1:
        return Reading(None, "more than one box marked where one answer is asked")
    if MarkState.CANCELLED in states and not marked:
        return Reading(None, "a box was filled in (cancelled) and no other box is marked")
    if not marked and any(f.measure and has_halo_ink(f.measure, cal) for f in fields):
        return Reading(None, "ink near the boxes but none is marked")
    return Reading([v for v in marked if v is not None])


def _one(fields: Sequence[MeasuredField], cal: Calibration) -> Reading:
    return _boxes(fields, cal, multiple=False)


def _many(fields: Sequence[MeasuredField], cal: Calibration) -> Reading:
    return _boxes(fields, cal, multiple=True)


def _written(fields: Sequence[MeasuredField], cal: Calibration) -> Reading:
    if any(f.result.state != MarkState.EMPTY for f in fields):
        return Reading(None, "handwriting to type in")
    return Reading(None)


def _signature(fields: Sequence[MeasuredField], cal: Calibration) -> Reading:
    """A signature is not typed in: its presence (field state) and its crop are the record."""
    if any(f.result.state == MarkState.AMBIGUOUS for f in fields):
        return Reading(None, "cannot tell whether the field is signed")
    return Reading(None)


def _nothing(fields: Sequence[MeasuredField], cal: Calibration) -> Reading:
    return Reading(None)


Reader = Callable[[Sequence[MeasuredField], Calibration], Reading]

#: How each item type's measured fields are read. A test checks every ItemType has one.
READERS: dict[ItemType, Reader] = {
    ItemType.SINGLE_CHOICE: _one,
    ItemType.MULTIPLE_CHOICE: _many,
    ItemType.YES_NO: _one,
    ItemType.SCALE: _one,
    ItemType.CONSENT: _one,
    ItemType.SHORT_TEXT: _written,
    ItemType.LONG_TEXT: _written,
    ItemType.NUMBER: _written,
    ItemType.DATE: _written,
    ItemType.SIGNATURE: _signature,
    ItemType.INFO: _nothing,
}

#: The reader for a field whose item type is unknown, by the layout map's kind.
KIND_FALLBACK: dict[FieldKind, ItemType] = {
    FieldKind.CHOICE: ItemType.SINGLE_CHOICE,  # the strictest: two marks go to review
    FieldKind.TEXT: ItemType.LONG_TEXT,
    FieldKind.SIGNATURE: ItemType.SIGNATURE,
}

"""The layout map (DESIGN.md, ``deltaker layout --json``) as frozen types: one writer, one reader.

The printer writes a map for every printed version (``LayoutMap.to_json``) and
the database stores that JSON; the scanner and the resolver read it back once,
with ``LayoutMap.from_json``, and from then on see only these types. Beyond
DESIGN.md's keys a map carries ``qr2`` (the second code, bottom left), a choice
field's ``label`` (the box round its printed option text), and the map's
``geometry`` and ``profile``. Maps stored before those keys existed are read
without them.

This module is pure (no reportlab, no fonts) so that ``scan`` may import it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .geometry import A4, Box, Size


class LayoutMapError(ValueError):
    """A stored layout map that is not in the shape ``LayoutMap.to_json`` writes."""


class FieldKind(StrEnum):
    """What a layout-map field is on paper."""

    CHOICE = "choice"  # one tick box, with the choice's ``value``
    TEXT = "text"  # handwriting, typed in after the scan
    SIGNATURE = "signature"


@dataclass(frozen=True)
class LayoutField:
    item: str
    kind: FieldKind
    box: Box
    value: str | None = None
    #: The tight box of a choice's printed option text (beside the box, or a scale's
    #: number above it): the scanner looks for pen ink on and round it.
    label: Box | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"item": self.item, "kind": str(self.kind)}
        if self.value is not None:
            out["value"] = self.value
        out["box"] = list(self.box)
        if self.label is not None:
            out["label"] = list(self.label)
        return out


@dataclass(frozen=True)
class LayoutPage:
    page: int  # 1-based, within the form
    qr: Box
    marks: tuple[Box, ...]
    fields: tuple[LayoutField, ...]
    #: The second code (same payload, bottom left); None in maps printed before it existed.
    qr2: Box | None = None

    def items(self) -> list[str]:
        """The item ids with a field on this page, in layout order, each once."""
        return list(dict.fromkeys(f.item for f in self.fields))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"page": self.page, "qr": list(self.qr)}
        if self.qr2 is not None:
            out["qr2"] = list(self.qr2)
        out["marks"] = [list(m) for m in self.marks]
        out["fields"] = [f.to_json() for f in self.fields]
        return out


@dataclass(frozen=True)
class LayoutMap:
    study: str
    form: str
    version: str
    language: str
    page_size: Size
    pages: tuple[LayoutPage, ...]
    geometry: str | None = None
    profile: str | None = None

    def page(self, number: int) -> LayoutPage | None:
        """Page ``number`` (1-based) of the form, or None when the map has no such page."""
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's layout map, JSON-ready, keys in the order the printer has always written."""
        out: dict[str, Any] = {
            "study": self.study,
            "form": self.form,
            "version": self.version,
            "language": self.language,
            "page_size": list(self.page_size),
            "pages": [p.to_json() for p in self.pages],
        }
        if self.geometry is not None:
            out["geometry"] = self.geometry
        if self.profile is not None:
            out["profile"] = self.profile
        return out

    @classmethod
    def from_json(cls, data: object) -> LayoutMap:
        """Read a stored map; raises :class:`LayoutMapError` naming the key that is wrong."""
        top = _mapping(data, "the layout map")
        pages = _sequence(top.get("pages", []), "pages")
        page_size = top.get("page_size") or A4
        return cls(
            study=_text(top.get("study", ""), "study"),
            form=_text(top.get("form", ""), "form"),
            version=_text(top.get("version", ""), "version"),
            language=_text(top.get("language") or "", "language"),
            page_size=_size(page_size, "page_size"),
            pages=tuple(_page(p, f"page {n}") for n, p in enumerate(pages, start=1)),
            geometry=_optional_text(top.get("geometry"), "geometry"),
            profile=_optional_text(top.get("profile"), "profile"),
        )


def _page(data: object, where: str) -> LayoutPage:
    page = _mapping(data, where)
    number = page.get("page")
    if not isinstance(number, int) or isinstance(number, bool):
        raise LayoutMapError(f"layout map, {where}: 'page' must be a whole number")
    qr2 = page.get("qr2")
    fields = _sequence(page.get("fields", []), f"{where}, fields")
    return LayoutPage(
        page=number,
        qr=_box(page.get("qr"), f"{where}, qr"),
        marks=tuple(
            _box(m, f"{where}, mark {n}")
            for n, m in enumerate(_sequence(page.get("marks", []), f"{where}, marks"), start=1)
        ),
        fields=tuple(_field(f, f"{where}, field {n}") for n, f in enumerate(fields, start=1)),
        qr2=_box(qr2, f"{where}, qr2") if qr2 else None,
    )


def _field(data: object, where: str) -> LayoutField:
    field = _mapping(data, where)
    kind = field.get("kind", FieldKind.CHOICE)
    try:
        kind = FieldKind(kind)
    except ValueError:
        raise LayoutMapError(
            f"layout map, {where}: unknown kind {kind!r} "
            f"(one of {', '.join(str(k) for k in FieldKind)})"
        ) from None
    label = field.get("label")
    return LayoutField(
        item=_text(field.get("item"), f"{where}, item"),
        kind=kind,
        box=_box(field.get("box"), f"{where}, box"),
        value=_optional_text(field.get("value"), f"{where}, value"),
        label=_box(label, f"{where}, label") if label else None,
    )


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise LayoutMapError(f"layout map, {where}: expected an object")
    return value


def _sequence(value: object, where: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple):
        raise LayoutMapError(f"layout map, {where}: expected a list")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise LayoutMapError(f"layout map, {where}: expected text")
    return value


def _optional_text(value: object, where: str) -> str | None:
    return None if value is None else _text(value, where)


def _numbers(value: object, count: int, where: str) -> tuple[float, ...]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != count
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise LayoutMapError(f"layout map, {where}: expected {count} numbers")
    return tuple(float(v) for v in value)


def _box(value: object, where: str) -> Box:
    x, y, w, h = _numbers(value, 4, where)
    return (x, y, w, h)


def _size(value: object, where: str) -> Size:
    w, h = _numbers(value, 2, where)
    return (w, h)


__all__ = ["FieldKind", "LayoutField", "LayoutMap", "LayoutMapError", "LayoutPage"]

"""What the scanner hands back: one plain, picklable result per input page.

``PageResult.to_json()`` is exactly DESIGN.md's page-result object; the image
bytes (evidence, thumbnail, field crops) travel beside it for the caller to
store, never inside the JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from forms.model import ItemType
from printing.geometry import Size
from printing.layout_map import FieldKind, LayoutPage


class PageStatus(StrEnum):
    OK = "ok"
    NEEDS_REVIEW = "needs_review"
    UNIDENTIFIED = "unidentified"  # no readable page identity
    UNKNOWN_FORM = "unknown_form"  # a code was read, but it is not one of ours
    DUPLICATE = "duplicate"  # set by intake when this exact page was stored before
    ERROR = "error"  # the page (or file) could not be read; ``message`` says why


class MarkState(StrEnum):
    EMPTY = "empty"
    MARKED = "marked"
    CANCELLED = "cancelled"  # filled in completely: the printed way to undo a cross
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class ResolvedPage:
    """Who and what a page is, as the injected resolver found it from the QR payload.

    ``layout_page`` is the layout map's page (read once, by ``LayoutMap.from_json``);
    ``item_types`` maps every item id on the form to its ``forms.model.ItemType``
    value, so the readers know a single choice from a multiple choice.
    """

    form: str
    version: str
    language: str
    page: int
    layout_page: LayoutPage
    page_size: Size
    item_types: Mapping[str, ItemType]
    participant: str | None = None
    serial: str | None = None
    #: The code did not say which of several different printed layouts this is:
    #: every item on the page goes to review.
    layout_uncertain: bool = False


@dataclass(frozen=True)
class FieldResult:
    item: str
    value: str | None  # the choice value for a box; None for a written field
    state: MarkState
    fill: float  # share of the box's inside covered by ink, 0..1
    confidence: float  # 0..1
    kind: FieldKind = FieldKind.CHOICE  # the layout map's kind

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "value": self.value,
            "state": str(self.state),
            "fill": round(self.fill, 3),
            "confidence": round(self.confidence, 3),
        }


@dataclass
class PageResult:
    file: str
    page_index: int
    status: PageStatus
    form: str | None = None
    version: str | None = None
    language: str | None = None
    participant: str | None = None
    serial: str | None = None
    page: int | None = None
    rotation: int = 0
    fields: list[FieldResult] = field(default_factory=list)
    answers: dict[str, list[str]] = field(default_factory=dict)
    needs_review: list[str] = field(default_factory=list)
    message: str | None = None
    #: Why a page was flagged although it was read (e.g. "registration mark 3 not found").
    flags: list[str] = field(default_factory=list)
    payload: str | None = None  # the QR text read, kept for the record
    #: The scanned file's SHA-256, when the caller knows it already (intake then need not
    #: read the file again to recognise a page it has stored before). Not in the JSON.
    file_sha256: str | None = None
    # Bytes for the caller to store (not part of the JSON contract).
    image: bytes | None = field(default=None, repr=False)
    image_type: str | None = None  # "image/jpeg" or "image/png"
    thumbnail: bytes | None = field(default=None, repr=False)  # PNG, unidentified pages
    crops: dict[str, bytes] = field(default_factory=dict, repr=False)  # item -> PNG

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "page_index": self.page_index,
            "status": str(self.status),
            "form": self.form,
            "version": self.version,
            "language": self.language,
            "participant": self.participant,
            "serial": self.serial,
            "page": self.page,
            "rotation": self.rotation,
            "fields": [f.to_json() for f in self.fields],
            "answers": self.answers,
            "needs_review": self.needs_review,
        }
        if self.message is not None:
            out["message"] = self.message
        if self.flags:
            out["flags"] = self.flags
        return out

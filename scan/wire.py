"""Messages from a worker to the parent: JSON and raw bytes, never pickle.

The worker parses untrusted files; if a crafted file ever took it over, a
pickle sent back would run code in the parent (which holds the database and
the secret key). So everything a worker says is plain JSON plus byte blobs,
checked on arrival: a frame is a 4-byte header length, the JSON header, then
the blobs it lists.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from printing.layout_map import FieldKind

from .results import FieldResult, MarkState, PageResult, PageStatus

#: The largest message the parent accepts (a 600 dpi colour page as PNG fits easily).
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
KINDS = frozenset({"count", "file_error", "page", "resolve", "done"})


class WireError(ValueError):
    """A worker sent something that is not a well-formed message."""


def encode(kind: str, payload: Any = None) -> bytes:
    blobs: list[tuple[str, bytes]] = []
    if kind == "page":
        result: PageResult = payload
        body = result.to_json()
        body.update(
            flags=list(result.flags),
            payload=result.payload,
            message=result.message,
            image_type=result.image_type,
            kinds=[str(f.kind) for f in result.fields],
        )
        if result.image:
            blobs.append(("image", result.image))
        if result.thumbnail:
            blobs.append(("thumbnail", result.thumbnail))
        for item, png in result.crops.items():
            blobs.append(("crop:" + item, png))
        payload = body
    header = json.dumps(
        {"kind": kind, "payload": payload, "blobs": [[name, len(data)] for name, data in blobs]}
    ).encode()
    return struct.pack(">I", len(header)) + header + b"".join(data for _, data in blobs)


def decode(frame: bytes) -> tuple[str, Any]:
    """The message in ``frame``; anything malformed raises WireError."""
    try:
        (size,) = struct.unpack(">I", frame[:4])
        header = json.loads(frame[4 : 4 + size])
        kind = header["kind"]
        if kind not in KINDS:
            raise WireError(f"unknown message {kind!r}")
        offset = 4 + size
        blobs: dict[str, bytes] = {}
        for name, length in header["blobs"]:
            if not isinstance(name, str) or not isinstance(length, int) or length < 0:
                raise WireError("bad blob list")
            blobs[name] = frame[offset : offset + length]
            offset += length
        if offset != len(frame):
            raise WireError("frame length does not add up")
        payload = header["payload"]
        if kind == "page":
            return kind, _page(payload, blobs)
        if kind == "count" and not (isinstance(payload, int) and payload >= 0):
            raise WireError("bad page count")
        if kind in ("file_error", "resolve") and not isinstance(payload, str):
            raise WireError(f"bad {kind} text")
        return kind, payload
    except WireError:
        raise
    except (KeyError, TypeError, ValueError, struct.error) as exc:
        raise WireError(f"malformed message ({exc})") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise WireError("expected text")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _text(value)


def _page(body: dict[str, Any], blobs: dict[str, bytes]) -> PageResult:
    kinds = body.get("kinds") or []
    fields: list[FieldResult] = []
    for n, f in enumerate(body["fields"]):
        fields.append(
            FieldResult(
                item=_text(f["item"]),
                value=_optional(f["value"]),
                state=MarkState(f["state"]),
                fill=float(f["fill"]),
                confidence=float(f["confidence"]),
                kind=FieldKind(_text(kinds[n])) if n < len(kinds) else FieldKind.CHOICE,
            )
        )
    answers: dict[str, list[str]] = {}
    for item, values in body["answers"].items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise WireError("bad answers")
        answers[_text(item)] = values
    page = body["page"]
    if page is not None and not isinstance(page, int):
        raise WireError("bad page number")
    return PageResult(
        file=_text(body["file"]),
        page_index=int(body["page_index"]),
        status=PageStatus(body["status"]),
        form=_optional(body["form"]),
        version=_optional(body["version"]),
        language=_optional(body["language"]),
        participant=_optional(body["participant"]),
        serial=_optional(body["serial"]),
        page=page,
        rotation=int(body["rotation"]),
        fields=fields,
        answers=answers,
        needs_review=[_text(v) for v in body["needs_review"]],
        message=_optional(body.get("message")),
        flags=[_text(v) for v in body.get("flags") or []],
        payload=_optional(body.get("payload")),
        image=blobs.get("image"),
        image_type=_optional(body.get("image_type")),
        thumbnail=blobs.get("thumbnail"),
        crops={name[5:]: data for name, data in blobs.items() if name.startswith("crop:")},
    )

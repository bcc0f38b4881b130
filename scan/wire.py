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


def _str(value: Any, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise WireError("expected text")
    return value


def _page(body: dict, blobs: dict[str, bytes]) -> PageResult:
    kinds = body.get("kinds") or []
    fields = []
    for n, f in enumerate(body["fields"]):
        fields.append(
            FieldResult(
                item=_str(f["item"], optional=False),
                value=_str(f["value"]),
                state=MarkState(f["state"]),
                fill=float(f["fill"]),
                confidence=float(f["confidence"]),
                kind=FieldKind(_str(kinds[n], optional=False))
                if n < len(kinds)
                else FieldKind.CHOICE,
            )
        )
    answers = {}
    for item, values in body["answers"].items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise WireError("bad answers")
        answers[_str(item, optional=False)] = values
    page = body["page"]
    if page is not None and not isinstance(page, int):
        raise WireError("bad page number")
    return PageResult(
        file=_str(body["file"], optional=False),
        page_index=int(body["page_index"]),
        status=PageStatus(body["status"]),
        form=_str(body["form"]),
        version=_str(body["version"]),
        language=_str(body["language"]),
        participant=_str(body["participant"]),
        serial=_str(body["serial"]),
        page=page,
        rotation=int(body["rotation"]),
        fields=fields,
        answers=answers,
        needs_review=[_str(v, optional=False) for v in body["needs_review"]],
        message=_str(body.get("message")),
        flags=[_str(v, optional=False) for v in body.get("flags") or []],
        payload=_str(body.get("payload")),
        image=blobs.get("image"),
        image_type=_str(body.get("image_type")),
        thumbnail=blobs.get("thumbnail"),
        crops={name[5:]: data for name, data in blobs.items() if name.startswith("crop:")},
    )

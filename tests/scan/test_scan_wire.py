"""Worker messages are JSON and bytes, checked on arrival; never a pickle."""

from __future__ import annotations

import pickle
import struct

import pytest

from printing.layout_map import FieldKind
from scan import wire
from scan.results import FieldResult, MarkState, PageResult, PageStatus


def _result() -> PageResult:
    return PageResult(
        file="batch.pdf",
        page_index=3,
        status=PageStatus.NEEDS_REVIEW,
        form="consent",
        version="3f2a9c1e",
        language="nb",
        participant="P-7K3M",
        page=1,
        rotation=180,
        fields=[
            FieldResult("interview", "yes", MarkState.MARKED, 0.31, 0.99),
            FieldResult("comment", None, MarkState.MARKED, 0.02, 0.95, FieldKind.TEXT),
        ],
        answers={"interview": ["yes"]},
        needs_review=["comment"],
        flags=["comment: writing"],
        payload="https://x.no/r/abc?p=1",
        image=b"\xff\xd8jpeg",
        image_type="image/jpeg",
        crops={"comment": b"\x89PNGcrop"},
    )


def test_a_page_result_crosses_intact():
    original = _result()
    kind, back = wire.decode(wire.encode("page", original))
    assert kind == "page"
    assert back.to_json() == original.to_json()
    assert (back.image, back.crops, back.flags, back.payload) == (
        original.image,
        original.crops,
        original.flags,
        original.payload,
    )
    assert back.fields[1].kind == "text"


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        pickle.dumps(("page", "anything")),
        struct.pack(">I", 5) + b"nope!",
        wire.encode("count", 3)[:-1],
        wire.encode("page", _result()) + b"extra",
        struct.pack(">I", 40) + b'{"kind": "exec", "payload": 1, "blobs": []}'[:40],
    ],
)
def test_malformed_frames_are_refused(frame):
    with pytest.raises(wire.WireError):
        wire.decode(frame)

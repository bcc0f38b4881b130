"""The layout map's one reader and one writer: a stored map reads back to the same JSON,
an old map without the later keys still reads, and a damaged one says what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from printing.layout_map import FieldKind, LayoutMap, LayoutMapError

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "contracts"


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("layout-*.json")), ids=lambda p: p.name)
def test_a_printed_map_reads_back_to_the_same_json(path: Path) -> None:
    stored = json.loads(path.read_text(encoding="utf-8"))
    layout = LayoutMap.from_json(stored)
    assert json.dumps(layout.to_json(), ensure_ascii=False, indent=1) + "\n" == path.read_text(
        encoding="utf-8"
    )
    assert all(isinstance(f.kind, FieldKind) for p in layout.pages for f in p.fields)


def test_a_map_printed_before_qr2_and_labels_still_reads() -> None:
    stored = json.loads((GOLDEN / "layout-consent-nb.json").read_text(encoding="utf-8"))
    for page in stored["pages"]:
        del page["qr2"]
        for field in page["fields"]:
            field.pop("label", None)
    del stored["geometry"], stored["profile"]
    layout = LayoutMap.from_json(stored)
    assert layout.pages[0].qr2 is None
    assert all(f.label is None for f in layout.pages[0].fields)
    assert layout.to_json() == stored


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(pages="none"), "layout map, pages: expected a list"),
        (lambda m: m["pages"][0].update(page="1"), "page 1: 'page' must be a whole number"),
        (lambda m: m["pages"][0]["fields"][1].update(box=[1, 2]), "page 1, field 2, box"),
        (lambda m: m["pages"][0]["fields"][0].update(kind="tick"), "unknown kind 'tick'"),
        (lambda m: m["pages"][0]["marks"].append("x"), "page 1, mark 5: expected 4 numbers"),
    ],
)
def test_a_damaged_map_names_what_is_wrong(change, message: str) -> None:
    stored = json.loads((GOLDEN / "layout-consent-nb.json").read_text(encoding="utf-8"))
    change(stored)
    with pytest.raises(LayoutMapError, match=message):
        LayoutMap.from_json(stored)

"""bench/omrchecker.py: our layout map as an OMRChecker template puts every bubble on its box."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_questionnaire
from tests.scan import synthetic as syn

ROOT = Path(__file__).resolve().parents[2]


def _module():
    spec = importlib.util.spec_from_file_location("bench_omr", ROOT / "bench" / "omrchecker.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bubbles(block: dict) -> list[tuple[str, str, float, float]]:
    """Where OMRChecker puts a block's bubbles (its FieldBlock.generate_bubble_grid)."""
    along = 1 if block["direction"] == "vertical" else 0
    across = 1 - along
    lead = [float(block["origin"][0]), float(block["origin"][1])]
    out = []
    for label in block["fieldLabels"]:
        point = lead.copy()
        for value in block["bubbleValues"]:
            out.append((label, value, round(point[0]), round(point[1])))
            point[along] += block["bubblesGap"]
        lead[across] += block["labelsGap"]
    return out


@pytest.mark.parametrize("page_no", [1, 2])
def test_every_tick_box_is_one_bubble_on_its_box(page_no):
    omr = _module()
    layout = syn.form_map(make_questionnaire(), "nb", "standard")
    page = layout["pages"][page_no - 1]
    template = omr.omr_template(page)
    for key in ("pageDimensions", "bubbleDimensions", "preProcessors", "fieldBlocks"):
        assert key in template
    scale = omr.OMR_DPI / 72.0
    fx0, fy0, fx1, fy1 = omr.mark_frame(page)
    assert template["pageDimensions"] == [round((fx1 - fx0) * scale), round((fy1 - fy0) * scale)]
    placed = {}
    for name, block in template["fieldBlocks"].items():
        assert "." not in name and all("." not in label for label in block["fieldLabels"])
        assert all(isinstance(v, int) and v >= 0 for v in block["origin"])
        for label, value, x, y in _bubbles(block):
            placed[(label.split("__")[0], value)] = (x, y, block["bubbleDimensions"])
    boxes = [f for f in page["fields"] if f["kind"] == "choice"]
    assert len(placed) == len(boxes)
    for f in boxes:
        x, y, (w, h) = placed[(f["item"].replace(".", "_"), f["value"])]
        assert abs(x - (f["box"][0] - fx0) * scale) <= 1.5
        assert abs(y - (f["box"][1] - fy0) * scale) <= 1.5
        assert abs(w - f["box"][2] * scale) <= 1 and abs(h - f["box"][3] * scale) <= 1
    # An item's evenly spaced boxes in one row or column are one block with one field.
    assert not boxes or any(len(b["bubbleValues"]) > 1 for b in template["fieldBlocks"].values())


def test_without_a_checkout_it_says_how_to_get_one_and_does_nothing():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "omrchecker.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0
    assert "git clone https://github.com/Udayraj123/OMRChecker" in done.stdout
    assert "Nothing was done" in done.stdout

"""DESIGN.md's JSON contracts stay byte for byte the same: the layout maps and the
page results of the example study (examples/u-sving) against golden files.

The golden files were written by the code before the layout map got its typed
reader, so this compares old output with new. The scanned PDF they were read
from is committed too (anonymous copies, filled in by a seeded pen): scanning it
needs no rendering, only the stored layout maps that ``deltaker blank`` writes.

To write them again on purpose: ``DELTAKER_WRITE_GOLDEN=1 pytest tests/test_contract_json.py``.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "u-sving"
GOLDEN = ROOT / "tests" / "data" / "contracts"
SCANNED = GOLDEN / "u-sving-blank-scanned.pdf"
WRITE = os.environ.get("DELTAKER_WRITE_GOLDEN") == "1"
#: (form, language, large print) of every layout map compared.
LAYOUTS = [
    ("consent", "nb", False),
    ("consent", "en", True),
    ("families", "nb", False),
    ("families", "nn", False),
    ("employees", "nb", False),
    ("withdrawal", "nb", False),
]
#: The anonymous copies in the scanned PDF.
BLANKS = ["families", "consent", "withdrawal"]
SCAN_DPI = 200


def deltaker(cwd: Path, data_dir: Path, db_url: str, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from webapp.cli import main; main()",
            *args,
            "--data",
            str(data_dir),
            "--db",
            db_url,
        ],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )
    return done


def _check(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def _compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"golden file {path} is missing"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture
def loaded(tmp_path: Path, data_dir: Path, db_url: str) -> tuple[Path, str]:
    _check(deltaker(tmp_path, data_dir, db_url, "study", "load", str(EXAMPLE)))
    return data_dir, db_url


def _layout_name(form: str, language: str, large: bool) -> str:
    return f"layout-{form}-{language}{'-large' if large else ''}.json"


def test_layout_map_json_is_unchanged(tmp_path: Path, loaded: tuple[Path, str]) -> None:
    data_dir, db_url = loaded
    for form, language, large in LAYOUTS:
        args = ["layout", form, "--lang", language, "--json"] + (["--large-print"] if large else [])
        _compare(_layout_name(form, language, large), _check(deltaker(tmp_path, *loaded, *args)))
    del data_dir, db_url


def _print_blanks(tmp_path: Path, loaded: tuple[Path, str]) -> list[Path]:
    packs = []
    for form in BLANKS:
        out = tmp_path / f"blank-{form}.pdf"
        _check(
            deltaker(
                tmp_path, *loaded, "blank", form, "--copies", "1", "--simplex", "--out", str(out)
            )
        )
        packs.append(out)
    return packs


def _fill_and_scan(tmp_path: Path, loaded: tuple[Path, str], packs: list[Path]) -> None:
    """Cross one box per question and write in every written field, with a seeded pen."""
    import json

    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    from scan.simulate import Condition, degrade, draw_mark, draw_writing, to_pdf

    rng = random.Random(17)
    scale = SCAN_DPI / 72.0
    images = []
    for form, pack in zip(BLANKS, packs, strict=True):
        layout = json.loads(_check(deltaker(tmp_path, *loaded, "layout", form, "--json")))
        document = pdfium.PdfDocument(str(pack))
        try:
            pages = [document[i] for i in range(len(document))]
            for page_map, page in zip(layout["pages"], pages, strict=True):
                image = page.render(scale=scale).to_pil().convert("RGB")
                draw = ImageDraw.Draw(image)
                by_item: dict[str, list[dict]] = {}
                for f in page_map["fields"]:
                    by_item.setdefault(f["item"], []).append(f)
                for group in by_item.values():
                    for f in group:
                        x, y, w, h = (v * scale for v in f["box"])
                        rect = (x, y, x + w, y + h)
                        if f["kind"] == "choice":
                            if f is group[0] or (len(group) > 2 and f is group[-1]):
                                draw_mark(draw, rect, "cross", SCAN_DPI, rng)
                        else:
                            draw_writing(
                                draw, rect, SCAN_DPI, rng, signature=f["kind"] == "signature"
                            )
                condition = Condition("office scanner", dpi=SCAN_DPI, angle=0.4, noise=2)
                images.append(degrade(image, condition, rng, tuple(layout["page_size"])))
        finally:
            document.close()
    # A page with no code on it: every input page yields a result, this one "unidentified".
    images.append(Image.new("L", images[0].size, 250))
    SCANNED.parent.mkdir(parents=True, exist_ok=True)
    to_pdf(images, SCANNED, dpi=SCAN_DPI, quality=60)


def test_page_result_json_is_unchanged(tmp_path: Path, loaded: tuple[Path, str]) -> None:
    packs = _print_blanks(tmp_path, loaded)  # stores the layout maps the scanner reads by
    if WRITE:
        _fill_and_scan(tmp_path, loaded, packs)
    scanned = tmp_path / SCANNED.name
    scanned.write_bytes(SCANNED.read_bytes())
    first = deltaker(tmp_path, *loaded, "scan", "--json", scanned.name)
    _compare("scan-u-sving-blank.jsonl", _check(first))
    again = deltaker(tmp_path, *loaded, "scan", "--json", scanned.name)
    _compare("scan-u-sving-blank-again.jsonl", _check(again))

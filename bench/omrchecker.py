"""Benchmark: Deltaker's reader and OMRChecker side by side, on the same pages.

OMRChecker (https://github.com/Udayraj123/OMRChecker, MIT licence) is an
open-source bubble-sheet reader; it is not a dependency of Deltaker and nothing
of it is kept here. Give a local checkout of it and this script does the rest:

    git clone https://github.com/Udayraj123/OMRChecker /tmp/OMRChecker
    .venv/bin/python bench/omrchecker.py --omrchecker /tmp/OMRChecker [--pages 100]

Without ``--omrchecker`` it says how to get the checkout and does nothing.

What it does:

1. makes the synthetic questionnaire pages of ``bench/scan.py`` (printed pages
   marked with crosses, ticks and writing, degraded as a "normal" office scan)
   and writes them as 300 dpi grey PNG files, one folder per printed page;
2. converts our layout map (DESIGN.md) of each page to an OMRChecker
   ``template.json`` (``omr_template``): every tick box one bubble, an item's
   boxes one field block when they stand evenly spaced in one row or column,
   coordinates relative to the registration marks, which OMRChecker finds with
   its ``CropOnMarkers`` pre-processor (a ``omr_marker.png`` drawn from the
   mark's printed size); its ``config.json`` processes pages at our working
   resolution (150 dpi);
3. makes a virtual environment for OMRChecker (``--venv``, by default
   ``DIR/.venv-deltaker-bench``) with its ``requirements.txt`` and
   ``opencv-python-headless``, unless it is there already;
4. times, each in a fresh process held to one core, OMRChecker's ``main.py`` on
   the folders and ``scan.sandbox.read_files`` (sandboxed workers, QR codes,
   alignment, marks, option-text ink, crops) on the same files; prints pages per
   second (wall and per CPU second) and the ratio. Target (issue 18): Deltaker
   at least 2x OMRChecker.

OMRChecker reads bubbles only; Deltaker also reads the QR codes, checks the
option texts for ink and cuts crops of the written fields, so the comparison is
not in Deltaker's favour.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLONE = "git clone https://github.com/Udayraj123/OMRChecker"
#: OMRChecker works at our working resolution.
OMR_DPI = 150.0
#: The marker image: the printed square with this share of its side as white paper round it.
MARKER_PAPER = 0.35
MARKER_FILE = "omr_marker.png"
#: Two positions this close (points) are in one row or column.
LINE_TOLERANCE_PT = 0.6


def _label(text: str) -> str:
    """An OMRChecker field label: no dots (they mean ranges there)."""
    return text.replace(".", "_") or "_"


def _even_line(boxes: list[tuple[float, float, float, float]]) -> tuple[str, float] | None:
    """('horizontal' | 'vertical', gap) when boxes of one size stand evenly in a row or column."""
    if len(boxes) < 2:
        return None
    if any(abs(b[2] - boxes[0][2]) > LINE_TOLERANCE_PT for b in boxes) or any(
        abs(b[3] - boxes[0][3]) > LINE_TOLERANCE_PT for b in boxes
    ):
        return None
    for direction, along, across in (("horizontal", 0, 1), ("vertical", 1, 0)):
        if all(abs(b[across] - boxes[0][across]) <= LINE_TOLERANCE_PT for b in boxes):
            steps = [boxes[n + 1][along] - boxes[n][along] for n in range(len(boxes) - 1)]
            if all(s > 0 for s in steps) and max(steps) - min(steps) <= LINE_TOLERANCE_PT:
                return direction, median(steps)
    return None


def mark_frame(page: dict[str, Any]) -> tuple[float, float, float, float]:
    """The rectangle (points) between the centres of a layout page's registration marks:
    what OMRChecker's CropOnMarkers turns into the whole page."""
    centres = [(x + w / 2, y + h / 2) for x, y, w, h in page["marks"]]
    if len(centres) != 4:
        raise ValueError(
            f"page {page.get('page')}: OMRChecker needs 4 marks, the map has {len(centres)}"
        )
    xs, ys = [c[0] for c in centres], [c[1] for c in centres]
    return min(xs), min(ys), max(xs), max(ys)


def omr_template(page: dict[str, Any], dpi: float = OMR_DPI) -> dict[str, Any]:
    """An OMRChecker template.json (as a dict) for one page of our layout map (DESIGN.md).

    Every ``choice`` box is a bubble; written fields and signatures have no
    counterpart and are left out. An item whose boxes stand evenly in one row or
    column is one field block (its values the bubble values); any other box is a
    block of its own, labelled ``item__value``.
    """
    scale = dpi / 72.0
    fx0, fy0, fx1, fy1 = mark_frame(page)
    by_item: dict[str, list[dict[str, Any]]] = {}
    for field in page["fields"]:
        if field["kind"] == "choice":
            by_item.setdefault(field["item"], []).append(field)
    sizes = [f["box"][2:] for fields in by_item.values() for f in fields]
    default = (
        [round(median(s[0] for s in sizes) * scale), round(median(s[1] for s in sizes) * scale)]
        if sizes
        else [10, 10]
    )

    def origin(box: list[float]) -> list[int]:
        return [max(0, round((box[0] - fx0) * scale)), max(0, round((box[1] - fy0) * scale))]

    blocks: dict[str, dict[str, Any]] = {}
    for item, fields in by_item.items():
        ordered = sorted(fields, key=lambda f: (f["box"][1], f["box"][0]))
        boxes = [tuple(f["box"]) for f in ordered]
        line = _even_line(boxes)  # type: ignore[arg-type]
        if line is not None:
            if line[0] == "horizontal":
                ordered = sorted(fields, key=lambda f: f["box"][0])
            direction, gap = line
            first = ordered[0]["box"]
            blocks[_label(item)] = {
                "origin": origin(first),
                "bubbleDimensions": [round(first[2] * scale), round(first[3] * scale)],
                "bubblesGap": round(gap * scale, 2),
                "labelsGap": 0,
                "fieldLabels": [_label(item)],
                "bubbleValues": [str(f.get("value")) for f in ordered],
                "direction": direction,
            }
            continue
        for field in ordered:
            name = _label(f"{item}__{field.get('value')}")
            blocks[name] = {
                "origin": origin(field["box"]),
                "bubbleDimensions": [
                    round(field["box"][2] * scale),
                    round(field["box"][3] * scale),
                ],
                "bubblesGap": 0,
                "labelsGap": 0,
                "fieldLabels": [name],
                "bubbleValues": [str(field.get("value"))],
                "direction": "horizontal",
            }
    mark = page["marks"][0]
    return {
        "pageDimensions": [round((fx1 - fx0) * scale), round((fy1 - fy0) * scale)],
        "bubbleDimensions": default,
        "preProcessors": [
            {
                "name": "CropOnMarkers",
                "options": {
                    "relativePath": MARKER_FILE,
                    # The marker image is drawn at the processing resolution, 1:1.
                    "sheetToMarkerWidthRatio": page_width_px(page, dpi)
                    / marker_side_px(mark[2], dpi),
                },
            }
        ],
        "fieldBlocks": blocks,
    }


def page_width_px(page: dict[str, Any], dpi: float) -> float:
    return float(page.get("page_width", 595.28)) * dpi / 72.0


def marker_side_px(mark_side_pt: float, dpi: float) -> int:
    return round(mark_side_pt * (1 + 2 * MARKER_PAPER) * dpi / 72.0)


def omr_config(page_size: tuple[float, float], dpi: float = OMR_DPI) -> dict[str, Any]:
    scale = dpi / 72.0
    width, height = round(page_size[0] * scale), round(page_size[1] * scale)
    return {
        "dimensions": {
            "display_width": width,
            "display_height": height,
            "processing_width": width,
            "processing_height": height,
        },
        "outputs": {"show_image_level": 0, "save_image_level": 0},
    }


def marker_png(mark_side_pt: float, dpi: float = OMR_DPI) -> bytes:
    """The registration mark as OMRChecker's marker image: a black square on paper."""
    from PIL import Image, ImageDraw

    side = marker_side_px(mark_side_pt, dpi)
    ink = round(mark_side_pt * dpi / 72.0)
    image = Image.new("L", (side, side), 255)
    start = (side - ink) // 2
    ImageDraw.Draw(image).rectangle((start, start, start + ink - 1, start + ink - 1), fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# ---------------------------------------------------------------- the run


def _bench_scan() -> Any:
    spec = importlib.util.spec_from_file_location("bench_scan", ROOT / "bench" / "scan.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_pages(root: Path, count: int) -> tuple[list[Path], int]:
    """The synthetic questionnaire's filled-in pages as PNG files, a folder per printed
    page, each with its OMRChecker template; the files in reading order, and the
    number of choice boxes per page on average."""
    from PIL import Image

    from tests.scan import synthetic as syn

    form, variants = _bench_scan().variants()
    layout = syn.form_map(form, "nb", "standard")
    width, height = layout["page_size"]
    files: list[Path] = []
    boxes = 0
    # bench/scan.py's variants alternate pages 1 and 2; page 2 has written fields only, so
    # the pages read here are the page-1 variants (tick boxes, a scale, written fields).
    ones = [v for n, v in enumerate(variants) if n % 2 == 0]
    for n in range(count):
        page_no = 1
        page = dict(layout["pages"][page_no - 1], page_width=width)
        folder = root / f"page-{page_no}"
        if not folder.exists():
            folder.mkdir(parents=True)
            (folder / "template.json").write_text(json.dumps(omr_template(page), indent=1))
            (folder / "config.json").write_text(json.dumps(omr_config((width, height))))
            (folder / MARKER_FILE).write_bytes(marker_png(page["marks"][0][2]))
        jpeg, _size = ones[n % len(ones)]
        target = folder / f"scan-{n:04d}.png"
        with Image.open(io.BytesIO(jpeg)) as image:
            image.save(target, dpi=(300, 300))
        files.append(target)
        boxes += sum(1 for f in page["fields"] if f["kind"] == "choice")
    return files, boxes // max(1, count)


def ensure_venv(checkout: Path, venv: Path) -> Path:
    """OMRChecker's own virtual environment (made once); its Python."""
    python = venv / "bin" / "python"
    if python.exists():
        return python
    print(f"making a virtual environment for OMRChecker in {venv} (once)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(checkout / "requirements.txt")],
        check=True,
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "opencv-python-headless"], check=True
    )
    return python


def _one_core() -> None:
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def time_omrchecker(python: Path, checkout: Path, inputs: Path, out: Path) -> dict[str, float]:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(python), "main.py", "-i", str(inputs), "-o", str(out)],
        cwd=checkout,
        env=env,
        preexec_fn=_one_core,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"OMRChecker failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return dict(
        wall_s=wall,
        cpu_s=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    )


def omr_results(out: Path) -> tuple[int, int]:
    """(pages OMRChecker read, bubbles it found marked) from its Results CSV files."""
    import csv

    pages = marked = 0
    for sheet in out.rglob("Results_*.csv"):
        with open(sheet, newline="") as handle:
            rows = list(csv.reader(handle))
        for row in rows[1:]:
            pages += 1
            marked += sum(1 for cell in row[4:] if cell.strip())
    return pages, marked


def measure_ours(paths: list[str]) -> dict[str, Any]:
    """Runs in a fresh process (one core): Deltaker's reader on the same files."""
    from scan.sandbox import read_files
    from tests.factories import make_questionnaire
    from tests.scan import synthetic as syn

    _one_core()
    resolver = syn.FormsResolver([(make_questionnaire(), "nb", "standard")])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = time.process_time()
    start = time.perf_counter()
    statuses: dict[str, int] = {}
    marked = 0
    for result in read_files([Path(p) for p in paths], resolver, jobs=1):
        statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
        marked += sum(1 for f in result.fields if str(f.state) == "marked" and f.value)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return dict(
        wall_s=wall,
        cpu_s=time.process_time() - cpu0 + children,
        statuses=statuses,
        marked=marked,
    )


def _ours_fresh(paths: list[Path]) -> dict[str, Any]:
    code = (
        f"import sys, json; sys.path.insert(0, {str(ROOT)!r}); "
        "import importlib.util as u; "
        f"spec = u.spec_from_file_location('bench_omr', {str(Path(__file__).resolve())!r}); "
        "m = u.module_from_spec(spec); spec.loader.exec_module(m); "
        f"print(json.dumps(m.measure_ours({[str(p) for p in paths]!r})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--omrchecker", type=Path, help="a local checkout of OMRChecker")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument(
        "--venv",
        type=Path,
        help="OMRChecker's virtual environment (default DIR/.venv-deltaker-bench)",
    )
    args = parser.parse_args()
    if args.omrchecker is None:
        print(
            "bench/omrchecker.py compares Deltaker's reader with OMRChecker on the same pages.\n"
            "It needs a local checkout of OMRChecker, which it runs in a virtual environment "
            "of its own:\n\n"
            f"    {CLONE} /tmp/OMRChecker\n"
            "    .venv/bin/python bench/omrchecker.py --omrchecker /tmp/OMRChecker\n\n"
            "Nothing was done."
        )
        return 0
    checkout = args.omrchecker.resolve()
    if not (checkout / "main.py").is_file():
        print(f"{checkout} has no main.py: not an OMRChecker checkout ({CLONE})", file=sys.stderr)
        return 2
    python = ensure_venv(checkout, (args.venv or checkout / ".venv-deltaker-bench").resolve())
    with tempfile.TemporaryDirectory(prefix="omr-bench-") as tmp:
        inputs = Path(tmp) / "inputs"
        files, boxes = make_pages(inputs, args.pages)
        print(
            f"{len(files)} synthetic questionnaire pages, 300 dpi grey PNG, {boxes} tick boxes "
            "a page on average; one core each"
        )
        theirs = time_omrchecker(python, checkout, inputs, Path(tmp) / "outputs")
        read, their_marked = omr_results(Path(tmp) / "outputs")
        ours = _ours_fresh(files)
    count = len(files)
    print(f"{'reader':<12} {'pages/s':>8} {'pages/CPU-s':>12}  read")
    print(
        f"{'OMRChecker':<12} {count / theirs['wall_s']:>8.1f} {count / theirs['cpu_s']:>12.1f}"
        f"  {read} pages in its results, {their_marked} bubbles marked"
    )
    print(
        f"{'Deltaker':<12} {count / ours['wall_s']:>8.1f} {count / ours['cpu_s']:>12.1f}"
        f"  {ours['statuses']}, {ours['marked']} boxes marked"
    )
    print(
        f"Deltaker / OMRChecker: {theirs['wall_s'] / ours['wall_s']:.2f}x wall, "
        f"{theirs['cpu_s'] / ours['cpu_s']:.2f}x CPU (target: at least 2x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: read a 300 dpi greyscale JPEG-scanned PDF end to end (PDF in, page results out).

Builds image-only PDFs of the synthetic questionnaire (real printed pages, marked
and degraded, JPEG quality 80, about as big as an office scanner makes them),
streamed to disk so even 1,000 pages never sit in memory, then reads them with
``scan.sandbox.read_files`` (sandboxed workers, QR, alignment, marks, crops).

Each measurement runs in a fresh process so peak RSS figures are comparable:
the reading process (parent) and the largest worker are reported apart.
The baseline, measured in the same run, is the floor DESIGN.md names: take
each page's JPEG stream out of the PDF and decode it at half size.

    .venv/bin/python bench/scan.py [--pages 200] [--large 1000] [--jobs 2]

Targets (issue 5): >= 20 pages/s on one core end to end; memory flat from
200 to 1,000 pages; ``--jobs 2`` uses both cores.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DPI = 300
VARIANTS = 8  # distinct filled pages, cycled through the file


def _pdf_writer(path: Path, pages):
    """Write an image-only PDF page by page (each page one DCT image), never all in memory."""
    with open(path, "wb") as out:
        offsets: list[int] = []

        def obj(body: bytes) -> None:
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % len(offsets) + body + b"\nendobj\n")

        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        count = len(pages)
        # 1 catalog, 2 pages; then per page: page, contents, image
        kids = b" ".join(b"%d 0 R" % (3 + 3 * n) for n in range(count))
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count)
        for jpeg, (width, height) in pages:
            w_pt, h_pt = width * 72 / DPI, height * 72 / DPI
            page_no = len(offsets) + 1
            obj(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> >>"
                % (w_pt, h_pt, page_no + 1, page_no + 2)
            )
            content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
            obj(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
            obj(
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
                % (width, height, len(jpeg))
                + jpeg
                + b"\nendstream"
            )
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets) + 1, xref)
        )


class _Cycle:
    def __init__(self, items, count):
        self.items, self.count = items, count

    def __len__(self):
        return self.count

    def __iter__(self):
        for n in range(self.count):
            yield self.items[n % len(self.items)]


def variants():
    from tests.factories import make_questionnaire
    from tests.scan import synthetic as syn

    form = make_questionnaire()
    rng = random.Random(2026)
    cond = syn.CONDITION_BY_NAME["normal"]
    out = []
    for n in range(VARIANTS):
        page = 1 + n % 2
        layout = syn.form_map(form, "nb", "standard")
        marks = []
        for f in layout["pages"][page - 1]["fields"]:
            if f["kind"] == "choice" and rng.random() < 0.3:
                marks.append(syn.Mark(f["item"], f["value"], rng.choice(syn.CLEAR_KINDS)))
            elif f["kind"] != "choice" and rng.random() < 0.5:
                marks.append(syn.Mark(f["item"], None, "writing"))
        sheet = syn.fill_page(form, "nb", "standard", page, marks, cond, rng)
        buffer = io.BytesIO()
        sheet.image.convert("L").save(buffer, format="JPEG", quality=80)
        out.append((buffer.getvalue(), sheet.image.size))
    return form, out


def _peak_rss_mb() -> float:
    """This process's peak RSS. Not ru_maxrss: Linux carries that over from the
    process that forked us (across exec), so it would show the generator's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(pdf: Path, jobs: int, baseline: bool) -> dict:
    """Runs in a fresh process: read the whole file, report time, statuses and peaks."""
    from scan.pages import PdfPages
    from scan.sandbox import read_files
    from tests.factories import make_questionnaire
    from tests.scan import synthetic as syn

    resolver = syn.FormsResolver([(make_questionnaire(), "nb", "standard")])
    figures: dict = {}
    if baseline:
        start = time.perf_counter()
        pages = PdfPages(pdf)
        for index in range(pages.count):
            pages.page(index)  # stream out + half-size JPEG decode, nothing else
        pages.close()
        figures["baseline_s"] = time.perf_counter() - start
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cpu0 = time.process_time()
    statuses: dict[str, int] = {}
    count = 0
    for result in read_files([pdf], resolver, jobs=jobs):
        statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
        count += 1
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    figures.update(
        pages=count,
        wall_s=wall,
        cpu_s=children_cpu + time.process_time() - cpu0,
        statuses=statuses,
        parent_rss_mb=_peak_rss_mb(),
        worker_rss_mb=after.ru_maxrss / 1024,
    )
    return figures


def run_fresh(pdf: Path, jobs: int, baseline: bool, one_core: bool) -> dict:
    code = (
        f"import sys, json, os; sys.path.insert(0, {str(ROOT)!r}); "
        + ("os.sched_setaffinity(0, {0}); " if one_core else "")
        + "import importlib.util as u; from pathlib import Path; "
        + f"spec = u.spec_from_file_location('bench_scan', {str(Path(__file__).resolve())!r}); "
        + "m = u.module_from_spec(spec); spec.loader.exec_module(m); measure = m.measure; "
        f"print(json.dumps(measure(Path({str(pdf)!r}), {jobs}, {baseline})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    _form, pages = variants()
    mean_kb = sum(len(p[0]) for p in pages) / len(pages) / 1024
    print(
        f"page images: {DPI} dpi grey JPEG, {pages[0][1][0]} x {pages[0][1][1]} px, "
        f"{mean_kb:.0f} kB a page on average"
    )
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / f"scan-{args.pages}.pdf"
        large = Path(tmp) / f"scan-{args.large}.pdf"
        _pdf_writer(small, _Cycle(pages, args.pages))
        _pdf_writer(large, _Cycle(pages, args.large))
        print(
            f"files: {small.stat().st_size / 1e6:.0f} MB ({args.pages} pages), "
            f"{large.stat().st_size / 1e6:.0f} MB ({args.large} pages)"
        )
        rows = [
            (f"{args.pages} pages, 1 core", run_fresh(small, 1, True, True)),
            (f"{args.large} pages, 1 core", run_fresh(large, 1, False, True)),
            (f"{args.pages} pages, --jobs {args.jobs}", run_fresh(small, args.jobs, False, False)),
        ]
    base = rows[0][1]
    print(
        f"baseline (stream out + half-size JPEG decode only, 1 core): "
        f"{base['pages'] / base['baseline_s']:.1f} pages/s"
    )
    print(
        f"{'run':<22} {'pages/s wall':>12} {'pages/CPU-s':>12} {'parent RSS':>11} "
        f"{'worker RSS':>11}  statuses"
    )
    for label, r in rows:
        print(
            f"{label:<22} {r['pages'] / r['wall_s']:>12.1f} {r['pages'] / r['cpu_s']:>12.1f} "
            f"{r['parent_rss_mb']:>9.0f} MB {r['worker_rss_mb']:>8.0f} MB  {r['statuses']}"
        )
    one = rows[0][1]
    print(
        "end to end / baseline speed: "
        f"{(one['pages'] / one['wall_s']) / (base['pages'] / base['baseline_s']):.2f}"
    )
    print(
        f"worker peak RSS {args.large} vs {args.pages} pages: "
        f"{rows[1][1]['worker_rss_mb'] / rows[0][1]['worker_rss_mb']:.2f}x; parent "
        f"{rows[1][1]['parent_rss_mb'] / rows[0][1]['parent_rss_mb']:.2f}x"
    )
    print(
        f"--jobs {args.jobs} speed-up: "
        f"{(rows[2][1]['pages'] / rows[2][1]['wall_s']) / (one['pages'] / one['wall_s']):.2f}x"
    )


if __name__ == "__main__":
    main()

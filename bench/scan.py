"""Benchmark: reading scanned paper, the reader alone and `deltaker scan` end to end.

Two parts (``--mode reader``, ``--mode e2e``, both by default):

- **reader**: image-only PDFs of the synthetic questionnaire (real printed
  pages, marked and degraded, JPEG quality 80, about as big as an office
  scanner makes them), streamed to disk so even 1,000 pages never sit in
  memory, read with ``scan.sandbox.read_files`` (sandboxed workers, QR,
  alignment, marks, crops). The baseline, measured in the same run, is the
  floor DESIGN.md names: take each page's JPEG stream out of the PDF and decode
  it at half size.
- **e2e**: what a project assistant runs. The example study is loaded, 100
  families imported and their letters printed (`deltaker study load`,
  `participants import`, `letters`), so the database knows every page; pages 1-4
  of the families questionnaire (choices and written fields) and the consent
  page are filled in where the stored layout maps say (crosses, ticks,
  handwriting, signatures), degraded as the corpus's "normal" scan and written
  as a 300 dpi grey JPEG PDF; the same questionnaire pages also as a folder of
  PNG files and one of JPEG files. `deltaker scan FILES --json` then runs in a
  fresh process on a copy of that database, storing results, evidence, crops
  and review tasks, against the reader alone on the same pages with the same
  database resolver. It prints pages per second (wall, and per CPU second of
  parent + workers), scan / reader, folder / PDF and ``--jobs`` ratios, what was
  stored, and where the time goes per page (cProfile of the worker and of the
  parent, grouped by step). ``--compare TREE`` measures `deltaker scan` with
  another source tree too (``git archive main | tar -x -C TREE``), in pairs,
  for before/after figures in one run.

Each measurement runs in a fresh process so peak RSS figures are comparable:
the reading process (parent) and the largest worker are reported apart. On a
shared machine wall times are noisy: compare the CPU figures and ratios of
one run.

    .venv/bin/python bench/scan.py [--pages 200] [--large 1000] [--jobs 2]
        [--mode all|reader|e2e] [--compare TREE] [--keep DIR] [--no-profile]

Targets (issue 5): >= 20 pages/s on one core for the reader; memory flat from
200 to 1,000 pages; ``--jobs 2`` uses both cores. Issue 18: `deltaker scan` >=
0.7x the reader alone; a PNG folder >= 0.5x the PDF; ``--jobs 2`` >= 1.8x.
Figures: docs/scan.md.
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


# ---------------------------------------------------------------- end to end: `deltaker scan`

STUDY = ROOT / "examples" / "u-sving"
#: The example study's questionnaire and the pages of it that are read (written fields on them).
QUESTIONNAIRE, QUESTIONNAIRE_PAGES = "families", (1, 2, 3, 4)
CONSENT = "consent"


def _deltaker(data_dir: Path, *args: str) -> None:
    """One real `deltaker` command, in this process, as a person would type it."""
    import contextlib
    import os

    from webapp.cli import cli

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        code = cli.main(
            args=["--data", str(data_dir), *args], prog_name="deltaker", standalone_mode=False
        )
    if code not in (None, 0):
        raise SystemExit(f"`deltaker {' '.join(args)}` ended with exit code {code}")


def prepare_study(root: Path, people: int) -> tuple[Path, Path]:
    """The example study loaded, ``people`` families imported, their letters printed.

    Returns the data folder (SQLite database, secret key) and the printed pack."""
    data = root / "data"
    _deltaker(data, "study", "load", str(STUDY))
    csv = root / "people.csv"
    rows = ["Navn;Adresse;Postnummer;Poststed;Språk"]
    rows += [f"Person {n};Gate {n};5003;Bergen;bokmål" for n in range(people)]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _deltaker(data, "participants", "import", str(csv), "--group", "familier")
    pack = root / "pack.pdf"
    _deltaker(data, "letters", "--out", str(pack))
    return data, pack


def study_pages(data: Path, pack: Path, form: str, pages: tuple[int, ...], count: int):
    """(pack page index, layout page JSON) for the first ``count`` pages of ``form`` in the
    pack, person by person: what the database knows each printed page to be."""
    import openpyxl
    from sqlalchemy import select

    from intake.db import make_engine, read_scope
    from intake.models import Invitation, LayoutMap, Participant

    book = openpyxl.load_workbook(pack.with_suffix(".manifest.xlsx"), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    first = {row[0]: int(row[rows[0].index("first_page")]) for row in rows[1:]}
    engine = make_engine(f"sqlite:///{data / 'deltaker.sqlite'}")
    out: list[tuple[int, dict]] = []
    with read_scope(engine) as session:
        maps = {
            (m.form_version.form_key, m.language): m.map for m in session.scalars(select(LayoutMap))
        }
        for invitation in session.scalars(select(Invitation).order_by(Invitation.id)):
            person = session.get_one(Participant, invitation.participant_id)
            for entry in invitation.pages:
                if entry["form"] == form and entry["page"] in pages and len(out) < count:
                    layout = maps[(form, entry["language"])]
                    out.append(
                        (first[person.code] + entry["n"] - 2, layout["pages"][entry["page"] - 1])
                    )
    engine.dispose()
    if len(out) < count:
        raise SystemExit(f"the pack has only {len(out)} {form} pages, {count} asked")
    return out


def _scan_one(job: tuple[str, int, dict, int]) -> tuple[bytes, tuple[int, int]]:
    """One printed page filled in by pen and scanned: 300 dpi grey JPEG bytes."""
    from PIL import ImageDraw

    from scan.simulate import draw_mark, draw_writing
    from tests.scan import synthetic as syn

    pack, index, page_map, seed = job
    rng = random.Random(seed)
    scale = DPI / 72
    document = _pdfium_document(pack)
    image = document[index].render(scale=scale).to_pil().convert("RGB")
    draw = ImageDraw.Draw(image)
    by_item: dict[str, list[dict]] = {}
    for f in page_map["fields"]:
        by_item.setdefault(f["item"], []).append(f)
    for fields in by_item.values():
        boxes = [f for f in fields if f["kind"] == "choice"]
        rects = [tuple(v * scale for v in _corners(f["box"])) for f in fields]
        if boxes:
            # a consent page's single boxes are all ticked; a question gets one answer, mostly
            if len(boxes) == 1:
                chosen = boxes
            else:
                chosen = [rng.choice(boxes)] if rng.random() < 0.8 else []
            for f in chosen:
                draw_mark(draw, rects[fields.index(f)], rng.choice(syn.CLEAR_KINDS), DPI, rng)
        else:
            for f, rect in zip(fields, rects, strict=True):
                if f["kind"] == "signature" or rng.random() < 0.6:
                    draw_writing(draw, rect, DPI, rng, signature=f["kind"] == "signature")
    cond = syn.CONDITION_BY_NAME["normal"]
    scanned = syn.degrade(image, cond, rng, (595.28, 841.89))
    buffer = io.BytesIO()
    scanned.save(buffer, format="JPEG", quality=cond.jpeg_quality)
    return buffer.getvalue(), scanned.size


_DOCUMENTS: dict[str, object] = {}


def _pdfium_document(path: str):
    import pypdfium2 as pdfium

    if path not in _DOCUMENTS:
        _DOCUMENTS[path] = pdfium.PdfDocument(path)
    return _DOCUMENTS[path]


def _corners(box) -> tuple[float, float, float, float]:
    x, y, w, h = box
    return x, y, x + w, y + h


class _Scans:
    """The filled-in pages, made on both cores as the PDF writer asks for them."""

    def __init__(self, pack: Path, pages: list[tuple[int, dict]], seed: int):
        self.jobs = [(str(pack), index, page, seed + n) for n, (index, page) in enumerate(pages)]
        self.made: list[bytes] = []

    def __len__(self) -> int:
        return len(self.jobs)

    def __iter__(self):
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(2) as pool:
            yield from pool.map(_scan_one, self.jobs, chunksize=4)


def build_scans(
    root: Path, pack: Path, pages: list[tuple[int, dict]], name: str, seed: int, folder_of: int = 0
) -> tuple[Path, Path | None, Path | None]:
    """The scan as an image-only PDF; with ``folder_of``, its first pages also as a folder of
    PNG files and one of JPEG files (what many scanners write instead)."""
    pdf = root / f"{name}.pdf"
    png = root / f"{name}-png" if folder_of else None
    jpg = root / f"{name}-jpeg" if folder_of else None
    scans = _Scans(pack, pages, seed)
    kept: list[bytes] = []

    def keep():
        for n, (jpeg, size) in enumerate(scans):
            if n < folder_of:
                kept.append(jpeg)
            yield jpeg, size

    class _Sized:
        def __len__(self):
            return len(scans)

        def __iter__(self):
            return keep()

    _pdf_writer(pdf, _Sized())
    if png is not None and jpg is not None:
        from PIL import Image

        png.mkdir()
        jpg.mkdir()
        for n, jpeg in enumerate(kept):
            (jpg / f"scan-{n:04d}.jpg").write_bytes(jpeg)
            with Image.open(io.BytesIO(jpeg)) as image:
                image.save(png / f"scan-{n:04d}.png", dpi=(DPI, DPI))
    return pdf, png, jpg


#: Where the time goes, per page. Each row sums the inclusive time of functions
#: (file ending, function name); rows after the first in a block are parts of it.
WORKER_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("decode (page out of the file)", (("scan/pages.py", "pages"),)),
    (
        "identify (QR codes)",
        (
            ("scan/identify.py", "find_codes"),
            ("scan/read.py", "_main_code"),
            ("scan/identify.py", "turn_upright"),
            ("scan/read.py", "looks_bilevel"),
        ),
    ),
    ("  ask the parent who it is", (("scan/sandbox.py", "resolve"),)),
    ("ink image", (("scan/marks.py", "ink_array"),)),
    (
        "align (page + boxes)",
        (
            ("scan/align.py", "align"),
            ("scan/align.py", "first_guess"),
            ("scan/read.py", "local_transform"),
        ),
    ),
    ("marks (boxes, text ink, readers)", (("scan/read.py", "_read_fields"),)),
    ("crops + PNG encoding", (("scan/read.py", "_crop"), ("scan/identify.py", "thumbnail"))),
    (
        "send to parent (encode + pipe)",
        (("scan/wire.py", "encode"), ("multiprocessing/connection.py", "send_bytes")),
    ),
    ("idle (waiting for work)", (("multiprocessing/connection.py", "recv"),)),
)
PARENT_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("hash input files", (("intake/scan_resolver.py", "_sha256_file"),)),
    ("wait for workers", (("multiprocessing/connection.py", "wait"),)),
    (
        "receive + check messages",
        (("multiprocessing/connection.py", "recv_bytes"), ("scan/wire.py", "decode")),
    ),
    ("identity lookups (database)", (("intake/scan_resolver.py", "__call__"),)),
    (
        "store page (ingest + commit)",
        (("intake/ingest.py", "ingest_page_results"), ("intake/db.py", "session_scope")),
    ),
    ("  of which evidence writes", (("intake/evidence.py", "put"),)),
    ("  of which commit (fsync)", (("sqlalchemy/orm/session.py", "commit"),)),
    ("print JSON", (("scan/results.py", "to_json"),)),
)


def grouped(paths: list[Path], groups, pages: int) -> list[tuple[str, float]]:
    """ms per page for each group, from cProfile files (inclusive times; see the groups)."""
    import pstats

    stats = pstats.Stats(*[str(p) for p in paths])
    table = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in table.values())
    rows = []
    for label, wanted in groups:
        seconds = 0.0
        for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in table.items():
            if any(file.endswith(f) and name == n for f, n in wanted):
                seconds += ct
        rows.append((label, 1000 * seconds / pages))
    rows.append(("total (profiled, all functions)", 1000 * total / pages))
    return rows


def measure_e2e(data: Path, inputs: list[Path], jobs: int, profile_dir: str | None) -> dict:
    """Runs in a fresh process: `deltaker scan INPUTS --json` on a copy of the study's
    database, timed (parent + worker CPU) or profiled; what was stored, counted."""
    import contextlib
    import os
    import shutil

    from sqlalchemy import func, select

    import scan.sandbox as sandbox
    from intake.db import make_engine, read_scope
    from intake.models import ReviewTask, ScannedPage
    from webapp.cli import cli

    work = Path(tempfile.mkdtemp(prefix="scan-e2e-"))
    copy = work / "data"
    shutil.copytree(data, copy)
    args = ["--data", str(copy), "scan", *map(str, inputs), "--json", "--jobs", str(jobs)]
    profiler = None
    if profile_dir:
        sandbox.WORKER_CODE = (
            "import cProfile, os\nfrom scan.sandbox import _entry\n"
            "p = cProfile.Profile(); p.enable()\ntry:\n    _entry()\nfinally:\n"
            f"    p.disable(); p.dump_stats({profile_dir!r} + f'/worker-{{os.getpid()}}.prof')\n"
        )
        import cProfile

        profiler = cProfile.Profile()
        # Batches are stored in a writer thread, which the main thread's profile misses.
        import intake.scan_resolver as resolver_module

        writer_profile = cProfile.Profile()
        store_batch = getattr(resolver_module, "_store_batch", None)

        def profiled_store(*a, **k):
            writer_profile.enable()
            try:
                return store_batch(*a, **k)
            finally:
                writer_profile.disable()

        if store_batch is not None:
            resolver_module._store_batch = profiled_store
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = time.process_time()
    start = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        if profiler is not None:
            profiler.enable()
        try:
            cli.main(args=args, prog_name="deltaker", standalone_mode=False)
        finally:
            if profiler is not None:
                profiler.disable()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if profiler is not None and profile_dir:
        profiler.dump_stats(os.path.join(profile_dir, "parent.prof"))
        if writer_profile.getstats():
            writer_profile.dump_stats(os.path.join(profile_dir, "parent-writer.prof"))
    engine = make_engine(f"sqlite:///{copy / 'deltaker.sqlite'}")
    with read_scope(engine) as session:
        statuses = dict(
            session.execute(
                select(ScannedPage.status, func.count()).group_by(ScannedPage.status)
            ).all()
        )
        tasks = dict(
            session.execute(select(ReviewTask.kind, func.count()).group_by(ReviewTask.kind)).all()
        )
    engine.dispose()
    evidence = sum(1 for p in (copy / "evidence").rglob("*") if p.is_file())
    shutil.rmtree(work)
    children_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return dict(
        pages=sum(statuses.values()),
        wall_s=wall,
        cpu_s=cpu + children_cpu,
        parent_cpu_s=cpu,
        statuses={str(k): v for k, v in statuses.items()},
        tasks={str(k): v for k, v in tasks.items()},
        evidence_files=evidence,
        parent_rss_mb=_peak_rss_mb(),
        worker_rss_mb=after.ru_maxrss / 1024,
    )


def measure_reader(inputs: list[Path], data: Path, jobs: int) -> dict:
    """Runs in a fresh process: the reader alone (``scan.sandbox.read_files``) on the same
    pages, identity from the same database but nothing stored."""
    from intake.db import make_engine, read_scope
    from intake.scan_resolver import DatabaseResolver
    from intake.secrets import load_secret
    from scan.sandbox import read_files

    engine = make_engine(f"sqlite:///{data / 'deltaker.sqlite'}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = time.process_time()
    start = time.perf_counter()
    statuses: dict[str, int] = {}
    with read_scope(engine) as session:
        resolver = DatabaseResolver(session, load_secret(data))
        for result in read_files(inputs, resolver, jobs=jobs):
            statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    engine.dispose()
    children_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return dict(
        pages=sum(statuses.values()),
        wall_s=wall,
        cpu_s=cpu + children_cpu,
        statuses=statuses,
        parent_rss_mb=_peak_rss_mb(),
        worker_rss_mb=after.ru_maxrss / 1024,
    )


def run_fresh_call(call: str, one_core: bool, tree: Path | None = None) -> dict:
    """``call`` (an expression over this module, ``m``) in a fresh interpreter; with
    ``tree``, Deltaker's packages are imported from that source tree instead of this one."""
    code = (
        f"import sys, json, os; sys.path.insert(0, {str(ROOT)!r}); "
        + ("os.sched_setaffinity(0, {0}); " if one_core else "")
        + "import importlib.util as u; from pathlib import Path; "
        + f"spec = u.spec_from_file_location('bench_scan', {str(Path(__file__).resolve())!r}); "
        + "m = u.module_from_spec(spec); spec.loader.exec_module(m); "
        + (f"sys.path.insert(0, {str(tree)!r}); " if tree else "")
        + f"print(json.dumps({call}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tree or ROOT
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _e2e(
    data: Path,
    inputs: list[Path],
    jobs: int,
    one_core: bool,
    profile: str | None = None,
    tree: Path | None = None,
):
    paths = [str(p) for p in inputs]
    return run_fresh_call(
        f"m.measure_e2e(Path({str(data)!r}), [Path(p) for p in {paths!r}], {jobs}, {profile!r})",
        one_core,
        tree,
    )


def _reader(data: Path, inputs: list[Path], jobs: int, one_core: bool):
    paths = [str(p) for p in inputs]
    return run_fresh_call(
        f"m.measure_reader([Path(p) for p in {paths!r}], Path({str(data)!r}), {jobs})", one_core
    )


def _speed(r: dict) -> str:
    return f"{r['pages'] / r['wall_s']:>8.1f} {r['pages'] / r['cpu_s']:>9.1f}"


def end_to_end(args: argparse.Namespace) -> None:
    """`deltaker scan` on the example study's pages, against the reader alone."""
    questionnaire = args.pages
    consent = max(1, args.pages // 2)
    large = args.large or 0
    people = max(questionnaire // len(QUESTIONNAIRE_PAGES) + 1, consent, large // 4 + 1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep or tmp)
        made = time.perf_counter()
        wanted = dict(questionnaire=questionnaire, consent=consent, large=large, people=people)
        marker = root / "corpus.json"
        data, pack = root / "data", root / "pack.pdf"
        form_pdf, png, jpg = (
            root / "questionnaire.pdf",
            root / "questionnaire-png",
            root / ("questionnaire-jpeg"),
        )
        consent_pdf = root / "consent.pdf"
        large_pdf = root / "questionnaire-large.pdf" if large else None
        if not (marker.exists() and json.loads(marker.read_text()) == wanted):
            if args.keep:
                import shutil

                shutil.rmtree(root, ignore_errors=True)
                root.mkdir(parents=True)
            data, pack = prepare_study(root, people)
            pages = study_pages(data, pack, QUESTIONNAIRE, QUESTIONNAIRE_PAGES, questionnaire)
            build_scans(root, pack, pages, "questionnaire", 1, folder_of=questionnaire)
            build_scans(root, pack, study_pages(data, pack, CONSENT, (1,), consent), "consent", 2)
            if large:
                many = study_pages(data, pack, QUESTIONNAIRE, QUESTIONNAIRE_PAGES, large)
                build_scans(root, pack, many, "questionnaire-large", 3)
            marker.write_text(json.dumps(wanted))
        print(
            f"\nend to end: the example study ({people} families, letters printed), "
            f"{questionnaire} questionnaire pages (pages 1-4, written fields), {consent} consent "
            f"pages, filled in and scanned at {DPI} dpi grey JPEG "
            f"({form_pdf.stat().st_size / questionnaire / 1024:.0f} kB a page); "
            f"made or found in {time.perf_counter() - made:.0f} s"
        )
        assert png is not None and jpg is not None
        rows = [
            ("questionnaire PDF, reader", _reader(data, [form_pdf], 1, True)),
            ("questionnaire PDF, scan", _e2e(data, [form_pdf], 1, True)),
            ("consent PDF, reader", _reader(data, [consent_pdf], 1, True)),
            ("consent PDF, scan", _e2e(data, [consent_pdf], 1, True)),
            ("PNG folder, scan", _e2e(data, [png], 1, True)),
            ("JPEG folder, scan", _e2e(data, [jpg], 1, True)),
            (
                f"questionnaire PDF, scan --jobs {args.jobs}",
                _e2e(data, [form_pdf], args.jobs, False),
            ),
            ("questionnaire PDF, scan --jobs 1 (2 cores)", _e2e(data, [form_pdf], 1, False)),
        ]
        if large_pdf is not None:
            rows.append((f"{large} pages PDF, scan", _e2e(data, [large_pdf], 1, True)))
        compared: list[tuple[str, dict, dict]] = []
        if args.compare:
            # Each pair measured back to back, so the machine's noise hits both alike.
            for label, inputs, jobs, one_core in (
                ("questionnaire PDF, scan", [form_pdf], 1, True),
                ("consent PDF, scan", [consent_pdf], 1, True),
                ("PNG folder, scan", [png], 1, True),
                (f"questionnaire PDF, scan --jobs {args.jobs}", [form_pdf], args.jobs, False),
            ):
                then = _e2e(data, inputs, jobs, one_core, tree=args.compare)
                now = _e2e(data, inputs, jobs, one_core)
                compared.append((label, then, now))
        profiles: dict[str, list[tuple[str, list[tuple[str, float]]]]] = {}
        if args.profile:
            for label, inputs, count in (
                ("questionnaire PDF", [form_pdf], questionnaire),
                ("PNG folder", [png], questionnaire),
            ):
                where = Path(tempfile.mkdtemp(prefix="profile-", dir=tmp))
                _e2e(data, inputs, 1, True, str(where))
                workers = sorted(where.glob("worker-*.prof"))
                profiles[label] = [
                    ("worker", grouped(workers, WORKER_GROUPS, count)),
                    ("parent", grouped(sorted(where.glob("parent*.prof")), PARENT_GROUPS, count)),
                ]
    figures = dict(rows)
    print(
        f"{'run (1 core unless said)':<44} {'pages/s':>8} {'pages/CPU-s':>9} {'parent RSS':>10} "
        f"{'worker RSS':>10}  stored / review tasks"
    )
    for label, r in rows:
        print(
            f"{label:<44} {_speed(r)} {r['parent_rss_mb']:>7.0f} MB {r['worker_rss_mb']:>7.0f} MB"
            f"  {r['statuses']} {r.get('tasks', '')}"
        )

    def ratio(a: str, b: str, key: str = "wall_s") -> float:
        fa, fb = figures[a], figures[b]
        return (fa["pages"] / fa[key]) / (fb["pages"] / fb[key])

    print(
        "scan / reader: questionnaire "
        f"{ratio('questionnaire PDF, scan', 'questionnaire PDF, reader'):.2f}x wall, "
        f"{ratio('questionnaire PDF, scan', 'questionnaire PDF, reader', 'cpu_s'):.2f}x CPU; "
        f"consent {ratio('consent PDF, scan', 'consent PDF, reader'):.2f}x wall, "
        f"{ratio('consent PDF, scan', 'consent PDF, reader', 'cpu_s'):.2f}x CPU"
    )
    print(
        "folder / PDF: PNG "
        f"{ratio('PNG folder, scan', 'questionnaire PDF, scan'):.2f}x wall, "
        f"{ratio('PNG folder, scan', 'questionnaire PDF, scan', 'cpu_s'):.2f}x CPU; JPEG "
        f"{ratio('JPEG folder, scan', 'questionnaire PDF, scan'):.2f}x wall, "
        f"{ratio('JPEG folder, scan', 'questionnaire PDF, scan', 'cpu_s'):.2f}x CPU"
    )
    two, one_job = f"questionnaire PDF, scan --jobs {args.jobs}", "questionnaire PDF, scan"
    print(
        f"--jobs {args.jobs}: {ratio(two, one_job):.2f}x one job on one core, "
        f"{ratio(two, 'questionnaire PDF, scan --jobs 1 (2 cores)'):.2f}x one job on two cores"
    )
    if large_pdf is not None:
        big, small = figures[f"{large} pages PDF, scan"], figures["questionnaire PDF, scan"]
        print(
            f"peak RSS {large} vs {questionnaire} pages: worker "
            f"{big['worker_rss_mb'] / small['worker_rss_mb']:.2f}x, parent "
            f"{big['parent_rss_mb'] / small['parent_rss_mb']:.2f}x"
        )
    if compared:
        print(f"\nagainst {args.compare} (measured in pairs, this tree second):")
        print(f"{'run':<44} {'before':>17} {'after':>17} {'speed-up':>9}")
        print(f"{'':<44} {'pages/s  /CPU-s':>17} {'pages/s  /CPU-s':>17} {'wall CPU':>9}")
        for label, then, now in compared:
            print(
                f"{label:<44} {_speed(then)} {_speed(now)} "
                f"{then['wall_s'] / now['wall_s']:>4.2f} {then['cpu_s'] / now['cpu_s']:>4.2f}"
                + (
                    ""
                    if then["statuses"] == now["statuses"]
                    else f"  statuses differ: {then['statuses']} / {now['statuses']}"
                )
            )
    for label, sides in profiles.items():
        print(f"\nwhere the time goes, {label} (cProfile, ms a page, 1 core):")
        for side, table in sides:
            print(f"  {side}:")
            for name, ms in table:
                print(f"    {name:<36} {ms:>7.1f}")


def reader_baseline(args: argparse.Namespace) -> None:
    """The reader alone on the synthetic questionnaire (the figures docs/scan.md has had)."""
    _form, pages = variants()
    mean_kb = sum(len(p[0]) for p in pages) / len(pages) / 1024
    print(
        f"reader alone: synthetic questionnaire, {DPI} dpi grey JPEG, {pages[0][1][0]} x "
        f"{pages[0][1][1]} px, {mean_kb:.0f} kB a page on average"
    )
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / f"scan-{args.pages}.pdf"
        _pdf_writer(small, _Cycle(pages, args.pages))
        rows = [(f"{args.pages} pages, 1 core", run_fresh(small, 1, True, True))]
        if args.large:
            large = Path(tmp) / f"scan-{args.large}.pdf"
            _pdf_writer(large, _Cycle(pages, args.large))
            rows.append((f"{args.large} pages, 1 core", run_fresh(large, 1, False, True)))
        rows.append(
            (f"{args.pages} pages, --jobs {args.jobs}", run_fresh(small, args.jobs, False, False))
        )
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
        "reader / baseline speed: "
        f"{(one['pages'] / one['wall_s']) / (base['pages'] / base['baseline_s']):.2f}"
    )
    if args.large:
        print(
            f"worker peak RSS {args.large} vs {args.pages} pages: "
            f"{rows[1][1]['worker_rss_mb'] / rows[0][1]['worker_rss_mb']:.2f}x; parent "
            f"{rows[1][1]['parent_rss_mb'] / rows[0][1]['parent_rss_mb']:.2f}x"
        )
    print(
        f"--jobs {args.jobs} speed-up: "
        f"{(rows[-1][1]['pages'] / rows[-1][1]['wall_s']) / (one['pages'] / one['wall_s']):.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument(
        "--large", type=int, default=0, help="also read this many pages, for memory (e.g. 1000)"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--mode",
        choices=("all", "reader", "e2e"),
        default="all",
        help="reader: the reader alone on synthetic pages; e2e: `deltaker scan` on the study",
    )
    parser.add_argument(
        "--no-profile",
        dest="profile",
        action="store_false",
        help="leave out the profiled runs (where the time goes)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="make the study's scans in this folder and reuse them in later runs",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        default=None,
        help="another source tree of Deltaker (e.g. `git archive` of main): measure "
        "`deltaker scan` with it too, in pairs, for before/after figures",
    )
    args = parser.parse_args()
    if args.mode in ("all", "reader"):
        reader_baseline(args)
    if args.mode in ("all", "e2e"):
        end_to_end(args)


if __name__ == "__main__":
    main()

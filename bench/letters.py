"""Benchmark: render letter packs of the example study, streamed into one PDF.

Prints pages per second, peak RSS after 100 and after 1,000 packs (each in a
fresh process, so the peaks are comparable), and the speed against a baseline
measured in the same run: a minimal reportlab page with the same amount of
text as an average pack page and one QR code drawn from a `qrcode` image.

    .venv/bin/python bench/letters.py [--packs 1000] [--small 100]

Speeds are pages per CPU-second of the rendering process (pinned to one core),
so other work on a shared machine does not skew them; wall-clock speed is
printed beside. Targets (issue 4): >= 100 pages/s on one core, >= 0.5 of the baseline's speed,
peak RSS at 1,000 packs within 10 % of that at 100.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "examples" / "u-sving"
CHUNK = 20  # packs per in-memory PDF, as intake.mailing does
NAMES = ("Åse Øvrebø", "Ola Nordmann", "Joanna Wiśniewska", "Máret Ŋuolja", "Ayşe Yıldız")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def render_packs(count: int, out_path: Path) -> dict:
    """Render ``count`` packs (languages and groups mixed) the way the batch run does."""
    import secrets

    from forms.load import load_study
    from printing.letters import Addressee, Credentials, PackPrinter, pack_forms
    from printing.pdfjoin import PdfJoiner, release_memory
    from printing.render import new_canvas

    study = load_study(EXAMPLE)
    setup_start = time.perf_counter()
    printers = {}
    for language in study.languages:
        for group in ("families", "employees"):
            printers[(language, group)] = PackPrinter(
                study, language, forms=pack_forms(study, group), date=dt.date(2026, 11, 22)
            )
    setup = time.perf_counter() - setup_start
    keys = list(printers)
    pages = chars = blanks = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    with open(out_path, "wb") as handle:
        joiner = PdfJoiner(handle, title="bench")
        for first in range(0, count, CHUNK):
            buffer = io.BytesIO()
            canvas = new_canvas(buffer)
            for n in range(first, min(first + CHUNK, count)):
                language, group = keys[n % len(keys)]
                person = Addressee(
                    f"P-{n:04X}",
                    NAMES[n % len(NAMES)],
                    (f"Storgata {n % 97 + 1}", "0155 Oslo"),
                    language,
                )
                creds = Credentials(secrets.token_urlsafe(16), f"{n:04d}-ABCD")
                printer = printers[(language, group)]
                pages += printer.draw(canvas, person, creds)
                blanks += sum(1 for page in printer.pages if page.kind == "blank")
            canvas.save()
            joiner.append(buffer.getvalue())
            del canvas, buffer
            release_memory()
        joiner.close()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    for printer in printers.values():
        for doc in (printer.letter, printer.information, printer.how_to):
            chars += sum(len(line.text) for page in doc for line in page.lines)
        chars += sum(
            len(line.text)
            for layout in printer.layouts
            for page in layout.pages
            for line in page.lines
        )
    page_kinds = sum(len(p.pages) for p in printers.values())
    return {
        "packs": count,
        "pages": pages,
        "blanks": blanks,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "setup_seconds": setup,
        "pages_per_second": pages / cpu,
        "wall_pages_per_second": pages / seconds,
        "peak_rss_mb": peak_rss_mb(),
        "bytes": out_path.stat().st_size,
        "chars_per_page": chars / page_kinds,
    }


def baseline(pages: int, chars_per_page: int) -> dict:
    """A minimal reportlab page: the same amount of text and one QR code from an image."""
    import qrcode
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from printing.typeface import register_fonts

    register_fonts()
    line = "Vil du være med og fortelle om hvordan du bor nå? "
    per_line = 60
    lines = max(1, chars_per_page // per_line)
    text = (line * 2)[:per_line]
    start = time.perf_counter()
    cpu_start = time.process_time()
    for first in range(0, pages, CHUNK * 10):
        canvas = Canvas(io.BytesIO(), pageCompression=1)
        for n in range(first, min(first + CHUNK * 10, pages)):
            canvas.setFont("DejaVuSans", 14)
            for k in range(lines):
                canvas.drawString(56, 780 - k * 19, text)
            image = qrcode.make(
                f"https://deltaker.example.no/r/{n:022d}?p=1", box_size=1, border=4
            ).get_image()
            canvas.drawImage(ImageReader(image), 470, 730, 68, 68)
            canvas.showPage()
        canvas.save()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    return {
        "pages": pages,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "pages_per_second": pages / cpu,
        "lines_per_page": lines,
    }


def qr_paths(count: int) -> dict:
    """CPU time per QR code: vector runs (what printing.render draws) vs a `qrcode` image."""
    import qrcode
    from reportlab.lib.utils import ImageReader

    from printing.render import draw_qr, new_canvas, qr_matrix

    payloads = [f"https://deltaker.example.no/r/{n:022d}?p={n % 20 + 1}" for n in range(count)]
    out = {}
    for name in ("vector", "image"):
        canvas = new_canvas(io.BytesIO())
        start = time.process_time()
        for n, payload in enumerate(payloads):
            if name == "vector":
                draw_qr(canvas, payload, (470.0, 40.0, 68.0, 68.0), 841.89)
            else:
                image = qrcode.make(payload, box_size=1, border=4).get_image()
                canvas.drawImage(ImageReader(image), 470, 730, 68, 68)
            if n % 10 == 9:
                canvas.showPage()
        canvas.save()
        out[name] = (time.process_time() - start) / count * 1000
    start = time.process_time()
    for payload in payloads:
        qr_matrix(payload)
    out["matrix_only"] = (time.process_time() - start) / count * 1000
    return out


def db_run(count: int) -> dict:
    """The real batch path: `deltaker letters` over ``count`` imported participants."""
    from forms.load import load_study
    from intake.db import open_database, session_scope
    from intake.mailing import LetterRun, print_letters
    from intake.participants import import_participants
    from intake.studies import get_study, load_study_into_db
    from webapp.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        people = data / "people.csv"
        groups = ("families", "employees")
        rows = ["navn,adresse,postnummer,poststed,språk,gruppe"] + [
            f"{NAMES[n % len(NAMES)]} {n},Storgata {n % 97 + 1},0155,Oslo,"
            f"{('nb', 'nn', 'en')[n % 3]},{groups[n % 2]}"
            for n in range(count)
        ]
        people.write_text("\n".join(rows) + "\n", encoding="utf-8")
        settings = Settings(data_dir=data, db_url=f"sqlite:///{data / 'bench.sqlite'}")
        engine = open_database(settings)
        with session_scope(engine) as session:
            load_study_into_db(session, load_study(EXAMPLE))
            import_participants(session, people, study=get_study(session))
        start = time.perf_counter()
        cpu_start = time.process_time()
        result = print_letters(
            engine, data, LetterRun(out=data / "letters.pdf", date=dt.date(2026, 11, 22))
        )
        cpu = time.process_time() - cpu_start
        seconds = time.perf_counter() - start
        engine.dispose()
    return {
        "packs": len(result.packs),
        "pages": result.pages,
        "cpu_seconds": cpu,
        "seconds": seconds,
        "pages_per_second": result.pages / cpu,
        "peak_rss_mb": peak_rss_mb(),
    }


def child(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = render_packs(count, Path(tmp) / "letters.pdf")
    print(json.dumps(result))


def run_child(count: int, flag: str = "--child") -> dict:
    # One core, as the target says: pin the child to CPU 0 where the OS lets us.
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        [sys.executable, __file__, flag, str(count)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=lambda: os.sched_setaffinity(0, {0}),
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-db", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    if args.child_db is not None:
        print(json.dumps(db_run(args.child_db)))
        return
    small = run_child(args.small)
    large = run_child(args.packs)
    db_small = run_child(args.small, "--child-db")
    db_large = run_child(args.packs, "--child-db")
    os.sched_setaffinity(0, {0})
    base = baseline(large["pages"] // 4, int(large["chars_per_page"]))
    ratio = large["pages_per_second"] / base["pages_per_second"]
    qr = qr_paths(1000)
    growth = large["peak_rss_mb"] / small["peak_rss_mb"] - 1
    print(
        f"letter packs: {large['packs']} packs, {large['pages']} pages in "
        f"{large['cpu_seconds']:.2f} s CPU = {large['pages_per_second']:.1f} pages/s "
        f"({large['wall_pages_per_second']:.1f} pages/s wall clock on a shared machine; "
        f"{large['blanks']} of the pages are blank backs for duplex; "
        f"one-off layout {large['setup_seconds']:.2f} s; "
        f"{large['bytes'] / large['pages'] / 1024:.1f} kB/page)"
    )
    print(
        f"baseline:     {base['pages']} minimal pages ({base['lines_per_page']} lines + QR) in "
        f"{base['cpu_seconds']:.2f} s CPU = {base['pages_per_second']:.1f} pages/s"
    )
    print(f"ratio:        {ratio:.2f} of baseline speed (target >= 0.5)")
    print(
        f"peak RSS:     {small['peak_rss_mb']:.1f} MB at {small['packs']} packs, "
        f"{large['peak_rss_mb']:.1f} MB at {large['packs']} packs "
        f"({growth * 100:+.1f} %, target within 10 %)"
    )
    db_growth = db_large["peak_rss_mb"] / db_small["peak_rss_mb"] - 1
    print(
        f"deltaker letters (SQLite, invitations, page lists, manifest): {db_large['packs']} "
        f"packs, {db_large['pages']} pages in {db_large['cpu_seconds']:.2f} s CPU = "
        f"{db_large['pages_per_second']:.1f} pages/s ({db_large['seconds']:.1f} s wall); "
        f"peak RSS {db_small['peak_rss_mb']:.1f} MB at {db_small['packs']}, "
        f"{db_large['peak_rss_mb']:.1f} MB at {db_large['packs']} ({db_growth * 100:+.1f} %)"
    )
    print(
        f"QR code:      {qr['vector']:.2f} ms as vector runs (drawn), {qr['image']:.2f} ms "
        f"from a qrcode image; of which {qr['matrix_only']:.2f} ms building the matrix"
    )
    ok = large["pages_per_second"] >= 100 and ratio >= 0.5 and abs(growth) <= 0.10
    print("targets:      " + ("met" if ok else "NOT met"))


if __name__ == "__main__":
    main()

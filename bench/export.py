"""Benchmark: the results workbook for 100,000 responses x 40 items.

Builds a SQLite database with one 40-item questionnaire and N web responses
(bulk inserted, not timed), then times `write_results` to .xlsx and reports
seconds (wall and CPU), rows per second and peak RSS, against two baselines
measured in the same run: the same rows written to CSV, and the same rows
written with openpyxl's write-only mode (on the first --baseline-rows rows,
compared per row). Targets: under 60 s and under 300 MB for 100,000 responses.
Then the labelled SPSS (.sav) and Stata (.dta) files (intake.statfiles), each
in its own process so that its peak RSS is its own: targets at most 60 s and
at most 500 MB.

    .venv/bin/python bench/export.py [--responses 100000] [--items 40]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402 - after the path set-up above

from forms.model import Choice, Form, FormKind, Item, ItemType, Section, Text  # noqa: E402
from intake.db import read_scope, session_scope  # noqa: E402
from intake.models import Participant, Response, utcnow  # noqa: E402
from intake.spreadsheet import write_results  # noqa: E402
from intake.studies import get_study, load_study_into_db  # noqa: E402
from tests.factories import make_study  # noqa: E402
from webapp.settings import Settings  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_RSS_MB = 300.0
#: The labelled statistics files (issue 14): pandas frames cost more memory than rows.
STAT_TARGET_SECONDS = 60.0
STAT_TARGET_RSS_MB = 500.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def make_form(items: int) -> Form:
    types = [
        ItemType.SINGLE_CHOICE,
        ItemType.MULTIPLE_CHOICE,
        ItemType.YES_NO,
        ItemType.SCALE,
        ItemType.NUMBER,
        ItemType.SHORT_TEXT,
        ItemType.DATE,
        ItemType.LONG_TEXT,
    ]
    choices = tuple(Choice(f"c{n}", Text({"nb": f"Valg {n}"})) for n in range(4))
    built = tuple(
        Item(
            f"q{n:02d}",
            types[n % len(types)],
            Text({"nb": f"Spørsmål {n}"}),
            choices=choices
            if types[n % len(types)] in (ItemType.SINGLE_CHOICE, ItemType.MULTIPLE_CHOICE)
            else (),
        )
        for n in range(items)
    )
    return Form(
        "bench",
        FormKind.QUESTIONNAIRE,
        Text({"nb": "Benk"}),
        (Section("s", None, built),),
        languages=("nb",),
    )


def answer(item: Item, rng: random.Random):
    kind = item.type
    if kind == ItemType.SINGLE_CHOICE:
        return [rng.choice(item.choices).value]
    if kind == ItemType.MULTIPLE_CHOICE:
        return rng.sample([c.value for c in item.choices], rng.randint(0, 3))
    if kind == ItemType.YES_NO:
        return [rng.choice(["yes", "no"])]
    if kind == ItemType.SCALE:
        return [str(rng.randint(1, 5))]
    if kind == ItemType.NUMBER:
        return str(rng.randint(0, 12))
    if kind == ItemType.DATE:
        return f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == ItemType.LONG_TEXT:
        return "Vi bor trangt og har lite plass til leksene. " * rng.randint(0, 2)
    return rng.choice(["Kari", "Ola", "=1+1", "Per"])


def build(settings: Settings, responses: int, items: int) -> None:
    from intake.db import open_database

    engine = open_database(settings)
    form = make_form(items)
    with session_scope(engine) as session:
        load_study_into_db(session, make_study(forms=(form,)))
    rng = random.Random(7)
    with session_scope(engine) as session:
        study = get_study(session)
        version_id = study.forms[0].id
        people = [
            {"code": f"P-{n:06d}", "language": "nb", "status": "answered", "created_at": utcnow()}
            for n in range(responses)
        ]
        session.execute(insert(Participant), people)
    with session_scope(engine) as session:
        ids = [
            row[0]
            for row in session.execute(
                Participant.__table__.select()
                .with_only_columns(Participant.__table__.c.id)
                .order_by(Participant.__table__.c.id)
            )
        ]
        batch = []
        now = utcnow()
        answerable = list(form.answerable())
        for n, pid in enumerate(ids):
            batch.append(
                {
                    "form_version_id": version_id,
                    "participant_id": pid,
                    "channel": "web",
                    "answers": {i.id: answer(i, rng) for i in answerable},
                    "field_states": {},
                    "status": "complete",
                    "submission_id": f"sub-{n}",
                    "source": {},
                    "received_at": now,
                    "language": "nb",
                }
            )
            if len(batch) == 5000:
                session.execute(insert(Response), batch)
                batch = []
        if batch:
            session.execute(insert(Response), batch)
    engine.dispose()


def timed_export(settings: Settings, out: Path, fmt: str) -> tuple[float, float, dict[str, int]]:
    """(wall seconds, CPU seconds of this process, rows per sheet)."""
    from intake.db import open_database

    engine = open_database(settings)
    start, cpu_start = time.perf_counter(), time.process_time()
    with read_scope(engine) as session:
        result = write_results(session, out, study=get_study(session), file_format=fmt, force=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    engine.dispose()
    return seconds, cpu, result.rows


def _stat_child(settings: Settings, out: Path, fmt: str, queue: Any) -> None:
    from intake.db import open_database
    from intake.statfiles import write_stat_files

    engine = open_database(settings)
    start, cpu_start = time.perf_counter(), time.process_time()
    with read_scope(engine) as session:
        result = write_stat_files(session, out, study=get_study(session), fmt=fmt, force=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    engine.dispose()
    size = sum(p.stat().st_size for p in result.files) / 1e6
    queue.put((seconds, cpu, peak_rss_mb(), result.rows["bench"], size))


def timed_stat_export(
    settings: Settings, out: Path, fmt: str
) -> tuple[float, float, float, int, float]:
    """(wall seconds, CPU seconds, peak RSS in MB, rows, MB written) of one .sav/.dta export,
    run in a fresh process: ru_maxrss is a high-water mark, so the xlsx export before it
    would otherwise hide the statistics file's own peak."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_stat_child, args=(settings, out, fmt, queue))
    child.start()
    child.join()  # the figures are a few numbers: the queue never fills before the join
    if child.exitcode != 0:
        raise SystemExit(f"the {fmt} export failed (exit code {child.exitcode})")
    figures: tuple[float, float, float, int, float] = queue.get()
    return figures


def openpyxl_baseline(settings: Settings, out: Path, limit: int) -> tuple[float, float, int]:
    """The response sheet's first ``limit`` rows through openpyxl write-only: (wall, CPU, rows)."""
    import itertools

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from intake.db import open_database
    from intake.spreadsheet import form_table

    engine = open_database(settings)
    start, cpu_start = time.perf_counter(), time.process_time()
    with read_scope(engine) as session:
        headers, rows = form_table(session, get_study(session), "bench")
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("bench")
        sheet.append(headers)
        count = 0
        for row in itertools.islice(rows, limit):
            cells = list(row)
            received = WriteOnlyCell(sheet, value=cells[3].replace(tzinfo=None))
            received.number_format = "yyyy-mm-dd hh:mm"
            cells[3] = received
            for i, value in enumerate(cells):
                if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
                    text = WriteOnlyCell(sheet, value=value)
                    text.data_type = "s"
                    cells[i] = text
            sheet.append(cells)
            count += 1
        workbook.save(out)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    engine.dispose()
    return seconds, cpu, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=10_000,
        help="rows for the openpyxl write-only baseline",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), db_url=f"sqlite:///{tmp}/bench.sqlite")
        start = time.perf_counter()
        # Built in a child process so the peak RSS below is the exports' own.
        context = multiprocessing.get_context("spawn")
        child = context.Process(target=build, args=(settings, args.responses, args.items))
        child.start()
        child.join()
        if child.exitcode != 0:
            print("building the database failed", file=sys.stderr)
            return 2
        print(
            f"built {args.responses:,} responses x {args.items} items in "
            f"{time.perf_counter() - start:.1f} s (not part of the figures below)"
        )
        rss_before = peak_rss_mb()
        csv_seconds, csv_cpu, _ = timed_export(settings, Path(tmp) / "baseline.csv", "csv")
        xlsx_seconds, xlsx_cpu, rows = timed_export(settings, Path(tmp) / "results.xlsx", "xlsx")
        size_mb = (Path(tmp) / "results.xlsx").stat().st_size / 1e6
        rss = peak_rss_mb()
        base_seconds, base_cpu, base_rows = openpyxl_baseline(
            settings, Path(tmp) / "openpyxl.xlsx", min(args.baseline_rows, args.responses)
        )
        stats = {
            fmt: timed_stat_export(settings, Path(tmp) / f"results.{fmt}", fmt)
            for fmt in ("sav", "dta")
        }
    # CPU seconds are shown too: on a shared machine wall time includes waiting for a core.
    print(f"baseline: same rows to CSV            {csv_seconds:8.1f} s wall {csv_cpu:8.1f} s CPU")
    print(
        f"xlsx export                           {xlsx_seconds:8.1f} s wall {xlsx_cpu:8.1f} s CPU "
        f"({rows['bench'] / xlsx_seconds:,.0f} rows/s, {size_mb:.1f} MB file)"
    )
    print(
        f"ratio xlsx / csv (wall, CPU)          {xlsx_seconds / csv_seconds:8.2f}   "
        f"{xlsx_cpu / csv_cpu:8.2f}"
    )
    per_row = xlsx_cpu / rows["bench"]
    base_per_row = base_cpu / base_rows
    print(
        f"baseline: openpyxl write-only, {base_rows:,} rows {base_seconds:6.1f} s wall "
        f"{base_cpu:8.1f} s CPU ({base_per_row * 1e6:,.0f} µs CPU per row; "
        f"ours {per_row * 1e6:,.0f} µs: {base_per_row / per_row:.1f}x faster)"
    )
    print(
        f"peak RSS (CSV and xlsx exports)       {rss:8.0f} MB "
        f"(before exporting: {rss_before:.0f} MB)"
    )
    for fmt, (seconds, cpu, peak, count, mb) in stats.items():
        print(
            f"{fmt} export (own process)              {seconds:8.1f} s wall {cpu:8.1f} s CPU "
            f"({count / seconds:,.0f} rows/s, {mb:.1f} MB file, peak RSS {peak:.0f} MB)"
        )
    stats_ok = all(
        seconds <= STAT_TARGET_SECONDS and peak <= STAT_TARGET_RSS_MB
        for seconds, _, peak, _, _ in stats.values()
    )
    print(
        f"targets for sav/dta: <= {STAT_TARGET_SECONDS:.0f} s and <= {STAT_TARGET_RSS_MB:.0f} MB: "
        f"{'met' if stats_ok else 'NOT met'}"
    )
    ok = xlsx_seconds < TARGET_SECONDS and rss < TARGET_RSS_MB and stats_ok
    print(
        f"targets: < {TARGET_SECONDS:.0f} s and < {TARGET_RSS_MB:.0f} MB: "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

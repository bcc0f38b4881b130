"""Benchmark: letter packs and scanned pages through the job queue, against the same work
done directly in one process.

Three runs of each kind of work, each on a fresh copy of the same database:

- directly: `intake.mailing.print_letters` for every pack in one call, and
  `intake.scan_resolver.scan_and_store` over every scanned file, in this process;
- queued, one worker: the work cut into jobs (``--jobs`` letter runs of
  disjoint people; one scan job per file), started through `JobQueue.start`
  and run by one `deltaker worker` process;
- queued, two workers: the same jobs and two `deltaker worker` processes.

The scanned pages are the letter packs the direct run printed (their pages
carry the QR codes the reader identifies), read as PDF pages. The timing of
a queued run starts when the first job is queued (the workers are already
listening) and ends when the last is marked done in the database. Prints
pages per second, the ratio against the direct run, and peak memory.
Targets (issue 13): queue overhead <= 10 % with one worker; >= 1.7x the
one-worker speed with two workers on two cores.

    .venv/bin/python bench/jobs.py [--packs 1000] [--pages 1000] [--jobs 10] [--queue URL]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "u-sving"
DELTAKER = ROOT / ".venv" / "bin" / "deltaker"
TARGET_OVERHEAD = 0.10
TARGET_SPEEDUP = 1.7
WORKER_START_S = 120.0


def settings_for(data_dir: Path, queue_url: str = ""):
    from webapp.settings import Settings

    return Settings.resolve(str(data_dir), None, queue_url or None)


def make_template(folder: Path, people: int) -> list[str]:
    """The example study and ``people`` people with addresses in a fresh data folder."""
    from sqlalchemy import select

    from forms.load import load_study
    from intake.db import open_database, read_scope, session_scope
    from intake.models import Participant
    from intake.participants import import_participants
    from intake.secrets import load_secret
    from intake.studies import get_study, load_study_into_db

    folder.mkdir(parents=True)
    load_secret(folder)
    engine = open_database(settings_for(folder))
    csv = folder.parent / "people.csv"
    csv.write_text(
        "navn,adresse,postnummer,poststed,språk,gruppe\n"
        + "".join(f"Person {n},Gate {n},0155,Oslo,nb,families\n" for n in range(people)),
        encoding="utf-8",
    )
    with session_scope(engine) as session:
        load_study_into_db(session, load_study(EXAMPLE))
        import_participants(session, csv, study=get_study(session))
    with read_scope(engine) as session:
        codes = sorted(session.scalars(select(Participant.code)))
    engine.dispose()
    return codes


def copy_data(template: Path, to: Path) -> Path:
    shutil.copytree(template, to, ignore=shutil.ignore_patterns("queue.sqlite*", "out"))
    return to


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system) of a process and of its children it has waited for."""
    if pid is None:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int | None = None) -> float:
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def workers(data_dir: Path, count: int, queue_url: str, logs: Path) -> Iterator[list[int]]:
    """``count`` `deltaker worker` processes (one job at a time each), listening."""
    env = dict(os.environ, DELTAKER_DATA=str(data_dir), DELTAKER_QUEUE_URL=queue_url)
    processes = []
    sinks = []
    try:
        for n in range(count):
            log = logs / f"worker-{data_dir.name}-{n}.log"
            sink = open(log, "wb")
            sinks.append(sink)
            processes.append(
                subprocess.Popen(
                    [str(DELTAKER), "worker", "--workers", "1"],
                    env=env,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                )
            )
            deadline = time.monotonic() + WORKER_START_S
            while b"Huey consumer started" not in log.read_bytes():
                if time.monotonic() > deadline or processes[-1].poll() is not None:
                    raise RuntimeError(f"worker did not start: {log.read_text()[-2000:]}")
                time.sleep(0.1)
        yield [p.pid for p in processes]
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # finish the running job (there is none) and go
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for sink in sinks:
            sink.close()


Run = tuple[float, float, list[float]]  # wall seconds, CPU seconds, peak RSS (MB) per process


def queued_run(
    data_dir: Path, count: int, queue_url: str, logs: Path, jobs: list[tuple[str, dict]]
) -> Run:
    """Seconds from the first job queued to the last done, the workers' CPU seconds in that
    time, and their peak RSS."""
    from intake.db import open_database
    from jobs.queue import JobQueue
    from jobs.records import wait_job

    engine = open_database(settings_for(data_dir, queue_url))
    queue = JobQueue(engine, data_dir, queue_url)
    try:
        with workers(data_dir, count, queue_url, logs) as pids:
            cpu = sum(cpu_seconds(pid) for pid in pids)
            started = time.perf_counter()
            ids = [queue.start(kind, arguments).id for kind, arguments in jobs]
            for job_id in ids:
                job = wait_job(engine, job_id, timeout=3600)
                if job.state != "succeeded":
                    raise RuntimeError(f"job {job_id} {job.state}: {job.error}")
            seconds = time.perf_counter() - started
            cpu = sum(cpu_seconds(pid) for pid in pids) - cpu
            rss = [peak_rss_mb(pid) for pid in pids]
        return seconds, cpu, rss
    finally:
        queue.huey.flush()
        engine.dispose()


def chunks(items: list[str], count: int) -> list[list[str]]:
    size = -(-len(items) // count)
    return [items[i : i + size] for i in range(0, len(items), size)]


def letters_direct(data_dir: Path, codes: list[str], out: Path) -> tuple[float, float, int]:
    from intake.db import open_database
    from intake.mailing import LetterRun, print_letters

    engine = open_database(settings_for(data_dir))
    try:
        started, cpu = time.perf_counter(), cpu_seconds()
        result = print_letters(engine, data_dir, LetterRun(out=out, codes=tuple(codes)))
        return time.perf_counter() - started, cpu_seconds() - cpu, result.pages
    finally:
        engine.dispose()


def letter_jobs(codes: list[str], out_dir: Path, count: int) -> list[tuple[str, dict]]:
    from intake.mailing import LetterRun
    from jobs.letters import letter_run_arguments

    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        ("letters", letter_run_arguments(LetterRun(out=out_dir / f"part-{n}.pdf", codes=tuple(c))))
        for n, c in enumerate(chunks(codes, count))
    ]


def split_pages(pdf: Path, pages: int, files: int, out_dir: Path) -> list[Path]:
    """The first ``pages`` pages of ``pdf`` in ``files`` PDF files of about equal size."""
    import pypdfium2 as pdfium

    out_dir.mkdir(parents=True, exist_ok=True)
    source = pdfium.PdfDocument(pdf)
    pages = min(pages, len(source))
    size = -(-pages // files)
    made = []
    for n, first in enumerate(range(0, pages, size)):
        part = pdfium.PdfDocument.new()
        part.import_pages(source, list(range(first, min(first + size, pages))))
        path = out_dir / f"scan-{n:02d}.pdf"
        part.save(path)
        part.close()
        made.append(path)
    source.close()
    return made


def scan_direct(data_dir: Path, files: list[Path]) -> tuple[float, float, int]:
    from intake.db import open_database
    from intake.scan_resolver import scan_and_store

    engine = open_database(settings_for(data_dir))
    try:
        started, cpu = time.perf_counter(), cpu_seconds()
        read = sum(1 for _ in scan_and_store(engine, data_dir, files, jobs=1))
        return time.perf_counter() - started, cpu_seconds() - cpu, read
    finally:
        engine.dispose()


def scan_jobs(files: list[Path]) -> list[tuple[str, dict]]:
    return [("scan", {"files": [str(f)], "debug_dir": None, "processes": 1}) for f in files]


def report(title: str, unit: str, amount: int, direct: tuple[float, float], runs: dict) -> None:
    (direct_s, direct_cpu), one, two = direct, runs[1], runs[2]
    overhead, cpu_overhead = one[0] / direct_s - 1, one[1] / direct_cpu - 1
    speedup = one[0] / two[0]
    print(f"{title}: {amount} {unit}")
    print(
        f"  directly, one process  {direct_s:7.1f} s  {amount / direct_s:7.1f} {unit}/s  "
        f"CPU {direct_cpu:6.1f} s"
    )
    for count, (seconds, cpu, rss) in sorted(runs.items()):
        print(
            f"  queued, {count} worker{'s' if count > 1 else ' '}      {seconds:7.1f} s  "
            f"{amount / seconds:7.1f} {unit}/s  CPU {cpu:6.1f} s  ({direct_s / seconds:.2f}x "
            f"direct; worker peak RSS {', '.join(f'{r:.0f}' for r in rss)} MB)"
        )
    print(
        f"  queue overhead with 1 worker: {100 * overhead:+.1f} % wall, "
        f"{100 * cpu_overhead:+.1f} % CPU "
        f"(target <= {100 * TARGET_OVERHEAD:.0f} %): "
        f"{'MET' if overhead <= TARGET_OVERHEAD else 'MISSED'}"
    )
    print(
        f"  2 workers against 1: {speedup:.2f}x wall (target >= {TARGET_SPEEDUP}x on two cores): "
        f"{'MET' if speedup >= TARGET_SPEEDUP else 'MISSED'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packs", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=1000, help="scanned pages to read")
    parser.add_argument("--jobs", type=int, default=10, help="jobs the work is cut into")
    parser.add_argument(
        "--queue", default="", help="DELTAKER_QUEUE_URL (default: a SQLite file per run)"
    )
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.1f}; queue "
        f"{args.queue or 'SQLite file'}; database SQLite; {args.jobs} jobs per run"
    )
    with tempfile.TemporaryDirectory(prefix="deltaker-bench-jobs-") as tmp:
        root = Path(tmp)
        logs = root / "logs"
        logs.mkdir()
        template = root / "template"
        codes = make_template(template, args.packs)

        def fresh(name: str, source: Path = template) -> Path:
            return copy_data(source, root / name)

        # letters
        direct_dir = fresh("letters-direct")
        printed = root / "letters-direct.pdf"
        direct_s, direct_cpu, pages = letters_direct(direct_dir, codes, printed)
        runs: dict[int, Run] = {}
        for count in (1, 2):
            data = fresh(f"letters-{count}w")
            runs[count] = queued_run(
                data, count, args.queue, logs, letter_jobs(codes, root / f"out-{count}w", args.jobs)
            )
        report(f"letter packs ({pages} pages)", "packs", len(codes), (direct_s, direct_cpu), runs)
        print(f"  (pages per second directly: {pages / direct_s:.1f})")

        # scanned pages: the packs printed above, read back; each run on a copy of the
        # database that printed them (so every page is new to it)
        files = split_pages(printed, args.pages, args.jobs, root / "scans")
        scanned: Callable[[str], Path] = lambda name: fresh(name, direct_dir)  # noqa: E731
        for leftover in (direct_dir / "evidence",):
            shutil.rmtree(leftover, ignore_errors=True)
        scan_s, scan_cpu, read = scan_direct(scanned("scan-direct"), files)
        runs = {
            count: queued_run(scanned(f"scan-{count}w"), count, args.queue, logs, scan_jobs(files))
            for count in (1, 2)
        }
        report("scanned pages", "pages", read, (scan_s, scan_cpu), runs)
        print(f"bench process peak RSS (direct runs): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

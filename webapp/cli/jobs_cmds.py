"""`deltaker worker` and `deltaker jobs ...`: thin layers over jobs.queue and jobs.records."""

from __future__ import annotations

import json
import logging
import sys

import click

from forms.errors import UserError

from ..settings import Settings
from .common import echo_table, with_settings


class JobFailed(UserError):
    """`deltaker jobs wait`: the job ended, but not well (failed or cancelled)."""


def job_queue(settings: Settings):
    """The queue of ``settings`` over a freshly opened database (the caller disposes it)."""
    from intake.db import open_database
    from jobs.queue import JobQueue

    engine = open_database(settings)
    return JobQueue(engine, settings.data_dir, settings.queue_url)


def submit(settings: Settings, kind: str, arguments: dict) -> None:
    """Queue a job (`--background`): its id alone on stdout, a hint on stderr."""
    queue = job_queue(settings)
    try:
        job = queue.start(kind, arguments)
    finally:
        queue.engine.dispose()
    click.echo(job.id)
    click.echo(
        f"Job {job.id} ({kind}) is queued; `deltaker worker` or `deltaker serve` runs it. "
        f"Follow it with `deltaker jobs wait {job.id}`.",
        err=True,
    )


@click.command("worker")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Jobs run at the same time (threads; scan reading has its own processes).",
)
@with_settings
def worker(workers: int, settings: Settings) -> None:
    """Run queued jobs (letter runs, scan reading...) until Ctrl+C or SIGTERM."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    queue = job_queue(settings)
    try:
        queue.run_worker(workers)
    finally:
        queue.engine.dispose()


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs: list, show, wait for, cancel."""


def _engine(settings: Settings):
    from intake.db import open_database

    return open_database(settings)


def _progress(job) -> str:
    return f"{job.done}/{job.total if job.total is not None else '?'}"


@jobs_group.command("list")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@with_settings
def jobs_list(limit: int, settings: Settings) -> None:
    """The newest jobs first."""
    from jobs.records import list_jobs

    engine = _engine(settings)
    try:
        found = list_jobs(engine, limit=limit)
    finally:
        engine.dispose()
    echo_table(
        ("id", "kind", "state", "progress", "attempts", "created", "error"),
        [
            (j.id, j.kind, j.state, _progress(j), j.attempts, j.created_at, j.error or "")
            for j in found
        ],
        aligned=True,
        empty="No jobs.",
    )


@jobs_group.command("show")
@click.argument("job_id", type=int)
@with_settings
def jobs_show(job_id: int, settings: Settings) -> None:
    """One job: its arguments, state, progress, result and error."""
    from jobs.records import get_job

    engine = _engine(settings)
    try:
        job = get_job(engine, job_id)
    finally:
        engine.dispose()
    rows = [
        ("id", job.id),
        ("kind", job.kind),
        ("state", job.state),
        ("progress", _progress(job)),
        ("attempts", job.attempts),
        ("worker", job.claimed_by),
        ("heartbeat", job.heartbeat),
        ("created", job.created_at),
        ("started", job.started_at),
        ("finished", job.finished_at),
        ("error", job.error),
        ("arguments", json.dumps(job.arguments, ensure_ascii=False, sort_keys=True)),
    ]
    if job.result is not None and job.kind != "scan":  # a scan's page list is long
        rows.append(("result", json.dumps(job.result, ensure_ascii=False, sort_keys=True)))
    elif job.result is not None:
        rows.append(("pages", len(job.result.get("pages") or [])))
    echo_table(("field", "value"), rows, aligned=True)


@jobs_group.command("wait")
@click.argument("job_id", type=int)
@click.option("--timeout", type=click.FloatRange(min=0), default=None, metavar="S")
@with_settings
def jobs_wait(job_id: int, timeout: float | None, settings: Settings) -> None:
    """Wait until the job ends: exit 0 when it succeeded, non-zero with its error otherwise.

    A job that succeeded prints what it gave: the files it wrote, and what a
    retention run did.
    """
    from jobs.records import wait_job

    engine = _engine(settings)
    try:
        job = wait_job(engine, job_id, timeout=timeout)
    finally:
        engine.dispose()
    if job.state != "succeeded":
        raise JobFailed(f"job {job.id} {job.state}: {job.error or 'no reason recorded'}")
    click.echo(f"job {job.id} succeeded")
    for line in result_lines(job.result or {}):
        click.echo(line)


def result_lines(result: dict) -> list[str]:
    """What a finished job gave, as lines for a terminal (no names: the result holds none)."""
    lines = [
        f"{step['action']:<10} {step['participant']}  ({step['why']})"
        for step in result.get("steps") or ()
    ]
    if result.get("summary"):
        lines.append(str(result["summary"]))
    if "evidence_files_removed" in result and result.get("steps"):
        lines.append(f"{result['evidence_files_removed']} evidence file(s) removed")
    if "records" in result:
        lines.append(
            f"{result['records']} consent record(s) for {result.get('participants', 0)} "
            "participant(s)"
        )
    for title, count in (result.get("rows") or {}).items():
        lines.append(f"{title}: {count} rows")
    if "packs" in result:
        lines.append(f"{result['packs']} pack(s), {result.get('pages')} page(s)")
    if isinstance(result.get("pages"), list):
        lines.append(f"{len(result['pages'])} page(s) read")
    files = [str(f) for f in result.get("files") or ()]
    if result.get("out") and not files:
        files = [str(result["out"])]
    if files:
        lines.append("Wrote " + ", ".join(files))
    return lines


@jobs_group.command("cancel")
@click.argument("job_id", type=int)
@with_settings
def jobs_cancel(job_id: int, settings: Settings) -> None:
    """Cancel a queued or running job (a running one stops at its next step)."""
    from jobs.records import cancel

    engine = _engine(settings)
    try:
        job = cancel(engine, job_id)
    finally:
        engine.dispose()
    click.echo(f"job {job.id} is {job.state}")


COMMANDS = (worker, jobs_group)

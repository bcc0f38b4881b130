"""The kill test of issue 13: a worker SIGKILLed in the middle of a letter run.

It runs on every queue storage (SQLite; Redis when DELTAKER_TEST_REDIS_URL is
set) and every database (SQLite; PostgreSQL when DELTAKER_TEST_POSTGRES_URL is).

A background letter run of 60 packs; `deltaker worker` is killed with SIGKILL
when about a third is done; a new worker finds the job (its worker's process is
gone), runs it again, and the letters PDF holds each pack exactly once.
"""

from __future__ import annotations

import signal
import time

from jobs.records import get_job
from tests.jobs.conftest import deltaker_process, packs_in

PACKS = 60
FAST = {"DELTAKER_JOB_HEARTBEAT_SECONDS": "0.5"}  # and DELTAKER_QUEUE_URL, from queue_url


def _progress(engine, job_id: int) -> tuple[str, int]:
    job = get_job(engine, job_id)
    return job.state, job.done


def test_a_killed_worker_is_replaced_and_each_pack_is_printed_exactly_once(
    engine, settings, data_dir, study_with, deltaker, tmp_path, queue_url
):
    study_with(PACKS)
    out = tmp_path / "letters.pdf"
    queued = deltaker("letters", "--out", str(out), "--only-new", "--background")
    assert queued.returncode == 0, queued.stderr
    job_id = int(queued.stdout.strip())

    first = deltaker_process(data_dir, settings.db_url, "worker", **FAST)
    deadline = time.monotonic() + 120
    state, done = _progress(engine, job_id)
    while done < PACKS // 3 and state in ("queued", "running"):
        assert time.monotonic() < deadline, "the first worker made no progress"
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        time.sleep(0.02)
        state, done = _progress(engine, job_id)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    state, done = _progress(engine, job_id)
    assert state == "running" and PACKS // 3 <= done < PACKS, (state, done)
    assert not out.exists(), "nothing is renamed into place before the run is complete"

    second = deltaker_process(data_dir, settings.db_url, "worker", **FAST)
    try:
        waited = deltaker_process(
            data_dir, settings.db_url, "jobs", "wait", str(job_id), "--timeout", "120"
        )
        _out, err = waited.communicate(timeout=150)
        assert waited.returncode == 0, err
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=30)
    job = get_job(engine, job_id)
    assert job.state == "succeeded" and job.attempts == 2 and job.done == PACKS
    codes = packs_in(out)
    assert len(codes) == PACKS and len(set(codes)) == PACKS
    assert codes == job.result["codes"] == job.result["selection"]["codes"]
    assert not list(out.parent.glob(".letters.pdf.*.tmp")), "the killed attempt's file is gone"


def test_a_scan_job_resumed_after_a_kill_records_every_page_once(
    engine, settings, data_dir, study_with, deltaker, tmp_path, queue_url
):
    from sqlalchemy import func, select

    from intake.db import read_scope
    from intake.models import ScannedPage

    study_with(2)
    letters = tmp_path / "letters.pdf"
    assert deltaker("letters", "--out", str(letters)).returncode == 0
    pages = _page_count(letters)
    queued = deltaker("scan", str(letters), "--background")
    assert queued.returncode == 0, queued.stderr
    job_id = int(queued.stdout.strip())

    first = deltaker_process(data_dir, settings.db_url, "worker", **FAST)
    deadline = time.monotonic() + 120
    state, done = _progress(engine, job_id)
    while done < pages // 3 and state in ("queued", "running"):
        assert time.monotonic() < deadline, "the first worker made no progress"
        time.sleep(0.02)
        state, done = _progress(engine, job_id)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    state, done = _progress(engine, job_id)
    assert state == "running" and done < pages, (state, done)

    second = deltaker_process(data_dir, settings.db_url, "worker", **FAST)
    try:
        waited = deltaker_process(
            data_dir, settings.db_url, "jobs", "wait", str(job_id), "--timeout", "120"
        )
        _out, err = waited.communicate(timeout=150)
        assert waited.returncode == 0, err
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=30)
    job = get_job(engine, job_id)
    indexes = [p["page_index"] for p in job.result["pages"]]
    assert sorted(indexes) == list(range(pages)), "every page once in the job's list"
    kept = {key for page in job.result["pages"] for key in page}
    assert not kept & {"payload", "answers", "fields"}, "no link token, no answers in the row"
    assert any(page["participant"] for page in job.result["pages"])
    assert job.attempts == 2 and job.done == pages
    with read_scope(engine) as session:
        stored = session.scalar(select(func.count()).select_from(ScannedPage))
        distinct = session.scalar(select(func.count(func.distinct(ScannedPage.page_index))))
    assert stored == distinct <= pages


def _page_count(pdf) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()

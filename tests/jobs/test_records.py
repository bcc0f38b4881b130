"""The jobs table: round trip, one claim wins, heartbeats, cancel, stale re-enqueue, schema."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy import update

from intake.db import session_scope
from intake.models import utcnow
from jobs import records
from jobs.models import Job, JobState
from jobs.queue import JobQueue, QueueError, make_huey


def test_a_job_round_trips_through_the_table(engine):
    made = records.create_job(
        engine, "letters", {"out": "/x/letters.pdf", "codes": ["P-AB"]}, owner=7, study="s"
    )
    got = records.get_job(engine, made.id)
    assert got == made
    assert got.state == JobState.QUEUED and got.arguments["codes"] == ["P-AB"]
    assert got.owner == 7 and got.study == "s" and got.attempts == 0 and not got.finished
    assert records.claim(engine, made.id, "host:1")
    assert records.beat(engine, made.id, "host:1", done=3, total=9, result={"so": "far"})
    assert records.finish(engine, made.id, "host:1", JobState.SUCCEEDED, result={"files": ["a"]})
    done = records.get_job(engine, made.id)
    assert (done.state, done.done, done.total, done.result) == ("succeeded", 3, 9, {"files": ["a"]})
    assert done.attempts == 1 and done.claimed_by == "host:1" and done.finished
    assert done.started_at <= done.finished_at and done.percent == 33
    assert [j.id for j in records.list_jobs(engine, owner=7)] == [made.id]
    assert records.list_jobs(engine, owner=8) == []


def test_of_two_workers_handed_the_same_job_one_runs_it(engine):
    job = records.create_job(engine, "scan", {"files": []})
    assert records.claim(engine, job.id, "a:1")
    assert not records.claim(engine, job.id, "b:2"), "a live claim is not taken over"
    assert not records.beat(engine, job.id, "b:2"), "only the claimant beats"
    records.finish(engine, job.id, "a:1", JobState.SUCCEEDED, result={})
    assert not records.claim(engine, job.id, "b:2"), "a finished job is not run again"


def test_a_cancelled_job_stops_its_worker_and_stays_cancelled(engine):
    job = records.create_job(engine, "scan", {"files": []})
    records.claim(engine, job.id, "a:1")
    assert records.cancel(engine, job.id).state == JobState.CANCELLED
    assert not records.beat(engine, job.id, "a:1", done=1), "the worker is told to stop"
    assert not records.finish(engine, job.id, "a:1", JobState.SUCCEEDED, result={})
    assert records.get_job(engine, job.id).state == JobState.CANCELLED
    with pytest.raises(records.JobNotFound):
        records.cancel(engine, 999)


def _age(engine, job_id: int, seconds: float) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(heartbeat=utcnow() - dt.timedelta(seconds=seconds))
        )


def test_jobs_whose_heartbeat_stopped_are_queued_again_once(engine):
    stale, alive, lost, waiting = (records.create_job(engine, "scan", {}) for _ in range(4))
    records.claim(engine, stale.id, "elsewhere:1")
    records.claim(engine, alive.id, "elsewhere:2")
    old = records.STALE_AFTER.total_seconds() + 5
    _age(engine, stale.id, old)
    _age(engine, lost.id, old)  # queued long ago: its message may be lost
    assert sorted(records.requeue_stale(engine)) == sorted([stale.id, lost.id])
    again = records.get_job(engine, stale.id)
    assert again.state == JobState.QUEUED and again.claimed_by is None
    assert records.get_job(engine, alive.id).state == JobState.RUNNING
    assert records.get_job(engine, waiting.id).state == JobState.QUEUED
    assert records.requeue_stale(engine) == [], "sent once per period, not at every tick"
    assert records.claim(engine, stale.id, "here:3")
    assert records.get_job(engine, stale.id).attempts == 2


def test_a_job_whose_worker_process_is_gone_is_queued_again_at_once(engine):
    import socket

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    job = records.create_job(engine, "scan", {})
    records.claim(engine, job.id, f"{socket.gethostname()}:{gone.stdout.strip()}:1")
    assert records.requeue_stale(engine) == [job.id]


def test_the_queue_hands_a_stale_job_to_huey(engine, data_dir):
    queue = JobQueue(engine, data_dir)
    job = records.create_job(engine, "scan", {})
    _age(engine, job.id, records.STALE_AFTER.total_seconds() + 5)
    assert queue.recover() == [job.id]
    assert queue.huey.pending_count() == 1
    message = queue.huey.dequeue()
    assert message.args == (job.id,) and message.name == "deltaker.run_job"


def test_a_consumer_runs_what_was_submitted_on_either_storage(
    engine, data_dir, queue_url, study_with, tmp_path
):
    from intake.mailing import LetterRun
    from jobs.letters import letter_run_arguments

    study_with(2)
    queue = JobQueue(engine, data_dir, queue_url)
    out = tmp_path / "letters.pdf"
    job = queue.start("letters", letter_run_arguments(LetterRun(out=out)), owner=1)
    queue.start_embedded()
    try:
        done = records.wait_job(engine, job.id, timeout=60)
    finally:
        queue.stop_embedded()
    assert done.state == JobState.SUCCEEDED, done.error
    assert done.result["packs"] == 2 and out.is_file()


def test_the_queue_url_picks_the_storage(data_dir, tmp_path):
    assert make_huey("", data_dir).storage.filename == str(data_dir / "queue.sqlite")
    assert make_huey(f"sqlite:///{tmp_path}/q.db", data_dir).storage.filename == f"{tmp_path}/q.db"
    with pytest.raises(QueueError, match="redis://HOST:PORT/DB"):
        make_huey("amqp://x", data_dir)
    from webapp import create_app

    with pytest.raises(QueueError, match="amqp://x"):
        create_app({"DATA_DIR": str(data_dir), "QUEUE_URL": "amqp://x"})
    redis = make_huey("redis://127.0.0.1:1/2?queue=study-a", data_dir)
    assert redis.name == "study-a"
    assert redis.storage.conn.connection_pool.connection_kwargs["db"] == 2


def test_the_jobs_table_matches_its_model(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from intake.db import Base

    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": False}), Base.metadata
        )
    assert [d for d in diff if "jobs" in repr(d)] == []


def test_the_periodic_huey_task_sends_stale_jobs_again(engine, data_dir):
    import datetime as dt

    queue = JobQueue(engine, data_dir)
    job = records.create_job(engine, "scan", {})
    records.claim(engine, job.id, "elsewhere:1")
    _age(engine, job.id, records.STALE_AFTER.total_seconds() + 5)
    [periodic] = queue.huey.read_periodic(dt.datetime.now())  # due every minute
    assert periodic.name == "deltaker.requeue_stale"
    queue.huey.execute(periodic)
    assert records.get_job(engine, job.id).state == JobState.QUEUED
    assert queue.huey.dequeue().args == (job.id,)

"""Job records: create, read, claim with a heartbeat, progress, finish, cancel, recover.

Every change is one short transaction of its own, so a page or a `deltaker jobs`
command sees progress while the work runs, from any process. Claiming is one
conditional UPDATE: of two workers handed the same id only one wins, which is
what makes a job delivered twice by the queue run once.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, update

from forms.errors import ExitCode, UserError
from intake.db import read_scope, rowcount, session_scope
from intake.models import utcnow

from .models import FINISHED_STATES, Job, JobState

#: a running job whose worker has not beaten for this long is taken to be dead
STALE_AFTER = dt.timedelta(seconds=float(os.environ.get("DELTAKER_JOB_STALE_SECONDS", "60")))


class JobNotFound(UserError):
    """No job with that id (or not one the asker may see)."""

    exit_code = ExitCode.NOT_FOUND


@dataclass(frozen=True)
class JobView:
    """What pages and commands show of a job (a snapshot; the row keeps changing)."""

    id: int
    kind: str
    owner: int | None
    study: str | None
    arguments: dict[str, Any]
    state: JobState
    done: int
    total: int | None
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    claimed_by: str | None
    heartbeat: dt.datetime | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def _view(job: Job) -> JobView:
    return JobView(
        job.id,
        job.kind,
        job.owner,
        job.study,
        dict(job.arguments or {}),
        JobState(job.state),
        job.done,
        job.total,
        dict(job.result) if job.result is not None else None,
        job.error,
        job.attempts,
        job.claimed_by,
        job.heartbeat,
        job.created_at,
        job.started_at,
        job.finished_at,
    )


def create_job(
    engine: Engine,
    kind: str,
    arguments: dict[str, Any],
    *,
    owner: int | None = None,
    study: str | None = None,
) -> JobView:
    """A queued job; hand its id to the queue (:meth:`jobs.queue.JobQueue.submit`)."""
    from .kinds import check_kind

    check_kind(kind)
    with session_scope(engine) as session:
        job = Job(
            kind=kind,
            owner=owner,
            study=study,
            arguments=arguments,
            state=JobState.QUEUED,
            done=0,
            attempts=0,
            heartbeat=utcnow(),
            created_at=utcnow(),
        )
        session.add(job)
        session.flush()
        return _view(job)


def get_job(engine: Engine, job_id: int) -> JobView:
    with read_scope(engine) as session:
        job = session.get(Job, job_id)
        if job is None:
            raise JobNotFound(f"no job {job_id}")
        return _view(job)


def list_jobs(engine: Engine, *, owner: int | None = None, limit: int = 100) -> list[JobView]:
    """The newest jobs first (of one owner when given)."""
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if owner is not None:
        query = query.where(Job.owner == owner)
    with read_scope(engine) as session:
        return [_view(job) for job in session.scalars(query)]


def worker_name() -> str:
    """Who claims: host and process id, so a worker on the same host can tell it died."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(engine: Engine, job_id: int, worker: str) -> bool:
    """Take a queued (or stale running) job for ``worker``; False when another has it."""
    now = utcnow()
    with session_scope(engine) as session:
        claimable = (Job.state == JobState.QUEUED) | (
            (Job.state == JobState.RUNNING) & (Job.heartbeat < now - STALE_AFTER)
        )
        changed = rowcount(
            session.execute(
                update(Job)
                .where(Job.id == job_id, claimable)
                .values(
                    state=JobState.RUNNING,
                    claimed_by=worker,
                    heartbeat=now,
                    attempts=Job.attempts + 1,
                    error=None,
                )
                .execution_options(synchronize_session=False)
            )
        )
        if changed:
            job = session.get_one(Job, job_id)
            if job.started_at is None:
                job.started_at = now
    return bool(changed)


def _update_own_run(engine: Engine, job_id: int, worker: str, values: dict[str, Any]) -> bool:
    """Write ``values`` only while the job is still this worker's running attempt."""
    with session_scope(engine) as session:
        changed = rowcount(
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.claimed_by == worker, Job.state == JobState.RUNNING)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        )
    return bool(changed)


def beat(
    engine: Engine,
    job_id: int,
    worker: str,
    *,
    done: int | None = None,
    total: int | None = None,
    result: dict[str, Any] | None = None,
) -> bool:
    """A sign of life (and progress); False when the job is no longer this worker's.

    That happens when it was cancelled, or declared dead and claimed by another
    worker: the work should then stop.
    """
    values: dict[str, Any] = {"heartbeat": utcnow()}
    if done is not None:
        values["done"] = done
    if total is not None:
        values["total"] = total
    if result is not None:
        values["result"] = result
    return _update_own_run(engine, job_id, worker, values)


def finish(
    engine: Engine,
    job_id: int,
    worker: str,
    state: JobState,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> bool:
    """The end of this worker's run; a job cancelled meanwhile stays cancelled."""
    values: dict[str, Any] = {"state": state, "finished_at": utcnow(), "error": error}
    if result is not None:
        values["result"] = result
    return _update_own_run(engine, job_id, worker, values)


def cancel(engine: Engine, job_id: int) -> JobView:
    """Stop a queued or running job (a running one stops at its next progress step)."""
    with session_scope(engine) as session:
        job = session.get(Job, job_id)
        if job is None:
            raise JobNotFound(f"no job {job_id}")
        if job.state not in FINISHED_STATES:
            job.state = JobState.CANCELLED
            job.finished_at = utcnow()
            job.error = "cancelled"
        return _view(job)


def _dead_here(worker: str | None) -> bool:
    """True when ``worker`` was a process on this host that is gone (it cannot beat again)."""
    if not worker:
        return False
    host, _, rest = worker.partition(":")  # host:pid[:thread], see worker_name
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def requeue_stale(engine: Engine, *, now: dt.datetime | None = None) -> list[int]:
    """Jobs to hand to the queue again: their worker died, or their message was lost.

    A running job is stale when its heartbeat stopped (or its worker's process
    on this host is gone); it goes back to queued. A queued job whose last
    enqueueing is older than :data:`STALE_AFTER` is sent again (the queue may
    have lost it). The heartbeat of each is set to now, so one job is sent at
    most once per period. Returns their ids.
    """
    now = now or utcnow()
    cutoff = now - STALE_AFTER
    ids: list[int] = []
    with session_scope(engine) as session:
        candidates: Sequence[Job] = list(
            session.scalars(select(Job).where(Job.state.in_([JobState.QUEUED, JobState.RUNNING])))
        )
        for job in candidates:
            old = job.heartbeat is None or job.heartbeat < cutoff
            if job.state == JobState.RUNNING and (old or _dead_here(job.claimed_by)):
                job.state = JobState.QUEUED
                job.claimed_by = None
            elif not (job.state == JobState.QUEUED and old):
                continue
            job.heartbeat = now
            ids.append(job.id)
    return ids


class JobTimedOut(UserError):
    """The job did not finish within the time given; it goes on running."""

    exit_code = ExitCode.CONFLICT


def wait_job(
    engine: Engine, job_id: int, *, timeout: float | None = None, poll: float = 0.2
) -> JobView:
    """Job ``job_id`` once finished (in any state); :class:`JobTimedOut` after ``timeout``."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        job = get_job(engine, job_id)
        if job.finished:
            return job
        if deadline is not None and time.monotonic() >= deadline:
            raise JobTimedOut(
                f"job {job_id} is still {job.state} after {timeout:g} s "
                f"({job.done} of {job.total if job.total is not None else '?'} done)"
            )
        time.sleep(poll)

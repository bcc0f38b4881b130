"""Running one job: claim it, keep its heartbeat going, run its kind, record the end.

This is what a queue message (a job id) turns into; :mod:`jobs.queue` calls it.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from forms.errors import UserError

from . import records
from .kinds import JobContext, JobStopped, check_kind
from .models import JobState

LOG = logging.getLogger("deltaker.jobs")
#: seconds between a running job's signs of life (well inside records.STALE_AFTER)
HEARTBEAT_SECONDS = float(os.environ.get("DELTAKER_JOB_HEARTBEAT_SECONDS", "5"))


def run_job(engine: Engine, data_dir: Path, job_id: int, worker: str | None = None) -> bool:
    """Run job ``job_id`` if it can be claimed; False when it was not ours to run."""
    worker = worker or f"{records.worker_name()}:{threading.get_ident()}"
    if not records.claim(engine, job_id, worker):
        return False
    job = records.get_job(engine, job_id)
    lost = threading.Event()  # the row is no longer ours (cancelled, taken over)
    stop_beating = threading.Event()

    def heartbeat() -> None:
        while not stop_beating.wait(HEARTBEAT_SECONDS):
            try:
                if not records.beat(engine, job_id, worker):
                    lost.set()
                    return
            except Exception:  # noqa: BLE001 - a missed beat is retried at the next one
                LOG.exception("job %s: heartbeat failed", job_id)

    def report(**values: Any) -> bool:
        if lost.is_set():
            return False
        return records.beat(engine, job_id, worker, **values)

    beater = threading.Thread(target=heartbeat, name=f"job-{job_id}-heartbeat", daemon=True)
    beater.start()
    context = JobContext(
        engine,
        Path(data_dir),
        job_id,
        job.arguments,
        job.attempts,
        previous=job.result or {},
        report=report,
    )
    try:
        result = check_kind(job.kind)(context)
    except JobStopped:
        LOG.info("job %s stopped: cancelled or taken over", job_id)
        return True
    except UserError as exc:
        records.finish(engine, job_id, worker, JobState.FAILED, error=exc.format())
        return True
    except Exception as exc:  # noqa: BLE001 - one line for the job, the whole trace in the log
        LOG.exception("job %s (%s) failed", job_id, job.kind)
        error = f"internal error ({type(exc).__name__}); see the worker's log"
        records.finish(engine, job_id, worker, JobState.FAILED, error=error)
        return True
    finally:
        stop_beating.set()
    records.finish(engine, job_id, worker, JobState.SUCCEEDED, result=result)
    return True

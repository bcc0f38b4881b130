"""Long staff work as durable jobs (jobs/), with progress a page can show.

Pages show progress without JavaScript: the job page refreshes itself (a meta
refresh, which the Content-Security-Policy allows) until the job is done. The
job's state is its row in the ``jobs`` table, so any web process shows it and
a restart forgets nothing; unless ``EMBEDDED_WORKER`` is off (`deltaker serve
--no-worker`), this process also runs queued jobs in threads of its own.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from jobs.queue import JobQueue
from jobs.records import JobNotFound, JobView, get_job

from .access import current_staff
from .database import EXTENSION

QUEUE_EXTENSION = "deltaker_queue"


def this_app() -> Flask:
    """The app behind ``current_app``."""
    # current_app is werkzeug's proxy, which Flask types as the app itself
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def queue(app: Flask) -> JobQueue:
    """This app's queue (made on first use), with its embedded consumer when configured."""
    found = app.extensions.get(QUEUE_EXTENSION)
    if found is None:
        ext = app.extensions[EXTENSION]
        found = JobQueue(ext["engine"], ext["data_dir"], app.config.get("QUEUE_URL", ""))
        app.extensions[QUEUE_EXTENSION] = found
    if app.config.get("EMBEDDED_WORKER", True):
        found.start_embedded()
    return found


def start(
    app: Flask, owner: int, kind: str, arguments: dict[str, Any], study: str | None = None
) -> JobView:
    """Create a job of ``kind`` for staff user ``owner`` and hand it to the workers."""
    return queue(app).start(kind, arguments, owner=owner, study=study)


def get(app: Flask, job_id: int, kind: str) -> JobView | None:
    """Job ``job_id`` of ``kind`` if the logged-in staff member may see it.

    The owner or an admin, and for a job of a study only while working on
    that study (someone who lost their role there no longer sees it).
    """
    who = current_staff()
    if who is None:
        return None
    try:
        job = get_job(app.extensions[EXTENSION]["engine"], job_id)
    except JobNotFound:
        return None
    if job.kind != kind or (job.owner != who.user_id and who.role != "admin"):
        return None
    if job.study is not None and who.role != "admin" and job.study != who.study:
        return None
    return job


def stop(app: Flask) -> None:
    """Stop this app's embedded consumer, if it runs (tests; the server just exits)."""
    found = app.extensions.get(QUEUE_EXTENSION)
    if found is not None:
        found.stop_embedded()

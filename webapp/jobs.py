"""Long staff work (letter runs) in a background thread, with progress a page can show.

Pages show progress without JavaScript: the job page refreshes itself (a meta
refresh, which the Content-Security-Policy allows) until the job is done.
Jobs live in the server process's memory; a restart forgets unfinished ones.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from forms.errors import UserError

MAX_JOBS_KEPT = 50


@dataclass
class Job:
    id: str
    owner: int  # the staff user who started it; only they see it
    kind: str
    total: int = 0
    done: int = 0
    finished: bool = False
    result: Any = None
    error: str | None = None
    # what the work has produced so far (a list it appends to), for pages shown meanwhile
    result_so_far: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def selected(self, total: int) -> None:
        with self.lock:
            self.total = total

    def step(self, count: int = 1) -> None:
        with self.lock:
            self.done += count

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


def _registry(app: Flask) -> dict[str, Job]:
    return app.extensions.setdefault("deltaker_jobs", {})


def this_app() -> Flask:
    """The app behind ``current_app``, to hand to a job's thread (which has no app context)."""
    # current_app is werkzeug's proxy, which Flask types as the app itself
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def start(app: Flask, owner: int, kind: str, work: Callable[[Job], Any]) -> Job:
    """Run ``work(job)`` in a thread; user errors become the job's error message."""
    job = Job(secrets.token_urlsafe(12), owner, kind)
    registry = _registry(app)
    if len(registry) >= MAX_JOBS_KEPT:
        for old in [j for j in registry.values() if j.finished][: len(registry) // 2]:
            registry.pop(old.id, None)
    registry[job.id] = job

    def run() -> None:
        with app.app_context():
            try:
                job.result = work(job)
            except UserError as exc:
                job.error = exc.format()
            except Exception as exc:  # noqa: BLE001 - shown as one line, logged in full
                app.logger.exception("background job failed")
                job.error = f"internal error ({type(exc).__name__}); see the server log"
            finally:
                job.finished = True

    threading.Thread(target=run, name=f"job-{kind}", daemon=True).start()
    return job


def get(app: Flask, job_id: str, owner: int) -> Job | None:
    job = _registry(app).get(job_id)
    return job if job is not None and job.owner == owner else None

"""The queue: Huey carries job ids from whoever starts a job to whichever worker runs it.

``DELTAKER_QUEUE_URL`` chooses Huey's storage: empty (the default) is a SQLite
file in the data folder (one machine, nothing else to start); ``sqlite:///PATH``
names that file; ``redis://HOST:PORT/DB`` is Redis, for workers on several
machines (``?queue=NAME`` lets several installs share one Redis). Only ids
travel: the job's state is its row in the ``jobs`` table.

Huey does not promise that a message is delivered at least once (a worker
killed after taking a message loses it), so a periodic task, and every worker
when it starts, hands the queue again whatever :func:`jobs.records.requeue_stale`
finds.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from sqlalchemy import Engine

from forms.errors import UserError

from . import records
from .runner import run_job

LOG = logging.getLogger("deltaker.jobs")
QUEUE_FILE_NAME = "queue.sqlite"
QUEUE_NAME = "deltaker"
#: how often an idle worker looks at the queue at most (seconds); SQLite polling is cheap
MAX_POLL_SECONDS = 1.0


class QueueError(UserError):
    """DELTAKER_QUEUE_URL cannot be used."""


def check_queue_url(queue_url: str) -> None:
    """:class:`QueueError` when ``queue_url`` names no storage we know (nothing is opened)."""
    if not queue_url:
        return
    parsed = urlparse(queue_url)
    if parsed.scheme == "sqlite":
        path = parsed.path[1:] if parsed.path.startswith("//") else parsed.path
        if not path:
            raise QueueError(f"DELTAKER_QUEUE_URL {queue_url}: give the file, sqlite:///PATH")
        return
    if parsed.scheme not in ("redis", "rediss"):
        raise QueueError(
            f"DELTAKER_QUEUE_URL {queue_url}: use redis://HOST:PORT/DB or sqlite:///PATH "
            "(or leave it empty for a SQLite file in the data folder)"
        )


def make_huey(queue_url: str, data_dir: Path) -> Huey:
    """The Huey instance for ``queue_url`` (see the module docstring)."""
    check_queue_url(queue_url)
    if not queue_url:
        return SqliteHuey(QUEUE_NAME, filename=str(Path(data_dir) / QUEUE_FILE_NAME), results=False)
    parsed = urlparse(queue_url)
    if parsed.scheme == "sqlite":
        path = parsed.path[1:] if parsed.path.startswith("//") else parsed.path
        return SqliteHuey(QUEUE_NAME, filename=path, results=False)
    # redis: ?queue=NAME names the queue, so installs (and test runs) can share one Redis
    query = dict(parse_qsl(parsed.query))
    name = query.pop("queue", QUEUE_NAME)
    url = parsed._replace(query=urlencode(query)).geturl()
    return RedisHuey(name, url=url, results=False)


class _QuietConsumer(Consumer):
    """A consumer that leaves signals alone, so it can run in a thread of the web server."""

    def _set_signal_handlers(self) -> None:
        pass


class JobQueue:
    """One process's view of the queue: submit job ids, and run a consumer over them."""

    def __init__(self, engine: Engine, data_dir: Path, queue_url: str = ""):
        self.engine = engine
        self.data_dir = Path(data_dir)
        self.huey = make_huey(queue_url, data_dir)
        self._consumer: Consumer | None = None
        self._lock = threading.Lock()
        engine_, folder = engine, self.data_dir

        @self.huey.task(name="deltaker.run_job")
        def run(job_id: int) -> None:
            run_job(engine_, folder, job_id)

        @self.huey.periodic_task(crontab(minute="*"), name="deltaker.requeue_stale")
        def requeue() -> None:
            self.recover()

        self._run = run

    def submit(self, job_id: int) -> None:
        """Hand a job (created with :func:`jobs.records.create_job`) to the workers."""
        self._run(job_id)

    def start(self, kind: str, arguments: dict[str, Any], **who: Any) -> records.JobView:
        """Create a job and submit it: what the web pages and `--background` do."""
        job = records.create_job(self.engine, kind, arguments, **who)
        self.submit(job.id)
        return job

    def recover(self) -> list[int]:
        """Submit again the jobs whose worker died or whose message was lost."""
        ids = records.requeue_stale(self.engine)
        for job_id in ids:
            LOG.info("job %s: sent to the queue again", job_id)
            self.submit(job_id)
        return ids

    def consumer(self, workers: int = 1, *, quiet: bool = False) -> Consumer:
        cls = _QuietConsumer if quiet else Consumer
        return cls(
            self.huey,
            workers=workers,
            periodic=True,
            initial_delay=0.05,
            max_delay=MAX_POLL_SECONDS,
            worker_type="thread",
        )

    def run_worker(self, workers: int = 1) -> None:
        """A consumer in this process until Ctrl+C or SIGTERM (`deltaker worker`)."""
        self.recover()
        self.consumer(workers).run()

    def start_embedded(self, workers: int = 1) -> None:
        """A consumer in threads of this process (`deltaker serve`, tests); once per queue."""
        with self._lock:
            if self._consumer is not None:
                return
            self.recover()
            self._consumer = self.consumer(workers, quiet=True)
            self._consumer.start()

    def stop_embedded(self) -> None:
        with self._lock:
            if self._consumer is not None:
                self._consumer.stop(graceful=False)
                self._consumer = None

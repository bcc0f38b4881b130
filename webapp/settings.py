"""Where the app and every `deltaker` command keep their database, evidence store, outputs, queue.

The app owns these settings; the command line (webapp/cli/common.py) resolves
its `--data` / `--db` options through :meth:`Settings.resolve` like the app does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = "./instance"
DB_FILE_NAME = "deltaker.sqlite"


@dataclass(frozen=True)
class Settings:
    """Where a command keeps its database, evidence store and outputs."""

    data_dir: Path
    db_url: str
    #: the job queue's storage (jobs.queue.make_huey): empty is a SQLite file in the data folder
    queue_url: str = ""

    @classmethod
    def resolve(cls, data: str | None, db: str | None, queue: str | None = None) -> Settings:
        data_dir = Path(data or os.environ.get("DELTAKER_DATA") or DEFAULT_DATA_DIR)
        db_url = db or os.environ.get("DELTAKER_DATABASE_URL") or ""
        if not db_url:
            db_url = f"sqlite:///{(data_dir / DB_FILE_NAME).resolve()}"
        queue_url = queue or os.environ.get("DELTAKER_QUEUE_URL") or ""
        return cls(data_dir=data_dir, db_url=db_url, queue_url=queue_url)

"""The registry of job kinds: kind → the function that does the work.

A kind is a thin layer over one domain function. It gets a :class:`JobContext`
(the database, the data folder, the job's arguments, how to report progress)
and returns the job's result as JSON. It must be idempotent: run twice, or
again after its worker was killed half-way, it produces every output once
(outputs are written under a temporary name and renamed; see jobs/letters.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from forms.errors import UserError


class UnknownJobKind(UserError):
    """A job names a kind no function is registered for."""


class JobStopped(Exception):
    """The job was cancelled, or taken over by another worker: stop without writing more."""


@dataclass
class JobContext:
    engine: Engine
    data_dir: Path
    job_id: int
    arguments: dict[str, Any]
    attempt: int  # 1 on the first run, more after a worker died or a message came twice
    #: what an earlier attempt left in the job's result (the letter run's fixed selection...)
    previous: dict[str, Any] = field(default_factory=dict)
    report: Callable[..., bool] = field(default=lambda **_: True, repr=False)
    done: int = 0

    def selected(self, total: int, **result: Any) -> None:
        """How many items the work has; ``result`` is stored at once (to resume from)."""
        self._send(total=total, result=result or None)

    def step(self, count: int = 1, **result: Any) -> None:
        """``count`` more items done (``result``: the job's result so far)."""
        self.done += count
        self._send(done=self.done, result=result or None)

    def _send(self, **values: Any) -> None:
        if not self.report(**values):
            raise JobStopped()


JobFunction = Callable[[JobContext], dict[str, Any]]
KINDS: dict[str, JobFunction] = {}


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    def register(function: JobFunction) -> JobFunction:
        KINDS[name] = function
        return function

    return register


def _load() -> None:
    from . import exports, letters, reading  # noqa: F401 - their @job_kind registers them


def check_kind(kind: str) -> JobFunction:
    _load()
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownJobKind(f"no job kind {kind!r}; known: {', '.join(sorted(KINDS))}") from None

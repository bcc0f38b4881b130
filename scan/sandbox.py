"""Untrusted files are opened and decoded in worker processes with hard limits.

A scanned PDF comes from outside: it may be encrypted, cut short, loop its page
tree, or be a kilobyte of nested Flate streams that inflate to gigabytes. Each
worker runs with an address-space limit (RLIMIT_AS), a CPU-time limit per page
(RLIMIT_CPU, raised page by page) and a wall-clock limit the parent enforces.
A worker that breaks a limit or dies is killed and replaced; the page it was on
becomes an ``error`` result and the batch goes on with the next page.

The parent keeps what must not be in the worker: the identity resolver (which
may use the database). A worker that reads a QR code asks the parent through
its pipe. ``read_files`` yields exactly one result per input page, in input
order; with ``jobs`` > 1 the pages of a file are shared out between workers.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from . import wire
from .errors import ScanInputError
from .pages import MAX_PIXELS, PageFailure, Source
from .results import PageResult, PageStatus, ResolvedPage

Resolver = Callable[[str], "ResolvedPage | None"]

#: Pages a worker may read ahead of the one the parent waits for.
READ_AHEAD = 3
#: What a worker interpreter runs (``bench/scan.py`` wraps it in a profiler).
WORKER_CODE = "from scan.sandbox import _entry; _entry()"


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 1_500_000_000  # address space of one worker
    cpu_seconds_per_page: int = 20
    wall_seconds_per_page: float = 60.0
    max_pixels: int = MAX_PIXELS


# ------------------------------------------------------------------ worker side


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _allow_cpu(seconds: int) -> None:
    """Let the worker use ``seconds`` more CPU time; past that the kernel ends it."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(_cpu_used()) + seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _worker_main(conn: Connection, limits: Limits) -> None:
    """The worker loop: read whole files (or every n-th page) on request."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    from .debug import write_overlay
    from .read import read_page

    cache: dict[str, ResolvedPage | None] = {}

    def resolve(text: str) -> ResolvedPage | None:
        if text not in cache:
            conn.send_bytes(wire.encode("resolve", text))
            cache[text] = conn.recv()
        return cache[text]

    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request[0] == "stop":
            return
        _, path, name, start, step, debug_dir = request
        cache.clear()
        _allow_cpu(limits.cpu_seconds_per_page)
        try:
            source = Source(Path(path), max_pixels=limits.max_pixels)
        except ScanInputError as exc:
            conn.send_bytes(wire.encode("file_error", exc.message))
            continue
        except MemoryError:
            conn.send_bytes(wire.encode("file_error", "the file needs too much memory to open"))
            continue
        conn.send_bytes(wire.encode("count", source.count))
        try:
            for page in source.pages(start, step):
                _allow_cpu(limits.cpu_seconds_per_page)
                if isinstance(page, PageFailure):
                    conn.send_bytes(wire.encode("page", _error(name, page.index, page.message)))
                    continue
                try:
                    result, geometry = read_page(
                        page, resolve, file=name, keep_geometry=debug_dir is not None
                    )
                    if debug_dir is not None:
                        write_overlay(
                            Path(debug_dir), name, page.index, result, geometry, page.image
                        )
                except MemoryError:
                    result = _error(name, page.index, "the page needs too much memory to read")
                except Exception as exc:  # noqa: BLE001 - one bad page must not end the file
                    result = _error(
                        name, page.index, f"the page cannot be read ({type(exc).__name__}: {exc})"
                    )
                del page
                conn.send_bytes(wire.encode("page", result))
        finally:
            source.close()
        conn.send_bytes(wire.encode("done"))


def _error(name: str, index: int, message: str) -> PageResult:
    return PageResult(file=name, page_index=index, status=PageStatus.ERROR, message=message)


# ------------------------------------------------------------------ parent side


def _entry() -> None:
    """The worker process's entry point (``python -c "from scan.sandbox import _entry; ..."``)."""
    fd = int(sys.argv[1])
    limits = Limits(**json.loads(sys.argv[2]))
    _worker_main(Connection(fd), limits)


class Worker:
    """One worker process, started fresh with its own interpreter.

    A plain subprocess (not multiprocessing's fork or forkserver) so the worker
    never re-imports the caller's main module and inherits no threads, open
    database connections or secrets in memory; it talks over a socket pair.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.process: subprocess.Popen[bytes] | None = None
        self.conn: Connection | None = None

    def start(self) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)
        # One BLAS thread per worker: the pages are shared out between processes instead.
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
        # The worker imports our packages from where this one did.
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        code = WORKER_CODE
        debug = bool(os.environ.get("DELTAKER_DEBUG"))
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(child.fileno()), json.dumps(asdict(self.limits))],
            pass_fds=[child.fileno()],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=None if debug else subprocess.DEVNULL,
            close_fds=True,
        )
        child.close()
        self.conn = Connection(parent.detach())

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ensure(self) -> Connection:
        if not self.alive():
            self.kill()
            self.start()
        assert self.conn is not None
        return self.conn

    def kill(self, *, hung_up: bool = False) -> str:
        """End the worker; say why it died, if it did by itself.

        ``hung_up``: its end of the socket closed, so it is dying by itself; give
        it a moment to finish, to learn why.
        """
        reason = "it took longer than the time limit"
        if self.process is not None:
            if hung_up:
                try:
                    self.process.wait(2)
                except subprocess.TimeoutExpired:
                    reason = "it stopped answering"
            if self.process.poll() is None:
                self.process.kill()
            else:
                reason = _death_reason(self.process.returncode)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if self.conn is not None:
            self.conn.close()
        self.process = None
        self.conn = None
        return reason

    def stop(self) -> None:
        if self.alive() and self.conn is not None and self.process is not None:
            try:
                self.conn.send(("stop",))
                self.process.wait(2)
            except (BrokenPipeError, OSError, subprocess.TimeoutExpired):
                pass
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(2)
        if self.conn is not None:
            self.conn.close()
        self.process = None
        self.conn = None


def _death_reason(code: int | None) -> str:
    if code == -signal.SIGXCPU:
        return "it needed more CPU time than the limit"
    if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS) or code == 1:
        return "it needed more memory than the limit, or it is damaged"
    return f"the reader stopped (exit code {code})"


@dataclass
class _Job:
    worker: Worker
    next_index: int  # the next page this worker will send
    step: int
    last_heard: float
    busy: bool = True


def read_files(
    paths: Iterable[str | Path],
    resolve: Resolver,
    *,
    jobs: int = 1,
    limits: Limits | None = None,
    debug_dir: str | Path | None = None,
    names: dict[str, str] | None = None,
) -> Iterator[PageResult]:
    """One result per page of every file, in input order, read in sandboxed workers."""
    limits = limits or Limits()
    workers = [Worker(limits) for _ in range(max(1, jobs))]
    try:
        for path in paths:
            name = (names or {}).get(str(path), Path(path).name)
            yield from _read_file(workers, Path(path), name, resolve, limits, debug_dir)
    finally:
        for worker in workers:
            worker.stop()


def _send_read(job: _Job, path: Path, name: str, debug_dir: str | Path | None) -> None:
    conn = job.worker.ensure()
    conn.send(
        (
            "read",
            str(path),
            name,
            job.next_index,
            job.step,
            None if debug_dir is None else str(debug_dir),
        )
    )
    job.last_heard = time.monotonic()
    job.busy = True


def _read_file(
    workers: list[Worker],
    path: Path,
    name: str,
    resolve: Resolver,
    limits: Limits,
    debug_dir: str | Path | None,
) -> Iterator[PageResult]:
    if not path.is_file():
        yield _error(name, 0, "the file does not exist" if not path.exists() else "not a file")
        return
    step = len(workers)
    jobs = [_Job(w, k, step, time.monotonic()) for k, w in enumerate(workers)]
    count: int | None = None
    file_error: str | None = None
    buffers: list[dict[int, PageResult]] = [{} for _ in jobs]
    for job in jobs:
        _send_read(job, path, name, debug_dir)

    def handle(job_no: int) -> None:
        """Read one message from a worker (or notice that it died)."""
        nonlocal count, file_error
        job = jobs[job_no]
        conn = job.worker.conn
        try:
            message = (
                wire.decode(conn.recv_bytes(wire.MAX_MESSAGE_BYTES)) if conn is not None else None
            )
        except (EOFError, OSError):
            message = None
        except wire.WireError:
            # A worker that talks nonsense is not trusted with the rest of the file.
            job.worker.kill()
            _fail_page(job_no, "the page could not be read safely: the reader misbehaved")
            return
        if message is None or conn is None:
            reason = job.worker.kill(hung_up=True)
            _fail_page(job_no, f"the page could not be read safely: {reason}")
            return
        job.last_heard = time.monotonic()
        kind = message[0]
        if kind == "resolve":
            conn.send(resolve(message[1]))
        elif kind == "count":
            count = message[1]
        elif kind == "file_error":
            file_error = message[1]
            job.busy = False
        elif kind == "page":
            result = message[1]
            if result.page_index != job.next_index:
                job.worker.kill()
                _fail_page(job_no, "the page could not be read safely: the reader misbehaved")
                return
            buffers[job_no][result.page_index] = result
            job.next_index = result.page_index + step
        elif kind == "done":
            job.busy = False

    def _fail_page(job_no: int, message: str) -> None:
        nonlocal file_error
        job = jobs[job_no]
        if count is None:
            # It died opening the file: the whole file is one error.
            file_error = (
                file_error or f"the file could not be opened safely: {message.split(': ', 1)[-1]}"
            )
            job.busy = False
            return
        buffers[job_no][job.next_index] = _error(name, job.next_index, message)
        job.next_index += step
        if job.next_index < count:
            _send_read(job, path, name, debug_dir)
        else:
            job.busy = False

    index = 0
    while True:
        if file_error is not None and (count is None or index == 0):
            # Let the other workers finish with this file before the next one.
            _drain(jobs, limits)
            yield _error(name, 0, file_error)
            return
        if count is not None and index >= count:
            _drain(jobs, limits)
            return
        if count is not None:
            owner = index % step
            if index in buffers[owner]:
                yield buffers[owner].pop(index)
                index += 1
                continue
        listening: dict[Connection, int] = {}
        for job_no, job in enumerate(jobs):
            if (
                job.busy
                and job.worker.conn is not None
                and (count is None or len(buffers[job_no]) < READ_AHEAD or job_no == index % step)
            ):
                listening[job.worker.conn] = job_no
        if not listening:
            if count is None:
                file_error = file_error or "the file could not be opened"
                continue
            # Nobody is working on the page we wait for: it can never come.
            owner = index % step
            buffers[owner][index] = _error(name, index, "the page was not read")
            continue
        now = time.monotonic()
        for job_no, job in enumerate(jobs):
            if job_no not in listening.values():
                # Held back by us (it is ahead of the others): its clock does not run.
                job.last_heard = now
        deadline = (
            min(jobs[n].last_heard for n in listening.values()) + limits.wall_seconds_per_page
        )
        ready = wait(list(listening), timeout=max(0.0, deadline - now))
        for conn in ready:
            if isinstance(conn, Connection):  # always: wait() returns what it was given
                handle(listening[conn])
        now = time.monotonic()
        for job_no in listening.values():
            job = jobs[job_no]
            if (
                job.busy
                and job.worker.conn is not None
                and (now - job.last_heard >= limits.wall_seconds_per_page)
            ):
                job.worker.kill()
                _fail_page(
                    job_no,
                    "the page could not be read safely: it took longer than "
                    f"{limits.wall_seconds_per_page:g} seconds",
                )


def _drain(jobs: list[_Job], limits: Limits) -> None:
    """Wait until every worker has finished its current file (or end it)."""
    for job in jobs:
        deadline = time.monotonic() + limits.wall_seconds_per_page
        while job.busy and job.worker.conn is not None:
            conn = job.worker.conn
            if not conn.poll(max(0.0, deadline - time.monotonic())):
                job.worker.kill()
                break
            try:
                message = wire.decode(conn.recv_bytes(wire.MAX_MESSAGE_BYTES))
            except (EOFError, OSError, wire.WireError):
                job.worker.kill()
                break
            if message[0] == "resolve":
                conn.send(None)
            elif message[0] in ("done", "file_error"):
                break
        job.busy = False

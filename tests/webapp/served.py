"""A real `deltaker serve` in a subprocess, and plain HTTP requests to it from chosen addresses.

Linux routes all of 127.0.0.0/8 to the loopback, so binding a client socket to
127.0.x.y makes a request come from that address: many visitors on one machine.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from forms.load import load_study
from intake.codes import UNAMBIGUOUS_ALPHABET
from tests.webapp.pipeline import EXAMPLE, load_example
from tests.webapp.webhelpers import Person, add_person

DELTAKER = Path(sys.executable).with_name("deltaker")
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    source: str | None = None,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
) -> Answer:
    """One request to 127.0.0.1:port, sent from ``source`` (an address in 127/8)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return Answer(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def wait_for(port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def _participant_code(n: int) -> str:
    return "P-" + "".join(UNAMBIGUOUS_ALPHABET[(n >> (5 * i)) & 31] for i in range(4))


def example_with_people(data_dir: Path, count: int) -> list[Person]:
    """The example study loaded into the data folder's SQLite file, with ``count`` invitations."""
    from webapp import create_app
    from webapp.database import EXTENSION

    db_url = f"sqlite:///{data_dir / 'deltaker.sqlite'}"
    load_example(data_dir, db_url)
    app = create_app({"DATA_DIR": str(data_dir), "DATABASE_URL": db_url})
    app.config["STUDY"] = load_study(EXAMPLE)
    try:
        return [add_person(app, code=_participant_code(n)) for n in range(count)]
    finally:
        app.extensions[EXTENSION]["engine"].dispose()


@contextmanager
def served(
    data_dir: Path, log: Path, env: Mapping[str, str] | None = None, args: tuple[str, ...] = ()
) -> Iterator[int]:
    """`deltaker serve` on a free port until the block ends; its log goes to ``log``."""
    with served_process(data_dir, log, env, args) as (port, _):
        yield port


@contextmanager
def served_process(
    data_dir: Path, log: Path, env: Mapping[str, str] | None = None, args: tuple[str, ...] = ()
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """:func:`served`, with the server's process (to signal it, or see what it started)."""
    port = free_port()
    with open(log, "wb") as sink:
        server = subprocess.Popen(
            [str(DELTAKER), "serve", "--data", str(data_dir), "--port", str(port), *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, DELTAKER_DEBUG="", **(env or {})),
        )
        try:
            wait_for(port)
            yield port, server
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                server.kill()  # a slow stop on a busy machine must not hide the test's result
                server.wait()

"""`deltaker serve --workers N`: N web processes under gunicorn, one job consumer beside them.

Each gunicorn worker builds its own app with the factory after the fork
(gunicorn's default, no ``preload_app``), so no database engine or connection
crosses a fork. Everything processes must share is already in the database or
the queue (sessions, rate limits, job state), so any worker may answer any
request. Queued jobs are run by ONE consumer, a `deltaker worker` process the
master starts when it listens and stops when it stops (it also stops if the
master is killed), not one per web process.

SIGINT (Ctrl+C) stops everything at once; SIGTERM stops it after the requests
in progress are answered (at most :data:`GRACEFUL_SECONDS`).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

#: how long SIGTERM waits for requests in progress before the workers are stopped
GRACEFUL_SECONDS = 10
#: a request that takes longer than this is stopped (and its worker replaced)
REQUEST_TIMEOUT_SECONDS = 120
#: prctl(2): deliver a signal to this process when its parent dies
_PR_SET_PDEATHSIG = 1
_FORWARDED = ("HTTP_X_FORWARDED_", "HTTP_FORWARDED")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def gunicorn_available() -> bool:
    """gunicorn runs on Linux (and other Unix systems); elsewhere waitress serves alone."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import gunicorn  # noqa: F401 - only whether it is installed
    except ImportError:
        return False
    return True


class DropForwarded:
    """WSGI middleware: remove X-Forwarded-* and Forwarded headers (no proxy is trusted).

    What waitress's ``clear_untrusted_proxy_headers`` does for one process: with
    ``PROXY_HOPS`` 0 nobody may tell the app another address or scheme.
    """

    def __init__(self, app: WSGIApp):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        for key in [k for k in environ if k.startswith(_FORWARDED)]:
            del environ[key]
        return self.app(environ, start_response)


def ready_app(config: dict[str, Any]) -> Flask:
    """The app built from ``config`` with every study loaded: a server fails before it
    listens, not on its first request (and that request is not slow)."""
    from webapp import create_app
    from webapp.study import preload_studies

    app = create_app(config)
    with app.app_context():
        preload_studies()
    return app


def build_wsgi(config: dict[str, Any]) -> WSGIApp:
    """The app one gunicorn worker serves (built in the worker, after the fork)."""
    from webapp.security import MaskedAccessLog

    app = ready_app({**config, "EMBEDDED_WORKER": False})
    wsgi: WSGIApp = MaskedAccessLog(app)
    return wsgi if app.config["PROXY_HOPS"] else DropForwarded(wsgi)


def _die_with_parent() -> None:
    """In the job consumer, before exec: SIGTERM when the master goes, however it goes."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux's libc: the master's on_exit still stops it
        pass


def job_consumer_command(config: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """`deltaker worker` on the same data folder, database and queue as the web processes."""
    command = [
        sys.executable,
        "-c",
        "from webapp.cli import main; main()",
        "worker",
        "--data",
        str(config["DATA_DIR"]),
    ]
    env = dict(os.environ)
    if config.get("DATABASE_URL"):
        # in the environment, not on the command line: `ps` shows a password in the URL
        env["DELTAKER_DATABASE_URL"] = str(config["DATABASE_URL"])
    env["DELTAKER_QUEUE_URL"] = str(config.get("QUEUE_URL") or "")
    return command, env


def serve_with_gunicorn(
    config: dict[str, Any], *, host: str, port: int, workers: int, threads: int
) -> None:
    """Serve with ``workers`` gunicorn processes of ``threads`` threads until stopped."""
    from gunicorn.app.base import BaseApplication

    consumer: list[subprocess.Popen[bytes]] = []
    run_jobs = bool(config.get("EMBEDDED_WORKER", True))

    def when_ready(server: Any) -> None:
        if run_jobs:
            command, env = job_consumer_command(config)
            consumer.append(subprocess.Popen(command, env=env, preexec_fn=_die_with_parent))
            server.log.info("job consumer: process %s", consumer[0].pid)

    def on_exit(server: Any) -> None:
        for process in consumer:
            if process.poll() is None:
                process.terminate()  # `deltaker worker` stops at once; jobs are taken up again
                try:
                    process.wait(timeout=GRACEFUL_SECONDS)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": REQUEST_TIMEOUT_SECONDS,
        "graceful_timeout": GRACEFUL_SECONDS,
        "keepalive": 5,
        "accesslog": None,  # MaskedAccessLog writes one line per request, tokens masked
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "deltaker",
        # the app's ProxyFix (PROXY_HOPS) alone decides whom to believe about the scheme
        "secure_scheme_headers": {},
        "forwarded_allow_ips": "",
        # gunicorn's control socket is one per user: two installs on a machine would collide
        "control_socket_disable": True,
        "when_ready": when_ready,
        "on_exit": on_exit,
    }

    class Deltaker(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> WSGIApp:
            return build_wsgi(config)

    # gunicorn installs its own handlers; signals inherited as blocked must reach them
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    Deltaker().run()

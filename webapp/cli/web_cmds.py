"""`deltaker serve` and `deltaker users add`: thin layers over the web app and webapp.staff."""

from __future__ import annotations

import logging
import signal
import sys

import click

from ..settings import Settings
from .common import printable, with_settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
#: waitress worker threads: enough for slow phones on a small server
SERVER_THREADS = 8


def _app_config(settings: Settings) -> dict[str, str | int]:
    return {
        "DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.db_url,
        "QUEUE_URL": settings.queue_url,
    }


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
@click.option(
    "--study",
    "study_dir",
    metavar="DIR",
    default=None,
    help="Serve this study folder (default: the study loaded into the database).",
)
@click.option(
    "--threads",
    default=SERVER_THREADS,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads answering requests (in each web process).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Web processes (more than 1: gunicorn on Linux; docs/deploy.md).",
)
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not run queued jobs in this process (run `deltaker worker` instead).",
)
@click.option(
    "--proxy-hops",
    type=click.IntRange(0, 10),
    default=None,
    help="Reverse proxies in front that set X-Forwarded-For (default: DELTAKER_PROXY_HOPS or 0).",
)
@with_settings
def serve(
    host: str,
    port: int,
    study_dir: str | None,
    threads: int,
    workers: int,
    no_worker: bool,
    proxy_hops: int | None,
    settings: Settings,
) -> None:
    """Serve the web app (citizens' pages and staff pages) with waitress.

    Unless --no-worker, queued jobs (letter runs, scan reading) run in threads of
    this process too, so nothing else needs to be started. With --workers N
    (N > 1, on Linux) gunicorn runs N web processes and one job consumer
    process beside them.
    """
    config = _app_config(settings)
    config["EMBEDDED_WORKER"] = not no_worker
    if study_dir:
        config["STUDY_DIR"] = study_dir
    if proxy_hops is not None:
        config["PROXY_HOPS"] = proxy_hops
    serve_app(config, host=host, port=port, threads=threads, workers=workers)


def serve_app(
    config: dict,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    threads: int = SERVER_THREADS,
    workers: int = 1,
) -> None:
    """Build the app from ``config`` and serve it until Ctrl+C (also used by `deltaker demo`)."""
    from waitress import serve as waitress_serve

    from webapp.security import MaskedAccessLog
    from webapp.serving import gunicorn_available, ready_app, serve_with_gunicorn

    several = workers > 1 and gunicorn_available()
    if workers > 1 and not several:
        click.echo(
            f"gunicorn runs on Linux only: one process with {threads * workers} threads instead.",
            err=True,
        )
        threads *= workers
    # the master checks everything before listening (the schema upgraded, the study there)
    app = ready_app({**config, "EMBEDDED_WORKER": False} if several else config)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr
    )
    if several:
        from webapp.database import EXTENSION

        app.extensions[EXTENSION]["engine"].dispose()  # each web process opens its own
        click.echo(
            f"Serving Deltaker on http://{host}:{port}/ with {workers} web processes "
            f"(gunicorn, {threads} threads each); press Ctrl+C to stop.",
            err=True,
        )
        serve_with_gunicorn(
            config,
            host=host,
            port=port,
            workers=workers,
            threads=threads,
        )
        return
    if app.config["EMBEDDED_WORKER"]:
        from webapp import jobs

        jobs.queue(app)  # its consumer starts now: jobs queued meanwhile run at once
    _stop_on_signals()
    click.echo(
        f"Serving Deltaker on http://{host}:{port}/ (staff: /staff/login); press Ctrl+C to stop.",
        err=True,
    )
    waitress_serve(
        MaskedAccessLog(app),
        host=host,
        port=port,
        threads=threads,
        ident="deltaker",
        _quiet=True,
        # waitress drops X-Forwarded-* by default; with trusted hops the app's
        # ProxyFix reads them (webapp/__init__.py), without any they stay dropped
        clear_untrusted_proxy_headers=not app.config["PROXY_HOPS"],
    )


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Ctrl+C and a service manager's SIGTERM stop the server cleanly (waitress shuts
    down on KeyboardInterrupt), even when the process was started with them ignored or
    blocked, as a shell's background job or a supervisor may start it."""
    stops = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_interrupt)


@click.group("users")
def users() -> None:
    """Staff accounts (recruiter, assistant, dpo, admin), with roles per study.

    A recruiter, assistant or dpo holds their role in the studies named with
    --study (repeatable) and sees only those studies' people, packs, jobs,
    scans, review tasks, exports and ledger entries. Without --study: the only
    loaded study, or every study when none is loaded yet; with several loaded,
    name them or give --all-studies. An admin is install-wide.
    """


_STUDY_HELP = "A study the role is given in (repeatable; see `deltaker users --help`)."
_ALL_HELP = "The role in every study, also those loaded later."


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, help="recruiter, assistant, dpo or admin.")
@click.option("--study", "studies", multiple=True, metavar="ID", help=_STUDY_HELP)
@click.option("--all-studies", is_flag=True, help=_ALL_HELP)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
@click.option(
    "--language",
    default=None,
    help="The staff pages' language: nb, nn or en (default: the browser's, else nb).",
)
@with_settings
def users_add(
    name: str,
    role: str,
    studies: tuple[str, ...],
    all_studies: bool,
    password_stdin: bool,
    language: str | None,
    settings: Settings,
) -> None:
    """Add a staff user; the password is asked for (or read from stdin)."""
    from intake.db import open_database, read_scope, session_scope
    from webapp import staff

    staff.check_role(role)
    engine = open_database(settings)
    try:
        staff.check_language(language)
        with read_scope(engine) as db:  # a wrong --study is said before the password is asked
            staff.check_new_role(db, role, studies, all_studies=all_studies)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        staff.check_password(password)
        with session_scope(engine) as db:
            user = staff.add_user(
                db,
                name,
                role,
                password,
                studies=studies,
                all_studies=all_studies,
                language=language,
            )
            where = staff.role_labels(db, user)
    finally:
        engine.dispose()
    click.echo(f"added {role} {name}: {where}")


@users.command("grant")
@click.argument("name")
@click.option("--role", required=True, help="recruiter, assistant or dpo.")
@click.option("--study", "studies", multiple=True, metavar="ID", help=_STUDY_HELP)
@click.option("--all-studies", is_flag=True, help=_ALL_HELP)
@with_settings
def users_grant(
    name: str, role: str, studies: tuple[str, ...], all_studies: bool, settings: Settings
) -> None:
    """Give an existing user a role in more studies (a role held there is replaced)."""
    from intake.db import open_database, session_scope
    from webapp import staff

    engine = open_database(settings)
    try:
        with session_scope(engine) as db:
            user = staff.find_user(db, name)
            staff.grant(db, user, role, studies, all_studies=all_studies)
            where = staff.role_labels(db, user)
    finally:
        engine.dispose()
    click.echo(f"{name}: {where}")


@users.command("revoke")
@click.argument("name")
@click.option("--study", "studies", multiple=True, metavar="ID", help="A study the role goes in.")
@click.option("--all-studies", is_flag=True, help="The install-wide role goes.")
@with_settings
def users_revoke(
    name: str, studies: tuple[str, ...], all_studies: bool, settings: Settings
) -> None:
    """Take a user's role away in some studies (their account stays)."""
    from intake.db import open_database, session_scope
    from webapp import staff

    engine = open_database(settings)
    try:
        with session_scope(engine) as db:
            user = staff.find_user(db, name)
            staff.revoke(db, user, studies, all_studies=all_studies)
            where = staff.role_labels(db, user)
    finally:
        engine.dispose()
    click.echo(f"{name}: {where}")


@users.command("list")
@with_settings
def users_list(settings: Settings) -> None:
    """List staff users, their roles and their studies."""
    from intake.db import open_database, read_scope
    from webapp import staff

    engine = open_database(settings)
    try:
        with read_scope(engine) as db:
            rows = [
                [
                    user.name,
                    user.role,
                    "active" if user.active else "disabled",
                    staff.role_labels(db, user),
                ]
                for user in staff.list_users(db)
            ]
    finally:
        engine.dispose()
    # no header line: scripts read this output as name, role, state, roles per study
    for row in rows:
        click.echo("\t".join(printable(v) for v in row))


COMMANDS: list[click.Command] = [serve, users]

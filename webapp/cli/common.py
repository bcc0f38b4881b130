"""What every `deltaker` command shares: the `--data` / `--db` options, and progress bars.

Where the data live is the app's :class:`webapp.settings.Settings`; this only
turns the options into one.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from ..settings import Settings


def with_settings(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command `--data` and `--db` and pass it a resolved ``settings``.

    The options may also stand before the command name (`deltaker --data X scan`);
    the ones given on the command win.
    """

    @click.option(
        "--data",
        "data_opt",
        metavar="DIR",
        default=None,
        help="Data folder (database, evidence, outputs). Env DELTAKER_DATA; default ./instance.",
    )
    @click.option(
        "--db",
        "db_opt",
        metavar="URL",
        default=None,
        help="Database URL. Env DELTAKER_DATABASE_URL; default SQLite in the data folder.",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, data_opt: str | None, db_opt: str | None, **kwargs: Any) -> Any:
        root = click.get_current_context().find_root()
        group_opts = root.obj or {}
        settings = Settings.resolve(
            data_opt or group_opts.get("data"), db_opt or group_opts.get("db")
        )
        return command(*args, settings=settings, **kwargs)

    return wrapper


def progress(iterable, *, length: int | None = None, label: str = ""):
    """A progress bar on a terminal, nothing when piped."""
    if sys.stderr.isatty():
        return click.progressbar(iterable, length=length, label=label, file=sys.stderr)
    return _Quiet(iterable)


class _Quiet:
    def __init__(self, iterable):
        self.iterable = iterable

    def __enter__(self):
        return self.iterable

    def __exit__(self, *exc):
        return False

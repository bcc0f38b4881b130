"""What every `deltaker` command shares: the `--data` / `--db` options, tables, progress bars.

Where the data live is the app's :class:`webapp.settings.Settings`; this only
turns the options into one.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Callable, Iterable, Sequence
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


#: C0 and C1 control characters, DEL, and the bidirectional overrides: printed raw,
#: a stored name could move the cursor, retitle the window, ring the bell or make
#: a line read backwards on the assistant's terminal (the import refuses them, but
#: a database may hold rows from elsewhere)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(value: object) -> str:
    """One table cell as the terminal may show it: control characters written as ``\\x1b``.

    A tab or a line break inside a value becomes a space, so a row stays one line
    and its columns stay apart.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    text = str(value).replace("\t", " ").replace("\r\n", " ").replace("\n", " ")
    return _UNPRINTABLE.sub(_escaped, text)


def echo_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    aligned: bool = False,
    empty: str | None = None,
) -> None:
    """Print a table, every cell through :func:`printable`.

    Tab-separated (reads on a terminal and pastes into a spreadsheet), or with
    ``aligned`` in padded columns; ``empty`` is printed when there are no rows.
    """
    cells = [[printable(v) for v in row] for row in rows]
    if aligned:
        widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

        def line(values: Sequence[str]) -> str:
            return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    else:

        def line(values: Sequence[str]) -> str:
            return "\t".join(values)

    click.echo(line([printable(h) for h in headers]))
    for row in cells:
        click.echo(line(row))
    if not cells and empty is not None:
        click.echo(empty)


def cli_actor(by: str | None) -> str:
    """Who a command's export is logged as: ``--by NAME``, else ``cli:<os user>``."""
    import getpass

    if by:
        return by
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name for this uid (some containers)
        return "cli:?"

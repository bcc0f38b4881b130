"""The `deltaker` command line: a thin click layer over one domain function per command.

Each area keeps its commands in its own module below (``COMMANDS`` lists them);
this group only gathers them and turns user errors into one clear line.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from forms.errors import BusyError, ExitCode, ProblemsReported, UserError

from . import (
    consent_cmds,
    demo_cmd,
    followup_cmds,
    forms_cmds,
    intake_cmds,
    jobs_cmds,
    printing_cmds,
    records_cmds,
    scan_cmds,
    web_cmds,
)

AREAS = (
    forms_cmds,
    intake_cmds,
    printing_cmds,
    scan_cmds,
    consent_cmds,
    web_cmds,
    demo_cmd,
    followup_cmds,
    records_cmds,
    jobs_cmds,
)


class _Group(click.Group):
    """The `deltaker` group: a command that has printed its problems ends with their code.

    ProblemsReported becomes click's own Exit here rather than in main, so click's
    test runner sees the same exit code a shell does.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProblemsReported as exc:
            raise click.exceptions.Exit(exc.exit_code) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", metavar="DIR", default=None, help="Data folder (also per command).")
@click.option("--db", metavar="URL", default=None, help="Database URL (also per command).")
@click.version_option(package_name="deltaker")
@click.pass_context
def cli(ctx: click.Context, data: str | None, db: str | None) -> None:
    """Deltaker: letters, consent forms and questionnaires on paper and on the web."""
    ctx.obj = {"data": data, "db": db}


for _area in AREAS:
    for _command in _area.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point, and the one place exceptions become exit codes (see ExitCode).

    User errors become one line on stderr and the code their class carries.
    """
    try:
        # Without standalone mode click returns an Exit's code instead of exiting.
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(ExitCode.BAD_INPUT)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UserError as exc:
        if exc.message:
            click.echo(f"error: {exc.format()}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        if os.environ.get("DELTAKER_DEBUG"):
            raise
        busy = _busy(exc)
        if busy is not None:
            click.echo(f"error: {busy.format()}", err=True)
            sys.exit(busy.exit_code)
        click.echo(
            f"error: internal error ({type(exc).__name__}: {exc}); "
            "run again with DELTAKER_DEBUG=1 for details",
            err=True,
        )
        sys.exit(ExitCode.INTERNAL_ERROR)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)


def _busy(exc: Exception) -> BusyError | None:
    """A database lock held past the busy timeout, as a user error a script can retry on."""
    text = str(exc).lower()
    if "database is locked" in text or "lock timeout" in text:
        return BusyError("the database is busy (locked by another deltaker process); try again")
    return None

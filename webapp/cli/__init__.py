"""The `deltaker` command line: a thin click layer over one domain function per command.

Each area keeps its commands in its own module below (``COMMANDS`` lists them);
this group only gathers them and turns user errors into one clear line.
"""

from __future__ import annotations

import os
import sys

import click

from forms.errors import UserError

from . import (
    consent_cmds,
    demo_cmd,
    followup_cmds,
    forms_cmds,
    intake_cmds,
    printing_cmds,
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
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    """Entry point: user errors become one line on stderr and a non-zero exit."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UserError as exc:
        click.echo(f"error: {exc.format()}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        if os.environ.get("DELTAKER_DEBUG"):
            raise
        click.echo(
            f"error: internal error ({type(exc).__name__}: {exc}); "
            "run again with DELTAKER_DEBUG=1 for details",
            err=True,
        )
        sys.exit(70)

"""Intake commands: database, studies, participants, review queue, export.

Each command parses its options, calls one function in ``intake`` and prints
the result; errors are UserError subclasses shown as one line by main().
"""

from __future__ import annotations

import click

from .common import with_settings


@click.group("db")
def db_group() -> None:
    """The database: schema upgrades."""


@db_group.command("upgrade")
@with_settings
def db_upgrade(settings) -> None:
    """Create or upgrade the database schema to the newest version."""
    from intake.db import current_revisions, open_database

    engine = open_database(settings)
    try:
        click.echo(f"Database is at schema version {', '.join(sorted(current_revisions(engine)))}.")
    finally:
        engine.dispose()


COMMANDS: list[click.Command] = [db_group]

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


@click.group("study")
def study_group() -> None:
    """Studies in the database."""


@study_group.command("load")
@click.argument("study_dir", type=click.Path(file_okay=False))
@with_settings
def study_load(settings, study_dir: str) -> None:
    """Load or update a study: new form versions are added, old ones kept."""
    from forms.load import load_study
    from intake.db import open_database, session_scope
    from intake.studies import load_study_into_db

    study = load_study(study_dir)
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            report = load_study_into_db(session, study)
    finally:
        engine.dispose()
    for form, version in report.added:
        click.echo(f"added   {form} version {version}")
    for form, version in report.unchanged:
        click.echo(f"same    {form} version {version}")
    click.echo(f"Study '{report.study}' loaded: {len(report.added)} new form version(s).")


COMMANDS: list[click.Command] = [db_group, study_group]

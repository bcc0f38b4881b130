"""Recruitment follow-up commands: reminders and the recruitment overview.

Each command parses its options, calls one function in ``intake`` and prints
the result; ``--now`` moves the clock (for a rehearsal, and for tests).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from forms.errors import UserError

from .common import cli_actor, printable, with_settings


class FollowUpUsageError(UserError):
    """A follow-up command was called with options that do not go together."""


def _parse_now(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FollowUpUsageError(
            f"--now {value!r} is not a date or time like 2026-11-21 or 2026-11-21T14:30"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@click.command("reminders")
@click.option(
    "--after",
    "after",
    type=int,
    required=True,
    metavar="DAYS",
    help="Remind people whose last letter is at least DAYS old.",
)
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, help="FILE.pdf")
@click.option(
    "--max",
    "max_reminders",
    type=int,
    default=1,
    show_default=True,
    help="Never more than this many reminders per person.",
)
@click.option("--group", default=None, help="Only participants in this group.")
@click.option(
    "--dry-run", is_flag=True, help="Only list who would get one, and why not the others."
)
@click.option(
    "--large-print/--no-large-print",
    "large_print",
    default=None,
    help="Large (18 pt) or standard print for everybody (default: each person's format profile).",
)
@click.option(
    "--now",
    "now",
    default=None,
    metavar="WHEN",
    help="Pretend it is this date or time (UTC), e.g. 2026-12-24.",
)
@click.option("--by", "actor", default=None, help="Your name (recorded with each reminder).")
@click.option("--study", "study_key", default=None, help="Study id (if several are loaded).")
@click.option(
    "--study-dir",
    default=None,
    type=click.Path(file_okay=False),
    help="The study folder, if it moved since `deltaker study load`.",
)
@click.option("--force", is_flag=True, help="Overwrite FILE.pdf if it exists.")
@with_settings
def reminders(
    settings,
    after,
    out,
    max_reminders,
    group,
    dry_run,
    large_print,
    now,
    actor,
    study_key,
    study_dir,
    force,
) -> None:
    """Reminder letters for people who were sent a letter and have not answered."""
    from intake.db import open_database
    from intake.reminders import ReminderRun
    from privacy.exports import reminders as send_reminders

    if not dry_run and not out:
        raise FollowUpUsageError("say where to write the PDF with --out FILE.pdf (or --dry-run)")
    if out and not out.lower().endswith(".pdf"):
        raise FollowUpUsageError(f"--out {out}: the file name must end in .pdf")
    run = ReminderRun(
        out=Path(out or "reminders.pdf"),
        after_days=after,
        max_reminders=max_reminders,
        group=group,
        dry_run=dry_run,
        now=_parse_now(now),
        profile=None if large_print is None else ("large" if large_print else "standard"),
        study_key=study_key,
        study_dir=study_dir,
        actor=actor,
        force=force,
    )
    engine = open_database(settings)
    try:
        result = send_reminders(engine, settings.data_dir, run, actor=cli_actor(actor))
    finally:
        engine.dispose()
    plan = result.plan
    if dry_run:
        click.echo(f"Would remind {len(plan.selected)} people (dry run: nothing printed):")
        for choice in plan.selected:
            click.echo(f"  {printable(choice.code)}")
        if plan.left_out:
            click.echo(f"Not reminded ({len(plan.left_out)}):")
            for choice in plan.left_out:
                click.echo(f"  {printable(choice.code)}: {printable(choice.reason)}")
        return
    click.echo(f"Printed {len(result.sent)} reminders, {result.pages} pages: {result.out}")
    if plan.left_out:
        click.echo(f"Not reminded: {len(plan.left_out)} (see --dry-run for why)")


@click.group("report")
def report_group() -> None:
    """Reports about the study (counts only, never names)."""


@report_group.command("recruitment")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True, help="FILE.pdf")
@click.option(
    "--chart",
    "chart",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the chart on its own (FILE.png or FILE.svg).",
)
@click.option("--study", "study_key", default=None, help="Study id (if several are loaded).")
@click.option("--force", is_flag=True, help="Overwrite the files if they exist.")
@with_settings
def report_recruitment(settings, out, chart, study_key, force) -> None:
    """The recruitment overview: per group and per week, as a chart and a table."""
    from intake.db import open_database, read_scope
    from intake.recruitment import recruitment_overview
    from intake.recruitment_report import render_chart, write_recruitment_pdf
    from intake.studies import get_study
    from intake.tables import atomic_path

    if not out.lower().endswith(".pdf"):
        raise FollowUpUsageError(f"--out {out}: the file name must end in .pdf")
    fmt = None
    if chart:
        fmt = Path(chart).suffix.lower().lstrip(".")
        if fmt not in ("png", "svg"):
            raise FollowUpUsageError(f"--chart {chart}: the file name must end in .png or .svg")
    engine = open_database(settings)
    try:
        with read_scope(engine) as session:
            overview = recruitment_overview(session, get_study(session, study_key))
    finally:
        engine.dispose()
    write_recruitment_pdf(overview, Path(out), force=force)
    click.echo(f"Wrote the recruitment overview to {out}")
    if chart and fmt:
        with atomic_path(Path(chart), force=force) as tmp:
            tmp.write_bytes(render_chart(overview, fmt))
        click.echo(f"Wrote the chart to {chart}")


COMMANDS: list[click.Command] = [reminders, report_group]

"""Intake commands: database, studies, participants, review queue, export.

Each command parses its options, calls one function in ``intake`` and prints
the result; errors are UserError subclasses shown as one line by main().
"""

from __future__ import annotations

from pathlib import Path

import click

from forms.errors import UserError

from .common import cli_actor, echo_table, progress, with_settings


def _progress_rows(rows, length: int, label: str):
    """Rows passed through a progress bar (shown on a terminal only)."""
    with progress(rows, length=length, label=label) as bar:
        yield from bar


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


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


@click.group("participants")
def participants_group() -> None:
    """People asked to take part: import and list."""


@participants_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--group", default=None, help="Group for rows that name none (e.g. families).")
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid rows; write the rejected ones to --rejected-out.",
)
@click.option(
    "--rejected-out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Where rejected rows go (default: FILE.rejected.csv beside FILE).",
)
@with_settings
def participants_import(
    settings,
    file: str,
    group: str | None,
    study_key: str | None,
    skip_invalid: bool,
    rejected_out: str | None,
) -> None:
    """Import people from .xlsx or .csv: all or nothing unless --skip-invalid.

    \b
    Columns (Norwegian or English headers, any order, other columns ignored):
      navn/name (needed), adresse/address, postnummer/postcode, poststed/city,
      språk/language (nb, nn, en), gruppe/group, telefon/phone, e-post/email.
    Everyone needs a full postal address, a phone number or an e-mail.
    CSV in UTF-8 or Windows-1252, comma or semicolon; at most 20,000 people.
    The same name and address, phone or e-mail twice (in the file or already
    stored) is refused. Every problem is listed with its row number.
    """
    from pathlib import Path

    from intake.db import open_database, session_scope
    from intake.participants import (
        ParticipantImportError,
        import_participants,
        read_table_isolated,
        rejected_table,
    )
    from intake.studies import StudyNotFound, get_study
    from intake.tables import write_csv

    def checked(count: int) -> None:
        click.echo(f"Checked the file: {_people(count)} to store.")

    # Parse the file first (in a worker with limits), so no database lock is held meanwhile.
    table = read_table_isolated(file)
    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            try:
                study = get_study(session, study_key)
            except StudyNotFound:
                if study_key is not None:
                    raise
                study = None  # no study loaded yet: people are stored without one
            try:
                result = import_participants(
                    session,
                    file,
                    study=study,
                    group=group,
                    skip_invalid=skip_invalid,
                    on_checked=checked,
                    table=table,
                )
            except ParticipantImportError as exc:
                for problem in exc.problems:
                    click.echo(f"{file}: {problem.format()}", err=True)
                raise
    finally:
        engine.dispose()
    click.echo(f"Imported {_people(len(result.imported))}.")
    if result.rejected:
        out = Path(rejected_out or f"{file}.rejected.csv")
        headers, rows = rejected_table(result)
        write_csv(out, headers, rows, force=True)
        click.echo(f"Rejected {len(result.rejected)} rows; written to {out}.")


@participants_group.command("list")
@click.option("--with-contacts", is_flag=True, help="Show names and addresses (logged).")
@click.option("--by", "actor", default=None, help="Who asks (logged with --with-contacts).")
@with_settings
def participants_list(settings, with_contacts: bool, actor: str | None) -> None:
    """Codes, group, language and status of everyone imported."""
    from intake.db import open_database, session_scope
    from intake.participants import participants_table
    from privacy.exports import participants_with_contacts

    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            if with_contacts:
                headers, rows = participants_with_contacts(session, actor=cli_actor(actor))
            else:
                headers, lazy_rows = participants_table(session)
                rows = list(lazy_rows)
    finally:
        engine.dispose()
    echo_table(headers, rows)
    click.echo(f"{_people(len(rows))}.", err=True)


_CHOICES = {"yes": True, "no": False, "default": None}


@participants_group.command("profile")
@click.argument("code")
@click.option("--lang", "language", default=None, help="The person's language (nb, nn, en...).")
@click.option(
    "--large-print/--no-large-print", "large_print", default=None, help="Large print or not."
)
@click.option(
    "--two-sided",
    type=click.Choice(list(_CHOICES)),
    default=None,
    help="yes: two-sided; no: one-sided (a blank back after every page); default: as the run.",
)
@click.option(
    "--easy-read",
    type=click.Choice(list(_CHOICES)),
    default=None,
    help="yes: easy-read variants; no: standard text; default: the study's default.",
)
@click.option("--by", "actor", default=None, help="Who changes it (default: your user name).")
@with_settings
def participants_profile(
    settings, code, language, large_print, two_sided, easy_read, actor
) -> None:
    """Show CODE's format profile, or change what the options say (docs/printing.md)."""
    import dataclasses

    from sqlalchemy import select

    from intake.db import open_database, session_scope
    from intake.format_profiles import FormatProfileError, profile_of, set_profile
    from intake.models import Participant, StudyRecord

    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            person = session.scalars(select(Participant).where(Participant.code == code)).first()
            if person is None:
                raise FormatProfileError(f"no participant {code}")
            profile = profile_of(person)
            changes: dict = {}
            if language is not None:
                record = session.get(StudyRecord, person.study_id) if person.study_id else None
                offered = (record.definition or {}).get("languages") or () if record else ()
                if offered and language not in offered:
                    raise FormatProfileError(
                        f"--lang {language}: the study is offered in {', '.join(offered)}"
                    )
                changes["language"] = language
            if large_print is not None:
                changes["large_print"] = large_print
            if two_sided is not None:
                changes["two_sided"] = _CHOICES[two_sided]
            if easy_read is not None:
                changes["easy_read"] = _CHOICES[easy_read]
            if changes:
                wanted = dataclasses.replace(profile, **changes)
                profile = set_profile(session, person, wanted, actor=cli_actor(actor))
    finally:
        engine.dispose()
    click.echo(f"{code}: {profile.describe()}")


@click.group("review")
def review_group() -> None:
    """The review queue: uncertain marks, handwriting, unknown pages, conflicts."""


@review_group.command("list")
@click.option("--all", "include_done", is_flag=True, help="Also show resolved tasks.")
@with_settings
def review_list(settings, include_done: bool) -> None:
    """Open review tasks (participant codes only)."""
    from intake.db import open_database, read_scope
    from intake.review import tasks_table

    engine = open_database(settings)
    try:
        with read_scope(engine) as session:
            headers, rows = tasks_table(session, include_done=include_done)
    finally:
        engine.dispose()
    echo_table(headers, rows)
    click.echo(f"{len(rows)} task(s).", err=True)


@review_group.command("resolve")
@click.argument("task_id", type=int)
@click.option(
    "--value",
    required=True,
    help="The right answer: choices 'a,b', text, 'discard', 'keep-both'/'paper'/'web', "
    "or JSON to assign a page.",
)
@click.option("--by", "by", required=True, help="Who resolves it (recorded).")
@with_settings
def review_resolve(settings, task_id: int, value: str, by: str) -> None:
    """Resolve one review task, recording who, when, the old and the new value."""
    from intake.db import open_database, session_scope
    from intake.review import parse_value, resolve_task

    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            task = resolve_task(session, task_id, parse_value(value), by=by)
            status = task.response.status if task.response is not None else None
    finally:
        engine.dispose()
    tail = f"; the response is now {status}" if status else ""
    click.echo(f"Task {task_id} resolved by {by}{tail}.")


@click.command("export")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="results.xlsx (or results.csv: one CSV per sheet, results.<sheet>.csv; "
    "results.sav / results.dta: one SPSS / Stata file per form, results.<form>.sav).",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["xlsx", "csv", "sav", "dta"]),
    default=None,
    help="Default: from the file name.",
)
@click.option("--labels", is_flag=True, help="Show choice labels instead of stored values.")
@click.option(
    "--with-contacts",
    is_flag=True,
    help="Add names and addresses to the participants sheet (logged).",
)
@click.option(
    "--sep", default=",", show_default=True, help="CSV separator (';' for Norwegian Excel)."
)
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@click.option("--by", "actor", default=None, help="Who exports (logged; default: your user name).")
@click.option(
    "--background",
    is_flag=True,
    help="Queue the export as a job and print its id (see `deltaker jobs`).",
)
@with_settings
def export_cmd(
    settings,
    out: str,
    file_format: str | None,
    labels: bool,
    with_contacts: bool,
    sep: str,
    force: bool,
    study_key: str | None,
    actor: str | None,
    background: bool,
) -> None:
    """Write the results workbook: a sheet per form, codebook, consent, review, participants.

    With --format sav or dta (or a .sav / .dta file name): one labelled SPSS or
    Stata file per form instead (docs/export.md). With --background the export
    is a job: its id is printed and `deltaker jobs wait ID` follows it.
    """
    from intake.db import open_database, read_scope
    from intake.spreadsheet import response_counts
    from intake.statfiles import STAT_FORMATS
    from intake.studies import get_study
    from privacy.exports import results

    fmt = (file_format or Path(out).suffix.lstrip(".")).lower()
    if fmt in STAT_FORMATS and (labels or with_contacts):
        raise UserError(
            f"--labels and --with-contacts are for xlsx and csv; a .{fmt} file always "
            "carries value labels and never names"
        )
    if background:
        from intake.tables import check_output

        from .jobs_cmds import submit

        target = Path(out).resolve()
        check_output(target, force=force)  # the main file; the job checks the others
        arguments = {
            "out": str(target),
            "file_format": file_format,
            "labels": labels,
            "with_contacts": with_contacts,
            "sep": sep,
            "force": force,
            "study": study_key,
            "actor": cli_actor(actor),
        }
        submit(settings, "export", arguments)
        return
    engine = open_database(settings)
    try:
        with read_scope(engine) as session:
            counts = response_counts(session, get_study(session, study_key))

        def with_progress(title, rows):
            if title not in counts:
                return rows
            return _progress_rows(rows, counts[title], f"{title:<12}")

        result = results(
            engine,
            out,
            actor=cli_actor(actor),
            study_key=study_key,
            file_format=file_format,
            labels=labels,
            with_contacts=with_contacts,
            sep=sep,
            force=force,
            wrap_rows=with_progress,
        )
    finally:
        engine.dispose()
    for title, count in result.rows.items():
        click.echo(f"{title}: {count} rows")
    click.echo("Wrote " + ", ".join(str(f) for f in result.files))


@review_group.command("image")
@click.argument("task_id", type=int)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the image (the field's crop, else the page).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--by", "actor", default=None, help="Who looks (logged; default: your user name).")
@with_settings
def review_image(settings, task_id: int, out: str, force: bool, actor: str | None) -> None:
    """Write the image a review task is about, to look at it before resolving."""
    from pathlib import Path

    from intake.db import open_database, session_scope
    from intake.evidence import EvidenceStore
    from privacy.exports import review_image

    engine = open_database(settings)
    try:
        with session_scope(engine) as session:
            digest, size = review_image(
                session,
                EvidenceStore(settings.data_dir),
                task_id,
                Path(out),
                actor=cli_actor(actor),
                force=force,
            )
    finally:
        engine.dispose()
    click.echo(f"Wrote {out} ({size:,} bytes, sha256 {digest[:12]}...).")


COMMANDS: list[click.Command] = [
    db_group,
    study_group,
    participants_group,
    review_group,
    export_cmd,
]

"""Consent records (ISO/IEC TS 27560) and the record of processing (GDPR Art. 30).

`deltaker consent records` and `deltaker audit processing`: each parses its
options and calls one function in privacy/dpo_files.py, which writes the file
and logs the export itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from forms.errors import ProblemsReported, UserError

from .common import cli_actor, with_settings
from .consent_cmds import _engine, audit_group, consent_group


class RecordsFileError(UserError):
    """The file given to --check is not a consent records file."""


@consent_group.command("records")
@click.option(
    "--out", "out", default=None, type=click.Path(dir_okay=False), help="FILE.jsonld to write."
)
@click.option("--participant", default=None, help="Only this participant code.")
@click.option(
    "--check",
    "check",
    default=None,
    type=click.Path(dir_okay=False),
    help="Instead: check a records file written earlier against the ledger.",
)
@click.option(
    "--by",
    "actor",
    default=None,
    help="Who asks (the records name participant codes: logged; default cli:<your user>).",
)
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option(
    "--background",
    is_flag=True,
    help="Queue the export as a job and print its id (see `deltaker jobs`).",
)
@with_settings
def consent_records(settings, out, participant, check, actor, study_key, force, background) -> None:
    """Consent records in the ISO/IEC TS 27560 shape (DPV JSON-LD), one per person and item.

    Each record names the ledger hash of its last event, so `--check FILE`
    (or `deltaker audit verify`) shows whether the ledger still agrees.
    With --background the export is a job: its id is printed.
    """
    from intake.db import read_scope, session_scope
    from privacy.dpo_files import check_records_file, write_consent_records

    if background:
        _queue_records(settings, out, participant, check, actor, study_key, force)
        return
    if check is not None:
        try:
            document = json.loads(Path(check).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RecordsFileError(
                f"--check {check}: not a readable JSON-LD file ({exc})"
            ) from None
        if not isinstance(document, dict) or not isinstance(document.get("@graph"), list):
            raise RecordsFileError(f"--check {check}: no '@graph' of consent records in it")
        with _engine(settings) as engine, read_scope(engine) as session:
            problems = check_records_file(session, document)
        for problem in problems:
            click.echo(f"DISAGREES: {problem}", err=True)
        if problems:
            raise ProblemsReported()
        click.echo(f"ok: {len(document['@graph'])} record(s) agree with the ledger")
        return
    if out is None:
        raise click.UsageError("give --out FILE.jsonld (or --check FILE.jsonld)")
    with _engine(settings) as engine, session_scope(engine) as session:
        written = write_consent_records(
            session,
            Path(out),
            actor=cli_actor(actor),
            study=study_key,
            participant=participant,
            force=force,
        )
    click.echo(
        f"Wrote {written.path}: {written.records} consent record(s) "
        f"for {written.participants} participant(s)"
    )


def _queue_records(settings, out, participant, check, actor, study_key, force) -> None:
    """`consent records --background`: check the file name now, then queue the export."""
    from intake.tables import check_output
    from privacy.dpo_files import RECORDS_SUFFIX, WrongSuffix

    from .jobs_cmds import submit

    if check is not None:
        raise click.UsageError("--check answers at once; leave --background out")
    if out is None:
        raise click.UsageError("give --out FILE.jsonld")
    target = Path(out).resolve()
    if target.suffix.lower() != RECORDS_SUFFIX:
        raise WrongSuffix(f"--out {out}: consent records are written as a {RECORDS_SUFFIX} file")
    check_output(target, force=force)
    arguments = {
        "out": str(target),
        "participant": participant,
        "study": study_key,
        "actor": cli_actor(actor),
        "force": force,
    }
    submit(settings, "consent_records", arguments)


@audit_group.command("processing")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="FILE.pdf or FILE.xlsx."
)
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@with_settings
def audit_processing(settings, out, study_key, force) -> None:
    """The record of processing activities (GDPR Art. 30), from the study's definition."""
    from intake.db import read_scope
    from privacy.dpo_files import write_processing_record

    with _engine(settings) as engine, read_scope(engine) as session:
        facts = write_processing_record(session, Path(out), study=study_key, force=force)
    click.echo(
        f"Wrote {out}: record of processing for {facts.key} "
        f"({len(facts.purposes)} consent item(s), {len(facts.data_categories)} categories of data)"
    )


#: Registered on the consent and audit groups above; nothing new at the top level.
COMMANDS: list[click.Command] = []

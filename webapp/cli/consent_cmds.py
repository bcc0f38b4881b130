"""Consent commands: withdraw, status, erase, audit, access requests, retention.

Each command parses its options, calls one function in ``consent`` and prints
the result; errors are UserError subclasses shown as one line by main().
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from pathlib import Path

import click

from consent.chain import Verification
from forms.errors import ProblemsReported

from .common import cli_actor, echo_table, printable, with_settings


@contextmanager
def _engine(settings):
    from intake.db import open_database

    engine = open_database(settings)
    try:
        yield engine
    finally:
        engine.dispose()


def _parse_when(value: str | None, option: str = "--when") -> dt.datetime:
    from consent.events import ConsentError

    if not value:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ConsentError(
            f"{option} {value!r} is not a date or time like 2026-11-21 or 2026-11-21T14:30"
        ) from None
    # a time typed without a zone is the staff member's own clock (this machine's zone)
    return moment if moment.tzinfo else moment.astimezone()


@click.group("consent")
def consent_group() -> None:
    """Who agreed to what: withdraw consent, show the current status."""


@consent_group.command("withdraw")
@click.argument("participant")
@click.argument("items", nargs=-1)
@click.option(
    "--channel",
    type=click.Choice(["phone", "staff", "paper", "web"]),
    default="phone",
    show_default=True,
    help="How the person told us.",
)
@click.option("--note", default=None, help="What the person said (required for phone/staff).")
@click.option("--by", "actor", required=True, help="Your name: the staff member recording this.")
@click.option(
    "--when",
    default=None,
    help="When the person told us, local time: 2026-11-21 or 2026-11-21T14:30 (default: now).",
)
@click.option("--page-sha256", default=None, help="Paper: the scanned slip's SHA-256.")
@click.option("--submission", default=None, help="Web: the submission id.")
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@with_settings
def consent_withdraw(
    settings, participant, items, channel, note, actor, when, page_sha256, submission, study_key
) -> None:
    """Record that PARTICIPANT withdraws consent to ITEMS (none given: every item).

    When this takes back something the study requires, or everything, the person
    leaves the study: no more letters or reminders, and under the study's delete
    policy their data are erased at once.
    """
    from intake.db import session_scope
    from intake.studies import load_policy
    from privacy.withdrawal import withdraw_and_erase

    evidence = {
        k: v
        for k, v in (("note", note), ("page_sha256", page_sha256), ("submission_id", submission))
        if v
    }
    with _engine(settings) as engine:
        with session_scope(engine) as session:
            policy = load_policy(session, study_key)
            result = withdraw_and_erase(
                session,
                policy=policy,
                participant=participant,
                items=items,
                channel=channel,
                actor=actor,
                evidence=evidence,
                occurred_at=_parse_when(when),
            )
        if result.erasure is not None:
            from privacy.inventory import scrub_database

            scrub_database(engine)
    if result.erasure is not None:
        from privacy.inventory import remove_files

        remove_files(settings.data_dir, result.erasure.files)
    click.echo(result.summary())


@consent_group.command("status")
@click.argument("participant", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per participant and item.")
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@with_settings
def consent_status(settings, participant, as_json, study_key) -> None:
    """The current consent of PARTICIPANT (or everyone) per item, with the event behind it."""
    from intake.db import read_scope
    from privacy.audit import status_rows

    with _engine(settings) as engine, read_scope(engine) as session:
        headers, rows = status_rows(session, participant=participant, study=study_key)
    if as_json:
        for row in rows:
            click.echo(json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False))
        return
    echo_table(headers, rows, aligned=True, empty="(nobody yet)")


@consent_group.command("history")
@click.argument("participant")
@with_settings
def consent_history(settings, participant) -> None:
    """Every ledger event about PARTICIPANT: when, what, how, on which text, the evidence."""
    from intake.db import read_scope
    from privacy.audit import history_rows

    with _engine(settings) as engine, read_scope(engine) as session:
        headers, rows = history_rows(session, participant)
    echo_table(headers, rows, aligned=True, empty="(no events yet)")


@consent_group.command("changes")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per change.")
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@with_settings
def consent_changes_cmd(settings, as_json, study_key) -> None:
    """What changed between the two newest versions of each consent form, and who it affects.

    Prints a diff per item and language, then the people whose current grant
    rests on an older text (those a re-consent letter would go to) and why the
    contact rule leaves out the others.
    """
    from intake.contact import Reason
    from intake.db import read_scope
    from intake.reconsent import (
        WHOLE_FORM,
        consent_changes,
        marked_changes,
        reconsent_plan,
    )
    from intake.studies import get_study

    with _engine(settings) as engine, read_scope(engine) as session:
        study = get_study(session, study_key)
        changes = consent_changes(session, study)
        marks = marked_changes(session, study)
        plan = reconsent_plan(session, study)
        material = reconsent_plan(session, study, material=True)
    mark_of = {(m.form, m.new_version, m.item): m for m in marks}
    if as_json:
        for change in changes:
            mark = mark_of.get(
                (change.form, change.new_version, change.consent_item or change.form)
            )
            click.echo(
                json.dumps(
                    {
                        "form": change.form,
                        "old_version": change.old_version,
                        "new_version": change.new_version,
                        "part": change.part,
                        "consent_item": change.consent_item,
                        "language": change.language,
                        "old": change.old,
                        "new": change.new,
                        "diff": change.diff,
                        "kind": str(mark.kind) if mark else None,
                        "marked": bool(mark and mark.marked),
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not changes:
        click.echo("No consent text has changed: each consent form has one version loaded.")
    for change in changes:
        item = change.consent_item or WHOLE_FORM
        click.echo(
            f"{change.form} {change.old_version} -> {change.new_version}: "
            f"{change.part} (consent item {item}), {change.language}"
        )
        for line in change.diff[2:]:  # the two file-name lines say what the heading says
            click.echo(printable(f"    {line}"))
    if marks:
        click.echo("Marks (study.yaml consent_changes):")
    for mark in marks:
        said = (
            f"{mark.kind}: {mark.reason}"
            if mark.marked
            else "not marked, counts as material (add it to consent_changes in study.yaml)"
        )
        click.echo(
            printable(
                f"  {mark.form} {mark.old_version} -> {mark.new_version}: {mark.item}: {said}"
            )
        )
    writable = [c for c in plan if c.reason == Reason.MAY_SEND]
    click.echo(
        f"Grants resting on an older text: {len(plan)} people, {len(writable)} may be written to."
    )
    for candidate in plan:
        click.echo(
            printable(
                f"  {candidate.code}: {', '.join(candidate.items)} on "
                f"{', '.join(candidate.on_versions)}: {candidate.reason}"
            )
        )
    letters = [c for c in material if c.selected]
    click.echo(
        f"Re-consent letters (material changes): {len(letters)} people "
        "(deltaker letters --reconsent --out FILE.pdf)."
    )


#: Where erasure receipts go by default, inside the data folder (codes only, no names).
RECEIPTS_FOLDER = "receipts"


@click.command("erase")
@click.argument("participant")
@click.option("--by", "actor", required=True, help="Your name: the staff member erasing.")
@click.option("--reason", required=True, help="Why (e.g. 'asked to be deleted on the phone').")
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@click.option(
    "--receipt",
    "receipt_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the erasure receipt PDF (default: receipts/ in the data folder).",
)
@with_settings
def erase_cmd(settings, participant, actor, reason, study_key, receipt_path) -> None:
    """Erase PARTICIPANT: contact details, answers, page images, crops, overlays, uploads.

    Only an 'erase' event with the participant code stays in the consent ledger.
    Ends with an erasure receipt (PDF) for the data protection officer.
    """
    from intake.db import session_scope
    from privacy.erasure import erase
    from privacy.inventory import remove_files, scrub_database

    with _engine(settings) as engine:
        with session_scope(engine) as session:
            result = erase(
                session, participant=participant, actor=actor, reason=reason, study=study_key
            )
        scrub_database(engine)
    removed = remove_files(settings.data_dir, result.files)
    if result.already:
        click.echo(result.summary())
        return
    from privacy.erasure import receipt
    from privacy.exports import erasure_receipt

    out = receipt_path or (
        settings.data_dir / RECEIPTS_FOLDER / f"erasure-{participant}-{result.event_seq}.pdf"
    )
    with _engine(settings) as engine, session_scope(engine) as session:
        erasure_receipt(
            session, receipt(result, removed), out, actor=actor, participant=result.participant
        )
    click.echo(f"{result.summary()} ({removed.summary()})")
    click.echo(f"Erasure receipt: {out}")


@click.group("audit")
def audit_group() -> None:
    """For the data protection officer: check the ledger, write the report."""


@audit_group.command("verify")
@click.option(
    "--checkpoint",
    default=None,
    metavar="HASH:COUNT",
    help="A head hash and count written down earlier (deltaker audit checkpoint).",
)
@click.option(
    "--evidence",
    is_flag=True,
    help="Also check that every scanned page and signature crop an event names is "
    "still stored and unaltered.",
)
@with_settings
def audit_verify(settings, checkpoint, evidence) -> None:
    """Recompute the consent ledger's hash chain; exit 1 naming the first altered event."""
    from consent import ledger
    from consent.chain import Checkpoint
    from intake.db import read_scope
    from intake.evidence import EvidenceStore
    from intake.models import Participant
    from privacy.audit import check_evidence

    point = Checkpoint.parse(checkpoint) if checkpoint else None
    problems = []
    with _engine(settings) as engine, read_scope(engine) as session:
        result = ledger.verify(session, point)
        if evidence:
            from sqlalchemy import select

            erased = ledger.status_book(session).erased | set(
                session.scalars(select(Participant.code).where(Participant.status == "erased"))
            )
            problems = check_evidence(
                list(ledger.iter_events(session)), EvidenceStore(settings.data_dir), erased
            )
    if not result.ok:
        click.echo(f"ALTERED: {_problem(result)}", err=True)
        raise ProblemsReported()
    extra = f" (matches checkpoint at event #{point.count})" if point and point.count else ""
    click.echo(f"ok: {result.count} events, head {result.head_hash}{extra}")
    if evidence:
        for seq, code, named, problem in problems:
            click.echo(f"EVIDENCE: event #{seq} ({code}): {named} is {problem}", err=True)
        if problems:
            raise ProblemsReported()
        click.echo("evidence: every file named by an event is there and unaltered")


@audit_group.command("checkpoint")
@with_settings
def audit_checkpoint(settings) -> None:
    """Print HASH:COUNT of the ledger's head, to keep in your own records.

    Later, `deltaker audit verify --checkpoint HASH:COUNT` shows whether the
    ledger was rewritten or cut short since.
    """
    from consent import ledger
    from intake.db import read_scope

    with _engine(settings) as engine, read_scope(engine) as session:
        result = ledger.verify(session)
        if not result.ok:
            click.echo(f"ALTERED: {_problem(result)}", err=True)
            raise ProblemsReported()
        click.echo(str(ledger.checkpoint(session)))


@audit_group.command("evidence")
@click.argument("event", type=int)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write the files to (created if missing).",
)
@click.option(
    "--by",
    "actor",
    default=None,
    help="Who looks (the pages show names and signatures: logged; default cli:<your user>).",
)
@with_settings
def audit_evidence(settings, event, out, actor) -> None:
    """Write the scanned page and signature crop behind consent EVENT (a number) to a folder.

    Each file is checked against the hash the ledger names before it is written.
    """
    from pathlib import Path

    from intake.db import session_scope
    from intake.evidence import EvidenceStore
    from privacy.exports import consent_evidence

    folder = Path(out)
    with _engine(settings) as engine, session_scope(engine) as session:
        written = consent_evidence(
            session, EvidenceStore(settings.data_dir), event, folder, actor=cli_actor(actor)
        )
    found, files = written.event, written.files
    click.echo(
        f"event #{found.seq}: {found.participant} {found.action} {found.item} "
        f"({found.channel}, text {found.text_version or '-'})"
    )
    for name, _ in files:
        click.echo(f"wrote {folder / name} (hash checked)")


@audit_group.command("report")
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="FILE.pdf or FILE.xlsx."
)
@click.option(
    "--checkpoint",
    default=None,
    metavar="HASH:COUNT",
    help="Also check the ledger against a checkpoint written down earlier.",
)
@click.option(
    "--by",
    "actor",
    default=None,
    help="Who asks for the report (it lists participant codes: logged; default cli:<your user>).",
)
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@with_settings
def audit_report(settings, out, checkpoint, actor, study_key, force) -> None:
    """The data protection officer's report: status, history, evidence, erasures, exports."""
    from pathlib import Path

    from consent.chain import Checkpoint
    from consent.events import ConsentError
    from intake.db import session_scope
    from intake.evidence import EvidenceStore
    from privacy.exports import REPORT_FORMATS, audit_report

    path = Path(out)
    if path.suffix.lower() not in REPORT_FORMATS:
        raise ConsentError(f"--out {out}: the report is written as .pdf or .xlsx")
    point = Checkpoint.parse(checkpoint) if checkpoint else None
    with _engine(settings) as engine, session_scope(engine) as session:
        report = audit_report(
            session,
            path,
            actor=cli_actor(actor),
            study=study_key,
            checkpoint=point,
            evidence=EvidenceStore(settings.data_dir),
            force=force,
        )
    click.echo(
        f"Wrote {path}: {report.event_count} events, "
        f"{len(report.overdue_erasures)} erasure(s) due, "
        f"{len(report.evidence_problems)} evidence problem(s); "
        f"ledger {report.verification}"
    )
    if not report.verified_ok or report.evidence_problems:
        raise ProblemsReported()


@click.command("access")
@click.argument("participant")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="FILE.pdf")
@click.option(
    "--lang",
    "language",
    type=click.Choice(["nb", "nn", "en"]),
    default=None,
    help="Language (default: the person's own).",
)
@click.option(
    "--by",
    "actor",
    default=None,
    help="Who handles the request (logged; default cli:<your user>).",
)
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@click.option(
    "--large-print/--no-large-print",
    "large_print",
    default=None,
    help="Force large (or standard) print (default: the person's format profile).",
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@with_settings
def access_cmd(settings, participant, out, language, actor, study_key, large_print, force) -> None:
    """Everything held about PARTICIPANT, as an easy-language PDF in their language (Art. 15)."""
    from pathlib import Path

    from consent.events import ConsentError
    from intake.db import session_scope
    from privacy.exports import access_letter

    path = Path(out)
    if path.suffix.lower() != ".pdf":
        raise ConsentError(f"--out {out}: the access request is written as a .pdf file")
    with _engine(settings) as engine, session_scope(engine) as session:
        data = access_letter(
            session,
            path,
            actor=cli_actor(actor),
            participant=participant,
            study=study_key,
            language=language,
            force=force,
            large_print=large_print,
        )
    size = ", large print" if data.large_print else ""
    click.echo(
        f"Wrote {path} ({data.language}{size}): {len(data.contact)} contact field(s), "
        f"{len(data.responses)} response(s), {len(data.history)} consent event(s)."
    )


@click.group("retention")
def retention_group() -> None:
    """Deleting or anonymising data as the study's policy says."""


@retention_group.command("run")
@click.option("--apply", "apply_", is_flag=True, help="Do it (without: only show what would go).")
@click.option(
    "--by",
    "actor",
    default="retention",
    show_default=True,
    help="Who runs it (written in the ledger).",
)
@click.option("--today", default=None, help="Pretend today is this date (YYYY-MM-DD).")
@click.option("--study", "study_key", default=None, help="Study id (needed if several are loaded).")
@click.option(
    "--background",
    is_flag=True,
    help="With --apply: queue the run as a job and print its id (see `deltaker jobs`).",
)
@with_settings
def retention_run(settings, apply_, actor, today, study_key, background) -> None:
    """Erase or anonymise what the policy says must go; a dry run unless --apply.

    With --apply --background the run is a job: its id is printed, and
    `deltaker jobs show ID` lists what it erased or anonymised.
    """
    from intake.db import session_scope
    from intake.studies import load_policy
    from privacy.inventory import remove_files, scrub_database
    from privacy.retention import apply_retention, plan_retention

    day = _parse_when(today, "--today").date() if today else dt.date.today()
    if background:
        from .jobs_cmds import submit

        if not apply_:
            raise click.UsageError(
                "--background queues the run itself: add --apply "
                "(a dry run is quick; leave --background out to see it)"
            )
        arguments = {"today": day.isoformat(), "study": study_key, "actor": actor}
        submit(settings, "retention", arguments)
        return
    with _engine(settings) as engine:
        with session_scope(engine) as session:
            plan = plan_retention(session, load_policy(session, study_key), day)
            for step in plan.steps:
                click.echo(
                    f"{'' if apply_ else 'would '}{step.action:<10} {step.participant}"
                    f"  ({step.why})"
                )
            result = apply_retention(session, plan, actor=actor) if apply_ and plan.steps else None
        if result is not None:
            scrub_database(engine)
    removed = 0
    if result is not None:
        removed = remove_files(settings.data_dir, result.files).evidence_files
    click.echo(
        plan.summary()
        + (
            f"; done, {removed} evidence file(s) removed"
            if result
            else ""
            if not plan.steps
            else "; dry run: add --apply to do it"
        )
    )


COMMANDS: list[click.Command] = [consent_group, erase_cmd, audit_group, access_cmd, retention_group]


def _problem(result: Verification) -> str:
    """What a failed check found (a failed result always names its first problem)."""
    return result.problem.message if result.problem is not None else "the chain does not verify"

"""Every way personal data leaves Deltaker, each one function that makes it and logs it.

A results export, the DPO's audit report, an access-request letter, consent
evidence, an evidence image or crop, a letter pack or reminder run, a
withdrawal slip, a scan overlay, an erasure receipt, the participant list with
contact details: each is one function here that writes the file (or returns
the bytes) *and* writes exactly one :class:`intake.models.ExportLog` row with
who, when, what, which people (by pseudonymous code) and how many rows. The
command line and the web app call the same function, so neither can forget to
log (``tests/privacy/test_export_log.py`` calls every route and command that
hands out personal data and counts the rows; ``tests/test_architecture.py``
checks that nothing outside this module writes the log).

``actor`` is the staff user's name on the web, ``--by`` or ``cli:<os user>``
on the command line, ``participant`` for a citizen's own download. ``where``
is what the log's path column says: the file written, or ``web:<name>``.
"""

from __future__ import annotations

import enum
import re
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, String, cast, or_, select
from sqlalchemy.orm import Session

from consent.chain import Checkpoint
from consent.events import EventData
from consent.models import ConsentEvent
from forms.errors import NotFoundError, UserError
from intake.db import read_scope, session_scope
from intake.evidence import EvidenceStore
from intake.mailing import (
    LetterRun,
    LetterRunResult,
    SlipResult,
    manifest_path,
    print_letters,
    print_withdrawal_slip,
)
from intake.models import ExportLog, Participant, Reminder, Response, ReviewTask, ScannedPage
from intake.participants import log_personal_data_export, participants_table
from intake.reconsent import ReconsentResult, ReconsentRun, send_reconsent
from intake.reminders import ReminderResult, ReminderRun, send_reminders
from intake.spreadsheet import ExportResult, write_results
from intake.studies import get_study, load_policy
from intake.tables import atomic_path, write_xlsx
from printing.reports import (
    AccessData,
    AuditReportData,
    ErasureReceiptData,
    access_request_pdf,
    audit_report_pdf,
    erasure_receipt_pdf,
)

from .audit import build_report, event_evidence, report_tables
from .inventory import LETTERS_FOLDER, MANIFEST_SHEET, OVERLAYS_FOLDER


class Kind(enum.StrEnum):
    """What went out (the log's ``kind`` column; the DPO report shows it)."""

    RESULTS = "results"
    RESULTS_WITH_CONTACTS = "results_with_contacts"
    AUDIT_REPORT = "consent_audit_report"
    ACCESS_REQUEST = "access_request"
    CONSENT_RECORDS = "consent_records"
    CONSENT_EVIDENCE = "consent_evidence"
    EVIDENCE_IMAGE = "evidence_image"
    LETTER_PACK = "letter_pack"
    LETTERS = "letters"
    REMINDERS = "reminders"
    RECONSENT_LETTERS = "reconsent_letters"
    WITHDRAWAL_SLIP = "withdrawal_slip"
    SCAN_OVERLAY = "scan_overlay"
    SCAN_OVERLAYS = "scan_overlays"
    ERASURE_RECEIPT = "erasure_receipt"
    PARTICIPANTS_WITH_CONTACTS = "participants_list_with_contacts"
    CONSENT_RECEIPT = "consent_receipt"


class WrongFormat(UserError):
    """--out names a file type this export does not write."""


class NotHere(NotFoundError):
    """The file asked for is not there (a web route answers 404)."""


def log(
    session: Session,
    *,
    actor: str,
    kind: Kind,
    where: str,
    file_format: str,
    codes: Iterable[str],
    rows: int,
) -> ExportLog:
    """The one log row of one export (also for :mod:`privacy.dpo_files`)."""
    return log_personal_data_export(
        session,
        actor=actor,
        kind=str(kind),
        path=where,
        file_format=file_format,
        codes=codes,
        rows=rows,
    )


# --------------------------------------------------------------------------- results


def results(
    engine: Engine,
    out: str | Path,
    *,
    actor: str,
    study_key: str | None = None,
    file_format: str | None = None,
    labels: bool = False,
    with_contacts: bool = False,
    sep: str = ",",
    force: bool = False,
    wrap_rows: Callable[[str, Iterable[Any]], Iterable[Any]] | None = None,
    where: str | None = None,
) -> ExportResult:
    """The results (xlsx, one CSV per sheet, or one SPSS/Stata file per form), logged.

    Read without the write lock (an export can take a while), then logged in a
    short write: the people logged are the codes in the rows that were written.
    """
    from intake.statfiles import STAT_FORMATS, write_stat_files

    fmt = (file_format or Path(out).suffix.lstrip(".") or "xlsx").lower()
    with read_scope(engine) as session:
        study = get_study(session, study_key)
        if fmt in STAT_FORMATS:
            result = write_stat_files(session, out, study=study, fmt=fmt, force=force)
        else:
            result = write_results(
                session,
                out,
                study=study,
                file_format=file_format,
                labels=labels,
                with_contacts=with_contacts,
                sep=sep,
                force=force,
                wrap_rows=wrap_rows,
            )
    with session_scope(engine) as session:
        log(
            session,
            actor=actor,
            kind=Kind.RESULTS_WITH_CONTACTS if result.with_contacts else Kind.RESULTS,
            where=where or str(result.files[0].resolve()),
            file_format=result.file_format,
            codes=result.codes,
            rows=sum(result.rows.values()),
        )
    return result


def results_bytes(
    engine: Engine, *, actor: str, where: str, labels: bool = False, study_key: str | None = None
) -> bytes:
    """The results workbook of one study as bytes for a web download (codes only), logged."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "results.xlsx"
        results(
            engine, out, actor=actor, labels=labels, force=True, where=where, study_key=study_key
        )
        return out.read_bytes()


def participants_with_contacts(
    session: Session, *, actor: str, where: str = "-"
) -> tuple[list[str], list[list[Any]]]:
    """Everyone with name, address, phone and e-mail (for a terminal), logged."""
    headers, lazy_rows = participants_table(session, with_contacts=True)
    rows = list(lazy_rows)
    log(
        session,
        actor=actor,
        kind=Kind.PARTICIPANTS_WITH_CONTACTS,
        where=where,
        file_format="text",
        codes=(str(r[0]) for r in rows),
        rows=len(rows),
    )
    return headers, rows


# --------------------------------------------------------------------------- the DPO's files

REPORT_FORMATS = (".pdf", ".xlsx")


def audit_report(
    session: Session,
    out: Path,
    *,
    actor: str,
    study: str | None = None,
    checkpoint: Checkpoint | None = None,
    evidence: EvidenceStore | None = None,
    force: bool = False,
    where: str | None = None,
) -> AuditReportData:
    """The DPO's report as .pdf or .xlsx (it lists every participant code), logged.

    The report is built before the log row is written, so its own export is
    not in its export section (the next report shows it).
    """
    kind = out.suffix.lower()
    if kind not in REPORT_FORMATS:
        raise WrongFormat(f"--out {out}: the report is written as .pdf or .xlsx")
    report = build_report(session, study=study, checkpoint=checkpoint, evidence=evidence)
    if kind == ".xlsx":
        write_xlsx(out, report_tables(report), force=force)
    else:
        with atomic_path(out, force=force) as tmp:
            audit_report_pdf(report, tmp)
    log(
        session,
        actor=actor,
        kind=Kind.AUDIT_REPORT,
        where=where or str(out),
        file_format=kind[1:],
        codes=_report_codes(report),
        rows=len(report.items),
    )
    return report


def _report_codes(report: AuditReportData) -> set[str]:
    return {r.participant for r in report.items} | {str(r[0]) for r in report.erasures}


def audit_report_bytes(
    session: Session, fmt: str, *, actor: str, where: str, study: str | None = None
) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"report.{fmt}"
        audit_report(session, out, actor=actor, where=where, study=study)
        return out.read_bytes()


def access_letter(
    session: Session,
    out: Path,
    *,
    actor: str,
    participant: str,
    study: str | None = None,
    language: str | None = None,
    force: bool = False,
    where: str | None = None,
    large_print: bool | None = None,
) -> AccessData:
    """Everything held about one person as an easy-language PDF (GDPR art. 15), logged.

    In the person's format profile; ``language`` and ``large_print`` override it.
    """
    from .access import access_data  # it reads consent records through dpo_files, which logs here

    data = access_data(
        session,
        participant=participant,
        policy=load_policy(session, study),
        language=language,
        large_print=large_print,
    )
    with atomic_path(out, force=force) as tmp:
        access_request_pdf(data, tmp)
    log(
        session,
        actor=actor,
        kind=Kind.ACCESS_REQUEST,
        where=where or str(out),
        file_format="pdf",
        codes=[data.participant],
        rows=len(data.contact) + len(data.responses) + len(data.history),
    )
    return data


def access_letter_bytes(
    session: Session, *, actor: str, participant: str, where: str, study: str | None = None
) -> tuple[AccessData, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "access.pdf"
        data = access_letter(
            session, out, actor=actor, participant=participant, where=where, study=study
        )
        return data, out.read_bytes()


@dataclass(frozen=True)
class EvidenceFiles:
    participant: str
    event: EventData
    files: tuple[tuple[str, bytes], ...]


def consent_evidence(
    session: Session, store: EvidenceStore, seq: int, folder: Path, *, actor: str
) -> EvidenceFiles:
    """The scanned page and signature crop behind one consent event, to a folder, logged."""
    found, files = event_evidence(session, store, seq)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files:
        (folder / name).write_bytes(data)
    log(
        session,
        actor=actor,
        kind=Kind.CONSENT_EVIDENCE,
        where=str(folder),
        file_format="image",
        codes=[found.participant],
        rows=len(files),
    )
    return EvidenceFiles(found.participant, found, tuple(files))


def erasure_receipt(
    session: Session, data: ErasureReceiptData, out: Path, *, actor: str, participant: str
) -> Path:
    """The erasure receipt PDF (codes only; what was removed), logged."""
    out.parent.mkdir(parents=True, exist_ok=True)
    erasure_receipt_pdf(data, out)
    log(
        session,
        actor=actor,
        kind=Kind.ERASURE_RECEIPT,
        where=str(out),
        file_format="pdf",
        codes=[participant],
        rows=1,
    )
    return out


def consent_receipt(
    session: Session, *, participant: str, actor: str, where: str, make: Callable[[], bytes]
) -> bytes:
    """A person's own consent receipt (what they agreed to, on which text), logged.

    The web app draws it (``webapp.portal``, from the person's session); this
    makes it and logs it in one call, as every other way data leaves.
    """
    data = make()
    log(
        session,
        actor=actor,
        kind=Kind.CONSENT_RECEIPT,
        where=where,
        file_format="pdf",
        codes=[participant],
        rows=1,
    )
    return data


# --------------------------------------------------------------------------- images


def owners_of_image(session: Session, digest: str) -> set[str]:
    """The codes of the people an evidence file (page image, crop, thumbnail) shows."""
    codes: set[str] = set()
    pages = session.scalars(
        select(ScannedPage).where(
            or_(
                ScannedPage.image_sha256 == digest,
                cast(ScannedPage.result, String).contains(digest),
            )
        )
    )
    for page in pages:
        codes |= _page_owner(session, page)
    tasks = session.scalars(
        select(ReviewTask).where(
            or_(
                ReviewTask.thumbnail_sha256 == digest,
                cast(ReviewTask.details, String).contains(digest),
            )
        )
    )
    for task in tasks:
        if task.response is not None and task.response.participant is not None:
            codes.add(task.response.participant.code)
    codes.update(
        session.scalars(
            select(ConsentEvent.participant).where(ConsentEvent.evidence.contains(digest))
        )
    )
    return codes


def _page_owner(session: Session, page: ScannedPage) -> set[str]:
    if page.response_id is not None:
        response = session.get(Response, page.response_id)
        if response is not None and response.participant is not None:
            return {response.participant.code}
    named = (page.result or {}).get("participant")
    return {named} if isinstance(named, str) and named else set()


def evidence_image(
    session: Session, store: EvidenceStore, digest: str, *, actor: str, where: str
) -> bytes:
    """One image from the evidence store (a page, a crop) by its SHA-256, logged."""
    if not store.exists(digest):
        raise NotHere(f"no evidence file {digest[:16]}…")
    data = store.get(digest)
    log(
        session,
        actor=actor,
        kind=Kind.EVIDENCE_IMAGE,
        where=where,
        file_format=_image_format(data),
        codes=owners_of_image(session, digest),
        rows=1,
    )
    return data


def review_image(
    session: Session, store: EvidenceStore, task_id: int, out: Path, *, actor: str, force: bool
) -> tuple[str, int]:
    """The image a review task is about (crop, else page) to a file, logged."""
    from intake.review import task_image

    digest = task_image(session, task_id)
    data = evidence_image(session, store, digest, actor=actor, where=str(out))
    with atomic_path(out, force=force) as tmp:
        tmp.write_bytes(data)
    return digest, len(data)


def _image_format(data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    return "image"


_OVERLAY_PAGE = re.compile(r"-p([0-9]{4,})\.png$")


def overlay_owners(session: Session, names: Sequence[str]) -> set[str]:
    """The codes of the people the scan overlays ``names`` show."""
    return _overlay_owners(session, names)


def _overlay_owners(session: Session, names: Sequence[str]) -> set[str]:
    from scan.debug import overlay_name

    wanted = set(names)
    # an overlay is named <file stem>-p<page number>.png: look only at pages of that number
    numbers = {int(m.group(1)) - 1 for n in wanted if (m := _OVERLAY_PAGE.search(n))}
    codes: set[str] = set()
    for page in session.scalars(select(ScannedPage).where(ScannedPage.page_index.in_(numbers))):
        if overlay_name(page.file_name or "", page.page_index) in wanted:
            codes |= _page_owner(session, page)
    return codes


def scan_overlay(session: Session, data_dir: Path, name: str, *, actor: str) -> Path:
    """One of the web scan reader's debug overlays (the page as the scanner saw it), logged."""
    path = data_dir / OVERLAYS_FOLDER / Path(name).name
    if not path.is_file():
        raise NotHere(f"no scan overlay {name}")
    log(
        session,
        actor=actor,
        kind=Kind.SCAN_OVERLAY,
        where=f"web:{path.name}",
        file_format="png",
        codes=_overlay_owners(session, [path.name]),
        rows=1,
    )
    return path


def scan_with_overlays(
    engine: Engine,
    data_dir: Path,
    files: list[Path],
    *,
    jobs: int,
    debug_dir: Path,
    actor: str,
) -> Iterator[Any]:
    """``scan_and_store`` with debug overlays written to a folder outside: logged at the end.

    The log row is written once the pages are read (even if reading stopped
    half way: what was drawn is out), naming the people on the pages drawn.
    """
    from intake.scan_resolver import scan_and_store
    from scan.debug import overlay_name

    drawn: list[str] = []
    codes: set[str] = set()
    pages = scan_and_store(engine, data_dir, files, jobs=jobs, debug_dir=debug_dir)
    try:
        for result in pages:
            name = overlay_name(result.file, result.page_index)
            if (debug_dir / name).is_file():
                drawn.append(name)
                if result.participant:
                    codes.add(result.participant)
            yield result
    finally:
        if isinstance(pages, Generator):
            pages.close()  # its own transaction ends before the log's begins
        with session_scope(engine) as session:
            log(
                session,
                actor=actor,
                kind=Kind.SCAN_OVERLAYS,
                where=str(debug_dir),
                file_format="png",
                codes=codes,
                rows=len(drawn),
            )


# --------------------------------------------------------------------------- letters


def _manifest_codes(manifest: Path) -> list[str]:
    import openpyxl

    if not manifest.is_file():
        return []
    book = openpyxl.load_workbook(manifest, read_only=True)
    try:
        sheet = book[MANIFEST_SHEET] if MANIFEST_SHEET in book.sheetnames else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        return []
    at = [str(h) for h in rows[0]].index("participant")
    return [str(r[at]) for r in rows[1:] if r[at]]


def letter_pack_codes(session: Session, data_dir: Path, name: str) -> list[str]:
    """Who is in a stored letter pack or reminder run: its print manifest, else the reminder
    rows that name it (none when there is no such pack)."""
    path = data_dir / LETTERS_FOLDER / Path(name).name
    codes = _manifest_codes(manifest_path(path))
    if not codes:
        codes = list(
            session.scalars(
                select(Participant.code)
                .join(Reminder, Reminder.participant_id == Participant.id)
                .where(Reminder.file.in_([str(path), path.name]))
            )
        )
    return codes


def letter_pack(session: Session, data_dir: Path, name: str, *, actor: str) -> Path:
    """A stored letter pack or reminder run (names, addresses, links) for download, logged."""
    path = data_dir / LETTERS_FOLDER / Path(name).name
    if not path.is_file():
        raise NotHere(f"no letter pack {name}")
    codes = letter_pack_codes(session, data_dir, name)
    log(
        session,
        actor=actor,
        kind=Kind.LETTER_PACK,
        where=f"web:{path.name}",
        file_format="pdf",
        codes=codes,
        rows=len(codes),
    )
    return path


def letters(
    engine: Engine, data_dir: Path, run: LetterRun, *, actor: str, **options: Any
) -> LetterRunResult:
    """``deltaker letters``: letter packs and their manifest written out, logged."""
    printed = print_letters(engine, data_dir, run, **options)
    with session_scope(engine) as session:
        log(
            session,
            actor=actor,
            kind=Kind.LETTERS,
            where=str(run.out),
            file_format="pdf",
            codes=[p.code for p in printed.packs],
            rows=len(printed.packs),
        )
    return printed


def reminders(engine: Engine, data_dir: Path, run: ReminderRun, *, actor: str) -> ReminderResult:
    """``deltaker reminders``: reminder letters written out, logged (a dry run: not)."""
    result = send_reminders(engine, data_dir, run)
    if result.out is not None:
        with session_scope(engine) as session:
            log(
                session,
                actor=actor,
                kind=Kind.REMINDERS,
                where=str(result.out),
                file_format="pdf",
                codes=result.sent,
                rows=len(result.sent),
            )
    return result


def reconsent_letters(engine: Engine, data_dir: Path, run: ReconsentRun) -> ReconsentResult:
    """``deltaker letters --reconsent``: re-consent packs written out, logged (a dry run: not)."""
    result = send_reconsent(engine, data_dir, run)
    if result.out is not None:
        with session_scope(engine) as session:
            log(
                session,
                actor=run.actor or "cli",
                kind=Kind.RECONSENT_LETTERS,
                where=str(result.out),
                file_format="pdf",
                codes=result.sent,
                rows=len(result.sent),
            )
    return result


def withdrawal_slip(
    engine: Engine, data_dir: Path, code: str, out: Path, *, actor: str, **options: Any
) -> SlipResult:
    """One person's withdrawal slip (their link and answer code on paper), logged."""
    result = print_withdrawal_slip(engine, data_dir, code, out, **options)
    with session_scope(engine) as session:
        log(
            session,
            actor=actor,
            kind=Kind.WITHDRAWAL_SLIP,
            where=str(result.out),
            file_format="pdf",
            codes=[result.code],
            rows=1,
        )
    return result

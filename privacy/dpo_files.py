"""The files a data protection officer hands on: consent records and the record of processing.

Each function reads the database, builds the plain data with the pure modules
(:mod:`privacy.records`, :mod:`privacy.processing`), writes the file atomically
and logs the export (consent records carry participant codes) in the same
transaction, so no caller can forget to.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent import ledger
from forms.errors import NotFoundError, UserError
from intake.models import Participant, StudyRecord
from intake.studies import get_study, latest_versions
from intake.tables import OutputError, atomic_path, write_xlsx
from printing.processing import processing_pdf

from . import exports
from .processing import StudyFacts, processing_sections, processing_tables, study_facts
from .records import ConsentRecord, build_records, check_record_hashes, to_jsonld

RECORDS_SUFFIX = ".jsonld"
PROCESSING_SUFFIXES = (".pdf", ".xlsx")


class WrongSuffix(UserError):
    """--out names a file type this command does not write."""


class UnknownCode(NotFoundError):
    """No participant has this code."""


def _now(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_facts(session: Session, study: str | None = None) -> StudyFacts:
    record = get_study(session, study)
    forms = [v.definition or {} for v in latest_versions(session, record)]
    return study_facts(record.definition or {}, forms, key=record.key)


def _people(session: Session, record: StudyRecord, code: str | None) -> list[tuple[str, str]]:
    query = select(Participant.code, Participant.language).order_by(Participant.code)
    if code is not None:
        found = session.execute(query.where(Participant.code == code)).all()
        if not found:
            raise UnknownCode(f"--participant {code}: no participant has this code")
        return [(row.code, row.language) for row in found]
    query = query.where((Participant.study_id == record.id) | Participant.study_id.is_(None))
    return [(row.code, row.language) for row in session.execute(query)]


def consent_records(
    session: Session, *, study: str | None = None, participant: str | None = None
) -> list[ConsentRecord]:
    """The records of everyone (or one participant) in the study, from the ledger."""
    record = get_study(session, study)
    facts = load_facts(session, record.key)
    people = _people(session, record, participant)
    if participant is not None:
        events = list(ledger.iter_events(session, participant=participant))
    else:
        events = list(ledger.iter_events(session))
    return build_records(facts, people, (e for e in events if e.study == facts.key))


def records_document(
    session: Session,
    *,
    study: str | None = None,
    participant: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[list[ConsentRecord], dict[str, Any]]:
    records = consent_records(session, study=study, participant=participant)
    return records, to_jsonld(records, generated=_now(now))


def jsonld_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@contextmanager
def _output(path: Path, *, force: bool) -> Iterator[Path]:
    """atomic_path, with a folder that cannot be written to as one clear line."""
    try:
        with atomic_path(path, force=force) as tmp:
            yield tmp
    except PermissionError:
        raise OutputError(f"--out {path}: cannot write there (permission denied)") from None
    except IsADirectoryError:
        raise OutputError(f"--out {path} is a folder") from None


@dataclass(frozen=True)
class Written:
    path: Path
    records: int
    participants: int


def write_consent_records(
    session: Session,
    path: Path,
    *,
    actor: str,
    study: str | None = None,
    participant: str | None = None,
    force: bool = False,
    now: dt.datetime | None = None,
) -> Written:
    """Write the consent records as JSON-LD and log the export."""
    path = Path(path)
    if path.suffix.lower() != RECORDS_SUFFIX:
        raise WrongSuffix(f"--out {path}: consent records are written as a {RECORDS_SUFFIX} file")
    records, document = records_document(session, study=study, participant=participant, now=now)
    with _output(path, force=force) as tmp:
        tmp.write_bytes(jsonld_bytes(document))
    codes = {r.participant for r in records}
    exports.log(
        session,
        actor=actor,
        kind=exports.Kind.CONSENT_RECORDS,
        where=str(path),
        file_format="jsonld",
        codes=codes,
        rows=len(records),
    )
    return Written(path, len(records), len(codes))


def consent_records_download(
    session: Session,
    *,
    participant: str,
    actor: str,
    where: str,
    study: str | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """One person's records as JSON-LD bytes for a web download, logged as an export."""
    records, document = records_document(session, study=study, participant=participant, now=now)
    exports.log(
        session,
        actor=actor,
        kind=exports.Kind.CONSENT_RECORDS,
        where=where,
        file_format="jsonld",
        codes={r.participant for r in records} or {participant},
        rows=len(records),
    )
    return jsonld_bytes(document)


def check_records_file(session: Session, document: dict[str, Any]) -> list[str]:
    """Each record's last-event hash against the hash the ledger's event has now."""
    hashes = {e.seq: e.compute_hash() for e in ledger.iter_events(session)}
    return check_record_hashes(document, hashes)


def write_processing_record(
    session: Session,
    path: Path,
    *,
    study: str | None = None,
    force: bool = False,
    now: dt.datetime | None = None,
) -> StudyFacts:
    """The record of processing activities (GDPR Art. 30) as .pdf or .xlsx.

    It names no participant, so it is not a personal-data export and is not logged.
    """
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in PROCESSING_SUFFIXES:
        raise WrongSuffix(f"--out {path}: the record of processing is written as .pdf or .xlsx")
    facts = load_facts(session, study)
    generated = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    if kind == ".xlsx":
        try:
            write_xlsx(path, processing_tables(facts, generated=generated), force=force)
        except PermissionError:
            raise OutputError(f"--out {path}: cannot write there (permission denied)") from None
    else:
        with _output(path, force=force) as tmp:
            processing_pdf(
                f"Record of processing activities: {facts.key}",
                processing_sections(facts, generated=generated),
                tmp,
                footer=f"{facts.key} · GDPR Art. 30 · {generated}",
            )
    return facts

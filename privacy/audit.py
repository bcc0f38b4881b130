"""What the data protection officer sees: status tables and the audit report's plain data.

Everything here reads; nothing writes. Tables are ``(headers, rows)`` from
pure functions over the ledger; the PDF is drawn by printing/reports.py from
the plain :class:`printing.reports.AuditReportData` built here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent import ledger
from consent.chain import Checkpoint
from consent.events import Action, ConsentError, EventData, documentary
from consent.models import ConsentEvent
from consent.policy import StudyMissing, StudyPolicy
from consent.status import ConsentState, StatusBook
from forms.model import WithdrawalPolicy
from intake.evidence import EvidenceStore, sha256_hex
from intake.models import ExportLog, Participant, ParticipantStatus, StudyRecord
from intake.scope import several_studies
from intake.studies import load_policy
from intake.withdrawals import get_participant
from printing.reports import (
    AuditEventRow,
    AuditItemRow,
    AuditReportData,
    ItemCounts,
)

STATUS_HEADERS = [
    "participant",
    "participant_status",
    "item",
    "state",
    "since",
    "channel",
    "text_version",
    "event",
]


def _policy_or_none(session: Session, study: str | None) -> StudyPolicy | None:
    try:
        return load_policy(session, study)
    except StudyMissing:
        if study is not None:
            raise
        return None


def _people(session: Session, policy: StudyPolicy | None, code: str | None) -> list[Participant]:
    if code is not None:
        return [get_participant(session, code)]
    query = select(Participant).order_by(Participant.code)
    if policy is not None:
        record = session.scalars(select(StudyRecord).where(StudyRecord.key == policy.key)).first()
        if record is not None:
            query = query.where(
                (Participant.study_id == record.id) | Participant.study_id.is_(None)
            )
    return list(session.scalars(query))


def _items(policy: StudyPolicy | None, book: StatusBook) -> list[str]:
    if policy is not None:
        return list(policy.item_ids)
    return sorted({item for _, item in book.items})


def _day(iso: str | None) -> str | None:
    return iso[:10] if iso else None


def status_rows(
    session: Session, *, participant: str | None = None, study: str | None = None
) -> tuple[list[str], list[list[Any]]]:
    """One row per participant and consent item: the state and the event that set it."""
    policy = _policy_or_none(session, study)
    book = ledger.status_book(session)
    rows: list[list[Any]] = []
    for person in _people(session, policy, participant):
        for item in _items(policy, book):
            status = book.get(person.code, item)
            rows.append(
                [
                    person.code,
                    person.status,
                    item,
                    str(status.state),
                    _day(status.occurred_at),
                    status.channel,
                    status.text_version,
                    status.seq,
                ]
            )
    return STATUS_HEADERS, rows


HISTORY_HEADERS = [
    "event",
    "occurred",
    "item",
    "action",
    "channel",
    "text_version",
    "actor",
    "evidence",
]


def history_rows(session: Session, participant: str) -> tuple[list[str], list[list[Any]]]:
    """Every event about one person, oldest first."""
    get_participant(session, participant)
    rows = [
        [
            e.seq,
            e.occurred_at[:16].replace("T", " "),
            e.item,
            str(e.action),
            str(e.channel),
            e.text_version,
            e.actor,
            _evidence_text(e),
        ]
        for e in ledger.events_of(session, participant)
    ]
    return HISTORY_HEADERS, rows


def _evidence_text(event: EventData) -> str:
    evidence = event.evidence_dict
    parts = []
    if evidence.get("page_sha256"):
        parts.append(f"page {evidence['page_sha256'][:12]}")
    if evidence.get("signature_sha256"):
        parts.append(f"signature {evidence['signature_sha256'][:12]}")
    if evidence.get("signature_checked_by"):
        parts.append(f"signature checked by {evidence['signature_checked_by']}")
    if evidence.get("submission_id"):
        parts.append(f"web submission {evidence['submission_id']}")
    if evidence.get("note"):
        parts.append(f"note: {evidence['note']}")
    if evidence.get("removed"):
        removed = evidence["removed"]
        parts.append("removed " + ", ".join(f"{k} {v}" for k, v in sorted(removed.items())))
    return "; ".join(parts) or "(none)"


def _event_row(event: EventData) -> AuditEventRow:
    return AuditEventRow(
        seq=event.seq,
        participant=event.participant,
        item=event.item,
        action=str(event.action),
        channel=str(event.channel),
        text_version=event.text_version or "",
        evidence=_evidence_text(event),
        actor=event.actor,
        occurred=event.occurred_at[:16].replace("T", " "),
        recorded=event.recorded_at[:16].replace("T", " "),
    )


def _erasure_row(event: EventData) -> tuple[str, str, str, str, str]:
    """One erase event as the report's erasures table shows it (its counts, its hash)."""
    removed = event.evidence_dict.get("removed") or {}
    counts = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in removed.items() if v)
    return (
        event.participant,
        event.occurred_at[:16].replace("T", " "),
        event.actor,
        counts or "nothing held",
        event.hash,
    )


def build_report(
    session: Session,
    *,
    study: str | None = None,
    checkpoint: Checkpoint | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    evidence: EvidenceStore | None = None,
) -> AuditReportData:
    """Everything the DPO report shows, as plain data (rendered to PDF or xlsx elsewhere).

    With ``evidence`` (the data folder's store), every evidence file a ledger event
    names is checked too: still there, and still hashing to its name.
    """
    now = now or dt.datetime.now(dt.UTC)
    today = today or now.date()
    policy = _policy_or_none(session, study)
    verification = ledger.verify(session, checkpoint)
    events = list(ledger.iter_events(session))
    book = ledger.status_book(session)
    people = _people(session, policy, None)
    # several studies in one install: this study's people, events and exports only
    # (the hash chain is the install's, so its verification stays whole)
    scoped = policy is not None and several_studies(session)
    if scoped and policy is not None:
        events = [e for e in events if e.study == policy.key]
    items = _items(policy, book)
    codes = sorted({p.code for p in people} | {e.participant for e in events})
    status_of = {p.code: p.status for p in people}

    item_rows: list[AuditItemRow] = []
    for code in codes:
        for item in items:
            status = book.get(code, item)
            item_rows.append(
                AuditItemRow(
                    participant=code,
                    participant_status=status_of.get(code, ""),
                    item=item,
                    state=str(status.state),
                    since=_day(status.occurred_at) or "",
                    channel=status.channel or "",
                    text_version=status.text_version or "",
                )
            )

    counts = []
    for item in items:
        tally = Counter(str(book.get(code, item).state) for code in codes)
        counts.append(
            ItemCounts(
                item=item,
                granted=tally[ConsentState.GRANTED],
                declined=tally[ConsentState.DECLINED],
                withdrawn=tally[ConsentState.WITHDRAWN],
                not_asked=tally[ConsentState.NOT_ASKED],
            )
        )

    on_version: Counter[tuple[str, str]] = Counter()
    for code in codes:
        for item in items:
            status = book.get(code, item)
            if status.state == ConsentState.GRANTED:
                on_version[(item, status.text_version or "?")] += 1
    # in the items' own order, then versions by name
    grants_by_version = tuple(
        (item, version, on_version[(item, version)])
        for item in items
        for version in sorted(v for i, v in on_version if i == item)
    )

    refused = {r.seq for r in book.refused}
    without_evidence = [
        _event_row(e)
        for e in events
        if e.action == Action.GRANT and (documentary(e.evidence_dict) is None or e.seq in refused)
    ]

    erased = book.erased | {p.code for p in people if p.status == ParticipantStatus.ERASED}
    overdue: list[tuple[str, str, str]] = []
    if policy is not None:
        for code in codes:
            if code in erased:
                continue
            withdrew = [e for e in events if e.participant == code and e.action == Action.WITHDRAW]
            if status_of.get(code) == ParticipantStatus.WITHDRAWN and withdrew:
                if policy.withdrawal_policy == WithdrawalPolicy.DELETE:
                    overdue.append(
                        (
                            code,
                            withdrew[-1].occurred_at[:10],
                            "withdrew; the policy is to delete the data",
                        )
                    )
        if today > policy.end_date:
            for code in codes:
                if code not in erased and str(policy.data_at_end) != "keep":
                    overdue.append(
                        (
                            code,
                            policy.end_date.isoformat(),
                            f"the study ended; the policy is to {policy.data_at_end}",
                        )
                    )

    evidence_problems = check_evidence(events, evidence, erased) if evidence is not None else []

    logged = list(session.scalars(select(ExportLog).order_by(ExportLog.at, ExportLog.id)))
    if scoped:
        mine = {p.code for p in people}
        logged = [e for e in logged if all(p.code in mine for p in e.people)]
    exported_people = tuple(
        (e.at.strftime("%Y-%m-%d %H:%M"), e.kind, p.code) for e in logged for p in e.people
    )
    exports = [
        (
            e.at.strftime("%Y-%m-%d %H:%M"),
            e.actor,
            e.kind,
            e.path,
            e.file_format,
            e.participants,
            e.rows,
        )
        for e in logged
    ]
    return AuditReportData(
        study=policy.key if policy else (events[0].study if events else ""),
        title=policy.title.get("en") if policy else "",
        generated_at=now.strftime("%Y-%m-%d %H:%M UTC"),
        verification=verification.summary(),
        verified_ok=verification.ok,
        checkpoint=str(checkpoint) if checkpoint else "",
        event_count=verification.count,
        head_hash=verification.head_hash,
        withdrawal_policy=str(policy.withdrawal_policy) if policy else "",
        data_at_end=str(policy.data_at_end) if policy else "",
        end_date=policy.end_date.isoformat() if policy else "",
        counts=tuple(counts),
        items=tuple(item_rows),
        history=tuple(_event_row(e) for e in events),
        grants_without_evidence=tuple(without_evidence),
        overdue_erasures=tuple(overdue),
        exports=tuple(exports),
        exported_people=exported_people,
        erased=tuple(sorted(erased)),
        erasures=tuple(_erasure_row(e) for e in events if e.action == Action.ERASE),
        evidence_checked=evidence is not None,
        evidence_problems=tuple(evidence_problems),
        grants_by_version=grants_by_version,
        **_recruitment(session, policy),
    )


def _recruitment(session: Session, policy: StudyPolicy | None) -> dict[str, Any]:
    """The recruitment chart (small counts hidden) for the audit report, when a study is loaded."""
    if policy is None:
        return {}
    record = session.scalars(select(StudyRecord).where(StudyRecord.key == policy.key)).first()
    if record is None:
        return {}
    from intake.recruitment import recruitment_overview
    from intake.recruitment_report import render_chart

    overview = recruitment_overview(session, record)
    return {
        "recruitment_chart": render_chart(overview, "png", suppress=True),
        "disclosure_threshold": overview.threshold,
    }


#: Evidence keys naming a file in the evidence store.
EVIDENCE_FILE_KEYS = ("page_sha256", "signature_sha256")


class EvidenceNotFound(ConsentError):
    """No such event, or the event names no stored file."""


def _suffix(data: bytes) -> str:
    if data.startswith(b"\xff\xd8"):
        return ".jpg"
    if data.startswith(b"\x89PNG"):
        return ".png"
    if data.startswith(b"%PDF"):
        return ".pdf"
    return ".bin"


def event_evidence(
    session: Session, store: EvidenceStore, seq: int
) -> tuple[EventData, list[tuple[str, bytes]]]:
    """The event and its stored files as (file name, bytes), each checked against its hash."""
    row = session.get(ConsentEvent, seq)
    if row is None:
        raise EvidenceNotFound(f"there is no consent event #{seq}")
    event = row.data()
    files = []
    for key in EVIDENCE_FILE_KEYS:
        digest = event.evidence_dict.get(key)
        if not isinstance(digest, str):
            continue
        if not store.exists(digest):
            raise EvidenceNotFound(
                f"event #{seq}: the file {digest[:16]}… ({key}) is not stored "
                "(erased, or never kept)"
            )
        data = store.get(digest)
        if sha256_hex(data) != digest:
            raise EvidenceNotFound(f"event #{seq}: the file {digest[:16]}… was altered")
        label = key.removesuffix("_sha256")
        files.append((f"event-{seq}-{label}{_suffix(data)}", data))
    if not files:
        raise EvidenceNotFound(
            f"event #{seq} names no stored file (evidence: {_evidence_text(event)})"
        )
    return event, files


def check_evidence(
    events: list[EventData], store: EvidenceStore, erased: frozenset[str] | set[str]
) -> list[tuple[int, str, str, str]]:
    """(event, participant, file, problem) for every evidence file missing or altered.

    Files of erased people are gone on purpose and are not listed.
    """
    problems: list[tuple[int, str, str, str]] = []
    verdicts: dict[str, str | None] = {}
    for event in events:
        if event.participant in erased:
            continue
        named = event.evidence_dict
        for key in EVIDENCE_FILE_KEYS:
            digest = named.get(key)
            if not isinstance(digest, str):
                continue
            if digest not in verdicts:
                if not store.exists(digest):
                    verdicts[digest] = "missing"
                elif not store.verify(digest):
                    verdicts[digest] = "altered (its content no longer has this hash)"
                else:
                    verdicts[digest] = None
            verdict = verdicts[digest]
            if verdict:
                problems.append((event.seq, event.participant, f"{key} {digest[:16]}", verdict))
    return problems


def _evidence_summary(report: AuditReportData) -> str:
    if not report.evidence_checked:
        return "not checked"
    if not report.evidence_problems:
        return "every file named by an event is there and unaltered"
    return f"{len(report.evidence_problems)} problem(s): see the sheet 'Evidence problems'"


def report_tables(report: AuditReportData) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report as workbook sheets: (sheet name, headers, rows)."""
    summary: list[list[Any]] = [
        ["study", report.study],
        ["generated", report.generated_at],
        ["ledger check", report.verification],
        ["events", report.event_count],
        ["head hash", report.head_hash],
        ["checkpoint", report.checkpoint or "(none given)"],
        ["withdrawal policy", report.withdrawal_policy],
        ["data at end", report.data_at_end],
        ["end date", report.end_date],
        ["evidence files", _evidence_summary(report)],
    ]
    event_headers = [
        "event",
        "participant",
        "item",
        "action",
        "channel",
        "text_version",
        "evidence",
        "actor",
        "occurred",
        "recorded",
    ]

    return [
        ("Summary", ["what", "value"], summary),
        (
            "Per item",
            ["item", "granted", "declined", "withdrawn", "not asked"],
            [[c.item, c.granted, c.declined, c.withdrawn, c.not_asked] for c in report.counts],
        ),
        (
            "Per text version",
            ["item", "text_version", "grants"],
            [list(row) for row in report.grants_by_version],
        ),
        (
            "Status",
            [
                "participant",
                "participant_status",
                "item",
                "state",
                "since",
                "channel",
                "text_version",
            ],
            [
                [
                    r.participant,
                    r.participant_status,
                    r.item,
                    r.state,
                    r.since,
                    r.channel,
                    r.text_version,
                ]
                for r in report.items
            ],
        ),
        ("History", event_headers, [e.cells() for e in report.history]),
        (
            "Grants without evidence",
            event_headers,
            [e.cells() for e in report.grants_without_evidence],
        ),
        (
            "Erasures due",
            ["participant", "due since", "why"],
            [list(row) for row in report.overdue_erasures],
        ),
        (
            "Erasures",
            ["participant", "when", "by", "removed", "event hash"],
            [list(row) for row in report.erasures],
        ),
        (
            "Exports",
            ["when", "who", "what", "file", "format", "people", "rows"],
            [list(row) for row in report.exports],
        ),
        (
            "Exported people",
            ["when", "what", "participant"],
            [list(row) for row in report.exported_people],
        ),
        (
            "Evidence problems",
            ["event", "participant", "file", "problem"],
            [list(row) for row in report.evidence_problems],
        ),
    ]

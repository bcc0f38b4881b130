"""What the data protection officer sees: status tables and the audit report's plain data.

Everything here reads; nothing writes. Tables are ``(headers, rows)`` from
pure functions over the ledger; the PDF is drawn by printing/reports.py from
the plain :class:`printing.reports.AuditReportData` built here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent import ledger
from consent.chain import Checkpoint
from consent.events import Action, Channel, ConsentError, EventData, documentary
from consent.models import ConsentEvent
from consent.policy import StudyMissing, StudyPolicy
from consent.status import ConsentState, StatusBook
from forms.errors import UserError
from forms.model import FormKind, ItemType, WithdrawalPolicy
from intake.evidence import EvidenceStore, sha256_hex
from intake.models import (
    ExportLog,
    FormVersion,
    Participant,
    ParticipantStatus,
    Response,
    ResponseStatus,
    ReviewTask,
    StudyRecord,
    TaskStatus,
)
from intake.scope import several_studies
from intake.studies import load_policy, stored_form
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
    """One row per participant and consent item: the state and the event that set it
    ("in review" while a signed form about it is still in the review queue)."""
    rows: list[list[Any]] = [
        [
            row.participant,
            row.participant_status,
            row.item,
            row.state,
            row.since.isoformat() if row.since else None,
            row.channel,
            row.text_version,
            row.seq,
        ]
        for row in ledger_rows(session, participant=participant, study=study)
    ]
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


# ---------------------------------------------------------------- the ledger on screen

#: The state shown for a consent item on a signed form that is still in the review queue
#: (nothing is in the ledger yet, but the person did answer: not "not asked").
IN_REVIEW = "in review"
#: Every state the ledger view shows and filters on, in this order.
LEDGER_STATES: tuple[str, ...] = (*(str(s) for s in ConsentState), IN_REVIEW)
LEDGER_CHANNELS: tuple[str, ...] = tuple(str(c) for c in Channel)
LEDGER_PAGE_SIZE = 50


class LedgerFilterError(UserError):
    """A filter value of the ledger view that cannot be used (``field`` names which)."""

    def __init__(self, message: str, *, field: str, value: str) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


def _date(text: str, field: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise LedgerFilterError(
        f"{text!r} is not a date: write it like 2026-12-31 or 31.12.2026", field=field, value=text
    )


@dataclass(frozen=True)
class LedgerQuery:
    """Which rows of the ledger view to show: every filter is optional, pages count from 1."""

    participant: str | None = None  # a code, or part of one (any case)
    item: str | None = None  # a consent item id
    state: str | None = None  # one of LEDGER_STATES
    channel: str | None = None  # one of LEDGER_CHANNELS
    date_from: dt.date | None = None  # the state was set on this day or later
    date_to: dt.date | None = None  # ... on this day or earlier
    page: int = 1
    per_page: int = LEDGER_PAGE_SIZE

    @classmethod
    def from_strings(cls, values: Mapping[str, str], *, per_page: int = LEDGER_PAGE_SIZE) -> Self:
        """The query from text fields (a web page's GET parameters); a bad value raises
        :class:`LedgerFilterError` naming the field. Empty fields are no filter."""

        def text(name: str) -> str:
            return (values.get(name) or "").strip()

        state = text("state") or None
        if state is not None and state not in LEDGER_STATES:
            raise LedgerFilterError(f"there is no state {state!r}", field="state", value=state)
        channel = text("channel") or None
        if channel is not None and channel not in LEDGER_CHANNELS:
            raise LedgerFilterError(
                f"there is no channel {channel!r}", field="channel", value=channel
            )
        date_from = _date(text("from"), "from")
        date_to = _date(text("to"), "to")
        if date_from and date_to and date_from > date_to:
            raise LedgerFilterError(
                "the 'from' date is after the 'to' date", field="range", value=text("to")
            )
        try:
            page = max(1, int(text("page") or "1"))
        except ValueError:
            page = 1
        return cls(
            participant=text("participant").upper() or None,
            item=text("item") or None,
            state=state,
            channel=channel,
            date_from=date_from,
            date_to=date_to,
            page=page,
            per_page=per_page,
        )

    @property
    def filtered(self) -> bool:
        return any(
            v is not None
            for v in (
                self.participant,
                self.item,
                self.state,
                self.channel,
                self.date_from,
                self.date_to,
            )
        )

    def matches(self, row: LedgerRow) -> bool:
        if self.participant and self.participant not in row.participant.upper():
            return False
        if self.item and row.item != self.item:
            return False
        if self.state and row.state != self.state:
            return False
        if self.channel and row.channel != self.channel:
            return False
        if self.date_from or self.date_to:
            if row.since is None:
                return False
            if self.date_from and row.since < self.date_from:
                return False
            if self.date_to and row.since > self.date_to:
                return False
        return True


@dataclass(frozen=True)
class LedgerRow:
    """One person and one consent item: where they stand and the event that put them there."""

    participant: str
    participant_status: str
    item: str
    state: str  # one of LEDGER_STATES
    since: dt.date | None  # the day the state was set (UTC)
    channel: str | None
    text_version: str | None
    seq: int | None  # the ledger event (None while not asked or in review)


@dataclass(frozen=True)
class LedgerPage:
    """One page of the ledger view, with how many rows matched in all."""

    query: LedgerQuery
    rows: tuple[LedgerRow, ...]
    total: int  # rows matching the filters, on every page
    page: int  # the page shown (the query's, or the last one when it asked for more)
    pages: int
    items: tuple[tuple[str, str], ...]  # (consent item id, its short text) for the picker

    @property
    def first(self) -> int:
        """The 1-based number of the first row shown (0 when none)."""
        return (self.page - 1) * self.query.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def consents_in_review(session: Session) -> frozenset[tuple[str, str]]:
    """(participant code, consent item) for every consent form still in the review queue.

    The ledger records a paper form only once nothing about it is open, so until then
    the person's items would read "not asked" although a signed form has come in.
    """
    open_task = (
        select(ReviewTask.id)
        .where(ReviewTask.response_id == Response.id, ReviewTask.status == TaskStatus.OPEN)
        .exists()
    )
    rows = session.execute(
        select(Participant.code, Response.form_version_id)
        .distinct()
        .join(Response, Response.participant_id == Participant.id)
        .join(FormVersion, FormVersion.id == Response.form_version_id)
        .where(
            FormVersion.kind == FormKind.CONSENT,
            (Response.status == ResponseStatus.NEEDS_REVIEW) | open_task,
        )
    ).all()
    if not rows:
        return frozenset()
    # each form's definition read once, not once per form in the queue
    versions = session.scalars(
        select(FormVersion).where(FormVersion.id.in_({version for _, version in rows}))
    )
    boxes = {
        version.id: [
            item.consent_item
            for item in stored_form(version).items()
            if item.type == ItemType.CONSENT and item.consent_item
        ]
        for version in versions
    }
    return frozenset((code, item) for code, version in rows for item in boxes[version])


def ledger_rows(
    session: Session, *, participant: str | None = None, study: str | None = None
) -> list[LedgerRow]:
    """Every person and consent item, in code order, with "in review" for forms in the queue."""
    return _ledger_rows(session, _policy_or_none(session, study), participant)


def _ledger_rows(
    session: Session, policy: StudyPolicy | None, participant: str | None
) -> list[LedgerRow]:
    book = ledger.status_book(session)
    in_review = consents_in_review(session)
    rows: list[LedgerRow] = []
    for person in _people(session, policy, participant):
        for item in _items(policy, book):
            status = book.get(person.code, item)
            state = str(status.state)
            if status.state == ConsentState.NOT_ASKED and (person.code, item) in in_review:
                state = IN_REVIEW
            rows.append(
                LedgerRow(
                    participant=person.code,
                    participant_status=person.status,
                    item=item,
                    state=state,
                    since=dt.date.fromisoformat(status.occurred_at[:10])
                    if status.occurred_at
                    else None,
                    channel=status.channel,
                    text_version=status.text_version,
                    seq=status.seq,
                )
            )
    return rows


def ledger_page(
    session: Session, query: LedgerQuery, *, language: str = "nb", study: str | None = None
) -> LedgerPage:
    """The rows of the ledger view that match ``query``, one page of them."""
    policy = _policy_or_none(session, study)
    matching = [row for row in _ledger_rows(session, policy, None) if query.matches(row)]
    pages = max(1, -(-len(matching) // query.per_page))
    page = min(query.page, pages)
    start = (page - 1) * query.per_page
    items = (
        tuple(
            (i.id, i.text.get(language, fallback=policy.default_language))
            for i in policy.consent_items
        )
        if policy is not None
        else tuple((i, i) for i in sorted({r.item for r in matching}))
    )
    return LedgerPage(
        query=query,
        rows=tuple(matching[start : start + query.per_page]),
        total=len(matching),
        page=page,
        pages=pages,
        items=items,
    )


@dataclass(frozen=True)
class PersonEvent:
    """One ledger event on the per-person page: a scanned page's image only where it is
    first named (the five boxes of one signed form are five events about one page)."""

    event: EventData
    occurred: dt.datetime  # UTC, aware
    evidence: tuple[tuple[str, str], ...]  # (key, value) with hashes cut short
    images: tuple[str, ...]  # evidence digests to show here
    same_page_as: int | None  # the earlier event already showing this page


def _short(value: object) -> str:
    """An evidence value for a table: hashes cut to their first characters."""
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value)
    text = str(value)
    if re.fullmatch(r"[0-9a-f]{40,64}", text):
        return text[:SHOWN_HASH_CHARS] + "…"
    return text


SHOWN_HASH_CHARS = 16


def person_events(session: Session, participant: str) -> tuple[PersonEvent, ...]:
    """Every event about one person, oldest first, each scanned image shown once."""
    shown: dict[str, int] = {}
    out: list[PersonEvent] = []
    for event in ledger.events_of(session, participant):
        evidence = event.evidence_dict
        digests = [evidence[k] for k in EVIDENCE_FILE_KEYS if isinstance(evidence.get(k), str)]
        new = tuple(d for d in digests if d not in shown)
        earlier = [shown[d] for d in digests if d in shown]
        for digest in new:
            shown[digest] = event.seq
        out.append(
            PersonEvent(
                event=event,
                occurred=dt.datetime.fromisoformat(event.occurred_at).astimezone(dt.UTC),
                evidence=tuple((k, _short(v)) for k, v in evidence.items()),
                images=new,
                same_page_as=earlier[0] if earlier and not new else None,
            )
        )
    return tuple(out)

"""Erasing a person: contact details, answers, page images and crops go; an erase event stays.

What is kept, and why:

- the participant row with its code and status ``erased``: letter runs skip
  the code, and nobody is contacted again;
- scanned-page rows, emptied (no result, no image): they only say "this page of
  this batch file was read", so scanning the same batch again does not bring
  the person's answers back;
- invitations, revoked: they hold only keyed hashes; the link stops working;
- the consent ledger: its events hold the code and hashes, never a name, and
  the erase event itself is the record that the erasure happened.

What goes and what stays is the one inventory in :mod:`privacy.inventory`.
Database rows go in the caller's transaction; files (evidence, uploaded scans,
scan overlays) are removed by :func:`privacy.inventory.remove_files` after the
transaction has committed, so a rolled-back erasure never loses files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import column, delete, inspect, or_, select, table
from sqlalchemy.orm import Session

from consent import ledger
from consent.events import ALL_ITEMS, Action, Channel, ConsentError
from consent.models import ConsentEvent
from intake.db import rowcount as _rowcount
from intake.models import (
    ContactDetails,
    FormatProfileRecord,
    Invitation,
    Participant,
    ParticipantStatus,
    Response,
    ReviewTask,
    ScannedPage,
    StudyRecord,
)
from intake.withdrawals import get_participant
from printing.reports import ErasureReceiptData

from .inventory import FilesToRemove, RemovedFiles, evidence_digests, wipe_pages

#: Web-app tables keyed by invitation that can hold a person's data (answers typed so far,
#: open sessions). Named here, not imported: privacy may not import the web app.
WEB_TABLES_BY_INVITATION = ("web_answer_drafts", "web_sessions")


@dataclass(frozen=True)
class Erasure:
    participant: str
    already: bool = False  # the person was erased before; nothing was done
    contact_details: int = 0
    format_profiles: int = 0  # the person's format profile (large print, sides, easy-read)
    responses: int = 0
    scanned_pages: int = 0
    review_tasks: int = 0
    invitations_revoked: int = 0
    web_rows: int = 0  # unsent web drafts and open sessions
    files: FilesToRemove = field(default_factory=FilesToRemove)  # remove once committed
    event_seq: int | None = None
    event_hash: str = ""  # the erase event's hash in the ledger (the receipt names it)
    study: str = ""
    actor: str = ""
    reason: str = ""
    at: dt.datetime | None = None

    @property
    def evidence_files(self) -> tuple[str, ...]:
        return self.files.evidence

    def summary(self) -> str:
        if self.already:
            return f"{self.participant} was already erased; nothing to do"
        return (
            f"erased {self.participant}: {self.contact_details} contact record(s), "
            f"{self.responses} response(s), {self.scanned_pages} scanned page(s), "
            f"{self.review_tasks} review task(s), {len(self.evidence_files)} evidence file(s); "
            f"{self.invitations_revoked} link(s) revoked; ledger event #{self.event_seq}"
        )


def erase(
    session: Session,
    *,
    participant: str,
    actor: str,
    reason: str,
    study: str | None = None,
    now: dt.datetime | None = None,
) -> Erasure:
    """Remove everything held about a person in this transaction and append an erase event."""
    if not reason or not reason.strip():
        raise ConsentError("say why the person is erased (for the ledger)")
    now = now or dt.datetime.now(dt.UTC)
    person = get_participant(session, participant)
    if person.status == ParticipantStatus.ERASED:
        return Erasure(participant, already=True)
    digests_of_answers: set[str] = set()
    responses = session.scalars(select(Response).where(Response.participant_id == person.id)).all()
    response_ids = [r.id for r in responses]
    for response in responses:
        digests_of_answers.update(evidence_digests(response.source))
        digests_of_answers.update(evidence_digests(response.field_states))
        digests_of_answers.update(evidence_digests(response.answers))

    page_filter = [ScannedPage.response_id.in_(response_ids)] if response_ids else []
    pages = [
        page
        for page in session.scalars(
            select(ScannedPage).where(or_(*page_filter, ScannedPage.response_id.is_(None)))
        )
        if page.response_id in response_ids
        or (isinstance(page.result, dict) and page.result.get("participant") == participant)
    ]
    files = wipe_pages(session, pages).files
    digests: set[str] = set(files.evidence) | digests_of_answers
    page_ids = [p.id for p in pages]
    task_filter = []
    if response_ids:
        task_filter += [
            ReviewTask.response_id.in_(response_ids),
            ReviewTask.other_response_id.in_(response_ids),
        ]
    if page_ids:
        task_filter.append(ReviewTask.scanned_page_id.in_(page_ids))
    tasks = (
        session.scalars(select(ReviewTask).where(or_(*task_filter))).all() if task_filter else []
    )
    for task in tasks:
        if task.thumbnail_sha256:
            digests.add(task.thumbnail_sha256)
        digests.update(evidence_digests(task.details))
    session.flush()
    if tasks:
        session.execute(delete(ReviewTask).where(ReviewTask.id.in_([t.id for t in tasks])))
    if response_ids:
        session.execute(delete(Response).where(Response.id.in_(response_ids)))

    for event in session.scalars(
        select(ConsentEvent).where(ConsentEvent.participant == participant)
    ):
        digests.update(evidence_digests(event.data().evidence_dict))

    contacts = _rowcount(
        session.execute(delete(ContactDetails).where(ContactDetails.participant_id == person.id))
    )
    formats = _rowcount(
        session.execute(
            delete(FormatProfileRecord).where(FormatProfileRecord.participant_id == person.id)
        )
    )
    revoked = 0
    invitation_ids = []
    for invitation in session.scalars(
        select(Invitation).where(Invitation.participant_id == person.id)
    ):
        invitation_ids.append(invitation.id)
        if not invitation.revoked:
            invitation.revoked = True
            invitation.revoked_at = now
            revoked += 1
    web_rows = remove_web_traces(session, invitation_ids)
    person.status = ParticipantStatus.ERASED
    session.flush()
    session.expire_all()

    counts = {
        "contact_details": contacts,
        "format_profiles": formats,
        "responses": len(response_ids),
        "scanned_pages": len(pages),
        "review_tasks": len(tasks),
        "evidence_files": len(digests),
        "upload_pages": len(files.pages),
        "web_drafts_and_sessions": web_rows,
    }
    study = study or _study_key(session, person)
    event = ledger.record(
        session,
        study=study,
        participant=participant,
        item=ALL_ITEMS,
        action=Action.ERASE,
        channel=Channel.STAFF,
        text_version="",
        evidence={"note": reason.strip(), "removed": counts},
        actor=actor,
        occurred_at=now,
        now=now,
    )
    return Erasure(
        participant,
        contact_details=contacts,
        format_profiles=formats,
        responses=len(response_ids),
        scanned_pages=len(pages),
        review_tasks=len(tasks),
        invitations_revoked=revoked,
        web_rows=web_rows,
        files=FilesToRemove(tuple(sorted(digests)), files.pages, (participant,)),
        event_seq=event.seq,
        event_hash=event.hash,
        study=study,
        actor=actor,
        reason=reason.strip(),
        at=now,
    )


def remove_web_traces(session: Session, invitation_ids: list[int]) -> int:
    """Delete web drafts and sessions of these invitations (when the web app's tables exist)."""
    if not invitation_ids:
        return 0
    present = set(inspect(session.connection()).get_table_names())
    removed = 0
    for name in WEB_TABLES_BY_INVITATION:
        if name in present:
            target = table(name, column("invitation_id"))
            removed += _rowcount(
                session.execute(delete(target).where(target.c.invitation_id.in_(invitation_ids)))
            )
    return removed


def _study_key(session: Session, person: Participant) -> str:
    if person.study_id is not None:
        record = session.get(StudyRecord, person.study_id)
        if record is not None:
            return record.key
    keys = session.scalars(select(StudyRecord.key)).all()
    if len(keys) == 1:
        return keys[0]
    raise ConsentError(f"cannot tell which study {person.code} belongs to; say --study")


#: What the receipt calls each count, in the order it lists them.
_RECEIPT_ROWS = (
    ("contact details (name, address, phone, e-mail)", "contact_details"),
    ("format profile (large print, sides, easy-read)", "format_profiles"),
    ("responses (answers, paper and web)", "responses"),
    ("scanned pages emptied", "scanned_pages"),
    ("review tasks", "review_tasks"),
    ("links and answer codes revoked", "invitations_revoked"),
    ("web drafts and sessions", "web_rows"),
)


def receipt(
    erasure: Erasure, removed: RemovedFiles, *, now: dt.datetime | None = None
) -> ErasureReceiptData:
    """The erasure receipt's data: what went, how many, and the erase event's hash."""
    if erasure.already or erasure.event_seq is None:
        raise ConsentError(f"{erasure.participant} was erased before; no new receipt")
    now = now or dt.datetime.now(dt.UTC)
    at = erasure.at or now
    return ErasureReceiptData(
        study=erasure.study,
        participant=erasure.participant,
        erased_at=at.strftime("%Y-%m-%d %H:%M UTC"),
        actor=erasure.actor,
        reason=erasure.reason,
        event_seq=erasure.event_seq,
        event_hash=erasure.event_hash,
        rows=tuple((label, int(getattr(erasure, key))) for label, key in _RECEIPT_ROWS),
        files=(
            ("evidence files (page images, crops, thumbnails)", removed.evidence_files),
            ("scan overlays", removed.overlays),
            ("uploaded scans deleted", removed.uploads_deleted),
            ("pages blanked in shared uploaded scans", removed.upload_pages_blanked),
            ("letter pack pages blanked", removed.letter_pages_blanked),
            ("letter packs and manifests deleted", removed.letter_files_deleted),
        ),
        generated_at=now.strftime("%Y-%m-%d %H:%M UTC"),
    )

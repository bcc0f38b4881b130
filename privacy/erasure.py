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

Database rows go in the caller's transaction; files in the evidence store are
removed by :func:`remove_evidence` after the transaction has committed, so a
rolled-back erasure never loses files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import column, delete, inspect, or_, select, table
from sqlalchemy.orm import Session

from consent import ledger
from consent.events import ALL_ITEMS, Action, Channel, ConsentError
from consent.models import ConsentEvent
from intake.db import rowcount as _rowcount
from intake.evidence import EvidenceStore
from intake.models import (
    ContactDetails,
    Invitation,
    Participant,
    ParticipantStatus,
    Response,
    ReviewTask,
    ScannedPage,
    StudyRecord,
)
from intake.withdrawals import get_participant

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: Keys naming a whole uploaded batch file (many people's pages), never one person's file.
_BATCH_KEYS = frozenset({"file_sha256"})
#: What an emptied scanned-page row's status says.
ERASED_PAGE_STATUS = "erased"
#: Web-app tables keyed by invitation that can hold a person's data (answers typed so far,
#: open sessions). Named here, not imported: privacy may not import the web app.
WEB_TABLES_BY_INVITATION = ("web_answer_drafts", "web_sessions")


@dataclass(frozen=True)
class Erasure:
    participant: str
    already: bool = False  # the person was erased before; nothing was done
    contact_details: int = 0
    responses: int = 0
    scanned_pages: int = 0
    review_tasks: int = 0
    invitations_revoked: int = 0
    evidence_files: tuple[str, ...] = ()  # digests to remove once committed
    event_seq: int | None = None

    def summary(self) -> str:
        if self.already:
            return f"{self.participant} was already erased; nothing to do"
        return (
            f"erased {self.participant}: {self.contact_details} contact record(s), "
            f"{self.responses} response(s), {self.scanned_pages} scanned page(s), "
            f"{self.review_tasks} review task(s), {len(self.evidence_files)} evidence file(s); "
            f"{self.invitations_revoked} link(s) revoked; ledger event #{self.event_seq}"
        )


def evidence_digests(value: Any, key: str | None = None) -> Iterable[str]:
    """Every SHA-256 named under a ``*sha256`` key or in ``crops`` (page images, crops...)."""
    if isinstance(value, dict):
        for k, v in value.items():
            # crops are kept as {item id: sha256}: every value names an evidence file
            yield from evidence_digests(v, "crop_sha256" if key == "crops" else str(k))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from evidence_digests(v, key)
    elif (
        isinstance(value, str)
        and key
        and key.endswith("sha256")
        and key not in _BATCH_KEYS
        and _SHA256.match(value)
    ):
        yield value


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
    digests: set[str] = set()

    responses = session.scalars(select(Response).where(Response.participant_id == person.id)).all()
    response_ids = [r.id for r in responses]
    for response in responses:
        digests.update(evidence_digests(response.source))
        digests.update(evidence_digests(response.field_states))
        digests.update(evidence_digests(response.answers))

    page_filter = [ScannedPage.response_id.in_(response_ids)] if response_ids else []
    pages = [
        page
        for page in session.scalars(
            select(ScannedPage).where(or_(*page_filter, ScannedPage.response_id.is_(None)))
        )
        if page.response_id in response_ids
        or (isinstance(page.result, dict) and page.result.get("participant") == participant)
    ]
    for page in pages:
        if page.image_sha256:
            digests.add(page.image_sha256)
        digests.update(evidence_digests(page.result))
        page.image_sha256 = None
        page.result = {"erased": True}
        page.status = ERASED_PAGE_STATUS
        page.response_id = None

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
        "responses": len(response_ids),
        "scanned_pages": len(pages),
        "review_tasks": len(tasks),
        "evidence_files": len(digests),
        "web_drafts_and_sessions": web_rows,
    }
    event = ledger.record(
        session,
        study=study or _study_key(session, person),
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
        responses=len(response_ids),
        scanned_pages=len(pages),
        review_tasks=len(tasks),
        invitations_revoked=revoked,
        evidence_files=tuple(sorted(digests)),
        event_seq=event.seq,
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


def remove_evidence(store: EvidenceStore, digests: Iterable[str]) -> int:
    """Delete the files once the erasure has committed; returns how many were there."""
    return sum(1 for digest in digests if store.delete(digest))

"""The one door from intake to the consent ledger (owned by the consent engineer).

Intake calls :func:`hand_over` for every response to a consent or withdrawal
form once nothing about it is open for review, from every channel. It may be
called again for the same response (after a review task changes an answer),
so it only records what this response has not recorded before: every event
it writes carries the response id in its evidence.

What a response means (decided here, shown in the DPO report):

Consent form
  - Paper: a grant needs a signature. The signature box must have ink (the
    scanner's field state ``marked``; its crop's hash goes into the evidence)
    or a reviewer must have confirmed the signature. A form with ticked boxes
    and an empty signature box is **not a grant**: a review task asks a person
    to look at the page; answering it with any text (e.g. "signed") confirms
    the signature, an empty answer leaves the form unsigned and nothing is
    recorded. An unsigned form with no ticks records nothing. While the page
    with the signature box has not been scanned yet (pages are stored one by
    one), the form is neither a grant nor sent to review: it waits.
  - On a signed form every consent box is a statement: ticked is ``grant``,
    unticked is ``decline`` (the person saw the question and signed without a
    cross). If the item was granted before, an unticked box on the new form
    takes the consent back: it is recorded as a withdrawal, with the study's
    withdrawal policy applied.
  - Web: the submission is the act of consenting (ticked: grant, unticked:
    decline), with the submission id as evidence.
  - Manual (typed in by an assistant): channel ``staff`` with a note naming the
    assistant; when the paper page was scanned too, its hash is the evidence.
    A manual grant without a scanned page is listed in the DPO report as a
    grant without documentary evidence.
  - The date written on the form (a date item) is when it happened; otherwise
    when the response arrived.

Withdrawal slip
  - Each ticked box withdraws that consent item; a slip with no ticks withdraws
    every item. A slip needs no signature: withdrawing must be as easy as
    consenting, and stopping is the safe direction. Under the ``delete``
    withdrawal policy the erasure is then due and done by
    ``deltaker retention run`` (never in the middle of an import).

Anonymous copies (no participant) record nothing: consent belongs to a person.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent import ledger
from consent.events import PARTICIPANT_ACTOR, Action, Channel, documentary
from consent.policy import StudyPolicy
from consent.status import ConsentState
from consent.withdrawal import left_study
from forms.answers import parse_date
from forms.model import CONSENT_VALUE, Form, FormKind, ItemType
from intake.models import (
    Channel as ResponseChannel,
)
from intake.models import (
    Participant,
    ParticipantStatus,
    Response,
    ResponseStatus,
    ReviewTask,
    ScannedPage,
    StudyRecord,
    TaskKind,
    TaskStatus,
)
from intake.withdrawals import withdraw
from scan.results import MarkState

#: The scanner's field state for a box or field with ink in it.
INKED = MarkState.MARKED
#: What the review task for an unsigned consent form says.
UNSIGNED_REASON = "consent boxes are ticked but the signature box is empty: is the form signed?"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class HandOver:
    """What one call did (intake may ignore it; tests and commands read it)."""

    recorded: tuple[int, ...] = ()  # ledger event numbers
    review_task: int | None = None  # the unsigned-form task opened
    skipped: str = ""  # why nothing was recorded


@dataclass
class _Document:
    """One signed (or unsigned) paper copy, or one web/manual submission."""

    evidence: dict[str, Any]
    answers: Mapping[str, Any]
    signed: bool
    review_done: bool  # a reviewer already looked at the signature
    page_ids: tuple[int, ...] = ()
    # the page with the signature box has not been scanned yet (pages arrive one by one)
    awaiting_signature_page: bool = False


def hand_over(session: Session, response: Response, study: StudyRecord, form: Form) -> HandOver:
    """Pass a consent or withdrawal response on to the ledger (idempotent)."""
    person: Participant | None = response.participant
    if person is None:
        return HandOver(skipped="anonymous copy: consent belongs to a person")
    if person.status == ParticipantStatus.ERASED:
        return HandOver(skipped=f"{person.code} has been erased")
    if form.kind not in (FormKind.CONSENT, FormKind.WITHDRAWAL):
        return HandOver(skipped=f"form {form.id} is not a consent or withdrawal form")
    policy = StudyPolicy.from_definition(study.key, study.definition)
    boxes = _consent_boxes(form, policy)
    if not boxes:
        return HandOver(skipped=f"form {form.id} has no consent boxes")
    channel, actor = _channel(response)
    recorded: list[int] = []
    task_id: int | None = None
    skipped: list[str] = []
    for document in _documents(session, response, form, channel):
        done = _items_recorded_from(session, person.code, response.id, document.evidence)
        ticked = {
            item
            for box, item in boxes.items()
            if CONSENT_VALUE in _values(document.answers.get(box))
        }
        when = min(
            _written_date(form, document.answers) or response.received_at, dt.datetime.now(dt.UTC)
        )
        version = response.form_version.text_version
        if form.kind == FormKind.WITHDRAWAL:
            items = sorted(i for i in (ticked or set(boxes.values())) if i not in done)
            if items:
                result = withdraw(
                    session,
                    policy=policy,
                    participant=person.code,
                    items=items,
                    channel=channel,
                    actor=actor,
                    evidence=document.evidence,
                    occurred_at=when,
                    text_version=version,
                )
                recorded.extend(result.event_seqs)
            continue
        if not document.signed:
            if document.awaiting_signature_page:
                skipped.append("waiting for the page with the signature box")
            elif not ticked:
                skipped.append("an empty, unsigned form: nothing to record")
            elif document.review_done:
                skipped.append("a reviewer found the form unsigned: not a grant")
            else:
                task_id = _open_signature_task(session, response, form, document)
            continue
        recorded.extend(
            _record_consent(
                session,
                policy,
                person.code,
                boxes,
                ticked,
                done,
                channel=channel,
                actor=actor,
                evidence=document.evidence,
                when=when,
                version=version,
            )
        )
    if form.kind == FormKind.CONSENT and recorded:
        book = ledger.participant_statuses(session, person.code)
        states = {i: book.state(person.code, i) for i in policy.item_ids}
        leaves = left_study(policy, states)
        if leaves and person.status != ParticipantStatus.WITHDRAWN:
            person.status = ParticipantStatus.WITHDRAWN  # no more letters or reminders
        elif not leaves and person.status == ParticipantStatus.WITHDRAWN:
            person.status = ParticipantStatus.ANSWERED  # a newly signed form: back in
        session.flush()
    return HandOver(recorded=tuple(recorded), review_task=task_id, skipped="; ".join(skipped))


def _record_consent(
    session: Session,
    policy: StudyPolicy,
    code: str,
    boxes: Mapping[str, str],
    ticked: set[str],
    done: set[str],
    *,
    channel: Channel,
    actor: str,
    evidence: Mapping[str, Any],
    when: dt.datetime,
    version: str,
) -> list[int]:
    """Grant the ticked items, decline (or withdraw) the unticked ones, of one signed copy."""
    recorded: list[int] = []

    def record(item: str, action: Action, on: Channel, proof: Mapping[str, Any], by: str) -> None:
        event = ledger.record(
            session,
            study=policy.key,
            participant=code,
            item=item,
            action=action,
            channel=on,
            text_version=version,
            evidence=proof,
            actor=by,
            occurred_at=when,
        )
        recorded.append(event.seq)

    book = ledger.participant_statuses(session, code)  # one read for every box
    touched: set[str] = set()
    for item in boxes.values():
        if item in done:
            continue
        # an item two boxes share changed with the first: read it again
        status = (
            ledger.item_status(session, code, item) if item in touched else book.get(code, item)
        )
        touched.add(item)
        current = status.state
        if item in ticked:
            reason = ledger.grant_refusal(session, code, item, evidence, status)
            if reason:
                # e.g. typed in after a withdrawal with no new signed page: never silently
                # dropped, never a grant; the note shows in the person's history
                record(
                    item,
                    Action.NOTE,
                    Channel.STAFF,
                    {**evidence, "note": f"grant not recorded: {reason}"},
                    actor if actor != PARTICIPANT_ACTOR else "intake",
                )
            else:
                record(item, Action.GRANT, channel, evidence, actor)
        elif current == ConsentState.GRANTED:
            result = withdraw(
                session,
                policy=policy,
                participant=code,
                items=[item],
                channel=channel,
                actor=actor,
                evidence=evidence,
                occurred_at=when,
                text_version=version,
            )
            recorded.extend(result.event_seqs)
        else:
            record(item, Action.DECLINE, channel, evidence, actor)
    return recorded


def _values(answer: Any) -> list[str]:
    if answer is None:
        return []
    return [str(v) for v in answer] if isinstance(answer, list | tuple) else [str(answer)]


def _consent_boxes(form: Form, policy: StudyPolicy) -> dict[str, str]:
    """Form item id -> the study's consent item it records (unknown items left out)."""
    known = set(policy.item_ids)
    return {
        item.id: item.consent_item
        for item in form.items()
        if item.type == ItemType.CONSENT and item.consent_item in known
    }


def _document_key(evidence: Mapping[str, Any]) -> str | None:
    return documentary(evidence)


def _items_recorded_from(
    session: Session, code: str, response_id: int, evidence: Mapping[str, Any]
) -> set[str]:
    """Items this document of this response has recorded already (idempotency)."""
    key = _document_key(evidence)
    return {
        e.item
        for e in ledger.events_of(session, code)
        if e.evidence_dict.get("response_id") == response_id
        and _document_key(e.evidence_dict) == key
    }


def _channel(response: Response) -> tuple[Channel, str]:
    """The ledger channel and actor of a response."""
    if response.channel == ResponseChannel.PAPER:
        return Channel.PAPER, PARTICIPANT_ACTOR
    if response.channel == ResponseChannel.MANUAL or not response.submission_id:
        return Channel.STAFF, response.entered_by or "staff"
    return Channel.WEB, PARTICIPANT_ACTOR


def _signature_ids(form: Form) -> list[str]:
    return [i.id for i in form.items() if i.type == ItemType.SIGNATURE]


def _pages(session: Session, response: Response) -> list[tuple[ScannedPage, dict[str, Any]]]:
    pages = []
    for entry in (response.source or {}).get("pages", []):
        page = (
            session.get(ScannedPage, entry.get("scanned_page_id"))
            if entry.get("scanned_page_id")
            else None
        )
        if page is not None:
            pages.append((page, entry))
    return pages


def _copies(pages: list[tuple[ScannedPage, dict[str, Any]]]) -> list[list[tuple]]:
    """Split a paper response's pages into copies of the form.

    Intake gathers every page of one form from one person into one response, so
    a second signed copy (a new consent form sent later) lands in the same
    response; a form page number seen again starts a new copy.
    """
    copies: list[list[tuple]] = []
    seen: set[Any] = set()
    for page, entry in pages:
        number = entry.get("page") or (page.result or {}).get("page")
        if not copies or number in seen:
            copies.append([])
            seen = set()
        copies[-1].append((page, entry))
        seen.add(number)
    return copies


def _documents(
    session: Session, response: Response, form: Form, channel: Channel
) -> list[_Document]:
    base = {"response_id": response.id, "form": form.id}
    signature_ids = set(_signature_ids(form))
    if channel == Channel.WEB:
        return [
            _Document(
                {**base, "submission_id": response.submission_id},
                response.answers or {},
                signed=True,
                review_done=False,
            )
        ]
    pages = _pages(session, response)
    if channel == Channel.STAFF:
        evidence = {**base, "note": f"typed in from the paper form by {response.entered_by}"}
        if response.submission_id:
            evidence["entry"] = response.submission_id
        entered = response.answers or {}
        if pages:  # the paper page was scanned too: it is the evidence
            evidence.update(_page_evidence(pages, signature_ids))
        signed = any(str(entered.get(s) or "").strip() for s in signature_ids)
        if signed:
            evidence["signature_checked_by"] = response.entered_by or "staff"
        return [_Document(evidence, entered, signed=signed, review_done=signed)]
    documents = []
    tasks = [t for t in response.tasks if t.status == TaskStatus.DONE]
    for copy in _copies(pages):
        page_ids = {page.id for page, _ in copy}
        answers: dict[str, Any] = {}
        states: dict[str, str] = {}
        for page, _ in copy:
            answers.update((page.result or {}).get("answers") or {})
            for field_result in (page.result or {}).get("fields") or []:
                if field_result.get("item") in signature_ids:
                    states[field_result["item"]] = str(field_result.get("state"))
        # what reviewers decided about this copy's marks replaces what the scanner read
        decided = [t for t in tasks if t.scanned_page_id in page_ids and t.item]
        for task in decided:
            if task.item:  # always: decided holds only tasks about an item
                answers[task.item] = task.new_value
        evidence = {**base, **_page_evidence(copy, signature_ids)}
        signed = False
        if any(state == INKED for state in states.values()):
            evidence["signature_state"] = INKED
            signed = True
        checked = [t for t in decided if t.item in signature_ids]
        if not signed and any(str(t.new_value or "").strip() for t in checked):
            evidence["signature_checked_by"] = checked[-1].resolved_by
            signed = True
        awaiting = bool(signature_ids) and not states and not signed
        documents.append(
            _Document(
                evidence,
                answers,
                signed=signed,
                review_done=bool(checked),
                page_ids=tuple(sorted(page_ids)),
                awaiting_signature_page=awaiting,
            )
        )
    return documents


def _page_evidence(
    pages: list[tuple[ScannedPage, dict[str, Any]]], signature_ids: set[str]
) -> dict[str, Any]:
    """The page the consent rests on (the one with the signature box) and its crops."""

    def has_signature(page: ScannedPage) -> bool:
        fields = (page.result or {}).get("fields") or []
        return any(f.get("item") in signature_ids for f in fields)

    main, entry = next(((p, e) for p, e in pages if has_signature(p)), pages[0])
    evidence: dict[str, Any] = {}
    if main.image_sha256:
        evidence["page_sha256"] = main.image_sha256
    else:
        evidence["file_sha256"] = main.file_sha256
        evidence["page_index"] = main.page_index
    if len(pages) > 1:
        evidence["pages"] = [p.image_sha256 or f"{p.file_sha256}#{p.page_index}" for p, _ in pages]
    for sig in sorted(signature_ids):
        crop = (entry.get("crops") or {}).get(sig)
        if isinstance(crop, str) and _SHA256.match(crop):
            evidence["signature_sha256"] = crop
    return evidence


def _open_signature_task(
    session: Session, response: Response, form: Form, document: _Document
) -> int:
    """Send an unsigned copy to review (once): the response waits until a person looks."""
    sig = (_signature_ids(form) or ["signature"])[0]
    page_id = document.page_ids[-1] if document.page_ids else None
    existing = session.scalars(
        select(ReviewTask).where(
            ReviewTask.response_id == response.id,
            ReviewTask.item == sig,
            ReviewTask.scanned_page_id == page_id,
        )
    ).first()
    if existing is not None:
        return existing.id
    page = session.get(ScannedPage, page_id) if page_id else None
    thumbnail = document.evidence.get("signature_sha256") or (page.image_sha256 if page else None)
    task = ReviewTask(
        kind=TaskKind.AMBIGUOUS,
        response=response,
        item=sig,
        scanned_page_id=page_id,
        old_value=None,
        thumbnail_sha256=thumbnail,
        details={"reason": UNSIGNED_REASON, "item_type": str(ItemType.SIGNATURE), "consent": True},
    )
    session.add(task)
    response.status = ResponseStatus.NEEDS_REVIEW
    session.flush()
    return task.id


def _written_date(form: Form, answers: Mapping[str, Any]) -> dt.datetime | None:
    """The date written on the form (a date item), read leniently; None when unreadable."""
    for item in form.items():
        if item.type != ItemType.DATE:
            continue
        day = parse_date(str(answers.get(item.id) or ""))
        if day is not None:
            return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    return None

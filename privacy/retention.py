"""Retention: what the study's policy says must go, planned (dry run) and then done.

Any day: people who withdrew under the ``delete`` withdrawal policy and are
not erased yet are erased (withdrawals handed over during a scan or a web
submission wait for this run).

From the day after the study's end date, per the study's ``data_at_end``:

- ``delete``: every person is erased (contact details, answers, pages, crops);
- ``anonymise``: the key between names and codes (contact details) goes, and
  so does everything that can identify a person by itself: page images, crops
  (signatures, handwriting) and written answers; ticked answers stay, under a
  code that no longer leads to anyone;
- ``keep``: the key (contact details) goes; answers stay under the code.

Every step is recorded in the ledger (``erase`` or ``note`` events), so the
data protection officer can see what was done, when and by whom.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consent import ledger
from consent.events import ALL_ITEMS, Action, Channel
from consent.policy import StudyPolicy
from forms.model import DataAtEnd, ItemType, WithdrawalPolicy
from intake.db import rowcount as _rowcount
from intake.models import (
    ContactDetails,
    FormatProfileRecord,
    FormVersion,
    Invitation,
    Participant,
    ParticipantStatus,
    Response,
    ReviewTask,
    ScannedPage,
    StudyRecord,
)

from .erasure import erase, remove_web_traces
from .inventory import FilesToRemove, evidence_digests, wipe_pages

#: Written answers that can identify a person on their own (handwriting, names, stories).
IDENTIFYING_TYPES = frozenset({ItemType.SHORT_TEXT, ItemType.LONG_TEXT, ItemType.SIGNATURE})
#: The evidence key marking a retention note, so a second run does not repeat it.
RETENTION_KEY = "retention"


@dataclass(frozen=True)
class RetentionStep:
    participant: str
    action: str  # erase | anonymise | delete key
    why: str


@dataclass(frozen=True)
class RetentionPlan:
    study: str
    end_date: dt.date
    today: dt.date
    ended: bool
    data_at_end: str
    steps: tuple[RetentionStep, ...]

    def summary(self) -> str:
        head = (
            f"study {self.study} ended on {self.end_date}"
            if self.ended
            else f"study {self.study} ends on {self.end_date}"
        )
        if not self.steps:
            return f"{head}; nothing to do"
        return f"{head}; {len(self.steps)} step(s)"


@dataclass(frozen=True)
class RetentionResult:
    plan: RetentionPlan
    done: tuple[RetentionStep, ...]
    files: FilesToRemove  # remove once committed (privacy.inventory.remove_files)
    event_seqs: tuple[int, ...]

    @property
    def evidence_files(self) -> tuple[str, ...]:
        return self.files.evidence


def _done_before(session: Session, code: str, what: str) -> bool:
    return any(
        e.action == Action.NOTE and e.evidence_dict.get(RETENTION_KEY) == what
        for e in ledger.events_of(session, code)
    )


def plan_retention(session: Session, policy: StudyPolicy, today: dt.date) -> RetentionPlan:
    """What a run would do today (nothing is changed)."""
    ended = today > policy.end_date
    steps: list[RetentionStep] = []
    query = select(Participant).order_by(Participant.code)
    record = session.scalars(select(StudyRecord).where(StudyRecord.key == policy.key)).first()
    if record is not None:  # several studies in one database: only this study's people
        query = query.where((Participant.study_id == record.id) | Participant.study_id.is_(None))
    people = session.scalars(query).all()
    for person in people:
        if person.status == ParticipantStatus.ERASED:
            continue
        if (
            person.status == ParticipantStatus.WITHDRAWN
            and policy.withdrawal_policy == WithdrawalPolicy.DELETE
        ):
            steps.append(
                RetentionStep(
                    person.code, "erase", "withdrew; the study's policy is to delete the data"
                )
            )
            continue
        if not ended:
            continue
        if policy.data_at_end == DataAtEnd.DELETE:
            steps.append(RetentionStep(person.code, "erase", "the study ended: delete"))
        elif policy.data_at_end == DataAtEnd.ANONYMISE:
            if not _done_before(session, person.code, "anonymise"):
                steps.append(RetentionStep(person.code, "anonymise", "the study ended: anonymise"))
        elif not _done_before(session, person.code, "delete key"):
            steps.append(
                RetentionStep(
                    person.code, "delete key", "the study ended: keep the data, delete the key"
                )
            )
    return RetentionPlan(
        policy.key, policy.end_date, today, ended, str(policy.data_at_end), tuple(steps)
    )


def _delete_key(session: Session, person: Participant, now: dt.datetime) -> int:
    removed = _rowcount(
        session.execute(delete(ContactDetails).where(ContactDetails.participant_id == person.id))
    )
    # the format profile goes with the key (privacy.inventory): it is about the person
    session.execute(
        delete(FormatProfileRecord).where(FormatProfileRecord.participant_id == person.id)
    )
    invitations = session.scalars(
        select(Invitation).where(Invitation.participant_id == person.id)
    ).all()
    for invitation in invitations:
        if not invitation.revoked:
            invitation.revoked = True
            invitation.revoked_at = now
    # unsent web drafts and open sessions go with the key: the study is over
    remove_web_traces(session, [i.id for i in invitations])
    return removed


def _anonymise(session: Session, person: Participant) -> tuple[FilesToRemove, int, int]:
    """Drop page images, crops and written answers; returns (digests, pages, answers)."""
    digests: set[str] = set()
    written_answers = 0
    responses = session.scalars(select(Response).where(Response.participant_id == person.id)).all()
    ids = [r.id for r in responses]
    for response in responses:
        version = session.get_one(FormVersion, response.form_version_id)
        identifying = {
            item["id"]
            for section in (version.definition or {}).get("sections", ())
            for item in section.get("items", ())
            if item.get("type") in IDENTIFYING_TYPES
        }
        digests.update(evidence_digests(response.source))
        digests.update(evidence_digests(response.field_states))
        kept = {k: v for k, v in (response.answers or {}).items() if k not in identifying}
        written_answers += len(response.answers or {}) - len(kept)
        response.answers = kept
        response.field_states = {
            k: v for k, v in (response.field_states or {}).items() if k not in identifying
        }
        response.source = {"anonymised": True}
    pages = (
        session.scalars(select(ScannedPage).where(ScannedPage.response_id.in_(ids))).all()
        if ids
        else []
    )
    wipe = wipe_pages(session, pages)
    if ids:
        for task in session.scalars(select(ReviewTask).where(ReviewTask.response_id.in_(ids))):
            if task.thumbnail_sha256:
                digests.add(task.thumbnail_sha256)
            digests.update(evidence_digests(task.details))
        session.execute(delete(ReviewTask).where(ReviewTask.response_id.in_(ids)))
    return FilesToRemove(tuple(sorted(digests))) | wipe.files, wipe.pages, written_answers


def apply_retention(
    session: Session, plan: RetentionPlan, *, actor: str, now: dt.datetime | None = None
) -> RetentionResult:
    """Do every step of ``plan`` in this transaction, each recorded in the ledger."""
    now = now or dt.datetime.now(dt.UTC)
    files = FilesToRemove()
    seqs: list[int] = []
    for step in plan.steps:
        if step.action == "erase":
            result = erase(
                session,
                participant=step.participant,
                actor=actor,
                study=plan.study,
                reason=f"retention: {step.why}",
                now=now,
            )
            files |= result.files
            if result.event_seq:
                seqs.append(result.event_seq)
            continue
        person = session.scalars(
            select(Participant).where(Participant.code == step.participant)
        ).one()
        removed = {"contact_details": _delete_key(session, person, now)}
        # the letter packs the tool stored print the name and address: they go with the key
        files |= FilesToRemove(letters_of=(step.participant,))
        if step.action == "anonymise":
            found, pages, answers = _anonymise(session, person)
            files |= found
            removed.update(
                scanned_pages=pages,
                written_answers=answers,
                evidence_files=len(found.evidence),
                upload_pages=len(found.pages),
            )
        session.flush()
        event = ledger.record(
            session,
            study=plan.study,
            participant=step.participant,
            item=ALL_ITEMS,
            action=Action.NOTE,
            channel=Channel.STAFF,
            text_version="",
            evidence={
                "note": f"retention: {step.why}",
                RETENTION_KEY: step.action,
                "removed": removed,
            },
            actor=actor,
            occurred_at=now,
            now=now,
        )
        seqs.append(event.seq)
    return RetentionResult(plan, plan.steps, files, tuple(seqs))

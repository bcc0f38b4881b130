"""Citizens' answers kept on the server between pages and visits, one draft per form.

A draft fixes the submission id of its final send when it starts, so sending
twice (a double click, a reload, the Back button) stores one response.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AnswerDraft, utcnow


@dataclass(frozen=True)
class Draft:
    form_id: str
    submission_id: str
    answers: dict[str, list[str]]
    page: int
    submitted: bool


def _row(db: Session, invitation_id: int, form_id: str) -> AnswerDraft | None:
    return db.scalar(
        select(AnswerDraft).where(
            AnswerDraft.invitation_id == invitation_id, AnswerDraft.form_id == form_id
        )
    )


def _view(row: AnswerDraft | None, form_id: str) -> Draft:
    if row is None:
        return Draft(form_id, "", {}, 0, False)
    return Draft(
        form_id,
        row.submission_id,
        json.loads(row.answers or "{}"),
        row.page,
        row.submitted_at is not None,
    )


def load(db: Session, invitation_id: int, form_id: str) -> Draft:
    return _view(_row(db, invitation_id, form_id), form_id)


def save(
    db: Session,
    invitation_id: int,
    form_id: str,
    *,
    answers: dict[str, list[str]],
    replace_items: list[str],
    page: int,
) -> Draft:
    """Store the answers given for ``replace_items`` (others are kept) and the page reached."""
    row = _row(db, invitation_id, form_id)
    if row is None:
        row = AnswerDraft(
            invitation_id=invitation_id,
            form_id=form_id,
            submission_id=str(uuid.uuid4()),
            answers="{}",
            page=0,
        )
        db.add(row)
    stored = json.loads(row.answers or "{}")
    for item_id in replace_items:
        stored.pop(item_id, None)
    stored.update(answers)
    row.answers = json.dumps(stored, ensure_ascii=False, sort_keys=True)
    row.page = max(row.page or 0, page)
    row.updated_at = utcnow()
    db.flush()
    return _view(row, form_id)


def mark_submitted(db: Session, invitation_id: int, form_id: str) -> None:
    row = _row(db, invitation_id, form_id)
    if row is not None and row.submitted_at is None:
        row.submitted_at = utcnow()


def ensure(db: Session, invitation_id: int, form_id: str) -> Draft:
    """The draft, created empty when missing (so a submission id exists before the send)."""
    return save(db, invitation_id, form_id, answers={}, replace_items=[], page=0)


def reopen(db: Session, invitation_id: int, form_id: str) -> Draft:
    """A sent draft started afresh with a new submission id (a re-consent is a new answer).

    The old submission id stays with the answer it sent, so sending again is
    never mistaken for a repeat of the first send.
    """
    row = _row(db, invitation_id, form_id)
    if row is None or row.submitted_at is None:
        return ensure(db, invitation_id, form_id)
    row.submission_id = str(uuid.uuid4())
    row.answers = "{}"
    row.page = 0
    row.submitted_at = None
    row.updated_at = utcnow()
    db.flush()
    return _view(row, form_id)

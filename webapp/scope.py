"""The study a staff page works on, for the views: its record, and 404 for other studies' rows.

A staff member sees the study chosen with the switcher (``access.staff_study``);
an object of another study is answered as if it did not exist (404), so a URL
says nothing about what another study holds. The rules of what belongs to a
study are intake's (``intake.scope``).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import abort
from sqlalchemy.orm import Session

from intake import scope
from intake.models import StudyRecord

from .access import staff_study


def study_key() -> str | None:
    """The key of the logged-in staff member's current study (None: none is loaded)."""
    return staff_study()


def record(db: Session) -> StudyRecord:
    """The current study's record (``StudyNotFound`` when no study is loaded)."""
    from intake.studies import get_study

    return get_study(db, study_key())


def record_or_none(db: Session) -> StudyRecord | None:
    from intake.studies import StudyNotFound

    try:
        return record(db)
    except StudyNotFound:
        return None


def require_codes(db: Session, codes: Iterable[str]) -> None:
    """404 unless every one of ``codes`` is a participant of the current study."""
    found = record_or_none(db)
    if found is not None and not scope.codes_in_study(db, found, codes):
        abort(404)


def require_participant(db: Session, code: str) -> None:
    """404 unless ``code`` is a participant of the current study (unknown codes too)."""
    found = record_or_none(db)
    if found is not None and not scope.participant_in_study(db, found, code):
        abort(404)


def elsewhere(db: Session, code: str) -> bool:
    """True when ``code`` is a participant, but of another study than the current one."""
    from sqlalchemy import select

    from intake.models import Participant

    found = record_or_none(db)
    if found is None:
        return False
    exists = db.scalar(select(Participant.id).where(Participant.code == code).limit(1))
    return exists is not None and not scope.participant_in_study(db, found, code)

"""Withdrawing a participant: the ledger's withdraw events and the participant's status.

:func:`consent.withdrawal.record_withdrawal` writes the events and knows the
person only by their code; this adds what intake holds about them: an erased
person has nothing left to withdraw, and a person who left the study gets the
status ``withdrawn``, which letter runs and reminders honour. Erasing at once
(the staff command) is :func:`privacy.withdrawal.withdraw_and_erase`, a layer up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consent.events import Channel, ConsentError
from consent.ledger import UnknownParticipant
from consent.policy import StudyPolicy
from consent.withdrawal import Withdrawal, record_withdrawal

from .models import Participant, ParticipantStatus


def get_participant(session: Session, code: str) -> Participant:
    """The participant with this code (UnknownParticipant when there is none)."""
    person = session.scalars(select(Participant).where(Participant.code == code)).first()
    if person is None:
        raise UnknownParticipant(f"no participant with code {code!r}")
    return person


def withdraw(
    session: Session,
    *,
    policy: StudyPolicy,
    participant: str,
    items: Sequence[str] = (),
    channel: Channel | str,
    actor: str,
    evidence: Mapping[str, Any],
    occurred_at: dt.datetime | dt.date,
    text_version: str = "",
    now: dt.datetime | None = None,
) -> Withdrawal:
    """Record the withdrawal of ``items`` (default all); a person who left gets ``withdrawn``."""
    person = get_participant(session, participant)
    if person.status == ParticipantStatus.ERASED:
        raise ConsentError(f"{participant} has been erased; there is nothing left to withdraw")
    result = record_withdrawal(
        session,
        policy=policy,
        participant=participant,
        items=items,
        channel=channel,
        actor=actor,
        evidence=evidence,
        occurred_at=occurred_at,
        text_version=text_version,
        now=now,
    )
    if result.left_study:
        person.status = ParticipantStatus.WITHDRAWN
        session.flush()
    return result

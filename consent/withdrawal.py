"""Withdrawing consent, through any channel, and what follows by the study's policy.

A withdrawal names items (none named: every consent item of the study). The
person leaves the study when they have said no to an item they must consent
to (``required``) or to every item (see :func:`left_study`). Leaving
the study sets the participant's status to ``withdrawn``, which letter runs
and reminders honour: nobody is contacted again. Under the ``delete``
withdrawal policy the person's data are then erased, at once when asked
(``erase_now``, the staff command) or by the next ``deltaker retention run``
(withdrawals handed over during a scan or web submission, where erasing in the
middle of an import would be surprising); the DPO report lists every erasure
that is due and not yet done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from forms.model import WithdrawalPolicy
from intake.models import ParticipantStatus

from . import ledger
from .erasure import Erasure, erase, find_participant
from .events import Action, Channel, ConsentError
from .policy import StudyPolicy
from .status import ConsentState


@dataclass(frozen=True)
class Withdrawal:
    participant: str
    withdrawn: tuple[str, ...]  # items a withdraw event was recorded for
    unchanged: tuple[str, ...]  # items already withdrawn (nothing recorded)
    event_seqs: tuple[int, ...]
    left_study: bool
    erasure_due: bool  # the policy says erase and it has not been done yet
    erasure: Erasure | None = None

    def summary(self) -> str:
        parts = []
        if self.withdrawn:
            parts.append(f"{self.participant} withdrew consent to {', '.join(self.withdrawn)}")
        if self.unchanged:
            parts.append(f"already withdrawn: {', '.join(self.unchanged)}")
        if self.left_study:
            parts.append("left the study: no more letters or reminders")
        if self.erasure is not None:
            parts.append(self.erasure.summary())
        elif self.erasure_due:
            parts.append(f"the study's policy says erase: run `deltaker erase {self.participant}`")
        return "; ".join(parts) or f"{self.participant}: nothing to withdraw"


def left_study(policy: StudyPolicy, states: Mapping[str, ConsentState]) -> bool:
    """Whether the person no longer takes part.

    They leave when they said no to (withdrew or declined) something they must
    consent to, or said no to every item. Items never asked keep them in: a
    person who only refused the audio recording may still be interviewed.
    """
    said_no = {
        item
        for item, state in states.items()
        if state in (ConsentState.WITHDRAWN, ConsentState.DECLINED)
    }
    required = {i.id for i in policy.consent_items if i.required}
    return bool(required & said_no) or said_no >= set(policy.item_ids)


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
    erase_now: bool = False,
    now: dt.datetime | None = None,
) -> Withdrawal:
    """Record the withdrawal of ``items`` (default all) and apply the study's policy."""
    now = now or dt.datetime.now(dt.UTC)
    person = find_participant(session, participant)
    if person.status == ParticipantStatus.ERASED:
        raise ConsentError(f"{participant} has been erased; there is nothing left to withdraw")
    wanted = list(dict.fromkeys(items)) or list(policy.item_ids)
    for item in wanted:
        policy.item(item)  # refuses unknown items before anything is written
    withdrawn, unchanged, seqs = [], [], []
    for item in wanted:
        if ledger.item_status(session, participant, item).state == ConsentState.WITHDRAWN:
            unchanged.append(item)
            continue
        event = ledger.record(
            session,
            study=policy.key,
            participant=participant,
            item=item,
            action=Action.WITHDRAW,
            channel=channel,
            text_version=text_version,
            evidence=evidence,
            actor=actor,
            occurred_at=occurred_at,
            now=now,
        )
        withdrawn.append(item)
        seqs.append(event.seq)
    states = {
        item: ledger.item_status(session, participant, item).state for item in policy.item_ids
    }
    leaves = left_study(policy, states)
    if leaves:
        person.status = ParticipantStatus.WITHDRAWN
        session.flush()
    due = leaves and policy.withdrawal_policy == WithdrawalPolicy.DELETE
    erased = None
    if due and erase_now:
        erased = erase(
            session,
            participant=participant,
            actor=actor,
            study=policy.key,
            now=now,
            reason="withdrew from the study; the study's policy is to delete the data",
        )
    return Withdrawal(
        participant=participant,
        withdrawn=tuple(withdrawn),
        unchanged=tuple(unchanged),
        event_seqs=tuple(seqs),
        left_study=leaves,
        erasure_due=due and erased is None,
        erasure=erased,
    )

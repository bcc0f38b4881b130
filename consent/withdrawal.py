"""Withdrawing consent, through any channel: the ledger's part.

A withdrawal names items (none named: every consent item of the study). The
person leaves the study when they have said no to an item they must consent
to (``required``) or to every item (see :func:`left_study`). This module
records the withdraw events and says whether the person left and whether the
study's policy now asks for an erasure; it knows the person only by their code.
What follows in other tables is done a layer up: :func:`intake.withdrawals.withdraw`
sets the participant's status to ``withdrawn`` (letter runs and reminders honour
it: nobody is contacted again), and under the ``delete`` withdrawal policy the
person's data are erased, at once when asked (:func:`privacy.withdrawal.withdraw_and_erase`,
the staff command) or by the next ``deltaker retention run`` (withdrawals handed
over during a scan or web submission, where erasing in the middle of an import
would be surprising); the DPO report lists every erasure that is due and not
yet done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from forms.model import WithdrawalPolicy

from . import ledger
from .events import Action, Channel
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

    def summary(self) -> str:
        parts = []
        if self.withdrawn:
            parts.append(f"{self.participant} withdrew consent to {', '.join(self.withdrawn)}")
        if self.unchanged:
            parts.append(f"already withdrawn: {', '.join(self.unchanged)}")
        if self.left_study:
            parts.append("left the study: no more letters or reminders")
        if self.erasure_due:
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


def record_withdrawal(
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
    """Record the withdrawal of ``items`` (default all) and say what the study's policy asks.

    Only the ledger is written; the caller (intake.withdrawals) looks the person
    up first and updates their status from ``left_study``.
    """
    now = now or dt.datetime.now(dt.UTC)
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
    return Withdrawal(
        participant=participant,
        withdrawn=tuple(withdrawn),
        unchanged=tuple(unchanged),
        event_seqs=tuple(seqs),
        left_study=leaves,
        erasure_due=leaves and policy.withdrawal_policy == WithdrawalPolicy.DELETE,
    )

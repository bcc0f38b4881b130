"""A staff withdrawal that applies the delete policy at once (`deltaker consent withdraw`).

Withdrawals handed over during a scan or a web submission stop at
:func:`intake.withdrawals.withdraw` and leave the erasure to the next
``deltaker retention run``; a staff member recording a withdrawal erases the
person's data in the same transaction when the study's policy says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from consent.events import Channel
from consent.policy import StudyPolicy
from consent.withdrawal import Withdrawal
from intake.withdrawals import withdraw

from .erasure import Erasure, erase

#: The ledger's reason for an erasure that follows a withdrawal.
ERASE_REASON = "withdrew from the study; the study's policy is to delete the data"


@dataclass(frozen=True)
class WithdrawalAndErasure:
    withdrawal: Withdrawal
    erasure: Erasure | None = None  # None: the policy did not ask for one

    def summary(self) -> str:
        if self.erasure is None:
            return self.withdrawal.summary()
        return f"{self.withdrawal.summary()}; {self.erasure.summary()}"


def withdraw_and_erase(
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
) -> WithdrawalAndErasure:
    """Withdraw ``items`` (default all) and erase the person when the policy says delete.

    Evidence files of the erasure are removed by the caller once the transaction
    has committed (:func:`privacy.erasure.remove_evidence`).
    """
    now = now or dt.datetime.now(dt.UTC)
    result = withdraw(
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
    if not result.erasure_due:
        return WithdrawalAndErasure(result)
    erased = erase(
        session,
        participant=participant,
        actor=actor,
        study=policy.key,
        now=now,
        reason=ERASE_REASON,
    )
    # the erasure is done, so the withdrawal no longer says it is due
    return WithdrawalAndErasure(replace(result, erasure_due=False), erased)

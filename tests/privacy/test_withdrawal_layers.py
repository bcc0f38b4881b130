"""A withdrawal through its three layers: the ledger, the participant's status, the erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from consent import ledger
from consent.events import Channel, ConsentError
from consent.policy import PolicyItem, StudyPolicy
from consent.withdrawal import record_withdrawal
from forms.model import DataAtEnd, Text, WithdrawalPolicy
from intake.db import read_scope, session_scope
from intake.models import Participant, ParticipantStatus
from intake.withdrawals import withdraw
from privacy.withdrawal import withdraw_and_erase
from tests.consent.helpers import WHEN, add_people, web_grant


def policy(withdrawal: WithdrawalPolicy = WithdrawalPolicy.DELETE) -> StudyPolicy:
    return StudyPolicy(
        key="u-sving",
        title=Text({"nb": "U-sving"}),
        consent_items=(
            PolicyItem("interview", Text({"nb": "Intervju"}), True),
            PolicyItem("audio", Text({"nb": "Lydopptak"}), False),
        ),
        withdrawal_policy=withdrawal,
        data_at_end=DataAtEnd.DELETE,
        end_date=dt.date(2027, 12, 31),
    )


PHONE = {"channel": Channel.PHONE, "actor": "kari", "evidence": {"note": "Ringte."}}


def status(engine, code: str) -> str:
    with read_scope(engine) as session:
        return session.scalars(select(Participant.status).where(Participant.code == code)).one()


@pytest.fixture
def granted(engine):
    with session_scope(engine) as session:
        add_people(session, "P-AAAA")
        web_grant(session, "P-AAAA", "interview")
        web_grant(session, "P-AAAA", "audio", submission="s2")
    return engine


def test_the_core_writes_only_the_ledger(granted):
    with session_scope(granted) as session:
        result = record_withdrawal(
            session, policy=policy(), participant="P-AAAA", occurred_at=WHEN, **PHONE
        )
        actions = [e.action for e in ledger.events_of(session, "P-AAAA")]
    assert result.withdrawn == ("interview", "audio") and result.left_study
    assert result.erasure_due
    assert actions == ["grant", "grant", "withdraw", "withdraw"]
    assert status(granted, "P-AAAA") == ParticipantStatus.NEW  # intake's part, not the core's


def test_intake_sets_the_status_of_a_person_who_left(granted):
    with session_scope(granted) as session:
        result = withdraw(
            session,
            policy=policy(WithdrawalPolicy.KEEP),
            participant="P-AAAA",
            items=["interview"],
            occurred_at=WHEN,
            **PHONE,
        )
    assert result.left_study and not result.erasure_due
    assert status(granted, "P-AAAA") == ParticipantStatus.WITHDRAWN
    assert result.summary() == (
        "P-AAAA withdrew consent to interview; left the study: no more letters or reminders"
    )


def test_a_withdrawal_from_the_web_or_a_scan_leaves_the_erasure_due(granted):
    with session_scope(granted) as session:
        result = withdraw(session, policy=policy(), participant="P-AAAA", occurred_at=WHEN, **PHONE)
    assert result.erasure_due
    assert result.summary().endswith("the study's policy says erase: run `deltaker erase P-AAAA`")
    assert status(granted, "P-AAAA") == ParticipantStatus.WITHDRAWN


def test_the_staff_command_erases_at_once_under_the_delete_policy(granted):
    with session_scope(granted) as session:
        done = withdraw_and_erase(
            session, policy=policy(), participant="P-AAAA", occurred_at=WHEN, **PHONE
        )
        actions = [e.action for e in ledger.events_of(session, "P-AAAA")]
    assert done.erasure is not None and not done.withdrawal.erasure_due
    assert done.summary().startswith(
        "P-AAAA withdrew consent to interview, audio; "
        "left the study: no more letters or reminders; erased P-AAAA: "
    )
    assert actions[-3:] == ["withdraw", "withdraw", "erase"]
    assert status(granted, "P-AAAA") == ParticipantStatus.ERASED


def test_an_erased_person_has_nothing_left_to_withdraw(granted):
    with session_scope(granted) as session:
        withdraw_and_erase(
            session, policy=policy(), participant="P-AAAA", occurred_at=WHEN, **PHONE
        )
    with session_scope(granted) as session:
        before = len(ledger.events_of(session, "P-AAAA"))
        with pytest.raises(ConsentError, match="has been erased"):
            withdraw(session, policy=policy(), participant="P-AAAA", occurred_at=WHEN, **PHONE)
        assert len(ledger.events_of(session, "P-AAAA")) == before


def test_an_unknown_code_is_refused(engine):
    with session_scope(engine) as session, pytest.raises(ledger.UnknownParticipant):
        withdraw(session, policy=policy(), participant="P-ZZZZ", occurred_at=WHEN, **PHONE)

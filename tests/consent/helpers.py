"""Shared helpers for the consent tests: people in a real database, events with evidence."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy.orm import Session

from consent import ledger
from consent.events import Action, Channel
from intake.models import Participant

WHEN = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def add_people(session: Session, *codes: str, language: str = "nb") -> None:
    for code in codes:
        session.add(Participant(code=code, language=language))
    session.flush()


def web_grant(session: Session, code: str, item: str = "interview", submission: str = "s1",
              **kw):
    return ledger.record(
        session, study="u-sving", participant=code, item=item, action=Action.GRANT,
        channel=Channel.WEB, text_version="3f2a9c1e", evidence={"submission_id": submission},
        actor="participant", occurred_at=kw.pop("occurred_at", WHEN), **kw,
    )


def phone_withdraw(session: Session, code: str, item: str = "interview"):
    return ledger.record(
        session, study="u-sving", participant=code, item=item, action=Action.WITHDRAW,
        channel=Channel.PHONE, text_version="", evidence={"note": "Called and said stop."},
        actor="kari", occurred_at=WHEN,
    )

"""Shared helpers for the consent tests: people in a real database, events with evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import time

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


def web_grant(session: Session, code: str, item: str = "interview", submission: str = "s1", **kw):
    return ledger.record(
        session,
        study="u-sving",
        participant=code,
        item=item,
        action=Action.GRANT,
        channel=Channel.WEB,
        text_version="3f2a9c1e",
        evidence={"submission_id": submission},
        actor="participant",
        occurred_at=kw.pop("occurred_at", WHEN),
        **kw,
    )


def phone_withdraw(session: Session, code: str, item: str = "interview"):
    return ledger.record(
        session,
        study="u-sving",
        participant=code,
        item=item,
        action=Action.WITHDRAW,
        channel=Channel.PHONE,
        text_version="",
        evidence={"note": "Called and said stop."},
        actor="kari",
        occurred_at=WHEN,
    )


def append_worker(db_url: str, code: str, count: int, barrier) -> int:
    """Run in a separate process: append ``count`` events, one transaction each."""
    from intake.db import make_engine, session_scope

    engine = make_engine(db_url)
    barrier.wait(60)  # both processes are ready: start appending at the same moment
    try:
        for n in range(count):
            with session_scope(engine) as session:
                item = "interview" if n % 2 == 0 else "audio"
                web_grant(session, code, item=item, submission=f"{code}-{n}")
            # a pause between transactions, as between real submissions, lets the other
            # writer take its turn (SQLite's busy wait would otherwise let one run ahead)
            time.sleep(0.002)
    finally:
        engine.dispose()
    return count

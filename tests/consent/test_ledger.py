"""The ledger on a real database file: appending, refusing bad events, append-only triggers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError as SQLDatabaseError

from consent import ledger
from consent.events import GENESIS_HASH, Action, Channel, ConsentError
from consent.models import ConsentEvent
from consent.status import ConsentState
from intake.db import read_scope, session_scope
from tests.consent.helpers import WHEN, add_people, phone_withdraw, sha, web_grant
from tests.factories import make_study


def _count(engine) -> int:
    with read_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(ConsentEvent))


def test_events_chain_and_verify_ok(ledger_engine):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA", "P-BBBB")
        first = web_grant(s, "P-AAAA")
        second = web_grant(s, "P-BBBB", item="audio", submission="s2")
        third = phone_withdraw(s, "P-AAAA")
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    with read_scope(ledger_engine) as s:
        result = ledger.verify(s)
        book = ledger.status_book(s)
    assert result.ok and result.count == 3 and result.head_hash == third.hash
    assert book.state("P-AAAA", "interview") == ConsentState.WITHDRAWN
    assert book.state("P-BBBB", "audio") == ConsentState.GRANTED


def test_empty_ledger_verifies(ledger_engine):
    with read_scope(ledger_engine) as s:
        result = ledger.verify(s)
    assert result.ok and result.count == 0 and result.head_hash == GENESIS_HASH


BAD = [
    (dict(action="approve"), "unknown action"),
    (dict(channel="fax"), "unknown channel"),
    (dict(participant="Kari Nordmann"), "not a valid code"),
    (dict(participant="P-NOPE"), "no participant with code"),
    (dict(item="video"), "not a consent item"),
    (dict(item="*"), "one event per item"),
    (dict(actor=""), "needs an actor"),
    (dict(text_version=""), "text version"),
    (dict(evidence={}), "submission id"),
    (dict(channel="paper", evidence={"page_sha256": "abc"}), "64 lowercase hex"),
    (dict(channel="paper", evidence={"page_sha256": sha("p")}), "needs a signature"),
    (dict(channel="paper", evidence={}), "scanned page"),
    (dict(channel="phone", actor="kari", evidence={}), "phone call needs a note"),
    (dict(channel="phone", evidence={"note": "rang"}), "staff member"),
    (dict(channel="staff", actor="kari", evidence={"note": "  "}), "needs a note"),
    (dict(evidence={"submission_id": "x", "when": dt.date(2026, 1, 1)}), "JSON"),
    (dict(occurred_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2)), "in the future"),
]


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_events_are_refused_with_one_clear_message_and_nothing_written(
    ledger_engine, change, message
):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA")
        web_grant(s, "P-AAAA")
    args = dict(
        study=make_study(),
        participant="P-AAAA",
        item="audio",
        action="grant",
        channel="web",
        text_version="3f2a9c1e",
        evidence={"submission_id": "s9"},
        actor="participant",
        occurred_at=WHEN,
    )
    args.update(change)
    with pytest.raises(ConsentError, match=message) as caught:
        with session_scope(ledger_engine) as s:
            ledger.record(s, **args)
    assert "\n" not in str(caught.value)
    assert _count(ledger_engine) == 1
    with read_scope(ledger_engine) as s:
        assert ledger.verify(s).ok


def test_grant_after_withdrawal_needs_a_newly_signed_form(ledger_engine):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA")
        web_grant(s, "P-AAAA", submission="first")
        phone_withdraw(s, "P-AAAA")
    for submission in ("first",):
        with pytest.raises(ConsentError, match="seen before the withdrawal"):
            with session_scope(ledger_engine) as s:
                web_grant(s, "P-AAAA", submission=submission)
    with pytest.raises(ConsentError, match="newly signed form"):
        with session_scope(ledger_engine) as s:
            ledger.record(
                s,
                study="u-sving",
                participant="P-AAAA",
                item="interview",
                action=Action.GRANT,
                channel=Channel.STAFF,
                text_version="v",
                evidence={"note": "said yes in the hallway"},
                actor="kari",
                occurred_at=WHEN,
            )
    with session_scope(ledger_engine) as s:
        web_grant(s, "P-AAAA", submission="second")
        assert ledger.item_status(s, "P-AAAA", "interview").state == ConsentState.GRANTED
    assert _count(ledger_engine) == 3


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE consent_events SET action = 'withdraw' WHERE seq = 1",
        "UPDATE consent_events SET hash = hash",
        "DELETE FROM consent_events WHERE seq = 1",
        "DELETE FROM consent_events",
    ],
)
def test_triggers_refuse_update_and_delete(ledger_engine, statement):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA")
        web_grant(s, "P-AAAA")
    with pytest.raises(SQLDatabaseError, match="append-only"):
        with session_scope(ledger_engine) as s:
            s.execute(text(statement))
    with read_scope(ledger_engine) as s:
        assert ledger.verify(s).ok and ledger.verify(s).count == 1


def test_orm_delete_is_refused_too(ledger_engine):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA")
        web_grant(s, "P-AAAA")
    with pytest.raises(SQLDatabaseError, match="append-only"):
        with session_scope(ledger_engine) as s:
            s.delete(s.get(ConsentEvent, 1))
    assert _count(ledger_engine) == 1


def test_checkpoint_round_trip(ledger_engine):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA")
        web_grant(s, "P-AAAA")
        point = ledger.checkpoint(s)
    assert point.count == 1
    with read_scope(ledger_engine) as s:
        assert ledger.verify(s, str(point)).ok
    with pytest.raises(ConsentError, match="HASH:COUNT"):
        with read_scope(ledger_engine) as s:
            ledger.verify(s, "abc:1")


def test_a_rolled_back_savepoint_leaves_no_stale_head(ledger_engine):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA")
        web_grant(s, "P-AAAA", submission="a")
        savepoint = s.begin_nested()
        web_grant(s, "P-AAAA", item="audio", submission="b")
        savepoint.rollback()
        third = web_grant(s, "P-AAAA", item="audio", submission="c")
    assert third.seq == 2
    with read_scope(ledger_engine) as s:
        assert ledger.verify(s).ok and ledger.verify(s).count == 2


def test_truncate_is_refused_on_postgresql(ledger_engine):
    if ledger_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE FROM is refused by the trigger)")
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA")
        web_grant(s, "P-AAAA")
    with pytest.raises(SQLDatabaseError, match="append-only"):
        with session_scope(ledger_engine) as s:
            s.execute(text("TRUNCATE consent_events"))
    assert _count(ledger_engine) == 1

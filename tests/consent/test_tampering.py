"""Tampering with a real database file behind the ledger's back; verify names the event.

Each test drops the append-only triggers (as an attacker with database access
would), changes the table with plain SQL, and checks that verification names
the first event that no longer fits.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from consent import ledger
from consent.events import Action, Channel
from consent.models import ConsentEvent
from intake.db import read_scope, session_scope
from tests.consent.helpers import WHEN, add_people, phone_withdraw, web_grant

N_EVENTS = 6


@pytest.fixture
def filled(ledger_engine):
    with session_scope(ledger_engine) as s:
        add_people(s, "P-AAAA", "P-BBBB")
        web_grant(s, "P-AAAA", submission="a1")
        web_grant(s, "P-AAAA", item="audio", submission="a1")
        web_grant(s, "P-BBBB", submission="b1")
        phone_withdraw(s, "P-AAAA", item="audio")
        ledger.record(
            s,
            study="u-sving",
            participant="P-BBBB",
            item="audio",
            action=Action.DECLINE,
            channel=Channel.WEB,
            text_version="3f2a9c1e",
            evidence={"submission_id": "b1"},
            actor="participant",
            occurred_at=WHEN,
        )
        phone_withdraw(s, "P-BBBB")
        point = ledger.checkpoint(s)
    assert point.count == N_EVENTS
    return ledger_engine, point


def tamper(engine, *statements, params=None):
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER IF EXISTS consent_events_no_update"))
            conn.execute(text("DROP TRIGGER IF EXISTS consent_events_no_delete"))
        else:
            conn.execute(text("ALTER TABLE consent_events DISABLE TRIGGER USER"))
        for statement in statements:
            conn.execute(text(statement), params or {})


def rows(engine):
    with read_scope(engine) as s:
        return list(ledger.iter_events(s))


def verify(engine, checkpoint=None):
    with read_scope(engine) as s:
        return ledger.verify(s, checkpoint)


def test_untouched_ledger_verifies_with_and_without_checkpoint(filled):
    engine, point = filled
    assert verify(engine).ok
    assert verify(engine, point).ok


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "'withdraw'"),
        ("participant", "'P-CCCC'"),
        ("text_version", "'deadbeef'"),
        ("evidence", "'{}'"),
        ("occurred_at", "'2020-01-01T00:00:00.000000Z'"),
        ("actor", "'someone'"),
    ],
)
def test_changing_one_field_of_one_event_is_caught_and_named(filled, column, value):
    engine, _ = filled
    tamper(engine, f"UPDATE consent_events SET {column} = {value} WHERE seq = 3")
    result = verify(engine)
    assert not result.ok
    assert result.problem.seq == 3 and result.problem.kind == "changed"
    assert "#3" in result.summary()


def test_changing_a_field_and_its_hash_breaks_the_next_link(filled):
    engine, _ = filled
    event = next(e for e in rows(engine) if e.seq == 2)
    forged = replace(event, action=Action.DECLINE).sealed()
    tamper(
        engine,
        "UPDATE consent_events SET action = 'decline', hash = :h WHERE seq = 2",
        params={"h": forged.hash},
    )
    result = verify(engine)
    assert result.problem.seq == 3
    assert "does not follow event #2" in result.problem.message


def test_deleting_an_event_is_caught_and_named(filled):
    engine, _ = filled
    tamper(engine, "DELETE FROM consent_events WHERE seq = 3")
    result = verify(engine)
    assert result.problem.kind == "deleted" and result.problem.seq == 3
    assert "#3 is missing" in result.problem.message


def _insert(engine, event):
    with engine.begin() as conn:
        conn.execute(
            ConsentEvent.__table__.insert().values(
                **{
                    c: getattr(ConsentEvent.from_data(event), c)
                    for c in ConsentEvent.__table__.columns.keys()
                }
            )
        )


def test_inserting_an_event_in_the_middle_is_caught(filled):
    engine, _ = filled
    events = rows(engine)
    # make room for a forged #4 the way an attacker would: renumber the tail upwards
    shift = [
        f"UPDATE consent_events SET seq = {e.seq + 1} WHERE seq = {e.seq}"
        for e in sorted(events, key=lambda e: -e.seq)
        if e.seq >= 4
    ]
    # a well-formed event with its own valid hash (prev_hash is unique, so it cannot
    # also claim #3 as its predecessor without rewriting the next one)
    forged = replace(
        events[3],
        seq=4,
        participant="P-BBBB",
        item="audio",
        action=Action.GRANT,
        prev_hash="e" * 64,
        evidence='{"submission_id":"forged"}',
    ).sealed()
    tamper(engine, *shift)
    _insert(engine, forged)
    result = verify(engine)
    assert not result.ok
    assert result.problem.seq == 4 and result.problem.kind == "inserted"
    assert "does not follow event #3" in result.problem.message


def test_renumbering_events_after_a_gap_is_caught(filled):
    engine, _ = filled
    # delete #3 and close the gap so the sequence looks whole again
    tamper(
        engine,
        "DELETE FROM consent_events WHERE seq = 3",
        *[f"UPDATE consent_events SET seq = {n - 1} WHERE seq = {n}" for n in (4, 5, 6)],
    )
    result = verify(engine)
    assert result.problem.seq == 3 and result.problem.kind == "reordered"
    assert "was #4" in result.problem.message


def test_appending_a_forged_event_with_a_wrong_hash_is_caught(filled):
    engine, _ = filled
    last = rows(engine)[-1]
    forged = replace(last, seq=last.seq + 1, prev_hash=last.hash, hash="f" * 64)
    _insert(engine, forged)
    result = verify(engine)
    assert result.problem.seq == N_EVENTS + 1 and result.problem.kind == "changed"


def test_swapping_two_events_is_caught_and_named(filled):
    engine, _ = filled
    tamper(
        engine,
        "UPDATE consent_events SET seq = 1000 WHERE seq = 2",
        "UPDATE consent_events SET seq = 2 WHERE seq = 3",
        "UPDATE consent_events SET seq = 3 WHERE seq = 1000",
    )
    result = verify(engine)
    assert result.problem.seq == 2 and result.problem.kind == "reordered"
    assert "was #3" in result.problem.message


def test_truncating_the_tail_is_caught_by_the_checkpoint(filled):
    engine, point = filled
    tamper(engine, "DELETE FROM consent_events WHERE seq > 4")
    assert verify(engine).ok  # the chain alone cannot know its tail is gone...
    result = verify(engine, point)  # ...the officer's checkpoint can
    assert result.problem.kind == "truncated" and result.problem.seq == 5
    assert "holds 4 events but the checkpoint says 6" in result.problem.message


def test_a_chain_recomputed_from_scratch_is_caught_by_the_checkpoint(filled):
    engine, point = filled
    events = rows(engine)
    # rewrite #2 and recompute every hash after it, so the chain itself is consistent
    rewritten, prev = [], events[0].hash
    for event in events[1:]:
        changed = replace(event, prev_hash=prev)
        if event.seq == 2:
            changed = replace(changed, action=Action.DECLINE)
        changed = changed.sealed()
        rewritten.append(changed)
        prev = changed.hash
    tamper(engine, "DELETE FROM consent_events WHERE seq >= 2")
    for event in rewritten:
        _insert(engine, event)
    assert verify(engine).ok
    result = verify(engine, point)
    assert result.problem.kind == "rewritten" and result.problem.seq == N_EVENTS

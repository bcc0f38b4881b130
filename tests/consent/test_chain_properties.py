"""The chain verifier over random ledgers and random tampering (pure, no database)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from consent.chain import Checkpoint, verify_events
from consent.events import GENESIS_HASH, Action, Channel, EventData, canonical_json


def chain(n: int) -> list[EventData]:
    events, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        event = EventData(
            seq=seq,
            study="s",
            participant=f"P-{seq % 3:04d}",
            item="interview",
            action=Action.GRANT if seq % 2 else Action.WITHDRAW,
            channel=Channel.WEB,
            text_version="v1",
            evidence=canonical_json({"submission_id": f"s{seq}"}),
            actor="participant",
            occurred_at="2026-01-01T00:00:00.000000Z",
            recorded_at=f"2026-01-01T00:00:{seq % 60:02d}.000000Z",
            prev_hash=prev,
        ).sealed()
        events.append(event)
        prev = event.hash
    return events


FIELDS = (
    "study",
    "participant",
    "item",
    "action",
    "channel",
    "text_version",
    "evidence",
    "actor",
    "occurred_at",
    "recorded_at",
)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.data())
def test_any_single_field_change_is_caught_at_that_event(n, data):
    events = chain(n)
    target = data.draw(st.integers(0, n - 1))
    name = data.draw(st.sampled_from(FIELDS))
    events[target] = replace(events[target], **{name: str(getattr(events[target], name)) + "x"})
    result = verify_events(events)
    assert not result.ok and result.problem.seq == target + 1


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 40), st.data())
def test_any_deletion_before_the_tail_is_caught_and_named(n, data):
    events = chain(n)
    target = data.draw(st.integers(0, n - 2))
    del events[target]
    result = verify_events(events)
    assert result.problem.kind == "deleted" and result.problem.seq == target + 1


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 40), st.data())
def test_any_swap_is_caught_at_the_first_swapped_place(n, data):
    events = chain(n)
    a, b = sorted(data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
    first, second = events[a], events[b]
    events[a], events[b] = replace(second, seq=first.seq), replace(first, seq=second.seq)
    result = verify_events(events)
    assert result.problem.seq == a + 1 and result.problem.kind == "reordered"


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 40), st.data())
def test_a_checkpoint_catches_truncation_and_rewriting(n, data):
    events = chain(n)
    point = Checkpoint(events[-1].hash, n)
    assert verify_events(events, point).ok
    cut = data.draw(st.integers(0, n - 1))
    assert verify_events(events[:cut], point).problem.kind == "truncated"
    # rewrite: change the first event and re-seal every later one
    rewritten, prev = [], GENESIS_HASH
    for event in events:
        changed = replace(
            event, prev_hash=prev, actor="forger" if event.seq == 1 else event.actor
        ).sealed()
        rewritten.append(changed)
        prev = changed.hash
    assert verify_events(rewritten).ok
    assert verify_events(rewritten, point).problem.kind == "rewritten"

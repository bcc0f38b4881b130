"""The status fold: worked examples and hypothesis properties over random event sequences."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from consent.events import ALL_ITEMS, Action, Channel, EventData, canonical_json, documentary
from consent.status import ConsentState, fold

PEOPLE = ("P-AAAA", "P-BBBB")
ITEMS = ("interview", "audio")


def ev(seq, action, *, who="P-AAAA", item="interview", evidence=None, channel=Channel.WEB):
    return EventData(
        seq=seq,
        study="s",
        participant=who,
        item=item,
        action=Action(action),
        channel=channel,
        text_version="v1",
        evidence=canonical_json(evidence or {}),
        actor="participant",
        occurred_at="2026-01-01T00:00:00.000000Z",
        recorded_at="2026-01-01T00:00:00.000000Z",
        prev_hash="0" * 64,
    )


def test_grant_then_withdraw_then_old_form_is_refused_and_new_form_renews():
    events = [
        ev(1, "grant", evidence={"submission_id": "a"}),
        ev(2, "withdraw", evidence={"note": "phone"}, channel=Channel.PHONE),
        ev(3, "grant", evidence={"submission_id": "a"}),  # the same submission replayed
        ev(4, "grant", evidence={"note": "said yes on the phone"}, channel=Channel.STAFF),
    ]
    book = fold(events)
    assert book.state("P-AAAA", "interview") == ConsentState.WITHDRAWN
    assert [r.seq for r in book.refused] == [3, 4]
    book = fold([ev(5, "grant", evidence={"submission_id": "b"})], start=book)
    assert book.state("P-AAAA", "interview") == ConsentState.GRANTED
    assert book.get("P-AAAA", "interview").seq == 5


def test_decline_after_grant_is_a_withdrawal_and_decline_alone_is_declined():
    book = fold(
        [
            ev(1, "grant", evidence={"submission_id": "a"}),
            ev(2, "decline", evidence={"submission_id": "b"}),
            ev(3, "decline", item="audio", evidence={"submission_id": "b"}),
        ]
    )
    assert book.state("P-AAAA", "interview") == ConsentState.WITHDRAWN
    assert book.state("P-AAAA", "audio") == ConsentState.DECLINED
    assert book.state("P-BBBB", "audio") == ConsentState.NOT_ASKED


def test_erase_marks_the_person_and_notes_change_nothing():
    book = fold(
        [
            ev(1, "grant", evidence={"submission_id": "a"}),
            ev(2, "note", item=ALL_ITEMS, evidence={"note": "x"}, channel=Channel.STAFF),
            ev(3, "erase", item=ALL_ITEMS, evidence={"note": "x"}, channel=Channel.STAFF),
        ]
    )
    assert book.erased == {"P-AAAA"}
    assert book.state("P-AAAA", "interview") == ConsentState.GRANTED


def _evidence():
    return st.one_of(
        st.just({}),
        st.just({"note": "n"}),
        st.integers(0, 4).map(lambda n: {"submission_id": f"s{n}"}),
        st.integers(0, 4).map(lambda n: {"page_sha256": hashlib.sha256(bytes([n])).hexdigest()}),
    )


_event_parts = st.tuples(
    st.sampled_from(PEOPLE),
    st.sampled_from(ITEMS),
    st.sampled_from(["grant", "decline", "withdraw", "note", "erase"]),
    _evidence(),
)


@st.composite
def sequences(draw, min_size=0):
    parts = draw(st.lists(_event_parts, min_size=min_size, max_size=30))
    out = []
    for n, (who, item, action, evidence) in enumerate(parts, start=1):
        target = ALL_ITEMS if action in ("note", "erase") else item
        out.append(ev(n, action, who=who, item=target, evidence=evidence))
    return out


def _pair(events, who, item):
    return [e for e in events if e.participant == who and e.item == item]


@settings(max_examples=300, deadline=None)
@given(sequences())
def test_each_pair_depends_only_on_its_own_events(events):
    book = fold(events)
    for who in PEOPLE:
        for item in ITEMS:
            alone = fold(_pair(events, who, item))
            assert book.get(who, item) == alone.get(who, item)


@settings(max_examples=300, deadline=None)
@given(sequences(), st.integers(0, 30))
def test_folding_in_two_parts_equals_folding_at_once(events, cut):
    assert fold(events[cut:], start=fold(events[:cut])) == fold(events)


@settings(max_examples=300, deadline=None)
@given(sequences())
def test_not_asked_exactly_when_no_consent_event(events):
    book = fold(events)
    for who in PEOPLE:
        for item in ITEMS:
            pair = _pair(events, who, item)
            asked = any(e.action in ("grant", "decline", "withdraw") for e in pair)
            assert (book.state(who, item) == ConsentState.NOT_ASKED) == (not asked)


@settings(max_examples=300, deadline=None)
@given(sequences())
def test_a_withdrawal_stands_until_a_grant_on_a_new_document(events):
    book = fold(events)
    for who in PEOPLE:
        for item in ITEMS:
            pair = _pair(events, who, item)
            withdrawals = [i for i, e in enumerate(pair) if e.action == "withdraw"]
            if not withdrawals:
                continue
            first = withdrawals[0]
            seen = {documentary(e.evidence_dict) for e in pair[: first + 1]} - {None}
            renewing = [
                e
                for e in pair[first + 1 :]
                if e.action == "grant" and documentary(e.evidence_dict) not in seen | {None}
            ]
            if not renewing:
                assert book.state(who, item) == ConsentState.WITHDRAWN


@settings(max_examples=300, deadline=None)
@given(sequences())
def test_granted_means_the_last_consent_event_was_an_accepted_grant(events):
    book = fold(events)
    refused = {r.seq for r in book.refused}
    for who in PEOPLE:
        for item in ITEMS:
            status = book.get(who, item)
            meaningful = [
                e
                for e in _pair(events, who, item)
                if e.action in ("grant", "decline", "withdraw") and e.seq not in refused
            ]
            if status.state == ConsentState.GRANTED:
                assert meaningful[-1].action == "grant"
                assert status.seq == meaningful[-1].seq
            if status.state == ConsentState.DECLINED:
                assert all(e.action == "decline" for e in meaningful)


@settings(max_examples=200, deadline=None)
@given(sequences(), st.lists(st.integers(0, 30), max_size=5))
def test_notes_change_no_state(events, positions):
    noted = list(events)
    for pos in positions:
        noted.insert(min(pos, len(noted)), ev(0, "note", item=ALL_ITEMS, evidence={"note": "n"}))
    assert dict(fold(noted).items) == dict(fold(events).items)


@settings(max_examples=200, deadline=None)
@given(sequences())
def test_every_refused_grant_follows_a_withdrawal(events):
    # a withdrawal is a withdraw event, or a decline after a grant (taking the yes back)
    for refusal in fold(events).refused:
        pair = _pair(events, refusal.participant, refusal.item)
        before = [e.action for e in pair if e.seq < refusal.seq]
        took_back = any(a == "decline" and "grant" in before[:i] for i, a in enumerate(before))
        assert "withdraw" in before or took_back

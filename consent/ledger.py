"""Appending to the consent ledger, reading it back, and verifying its chain.

Appending is serialised so that concurrent writers (two processes) still make
one linear chain: on SQLite the caller's write transaction already holds the
database's write lock (intake.db.session_scope begins with BEGIN IMMEDIATE);
on PostgreSQL ``record`` takes a lock on the ledger table that only one writer
can hold until its transaction ends. The unique ``prev_hash`` column is the
last line of defence: a second writer extending the same head fails instead of
forking the chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import column, func, select, table, text
from sqlalchemy.orm import Session

from forms.model import Study

from .chain import Checkpoint, Verification, verify_events
from .events import (
    GENESIS_HASH,
    Action,
    Channel,
    ConsentError,
    EventData,
    canonical_json,
    check_event_input,
    utc_iso,
)
from .models import TABLE, ConsentEvent
from .status import ItemStatus, StatusBook, fold, refusal_reason

#: How far in the future (clock skew between machines) an event's time may be.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
#: Events read per round trip while verifying, so a long ledger never sits in memory.
VERIFY_BATCH = 1000


class UnknownParticipant(ConsentError):
    """The participant code is not in the database (the ledger holds codes, never names)."""


def _lock_for_append(session: Session) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # SHARE ROW EXCLUSIVE conflicts with itself: one appender at a time, readers go on.
        session.execute(text(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE"))
    # SQLite: the write transaction (BEGIN IMMEDIATE) already holds the only write lock.


def _key(value: Any, what: str) -> str:
    if isinstance(value, Study):
        return value.id
    for attribute in ("code", "key"):
        found = getattr(value, attribute, None)
        if isinstance(found, str):
            return found
    if isinstance(value, str):
        return value
    raise ConsentError(f"{what} must be a code, not {type(value).__name__}")


#: The participants table, named rather than imported: the ledger knows people only by
#: their code, and the consent core may not import intake's models (intake imports consent).
_PARTICIPANTS = table("participants", column("code"))
_CODE = _PARTICIPANTS.c.code

_HEAD_KEY = "consent.ledger.head"  # session.info: (transaction, count, head hash)
_KNOWN_KEY = "consent.ledger.known"  # session.info: (transaction, participant codes seen)


def _transaction(session: Session) -> Any:
    # the innermost transaction: a rolled-back savepoint must not leave a stale head behind
    return session.get_nested_transaction() or session.get_transaction()


def _cached(session: Session, key: str) -> Any:
    """A value cached for the current transaction only (None in any other)."""
    entry = session.info.get(key)
    if entry is not None and entry[0] is _transaction(session):
        return entry[1]
    return None


def head(session: Session) -> tuple[int, str]:
    """(count, head hash) of the ledger as this transaction sees it."""
    cached: tuple[int, str] | None = _cached(session, _HEAD_KEY)
    if cached is not None:
        return cached
    last = session.execute(
        select(ConsentEvent.seq, ConsentEvent.hash).order_by(ConsentEvent.seq.desc()).limit(1)
    ).first()
    return (last.seq, last.hash) if last else (0, GENESIS_HASH)


def participant_exists(session: Session, code: str) -> bool:
    known = _cached(session, _KNOWN_KEY)
    if known is not None and code in known:
        return True
    found = (
        session.scalar(select(func.count()).select_from(_PARTICIPANTS).where(_CODE == code)) or 0
    ) > 0
    if found:
        if known is None:
            known = set()
            session.info[_KNOWN_KEY] = (_transaction(session), known)
        known.add(code)
    return found


def participant_statuses(session: Session, participant: str) -> StatusBook:
    """Every item's state for one person, from one read of their events (a form with
    many boxes reads the ledger once, not once per box)."""
    return fold(iter_events(session, participant=participant))


def item_status(session: Session, participant: str, item: str) -> ItemStatus:
    return participant_statuses(session, participant).get(participant, item)


def grant_refusal(
    session: Session,
    participant: str,
    item: str,
    evidence: Mapping[str, Any],
    status: ItemStatus | None = None,
) -> str | None:
    """Why a grant with this evidence would be refused now (None when it may be recorded).

    ``status``: the item's current state when the caller has read it already.
    """
    probe = EventData(
        seq=0,
        study="",
        participant=participant,
        item=item,
        action=Action.GRANT,
        channel=Channel.STAFF,
        text_version="",
        evidence=canonical_json(dict(evidence)),
        actor="",
        occurred_at="",
        recorded_at="",
        prev_hash="",
    )
    current = status if status is not None else item_status(session, participant, item)
    return refusal_reason(current, probe)


def record(
    session: Session,
    *,
    study: Study | str,
    participant: Any,
    item: str,
    action: Action | str,
    channel: Channel | str,
    text_version: str,
    evidence: Mapping[str, Any],
    actor: str,
    occurred_at: dt.datetime | dt.date,
    now: dt.datetime | None = None,
) -> ConsentEvent:
    """Append one event, checked and hashed onto the head of the chain.

    Refuses (ConsentError, nothing written) an event that is poor evidence (see
    consent.events.check_event_input), an unknown participant or consent item,
    a time in the future, and a grant after a withdrawal that does not rest on a
    newly signed form or a new web submission.
    """
    study_key = _key(study, "study")
    code = _key(participant, "participant")
    action, channel = check_event_input(
        study=study_key,
        participant=code,
        item=item,
        action=action,
        channel=channel,
        text_version=text_version,
        evidence=evidence,
        actor=actor,
    )
    if isinstance(study, Study) and action in (Action.GRANT, Action.DECLINE, Action.WITHDRAW):
        known = [c.id for c in study.consent_items]
        if item not in known:
            raise ConsentError(
                f"{item!r} is not a consent item of study {study.id} (known: {', '.join(known)})"
            )
    now = now or dt.datetime.now(dt.UTC)
    recorded_at = utc_iso(now)
    occurred = utc_iso(occurred_at)
    if occurred > utc_iso(now + FUTURE_TOLERANCE):
        raise ConsentError(f"the event's time {occurred} is in the future")
    if not participant_exists(session, code):
        raise UnknownParticipant(f"no participant with code {code!r}")

    _lock_for_append(session)
    count, prev_hash = head(session)
    data = EventData(
        seq=count + 1,
        study=study_key,
        participant=code,
        item=item,
        action=action,
        channel=channel,
        text_version=text_version,
        evidence=canonical_json(dict(evidence)),
        actor=actor,
        occurred_at=occurred,
        recorded_at=recorded_at,
        prev_hash=prev_hash,
    )
    if action == Action.GRANT:
        reason = refusal_reason(item_status(session, code, item), data)
        if reason:
            raise ConsentError(reason)
    row = ConsentEvent.from_data(data.sealed())
    session.add(row)
    session.flush()
    # while this transaction holds the append lock nobody else can move the head, so the
    # next append in it need not read the head back
    session.info[_HEAD_KEY] = (_transaction(session), (row.seq, row.hash))
    return row


_COLUMNS = (
    ConsentEvent.seq,
    ConsentEvent.study,
    ConsentEvent.participant,
    ConsentEvent.item,
    ConsentEvent.action,
    ConsentEvent.channel,
    ConsentEvent.text_version,
    ConsentEvent.evidence,
    ConsentEvent.actor,
    ConsentEvent.occurred_at,
    ConsentEvent.recorded_at,
    ConsentEvent.prev_hash,
    ConsentEvent.hash,
)


def iter_events(
    session: Session, *, participant: str | None = None, batch: int = VERIFY_BATCH
) -> Iterator[EventData]:
    """Every event in sequence order, read in batches (keyset pagination on seq).

    Plain rows, not ORM objects, so a long ledger never fills the session's identity map.
    """
    last = 0
    while True:
        query = select(*_COLUMNS).where(ConsentEvent.seq > last)
        if participant is not None:
            query = query.where(ConsentEvent.participant == participant)
        rows = session.execute(query.order_by(ConsentEvent.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield EventData(
                seq=row.seq,
                study=row.study,
                participant=row.participant,
                item=row.item,
                action=row.action,
                channel=row.channel,
                text_version=row.text_version,
                evidence=row.evidence,
                actor=row.actor,
                occurred_at=row.occurred_at,
                recorded_at=row.recorded_at,
                prev_hash=row.prev_hash,
                hash=row.hash,
            )
        if len(rows) < batch:
            return
        last = rows[-1].seq


def events_of(session: Session, participant: str) -> list[EventData]:
    return list(iter_events(session, participant=participant))


def status_book(session: Session) -> StatusBook:
    return fold(iter_events(session))


def verify(session: Session, checkpoint: Checkpoint | str | None = None) -> Verification:
    """Recompute the whole chain; the result names the first event that does not fit."""
    if isinstance(checkpoint, str):
        checkpoint = Checkpoint.parse(checkpoint)
    return verify_events(iter_events(session), checkpoint)


def checkpoint(session: Session) -> Checkpoint:
    count, head_hash = head(session)
    return Checkpoint(head_hash, count)

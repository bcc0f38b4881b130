"""The current consent state per participant and item, folded from ledger events.

The state machine (every transition is an event; nothing else changes a state):

    not asked --grant--> granted     --withdraw--> withdrawn
    not asked --decline--> declined  --grant-----> granted
    granted   --decline--> withdrawn   (saying no after a yes takes the yes back)
    withdrawn --grant (on a newly signed form or a new web submission)--> granted

A withdrawal stands until the person signs a new form: a grant after a
withdrawal must rest on a document (scanned page or web submission) that was
not seen for this person and item before; otherwise the grant is refused
(``record`` refuses to write it; the fold ignores it and reports it).
``erase`` marks the person as erased and ``note`` changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .events import ALL_ITEMS, Action, EventData, documentary


class ConsentState(StrEnum):
    NOT_ASKED = "not asked"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ItemStatus:
    """Where one person stands on one consent item, and which event put them there."""

    participant: str
    item: str
    state: ConsentState = ConsentState.NOT_ASKED
    seq: int | None = None  # the event that set the state
    channel: str | None = None
    text_version: str | None = None
    occurred_at: str | None = None
    # every document (page or submission) seen for this person and item so far
    documents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Refusal:
    seq: int
    participant: str
    item: str
    reason: str


@dataclass(frozen=True)
class StatusBook:
    """The folded state of a whole ledger (or of the events given)."""

    items: Mapping[tuple[str, str], ItemStatus] = field(default_factory=dict)
    erased: frozenset[str] = frozenset()
    refused: tuple[Refusal, ...] = ()

    def get(self, participant: str, item: str) -> ItemStatus:
        return self.items.get((participant, item)) or ItemStatus(participant, item)

    def state(self, participant: str, item: str) -> ConsentState:
        return self.get(participant, item).state

    def participants(self) -> list[str]:
        return sorted({p for p, _ in self.items} | set(self.erased))

    def for_participant(self, participant: str) -> list[ItemStatus]:
        return [s for (p, _), s in sorted(self.items.items()) if p == participant]


def refusal_reason(current: ItemStatus, event: EventData) -> str | None:
    """Why ``event`` may not follow ``current`` (None when it may)."""
    if event.action != Action.GRANT or current.state != ConsentState.WITHDRAWN:
        return None
    document = documentary(event.evidence_dict)
    if document is None:
        return (
            f"{event.participant} withdrew consent to {event.item!r}; a new consent needs a "
            "newly signed form or a new web submission"
        )
    if document in current.documents:
        return (
            f"{event.participant} withdrew consent to {event.item!r}; this form was seen "
            "before the withdrawal, so it cannot renew the consent"
        )
    return None


def step(current: ItemStatus, event: EventData) -> ItemStatus:
    """The state after one event about this person and item (the event must be allowed)."""
    document = documentary(event.evidence_dict)
    documents = current.documents | {document} if document else current.documents
    new_state = current.state
    if event.action == Action.GRANT:
        new_state = ConsentState.GRANTED
    elif event.action == Action.DECLINE:
        new_state = (
            ConsentState.WITHDRAWN
            if current.state in (ConsentState.GRANTED, ConsentState.WITHDRAWN)
            else ConsentState.DECLINED
        )
    elif event.action == Action.WITHDRAW:
        new_state = ConsentState.WITHDRAWN
    if new_state == current.state and event.action not in (Action.GRANT, Action.DECLINE):
        return replace(current, documents=documents)
    return replace(
        current,
        state=new_state,
        seq=event.seq,
        channel=str(event.channel),
        text_version=event.text_version,
        occurred_at=event.occurred_at,
        documents=documents,
    )


def fold(events: Iterable[EventData], start: StatusBook | None = None) -> StatusBook:
    """Fold events (in sequence order) into the current state; refused grants are listed."""
    book = start or StatusBook()
    items = dict(book.items)
    erased = set(book.erased)
    refused = list(book.refused)
    for event in events:
        if event.action == Action.ERASE:
            erased.add(event.participant)
            continue
        if event.action == Action.NOTE or event.item == ALL_ITEMS:
            continue
        key = (event.participant, event.item)
        current = items.get(key) or ItemStatus(event.participant, event.item)
        reason = refusal_reason(current, event)
        if reason:
            refused.append(Refusal(event.seq, event.participant, event.item, reason))
            continue
        items[key] = step(current, event)
    return StatusBook(items=items, erased=frozenset(erased), refused=tuple(refused))

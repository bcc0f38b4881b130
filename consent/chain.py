"""Recompute a ledger's hash chain and name the first event that does not fit.

Pure code over :class:`consent.events.EventData` in stored order (by sequence
number). A checkpoint (``HASH:COUNT``, written down by the data protection
officer) also catches a chain recomputed from scratch or cut short.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .events import GENESIS_HASH, ConsentError, EventData

_CHECKPOINT = re.compile(r"^([0-9a-f]{64}):([0-9]+)$")


class CheckpointError(ConsentError):
    """A checkpoint given on the command line is not HASH:COUNT."""


@dataclass(frozen=True)
class Checkpoint:
    head_hash: str
    count: int

    def __str__(self) -> str:
        return f"{self.head_hash}:{self.count}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        match = _CHECKPOINT.match(text.strip().lower())
        if not match:
            raise CheckpointError(
                f"checkpoint {text!r} is not HASH:COUNT (64 hex characters, a colon, a number)"
            )
        return cls(match.group(1), int(match.group(2)))


@dataclass(frozen=True)
class Problem:
    seq: int  # the event named (the one expected at this place in the chain)
    kind: str  # changed | deleted | inserted | reordered | truncated | rewritten
    message: str


@dataclass(frozen=True)
class Verification:
    count: int
    head_hash: str
    problem: Problem | None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is None:
            return f"ok: {self.count} events, head {self.head_hash}"
        return f"ALTERED: {self.problem.message}"


def _moved_from(event: EventData, seqs: range) -> int | None:
    """The sequence number this event's content was hashed under, if not its own."""
    for other in seqs:
        if other != event.seq and replace(event, seq=other).compute_hash() == event.hash:
            return other
    return None


def verify_events(
    events: Iterable[EventData], checkpoint: Checkpoint | None = None
) -> Verification:
    """Walk the chain once; stop at the first event that does not fit."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    hashes: dict[str, int] = {}
    checkpoint_seen = False
    count = 0
    window = 64  # how far a moved event is looked for (a swap is usually local)
    for event in events:
        count += 1
        if event.seq > expected_seq:
            missing = (
                f"#{expected_seq}"
                if event.seq == expected_seq + 1
                else f"#{expected_seq} to #{event.seq - 1}"
            )
            return Verification(
                count,
                prev_hash,
                Problem(
                    expected_seq,
                    "deleted",
                    f"event {missing} is missing (deleted): the sequence jumps from "
                    f"#{expected_seq - 1} to #{event.seq}",
                ),
            )
        if event.seq < expected_seq:
            return Verification(
                count,
                prev_hash,
                Problem(
                    event.seq,
                    "inserted",
                    f"event #{event.seq} appears twice or out of order (an event was inserted)",
                ),
            )
        if event.compute_hash() != event.hash:
            moved = _moved_from(event, range(max(1, event.seq - window), event.seq + window))
            if moved is not None:
                return Verification(
                    count,
                    prev_hash,
                    Problem(
                        event.seq,
                        "reordered",
                        f"event #{event.seq} holds the event that was #{moved}: events were "
                        "reordered or renumbered",
                    ),
                )
            return Verification(
                count,
                prev_hash,
                Problem(
                    event.seq,
                    "changed",
                    f"event #{event.seq} ({event.participant}, {event.item}, {event.action}) was "
                    "changed: its content no longer matches its hash",
                ),
            )
        if event.prev_hash != prev_hash:
            if event.prev_hash in hashes:
                detail = f"it follows #{hashes[event.prev_hash]} instead of #{event.seq - 1}"
                kind = "reordered"
            else:
                detail = "it points to an event that is not in the ledger"
                kind = "inserted"
            return Verification(
                count,
                prev_hash,
                Problem(
                    event.seq,
                    kind,
                    f"event #{event.seq} does not follow event #{event.seq - 1}: {detail} "
                    "(an event was inserted, deleted or reordered)",
                ),
            )
        if checkpoint and event.seq == checkpoint.count:
            checkpoint_seen = True
            if event.hash != checkpoint.head_hash:
                return Verification(
                    count,
                    event.hash,
                    Problem(
                        event.seq,
                        "rewritten",
                        f"event #{event.seq} does not match the checkpoint "
                        f"{checkpoint.head_hash[:12]}…:{checkpoint.count}: the chain up to it "
                        "was rewritten",
                    ),
                )
        hashes[event.hash] = event.seq
        prev_hash = event.hash
        expected_seq += 1
    if checkpoint and checkpoint.count > 0 and not checkpoint_seen:
        return Verification(
            count,
            prev_hash,
            Problem(
                count + 1,
                "truncated",
                f"the ledger holds {count} events but the checkpoint says {checkpoint.count}: "
                f"events from #{count + 1} on were removed",
            ),
        )
    return Verification(count, prev_hash, None)

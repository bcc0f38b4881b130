"""The consent ledger's table: one row per event, appended and never changed.

Times and evidence are stored as the exact text that is hashed (``utc_iso``
strings and canonical JSON), so the hash is recomputed from what is stored,
byte for byte, on SQLite and PostgreSQL alike. Triggers created by the
``0002_consent`` migration refuse UPDATE and DELETE on this table.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import Base

from .events import Action, Channel, EventData

TABLE = "consent_events"


class ConsentEvent(Base):
    """One consent event. ``seq`` is 1, 2, 3... with no gaps; ``prev_hash`` links the chain."""

    __tablename__ = TABLE

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    study: Mapped[str] = mapped_column(String(100), index=True)
    participant: Mapped[str] = mapped_column(String(64), index=True)  # a code, never a name
    item: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10))
    text_version: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[str] = mapped_column(Text)  # canonical JSON
    actor: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[str] = mapped_column(String(32))  # consent.events.utc_iso
    recorded_at: Mapped[str] = mapped_column(String(32))
    # unique: two writers can never both extend the same head (no fork)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def data(self) -> EventData:
        return EventData(
            seq=self.seq,
            study=self.study,
            participant=self.participant,
            item=self.item,
            action=Action(self.action),
            channel=Channel(self.channel),
            text_version=self.text_version,
            evidence=self.evidence,
            actor=self.actor,
            occurred_at=self.occurred_at,
            recorded_at=self.recorded_at,
            prev_hash=self.prev_hash,
            hash=self.hash,
        )

    @classmethod
    def from_data(cls, data: EventData) -> ConsentEvent:
        return cls(
            seq=data.seq,
            study=data.study,
            participant=data.participant,
            item=data.item,
            action=str(data.action),
            channel=str(data.channel),
            text_version=data.text_version,
            evidence=data.evidence,
            actor=data.actor,
            occurred_at=data.occurred_at,
            recorded_at=data.recorded_at,
            prev_hash=data.prev_hash,
            hash=data.hash,
        )


#: The name the shared interface uses.
Event = ConsentEvent

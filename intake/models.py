"""The intake tables: studies and form versions, people, invitations, responses, review.

Names and addresses live in :class:`ContactDetails`, apart from everything else,
so they can be erased on their own and exports for analysis carry codes only.
Every time is stored in UTC and comes back timezone-aware on every backend.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """A UTC timestamp: stored without zone, always returned timezone-aware.

    SQLite keeps no zone and PostgreSQL's ``timestamp`` neither; storing UTC and
    attaching it on the way out makes both behave the same.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC time (intake.models.utcnow)")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class ParticipantStatus(StrEnum):
    NEW = "new"  # imported, nothing sent yet
    INVITED = "invited"  # a letter pack was printed or sent
    ANSWERED = "answered"  # at least one response arrived
    WITHDRAWN = "withdrawn"  # withdrew from the study
    ERASED = "erased"  # contact details and answers erased


class Channel(StrEnum):
    PAPER = "paper"  # scanned paper form
    WEB = "web"  # web form through the QR link or answer code
    PDF = "pdf"  # filled-in PDF sent back
    MANUAL = "manual"  # typed in by an assistant from a paper form


class ResponseStatus(StrEnum):
    COMPLETE = "complete"
    NEEDS_REVIEW = "needs_review"
    VERIFIED = "verified"


class TaskKind(StrEnum):
    AMBIGUOUS = "ambiguous"  # a mark the scanner was unsure of
    HANDWRITING = "handwriting"  # a written field to type in
    UNIDENTIFIED = "unidentified"  # a page with no readable identity, to assign
    CONFLICT = "conflict"  # paper and web answers for the same person and form


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class StudyRecord(Base):
    """A loaded study; ``definition`` keeps the study-level fields as loaded."""

    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)  # forms.model.Study.id
    title: Mapped[dict[str, Any]] = mapped_column(JSON)  # {language: text}
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_dir: Mapped[str | None] = mapped_column(Text)
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    forms: Mapped[list[FormVersion]] = relationship(back_populates="study")


class FormVersion(Base):
    """One text version of one form; old versions are kept so old paper stays readable."""

    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("study_id", "form_key", "text_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    form_key: Mapped[str] = mapped_column(String(100))  # forms.model.Form.id
    kind: Mapped[str] = mapped_column(String(20))  # forms.model.FormKind
    text_version: Mapped[str] = mapped_column(String(16))  # forms.version.text_version
    geometry: Mapped[str] = mapped_column(String(16))  # forms.version.geometry_fingerprint
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole form, see studies.py
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    study: Mapped[StudyRecord] = relationship(back_populates="forms")
    layouts: Mapped[list[LayoutMap]] = relationship(back_populates="form_version")


class LayoutMap(Base):
    """The layout map of a form version as first printed (DESIGN.md's layout-map dict)."""

    __tablename__ = "layout_maps"
    __table_args__ = (UniqueConstraint("form_version_id", "language", "profile"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(10))
    profile: Mapped[str] = mapped_column(String(20), default="standard")
    geometry: Mapped[str] = mapped_column(String(16))
    map: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    form_version: Mapped[FormVersion] = relationship(back_populates="layouts")


class Participant(Base):
    """A person asked to take part, known by a pseudonymous code only."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int | None] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16), unique=True)  # e.g. P-7K3M
    group: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(10), default="nb")
    status: Mapped[str] = mapped_column(String(20), default=ParticipantStatus.NEW)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    contact: Mapped[ContactDetails | None] = relationship(
        back_populates="participant", uselist=False, cascade="all, delete-orphan"
    )
    invitations: Mapped[list[Invitation]] = relationship(back_populates="participant")
    format_profile: Mapped[FormatProfileRecord | None] = relationship(
        back_populates="participant", uselist=False, cascade="all, delete-orphan"
    )


class FormatProfileRecord(Base):
    """How a person wants their paper (printing.format_profile.FormatProfile), read and
    written only by intake.format_profiles. No row: the defaults (standard print, as the
    run prints, the study's easy-read default). Apart from the participant row because
    it is personal (large print can hint at a disability): erasure and the end of the
    study delete it (privacy.inventory)."""

    __tablename__ = "format_profiles"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    two_sided: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    easy_read: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(Text)  # a staff user name, or "import"

    participant: Mapped[Participant] = relationship(back_populates="format_profile")


class ContactDetails(Base):
    """Name, address, phone and e-mail: kept apart so they can be erased on their own."""

    __tablename__ = "contact_details"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(4))
    city: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(Text)
    # Normalised keys for duplicate checks (see participants.py).
    name_address_key: Mapped[str | None] = mapped_column(Text, index=True)
    phone_key: Mapped[str | None] = mapped_column(String(40), index=True)
    email_key: Mapped[str | None] = mapped_column(Text, index=True)

    participant: Mapped[Participant] = relationship(back_populates="contact")


class Invitation(Base):
    """One generation of a participant's link and answer code (both only as keyed hashes).

    ``pages`` lists the printed pack's pages: ``[{"n": 1, "form": "consent",
    "version": "3f2a9c1e", "page": 1, "language": "nb", "profile": "standard"}, ...]``;
    the QR code's ``?p=n`` picks one of them.
    """

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("participant_id", "generation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    generation: Mapped[int] = mapped_column(Integer, default=1)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answer_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    printed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    participant: Mapped[Participant] = relationship(back_populates="invitations")


class ScannedPage(Base):
    """One page of a scanned file, read once: (file hash, page index) is unique."""

    __tablename__ = "scanned_pages"
    __table_args__ = (UniqueConstraint("file_sha256", "page_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(Text)
    page_index: Mapped[int] = mapped_column(Integer)
    image_sha256: Mapped[str | None] = mapped_column(String(64))  # evidence store
    status: Mapped[str] = mapped_column(String(20))  # the page result's status
    result: Mapped[dict[str, Any]] = mapped_column(JSON)  # the full page result
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Response(Base):
    """One person's (or one anonymous copy's) answers to one form version, from one channel.

    Paper and web answers for the same person and form are two responses (and a
    conflict task), never one overwritten by the other.
    """

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_form_version_participant", "form_version_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    serial: Mapped[str | None] = mapped_column(String(40))  # anonymous copies
    language: Mapped[str | None] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10))
    # {item: [values]} for choices, {item: "text"} for written items
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {item: {"state": ..., "confidence": ..., "fill": ...}} from the scanner
    field_states: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=ResponseStatus.COMPLETE)
    # web submission id (unique) for the web channel
    submission_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    # paper: [{"file_sha256": ..., "page_index": ..., "page": n}]; manual: {"entered_by": ...}
    source: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    entered_by: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_by: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    form_version: Mapped[FormVersion] = relationship()
    participant: Mapped[Participant | None] = relationship()
    tasks: Mapped[list[ReviewTask]] = relationship(
        back_populates="response", foreign_keys="ReviewTask.response_id"
    )


class ReviewTask(Base):
    """Something a person must look at; resolving it records who, when, old and new value."""

    __tablename__ = "review_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # TaskKind
    status: Mapped[str] = mapped_column(String(10), default=TaskStatus.OPEN, index=True)
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    scanned_page_id: Mapped[int | None] = mapped_column(
        ForeignKey("scanned_pages.id", ondelete="CASCADE")
    )
    other_response_id: Mapped[int | None] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE")
    )  # the other side of a conflict
    item: Mapped[str | None] = mapped_column(String(100))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))  # evidence store
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_by: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    response: Mapped[Response | None] = relationship(
        back_populates="tasks", foreign_keys=[response_id]
    )


class ExportLog(Base):
    """Every export of personal data (the DPO report lists these)."""

    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "results_with_contacts"
    path: Mapped[str] = mapped_column(Text)
    file_format: Mapped[str] = mapped_column(String(10))
    participants: Mapped[int] = mapped_column(Integer, default=0)  # people whose data went out
    rows: Mapped[int] = mapped_column(Integer, default=0)  # records, pages or images that went out

    people: Mapped[list[ExportedParticipant]] = relationship(
        back_populates="export", cascade="all, delete-orphan", order_by="ExportedParticipant.code"
    )


class ExportedParticipant(Base):
    """One person whose data one export carried, by pseudonymous code only.

    The code and not a link to the participant row: the log is the evidence that
    data left, so it outlives an erasure, and the code is what the ledger keeps too.
    """

    __tablename__ = "export_log_participants"

    export_id: Mapped[int] = mapped_column(
        ForeignKey("export_log.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)

    export: Mapped[ExportLog] = relationship(back_populates="people")


class Reminder(Base):
    """One reminder letter sent to one person: who, when, which letter text, which link."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    # The link and answer code printed: the invitation's own (a reminder issues no new one).
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    letter: Mapped[str] = mapped_column(String(40))  # the letter's id, "reminder"
    letter_version: Mapped[str] = mapped_column(String(16))  # hash of the text as printed
    language: Mapped[str] = mapped_column(String(10))
    file: Mapped[str | None] = mapped_column(Text)  # the PDF it was printed into (name only)
    sent_by: Mapped[str | None] = mapped_column(Text)


class ReconsentLetter(Base):
    """One re-consent letter sent to one person: who, when, which consent text it asks about."""

    __tablename__ = "reconsent_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    # The link and answer code printed: the invitation's own (no new one is issued).
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    form: Mapped[str] = mapped_column(String(80))  # the consent form printed
    text_version: Mapped[str] = mapped_column(String(16))  # its new text version
    old_versions: Mapped[str] = mapped_column(Text)  # the versions their grants rested on
    items: Mapped[str] = mapped_column(Text)  # the consent items asked about again
    letter_version: Mapped[str] = mapped_column(String(16))  # hash of the letter as printed
    language: Mapped[str] = mapped_column(String(10))
    file: Mapped[str | None] = mapped_column(Text)  # the PDF it was printed into (name only)
    sent_by: Mapped[str | None] = mapped_column(Text)

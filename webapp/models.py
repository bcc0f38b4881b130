"""The web app's own tables: staff users, server-side sessions, answer drafts, rate limits.

They live on intake's ``Base`` so one Alembic chain (revision ``0003_webapp``)
creates them. Times are aware UTC through intake's ``UTCDateTime`` column type.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from intake.db import Base
from intake.models import UTCDateTime, utcnow

__all__ = ["AnswerDraft", "RateCounter", "StaffRole", "StaffUser", "WebSession", "utcnow"]


class StaffUser(Base):
    """A member of staff who logs in: recruiter, assistant, dpo or admin."""

    __tablename__ = "web_staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the staff pages' language (nb, nn or en); None: the browser's, else bokmål
    language: Mapped[str | None] = mapped_column(String(8), nullable=True, default=None)


class StaffRole(Base):
    """A staff user's role in one study, or in every study when ``study_id`` is None.

    An admin needs no row: ``StaffUser.role == "admin"`` is install-wide. For the
    others these rows are what counts; ``StaffUser.role`` keeps the role given
    when the account was added (shown in lists).
    """

    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("user_id", "study_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("web_staff_users.id", ondelete="CASCADE"), index=True
    )
    study_id: Mapped[int | None] = mapped_column(
        ForeignKey("studies.id", ondelete="CASCADE"), nullable=True
    )
    role: Mapped[str] = mapped_column(String(20))


class WebSession(Base):
    """A server-side session: the cookie holds a random id, this row holds its hash and data.

    Deleting the row ends the session everywhere, so a copied cookie stops working.
    """

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # anonymous | staff | citizen
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("web_staff_users.id", ondelete="CASCADE"), nullable=True
    )
    invitation_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class AnswerDraft(Base):
    """What a citizen has typed so far in one form, kept between pages and visits."""

    __tablename__ = "web_answer_drafts"
    __table_args__ = (UniqueConstraint("invitation_id", "form_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invitation_id: Mapped[int] = mapped_column(Integer, index=True)
    form_id: Mapped[str] = mapped_column(String(80))
    # the submission id the final send uses, fixed when the draft starts (idempotent sends)
    submission_id: Mapped[str] = mapped_column(String(36))
    answers: Mapped[str] = mapped_column(Text, default="{}")
    page: Mapped[int] = mapped_column(Integer, default=0)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class RateCounter(Base):
    """How many attempts one key (an address, or the whole site) made in one time window."""

    __tablename__ = "web_rate_counters"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)

"""reminders: one row per reminder letter sent (who, when, which letter text).

Revision ID: 0004_reminders
Revises: 0003_webapp
Create Date: 2026-12-02

Hand-written; mirrors intake.models.Reminder.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.models import UTCDateTime

revision = "0004_reminders"
down_revision = "0003_webapp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "invitation_id",
            sa.Integer(),
            sa.ForeignKey("invitations.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("letter", sa.String(40), nullable=False),
        sa.Column("letter_version", sa.String(16), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("sent_by", sa.Text(), nullable=True),
    )
    op.create_index(op.f("ix_reminders_participant_id"), "reminders", ["participant_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_reminders_participant_id"), table_name="reminders")
    op.drop_table("reminders")

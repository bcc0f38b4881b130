"""reconsent letters: one row per re-consent letter sent (who, when, which consent text).

Revision ID: 0006_reconsent
Revises: 0005_export_people
Create Date: 2026-12-03

Hand-written; mirrors intake.models.ReconsentLetter.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.models import UTCDateTime

revision = "0006_reconsent"
down_revision = "0005_export_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reconsent_letters",
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
        sa.Column("form", sa.String(80), nullable=False),
        sa.Column("text_version", sa.String(16), nullable=False),
        sa.Column("old_versions", sa.Text(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("letter_version", sa.String(16), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("sent_by", sa.Text(), nullable=True),
    )
    op.create_index(
        op.f("ix_reconsent_letters_participant_id"), "reconsent_letters", ["participant_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_reconsent_letters_participant_id"), table_name="reconsent_letters")
    op.drop_table("reconsent_letters")

"""format_profiles: a person's format profile (large print, sides, easy-read).

Revision ID: 0009_format_profile
Revises: 0008_study_roles
Create Date: 2026-12-03

Hand-written; mirrors intake.models.FormatProfileRecord.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.models import UTCDateTime

revision = "0009_format_profile"
down_revision = "0008_study_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "format_profiles",
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("two_sided", sa.Boolean(), nullable=True),
        sa.Column("easy_read", sa.Boolean(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("format_profiles")

"""export log: how many rows each export carried, and which people (by code).

Revision ID: 0005_export_people
Revises: 0004_reminders
Create Date: 2026-12-03

Hand-written; mirrors intake.models.ExportLog.rows and ExportedParticipant.
Exports logged before this revision keep their count of people and get 0 rows
(nobody counted them then).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_export_people"
down_revision = "0004_reminders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("export_log") as batch:
        batch.add_column(sa.Column("rows", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "export_log_participants",
        sa.Column(
            "export_id",
            sa.Integer(),
            sa.ForeignKey("export_log.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("code", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("export_log_participants")
    with op.batch_alter_table("export_log") as batch:
        batch.drop_column("rows")

"""webapp: staff users, server-side sessions, citizens' answer drafts, rate-limit counters.

Revision ID: 0003_webapp
Revises: 0002_consent
Create Date: 2026-11-22

Hand-written; mirrors webapp/models.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.models import UTCDateTime

revision = "0003_webapp"
down_revision = "0002_consent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_staff_users")),
        sa.UniqueConstraint("name", name=op.f("uq_web_staff_users_name")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["web_staff_users.id"],
            ondelete="CASCADE",
            name=op.f("fk_web_sessions_user_id_web_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_invitation_id"), "web_sessions", ["invitation_id"])
    op.create_index(op.f("ix_web_sessions_last_seen"), "web_sessions", ["last_seen"])
    op.create_table(
        "web_answer_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(80), nullable=False),
        sa.Column("submission_id", sa.String(36), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_answer_drafts")),
        sa.UniqueConstraint(
            "invitation_id", "form_id", name=op.f("uq_web_answer_drafts_invitation_id")
        ),
    )
    op.create_index(
        op.f("ix_web_answer_drafts_invitation_id"), "web_answer_drafts", ["invitation_id"]
    )
    op.create_table(
        "web_rate_counters",
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_web_rate_counters")),
    )


def downgrade() -> None:
    op.drop_table("web_rate_counters")
    op.drop_index(op.f("ix_web_answer_drafts_invitation_id"), table_name="web_answer_drafts")
    op.drop_table("web_answer_drafts")
    op.drop_index(op.f("ix_web_sessions_last_seen"), table_name="web_sessions")
    op.drop_index(op.f("ix_web_sessions_invitation_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("web_staff_users")

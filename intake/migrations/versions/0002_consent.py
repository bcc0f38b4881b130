"""consent: the append-only, hash-chained consent ledger and the triggers that guard it.

Revision ID: 0002_consent
Revises: 0001_intake
Create Date: 2026-11-22

Hand-written. The triggers make the database itself refuse UPDATE and DELETE on
consent events, so a bug or a careless SQL session cannot rewrite consent; the
hash chain (consent/chain.py) shows it if someone drops the triggers first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_consent"
down_revision = "0001_intake"
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "consent events are append-only"

SQLITE_TRIGGERS = (
    "CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
    "CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
)

POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION consent_events_refuse() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER consent_events_no_update_delete BEFORE UPDATE OR DELETE ON consent_events "
    "FOR EACH ROW EXECUTE FUNCTION consent_events_refuse()",
    "CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION consent_events_refuse()",
)


def upgrade() -> None:
    op.create_table(
        "consent_events",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("study", sa.String(100), nullable=False),
        sa.Column("participant", sa.String(64), nullable=False),
        sa.Column("item", sa.String(100), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("text_version", sa.String(64), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("occurred_at", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_consent_events"),
        sa.UniqueConstraint("prev_hash", name="uq_consent_events_prev_hash"),
        sa.UniqueConstraint("hash", name="uq_consent_events_hash"),
    )
    op.create_index("ix_consent_events_study", "consent_events", ["study"])
    op.create_index("ix_consent_events_participant", "consent_events", ["participant"])
    dialect = op.get_bind().dialect.name
    statements: tuple[str, ...]
    if dialect == "sqlite":
        statements = SQLITE_TRIGGERS
    elif dialect == "postgresql":
        statements = POSTGRES_TRIGGERS
    else:
        raise NotImplementedError(f"no append-only triggers written for {dialect}")
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_delete")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_update_delete ON consent_events")
        op.execute("DROP TRIGGER IF EXISTS consent_events_no_truncate ON consent_events")
        op.execute("DROP FUNCTION IF EXISTS consent_events_refuse()")
    op.drop_index("ix_consent_events_participant", table_name="consent_events")
    op.drop_index("ix_consent_events_study", table_name="consent_events")
    op.drop_table("consent_events")

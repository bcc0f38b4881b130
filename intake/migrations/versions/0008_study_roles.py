"""staff_roles: a staff user's role per study (several studies in one install).

Revision ID: 0008_study_roles
Revises: 0007_jobs
Create Date: 2026-12-03

Hand-written; mirrors webapp.models.StaffRole. Existing users keep what they
could do: a non-admin user gets their role in every study loaded at the
upgrade, or, when no study is loaded yet, one install-wide row (study_id NULL,
every study, as before). Admins need no row: admin is install-wide.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_study_roles"
down_revision = "0007_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_roles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("web_staff_users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "study_id", sa.Integer(), sa.ForeignKey("studies.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("role", sa.String(20), nullable=False),
        sa.UniqueConstraint("user_id", "study_id"),
    )
    op.create_index(op.f("ix_staff_roles_user_id"), "staff_roles", ["user_id"])
    bind = op.get_bind()
    studies = [row[0] for row in bind.execute(sa.text("SELECT id FROM studies ORDER BY id"))]
    users = list(
        bind.execute(sa.text("SELECT id, role FROM web_staff_users WHERE role <> 'admin'"))
    )
    roles = sa.table(
        "staff_roles",
        sa.column("user_id", sa.Integer()),
        sa.column("study_id", sa.Integer()),
        sa.column("role", sa.String()),
    )
    rows = [
        {"user_id": user_id, "study_id": study_id, "role": role}
        for user_id, role in users
        for study_id in (studies or [None])
    ]
    if rows:
        op.bulk_insert(roles, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_roles_user_id"), table_name="staff_roles")
    op.drop_table("staff_roles")

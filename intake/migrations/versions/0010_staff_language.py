"""staff_language: each staff user's language for the staff pages (nb, nn or en).

Revision ID: 0010_staff_language
Revises: 0009_format_profile
Create Date: 2026-12-03

Hand-written; mirrors webapp.models.StaffUser.language. NULL: the browser's choice.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_staff_language"
down_revision = "0009_format_profile"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_staff_users") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_staff_users") as batch:
        batch.drop_column("language")

"""intake: studies, form versions, layout maps, participants, invitations, responses, review.

Revision ID: 0001_intake
Revises:
Create Date: 2026-11-22

Hand-written; kept as one revision while nothing is released (edit in place).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from intake.models import UTCDateTime

revision = "0001_intake"
down_revision = None
branch_labels = None
depends_on = None


def _created() -> sa.Column:
    return sa.Column("created_at", UTCDateTime(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "studies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(100), nullable=False, unique=True),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("source_dir", sa.Text(), nullable=True),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "form_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "study_id",
            sa.Integer(),
            sa.ForeignKey("studies.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("form_key", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text_version", sa.String(16), nullable=False),
        sa.Column("geometry", sa.String(16), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        _created(),
        sa.UniqueConstraint("study_id", "form_key", "text_version"),
    )
    op.create_table(
        "layout_maps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "form_version_id",
            sa.Integer(),
            sa.ForeignKey("form_versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("profile", sa.String(20), nullable=False),
        sa.Column("geometry", sa.String(16), nullable=False),
        sa.Column("map", sa.JSON(), nullable=False),
        _created(),
        sa.UniqueConstraint("form_version_id", "language", "profile"),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "study_id",
            sa.Integer(),
            sa.ForeignKey("studies.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("group", sa.String(100), nullable=True),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _created(),
    )
    op.create_table(
        "contact_details",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.String(4), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("name_address_key", sa.Text(), nullable=True, index=True),
        sa.Column("phone_key", sa.String(40), nullable=True, index=True),
        sa.Column("email_key", sa.Text(), nullable=True, index=True),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("answer_code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("printed_at", UTCDateTime(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        _created(),
        sa.UniqueConstraint("participant_id", "generation"),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "form_version_id", sa.Integer(), sa.ForeignKey("form_versions.id"), nullable=False
        ),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("participants.id", ondelete="CASCADE"),
            nullable=True,
            index=True,
        ),
        sa.Column(
            "invitation_id",
            sa.Integer(),
            sa.ForeignKey("invitations.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("serial", sa.String(40), nullable=True),
        sa.Column("language", sa.String(10), nullable=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("field_states", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submission_id", sa.String(100), nullable=True, unique=True),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.Text(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("verified_by", sa.Text(), nullable=True),
        sa.Column("verified_at", UTCDateTime(), nullable=True),
    )
    op.create_index(
        "ix_responses_form_version_participant",
        "responses",
        ["form_version_id", "participant_id"],
    )
    op.create_table(
        "scanned_pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("page_index", sa.Integer(), nullable=False),
        sa.Column("image_sha256", sa.String(64), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column(
            "response_id",
            sa.Integer(),
            sa.ForeignKey("responses.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        _created(),
        sa.UniqueConstraint("file_sha256", "page_index"),
    )
    op.create_table(
        "review_tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column(
            "response_id",
            sa.Integer(),
            sa.ForeignKey("responses.id", ondelete="CASCADE"),
            nullable=True,
            index=True,
        ),
        sa.Column(
            "scanned_page_id",
            sa.Integer(),
            sa.ForeignKey("scanned_pages.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column(
            "other_response_id",
            sa.Integer(),
            sa.ForeignKey("responses.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("item", sa.String(100), nullable=True),
        sa.Column("old_value", sa.JSON(), nullable=True),
        sa.Column("new_value", sa.JSON(), nullable=True),
        sa.Column("thumbnail_sha256", sa.String(64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        _created(),
        sa.Column("resolved_by", sa.Text(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "export_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("file_format", sa.String(10), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "export_log",
        "review_tasks",
        "scanned_pages",
        "responses",
        "invitations",
        "contact_details",
        "participants",
        "layout_maps",
        "form_versions",
        "studies",
    ):
        op.drop_table(table)

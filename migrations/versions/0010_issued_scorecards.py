"""issued scorecards: each scorecard workbook's ID and the fingerprint of its sheets, so a copy can be verified

Revision ID: 0010
Revises: 0009
Created: 2026-12-07 01:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_scorecard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=True),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("scrutineer_version", sa.String(length=40), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("sheet_sha256", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    with op.batch_alter_table("issued_scorecard", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_scorecard_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("issued_scorecard", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_scorecard_organisation_id"))
    op.drop_table("issued_scorecard")

"""advert page structure (ACC-01) and when a candidate's details were obtained (DP-02)

Revision ID: 0007
Revises: 0006
Created: 2026-11-26 06:35:54.507348
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("page", sa.JSON(), nullable=True))

    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identified_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_column("identified_date")

    with op.batch_alter_table("advert", schema=None) as batch_op:
        batch_op.drop_column("page")

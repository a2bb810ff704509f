"""audit evidence kept: the Adverts, Pipeline and Outreach sheets and campaign details as each audit read them

Revision ID: 0009
Revises: 0008
Created: 2026-11-26 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_run", schema=None) as batch_op:
        batch_op.drop_column("evidence")

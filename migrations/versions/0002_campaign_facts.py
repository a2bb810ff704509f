"""campaign facts

Revision ID: 0002
Revises: 0001
Created: 2026-11-26 04:49:12.568686
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        # Existing campaigns get an empty set of facts.
        batch_op.add_column(sa.Column("facts", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("facts")

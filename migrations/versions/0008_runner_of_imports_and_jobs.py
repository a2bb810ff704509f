"""the process (host:pid) running each import and job, so work whose process died can be marked failed

Revision ID: 0008
Revises: 0007
Created: 2026-11-26 06:42:16.841265
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("runner", sa.String(length=120), nullable=True))

    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.add_column(sa.Column("runner", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_column("runner")

    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("runner")

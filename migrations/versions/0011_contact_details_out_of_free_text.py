"""contact details out of free text: e-mail addresses and profile links removed from the free text already stored

Imports now remove e-mail addresses and LinkedIn profile links from free text about candidates (a rejection reason,
a long-list justification: importers.values.remove_contact_details). This does the same to what earlier imports
stored, so that no address is left in clear. Only rows that a cheap look finds an "@" or a profile path in are
read, a few thousand at a time. What is removed cannot be put back: the downgrade changes nothing.

Revision ID: 0011
Revises: 0010
Created: 2026-12-07 03:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from importers.values import remove_contact_details

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BATCH = 5_000
# (table, column, the most the column holds)
FREE_TEXT = (("candidate", "rejection_reason", 500), ("campaign", "longlist_justification", None))


def upgrade() -> None:
    bind = op.get_bind()
    for table, column, limit in FREE_TEXT:
        last = 0
        while True:
            rows = bind.execute(
                sa.text(
                    f"SELECT id, {column} FROM {table} WHERE id > :last AND ({column} LIKE '%@%' "
                    f"OR {column} LIKE '%/in/%' OR {column} LIKE '%/pub/%' OR {column} LIKE '%/profile/%') "
                    f"ORDER BY id LIMIT {BATCH}"
                ),
                {"last": last},
            ).fetchall()
            if not rows:
                break
            changed = []
            for row_id, value in rows:
                cleaned = remove_contact_details(value)
                if limit is not None and len(cleaned) > limit:
                    cleaned = cleaned[: limit - 1] + "…"
                if cleaned != value:
                    changed.append({"id": row_id, "value": cleaned})
            if changed:
                bind.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id"), changed)
            last = rows[-1][0]


def downgrade() -> None:
    pass  # removed addresses are not kept anywhere to put back

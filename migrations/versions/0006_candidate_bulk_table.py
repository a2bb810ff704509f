"""candidate as a bulk table: no foreign keys, one composite index

Revision ID: 0006
Revises: 0005
Created: 2026-11-26

Measured on a million-row import: the organisation/candidate-key index and the three foreign-key checks per row took
more time than parsing the file. Rows reach this table only through the import service, which resolves the
organisation, campaign and upload in the same transaction.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_org_key")
        batch_op.drop_index("ix_candidate_upload_id")
        batch_op.drop_index("ix_candidate_campaign_id")
        batch_op.drop_constraint("fk_candidate_organisation_id_organisation", type_="foreignkey")
        batch_op.drop_constraint("fk_candidate_campaign_id_campaign", type_="foreignkey")
        batch_op.drop_constraint("fk_candidate_upload_id_upload", type_="foreignkey")
        batch_op.create_index("ix_candidate_campaign_upload", ["campaign_id", "upload_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_campaign_upload")
        batch_op.create_foreign_key("fk_candidate_upload_id_upload", "upload", ["upload_id"], ["id"])
        batch_op.create_foreign_key("fk_candidate_campaign_id_campaign", "campaign", ["campaign_id"], ["id"])
        batch_op.create_foreign_key(
            "fk_candidate_organisation_id_organisation", "organisation", ["organisation_id"], ["id"]
        )
        batch_op.create_index("ix_candidate_campaign_id", ["campaign_id"], unique=False)
        batch_op.create_index("ix_candidate_upload_id", ["upload_id"], unique=False)
        batch_op.create_index("ix_candidate_org_key", ["organisation_id", "candidate_key"], unique=False)

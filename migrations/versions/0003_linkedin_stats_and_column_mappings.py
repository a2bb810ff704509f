"""linkedin stats and column mappings: the LinkedIn report rows and saved column mappings

Revision ID: 0003
Revises: 0002
Created: 2026-11-26 05:08:40.999266
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "column_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("table_name", sa.String(length=20), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_column_mapping_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_column_mapping_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_column_mapping_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_column_mapping")),
    )
    with op.batch_alter_table("column_mapping", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_column_mapping_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index("ix_column_mapping_org_signature", ["organisation_id", "signature"], unique=False)

    op.create_table(
        "linkedin_inmail_stat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("seat_key", sa.String(length=64), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("sent", sa.Integer(), nullable=True),
        sa.Column("accepted", sa.Integer(), nullable=True),
        sa.Column("declined", sa.Integer(), nullable=True),
        sa.Column("response_rate", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_linkedin_inmail_stat_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_linkedin_inmail_stat_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"], name=op.f("fk_linkedin_inmail_stat_upload_id_upload")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkedin_inmail_stat")),
    )
    with op.batch_alter_table("linkedin_inmail_stat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkedin_inmail_stat_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_linkedin_inmail_stat_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_linkedin_inmail_stat_upload_id"), ["upload_id"], unique=False)

    op.create_table(
        "linkedin_job_stat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("linkedin_job_id", sa.String(length=40), nullable=True),
        sa.Column("employer_job_id", sa.String(length=200), nullable=True),
        sa.Column("job_title", sa.String(length=500), nullable=True),
        sa.Column("standardized_title", sa.String(length=500), nullable=True),
        sa.Column("posted_company", sa.String(length=300), nullable=True),
        sa.Column("company_hiring_for", sa.String(length=300), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("workplace_type", sa.String(length=40), nullable=True),
        sa.Column("current_status", sa.String(length=60), nullable=True),
        sa.Column("state_start", sa.Date(), nullable=True),
        sa.Column("state_end", sa.Date(), nullable=True),
        sa.Column("original_list_date", sa.Date(), nullable=True),
        sa.Column("days_open", sa.Integer(), nullable=True),
        sa.Column("total_views", sa.Integer(), nullable=True),
        sa.Column("total_apply_clicks", sa.Integer(), nullable=True),
        sa.Column("unique_viewers", sa.Integer(), nullable=True),
        sa.Column("unique_apply_clicks", sa.Integer(), nullable=True),
        sa.Column("applications", sa.Integer(), nullable=True),
        sa.Column("apply_rate", sa.Float(), nullable=True),
        sa.Column("completion_rate", sa.Float(), nullable=True),
        sa.Column("job_post_type", sa.String(length=60), nullable=True),
        sa.Column("application_method", sa.String(length=100), nullable=True),
        sa.Column("company_apply_url", sa.String(length=2000), nullable=True),
        sa.Column("industry", sa.String(length=300), nullable=True),
        sa.Column("job_function", sa.String(length=300), nullable=True),
        sa.Column("ats_posting_method", sa.String(length=200), nullable=True),
        sa.Column("skills", sa.Text(), nullable=True),
        sa.Column("report_start", sa.Date(), nullable=True),
        sa.Column("report_end", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_linkedin_job_stat_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_linkedin_job_stat_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"], name=op.f("fk_linkedin_job_stat_upload_id_upload")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkedin_job_stat")),
    )
    with op.batch_alter_table("linkedin_job_stat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkedin_job_stat_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(
            "ix_linkedin_job_stat_org_employer_job", ["organisation_id", "employer_job_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_linkedin_job_stat_upload_id"), ["upload_id"], unique=False)

    op.create_table(
        "linkedin_page_stat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("label", sa.String(length=500), nullable=True),
        sa.Column("link", sa.String(length=2000), nullable=True),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_linkedin_page_stat_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_linkedin_page_stat_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"], name=op.f("fk_linkedin_page_stat_upload_id_upload")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkedin_page_stat")),
    )
    with op.batch_alter_table("linkedin_page_stat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkedin_page_stat_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_linkedin_page_stat_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_linkedin_page_stat_upload_id"), ["upload_id"], unique=False)

    op.create_table(
        "linkedin_recruiter_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("seat_key", sa.String(length=64), nullable=True),
        sa.Column("seat_id", sa.String(length=100), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("profiles_viewed", sa.Integer(), nullable=True),
        sa.Column("projects_created", sa.Integer(), nullable=True),
        sa.Column("profiles_saved", sa.Integer(), nullable=True),
        sa.Column("searches_saved", sa.Integer(), nullable=True),
        sa.Column("searches_performed", sa.Integer(), nullable=True),
        sa.Column("inmails_sent", sa.Integer(), nullable=True),
        sa.Column("inmails_accepted", sa.Integer(), nullable=True),
        sa.Column("inmails_declined", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_linkedin_recruiter_usage_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_linkedin_recruiter_usage_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"], ["upload.id"], name=op.f("fk_linkedin_recruiter_usage_upload_id_upload")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkedin_recruiter_usage")),
    )
    with op.batch_alter_table("linkedin_recruiter_usage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_linkedin_recruiter_usage_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_linkedin_recruiter_usage_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_linkedin_recruiter_usage_upload_id"), ["upload_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("linkedin_recruiter_usage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkedin_recruiter_usage_upload_id"))
        batch_op.drop_index(batch_op.f("ix_linkedin_recruiter_usage_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_linkedin_recruiter_usage_campaign_id"))

    op.drop_table("linkedin_recruiter_usage")
    with op.batch_alter_table("linkedin_page_stat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkedin_page_stat_upload_id"))
        batch_op.drop_index(batch_op.f("ix_linkedin_page_stat_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_linkedin_page_stat_campaign_id"))

    op.drop_table("linkedin_page_stat")
    with op.batch_alter_table("linkedin_job_stat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkedin_job_stat_upload_id"))
        batch_op.drop_index("ix_linkedin_job_stat_org_employer_job")
        batch_op.drop_index(batch_op.f("ix_linkedin_job_stat_campaign_id"))

    op.drop_table("linkedin_job_stat")
    with op.batch_alter_table("linkedin_inmail_stat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_linkedin_inmail_stat_upload_id"))
        batch_op.drop_index(batch_op.f("ix_linkedin_inmail_stat_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_linkedin_inmail_stat_campaign_id"))

    op.drop_table("linkedin_inmail_stat")
    with op.batch_alter_table("column_mapping", schema=None) as batch_op:
        batch_op.drop_index("ix_column_mapping_org_signature")
        batch_op.drop_index(batch_op.f("ix_column_mapping_agency_id"))

    op.drop_table("column_mapping")

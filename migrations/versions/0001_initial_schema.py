"""initial schema

Revision ID: 0001
Revises: none
Created: 2026-11-26 04:38:28.089254
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("org_type", sa.String(length=40), nullable=False),
        sa.Column("nation", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisation_slug")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_agency_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("organisation_id", "name", name=op.f("uq_agency_organisation_id")),
    )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "checklist_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("checklist_id", sa.String(length=120), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("based_on", sa.String(length=200), nullable=True),
        sa.Column("change_note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_checklist_version_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_checklist_version_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_version")),
        sa.UniqueConstraint(
            "organisation_id", "checklist_id", "version", name=op.f("uq_checklist_version_organisation_id")
        ),
    )
    with op.batch_alter_table("checklist_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklist_version_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=True),
        sa.Column("object_ref", sa.String(length=100), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], name=op.f("fk_event_actor_id_user_account")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_event_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=True),
        sa.Column("rows_done", sa.BigInteger(), nullable=False),
        sa.Column("rows_total", sa.BigInteger(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], name=op.f("fk_job_created_by_id_user_account")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_job_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
        sa.UniqueConstraint("public_id", name=op.f("uq_job_public_id")),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("detected_format", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_stored", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("problems_not_listed", sa.Integer(), nullable=False),
        sa.Column("unknown_columns", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("stored_path", sa.String(length=500), nullable=True),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("replaces_upload_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_upload_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_upload_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_upload_id"], ["upload.id"], name=op.f("fk_upload_replaces_upload_id_upload")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload")),
    )
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upload_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index("ix_upload_org_sha", ["organisation_id", "sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_upload_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.Column("client_organisation", sa.String(length=200), nullable=True),
        sa.Column("organisation_type", sa.String(length=40), nullable=True),
        sa.Column("nation", sa.String(length=40), nullable=True),
        sa.Column("role_title", sa.String(length=300), nullable=True),
        sa.Column("grade", sa.String(length=100), nullable=True),
        sa.Column("salary_min", sa.BigInteger(), nullable=True),
        sa.Column("salary_max", sa.BigInteger(), nullable=True),
        sa.Column("salary_period", sa.String(length=20), nullable=True),
        sa.Column("framework", sa.String(length=200), nullable=True),
        sa.Column("contract_ref", sa.String(length=200), nullable=True),
        sa.Column("fee_type", sa.String(length=40), nullable=True),
        sa.Column("fee_percent", sa.Float(), nullable=True),
        sa.Column("fee_fixed", sa.BigInteger(), nullable=True),
        sa.Column("guarantee_months", sa.Integer(), nullable=True),
        sa.Column("sla_longlist_days", sa.Integer(), nullable=True),
        sa.Column("sla_shortlist_days", sa.Integer(), nullable=True),
        sa.Column("brief_date", sa.Date(), nullable=True),
        sa.Column("advert_live_date", sa.Date(), nullable=True),
        sa.Column("closing_date", sa.Date(), nullable=True),
        sa.Column("longlist_date", sa.Date(), nullable=True),
        sa.Column("shortlist_date", sa.Date(), nullable=True),
        sa.Column("interview_date", sa.Date(), nullable=True),
        sa.Column("offer_date", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("commissioner_chair", sa.Boolean(), nullable=True),
        sa.Column("pay_approval_ref", sa.String(length=200), nullable=True),
        sa.Column("conflict_declaration_date", sa.Date(), nullable=True),
        sa.Column("longlist_justification", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_campaign_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_campaign_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"], name=op.f("fk_campaign_upload_id_upload")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
        sa.UniqueConstraint("organisation_id", "ref", name=op.f("uq_campaign_organisation_id")),
    )
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_campaign_organisation_id"), ["organisation_id"], unique=False)

    # upload.campaign_id and campaign.upload_id refer to each other: add the first once both tables exist.
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.create_foreign_key(op.f("fk_upload_campaign_id_campaign"), "campaign", ["campaign_id"], ["id"])

    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], name=op.f("fk_membership_agency_id_agency")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_membership_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_membership_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("user_id", "organisation_id", name=op.f("uq_membership_user_id")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_user_id"), ["user_id"], unique=False)

    op.create_table(
        "advert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("source_name", sa.String(length=2000), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("hiring_organisation", sa.String(length=300), nullable=True),
        sa.Column("date_posted", sa.Date(), nullable=True),
        sa.Column("valid_through", sa.Date(), nullable=True),
        sa.Column("closing_date_text", sa.Date(), nullable=True),
        sa.Column("employment_type", sa.String(length=100), nullable=True),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("workplace_type", sa.String(length=40), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("salary", sa.JSON(), nullable=True),
        sa.Column("structured", sa.JSON(), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("html_lang", sa.String(length=40), nullable=True),
        sa.Column("lossy_fields", sa.JSON(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_advert_campaign_id_campaign")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_advert_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"], name=op.f("fk_advert_upload_id_upload")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advert")),
    )
    with op.batch_alter_table("advert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advert_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_advert_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_advert_upload_id"), ["upload_id"], unique=False)

    op.create_table(
        "audit_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("checklist_version_id", sa.Integer(), nullable=True),
        sa.Column("checklist_id", sa.String(length=120), nullable=False),
        sa.Column("checklist_version", sa.String(length=40), nullable=False),
        sa.Column("checklist_sha256", sa.String(length=64), nullable=False),
        sa.Column("checklist_snapshot", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("rag", sa.String(length=20), nullable=False),
        sa.Column("score_reason", sa.Text(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("findings_sha256", sa.String(length=64), nullable=False),
        sa.Column("scrutineer_version", sa.String(length=40), nullable=False),
        sa.Column("library_versions", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_audit_run_campaign_id_campaign")),
        sa.ForeignKeyConstraint(
            ["checklist_version_id"],
            ["checklist_version.id"],
            name=op.f("fk_audit_run_checklist_version_id_checklist_version"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_audit_run_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_audit_run_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_run")),
        sa.UniqueConstraint("public_id", name=op.f("uq_audit_run_public_id")),
    )
    with op.batch_alter_table("audit_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_run_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_run_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("candidate_key", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("stage_reached", sa.String(length=20), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=True),
        sa.Column("rejection_reason", sa.String(length=500), nullable=True),
        sa.Column("first_contact_date", sa.Date(), nullable=True),
        sa.Column("acknowledged_date", sa.Date(), nullable=True),
        sa.Column("feedback_given", sa.Boolean(), nullable=True),
        sa.Column("sex", sa.String(length=20), nullable=True),
        sa.Column("ethnicity_group", sa.String(length=30), nullable=True),
        sa.Column("disability", sa.String(length=20), nullable=True),
        sa.Column("dc_opt_in", sa.Boolean(), nullable=True),
        sa.Column("meets_essential_criteria", sa.Boolean(), nullable=True),
        sa.Column("age_band", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_candidate_campaign_id_campaign")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_candidate_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"], name=op.f("fk_candidate_upload_id_upload")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate")),
    )
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index("ix_candidate_org_key", ["organisation_id", "candidate_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_candidate_upload_id"), ["upload_id"], unique=False)

    op.create_table(
        "outreach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("message_chars", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.String(length=200), nullable=True),
        sa.Column("privacy_notice_included", sa.Boolean(), nullable=True),
        sa.Column("responded_at", sa.DateTime(), nullable=True),
        sa.Column("response", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], name=op.f("fk_outreach_campaign_id_campaign")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_outreach_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"], name=op.f("fk_outreach_upload_id_upload")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outreach")),
    )
    with op.batch_alter_table("outreach", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outreach_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outreach_upload_id"), ["upload_id"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_run_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=60), nullable=False),
        sa.Column("check_id", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("family", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=2300), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("advert_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("agency_response", sa.String(length=20), nullable=True),
        sa.Column("response_note", sa.Text(), nullable=True),
        sa.Column("responded_by_id", sa.Integer(), nullable=True),
        sa.Column("responded_at", sa.DateTime(), nullable=True),
        sa.Column("review_decision", sa.String(length=30), nullable=True),
        sa.Column("review_status", sa.String(length=20), nullable=True),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["advert_id"], ["advert.id"], name=op.f("fk_finding_advert_id_advert")),
        sa.ForeignKeyConstraint(["audit_run_id"], ["audit_run.id"], name=op.f("fk_finding_audit_run_id_audit_run")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_finding_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["responded_by_id"], ["user_account.id"], name=op.f("fk_finding_responded_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["user_account.id"], name=op.f("fk_finding_reviewed_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
        sa.UniqueConstraint("audit_run_id", "seq", name=op.f("uq_finding_audit_run_id")),
        sa.UniqueConstraint("ref", name=op.f("uq_finding_ref")),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_audit_run_id"), ["audit_run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_finding_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_finding_audit_run_id"))

    op.drop_table("finding")
    with op.batch_alter_table("outreach", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreach_upload_id"))
        batch_op.drop_index(batch_op.f("ix_outreach_campaign_id"))

    op.drop_table("outreach")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_upload_id"))
        batch_op.drop_index("ix_candidate_org_key")
        batch_op.drop_index(batch_op.f("ix_candidate_campaign_id"))

    op.drop_table("candidate")
    with op.batch_alter_table("audit_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_run_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_audit_run_campaign_id"))

    op.drop_table("audit_run")
    with op.batch_alter_table("advert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advert_upload_id"))
        batch_op.drop_index(batch_op.f("ix_advert_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_advert_campaign_id"))

    op.drop_table("advert")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_user_id"))
        batch_op.drop_index(batch_op.f("ix_membership_organisation_id"))

    op.drop_table("membership")
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_upload_campaign_id_campaign"), type_="foreignkey")

    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_agency_id"))

    op.drop_table("campaign")
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upload_organisation_id"))
        batch_op.drop_index("ix_upload_org_sha")
        batch_op.drop_index(batch_op.f("ix_upload_campaign_id"))

    op.drop_table("upload")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_organisation_id"))

    op.drop_table("job")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_event_created_at"))

    op.drop_table("event")
    with op.batch_alter_table("checklist_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_version_organisation_id"))

    op.drop_table("checklist_version")
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_organisation_id"))

    op.drop_table("agency")
    op.drop_table("user_account")
    op.drop_table("organisation")

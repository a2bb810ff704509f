"""The domain model: organisations (tenants), people and their roles, campaigns and what was imported for them,
audits and their findings, jobs, and the append-only event log.

Every row that belongs to an organisation carries `organisation_id`, and every query in `app/dao/` filters on it.
Candidates are pseudonymised: `candidate_key` is a keyed hash; no name, e-mail or profile URL is stored.
Times are UTC, stored without a zone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import text
from sqlalchemy.types import TypeDecorator

from app.extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Money(TypeDecorator[Decimal]):
    """An amount in pounds, stored exactly as whole pence in an integer column on every database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / 100).normalize()


ROLES = ("admin", "auditor", "recruiter", "procurement")


class Organisation(db.Model):
    """A tenant: a public body. Everything else belongs to one."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    org_type: Mapped[str] = mapped_column(String(40), default="other")
    nation: Mapped[str] = mapped_column(String(40), default="england")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class User(db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    memberships: Mapped[list[Membership]] = relationship(back_populates="user", lazy="selectin")

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class Agency(db.Model):
    """An executive-search agency, as one organisation knows it."""

    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Membership(db.Model):
    """A user's role in an organisation. Recruiters are bound to one agency and see only its campaigns."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    agency: Mapped[Agency | None] = relationship(lazy="joined")


class Invitation(db.Model):
    """An admin's invitation to join an organisation with a role. Only the SHA-256 of its one-time token is kept:
    the link is shown once to the admin who made it, and works until it is used, cancelled or expires."""

    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    agency: Mapped[Agency | None] = relationship(lazy="joined")

    def state(self, now: dt.datetime) -> str:
        """pending, accepted, cancelled or expired."""
        if self.accepted_at is not None:
            return "accepted"
        if self.cancelled_at is not None:
            return "cancelled"
        if self.expires_at <= now:
            return "expired"
        return "pending"


class Campaign(db.Model):
    """A recruitment campaign run by an agency for the organisation: the canonical template's Campaigns row."""

    __tablename__ = "campaign"
    __table_args__ = (UniqueConstraint("organisation_id", "ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    ref: Mapped[str] = mapped_column(String(100))
    client_organisation: Mapped[str | None] = mapped_column(String(200))
    organisation_type: Mapped[str | None] = mapped_column(String(40))
    nation: Mapped[str | None] = mapped_column(String(40))
    role_title: Mapped[str | None] = mapped_column(String(300))
    grade: Mapped[str | None] = mapped_column(String(100))
    salary_min: Mapped[Decimal | None] = mapped_column(Money)
    salary_max: Mapped[Decimal | None] = mapped_column(Money)
    salary_period: Mapped[str | None] = mapped_column(String(20))
    framework: Mapped[str | None] = mapped_column(String(200))
    contract_ref: Mapped[str | None] = mapped_column(String(200))
    fee_type: Mapped[str | None] = mapped_column(String(40))
    fee_percent: Mapped[float | None] = mapped_column(Float)
    fee_fixed: Mapped[Decimal | None] = mapped_column(Money)
    guarantee_months: Mapped[int | None] = mapped_column(Integer)
    sla_longlist_days: Mapped[int | None] = mapped_column(Integer)
    sla_shortlist_days: Mapped[int | None] = mapped_column(Integer)
    brief_date: Mapped[dt.date | None] = mapped_column(Date)
    advert_live_date: Mapped[dt.date | None] = mapped_column(Date)
    closing_date: Mapped[dt.date | None] = mapped_column(Date)
    longlist_date: Mapped[dt.date | None] = mapped_column(Date)
    shortlist_date: Mapped[dt.date | None] = mapped_column(Date)
    interview_date: Mapped[dt.date | None] = mapped_column(Date)
    offer_date: Mapped[dt.date | None] = mapped_column(Date)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    commissioner_chair: Mapped[bool | None] = mapped_column(Boolean)
    pay_approval_ref: Mapped[str | None] = mapped_column(String(200))
    conflict_declaration_date: Mapped[dt.date | None] = mapped_column(Date)
    longlist_justification: Mapped[str | None] = mapped_column(Text)
    # Contract terms, approvals and notices some checks need: see importers.agency_template.FACT_FIELDS.
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    source_row: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    agency: Mapped[Agency | None] = relationship(lazy="joined")

    @property
    def stage(self) -> str:
        """Where the campaign has got to, from its milestone dates."""
        for label, value in (
            ("Appointed", self.start_date),
            ("Offer", self.offer_date),
            ("Interview", self.interview_date),
            ("Shortlist", self.shortlist_date),
            ("Longlist", self.longlist_date),
            ("Advertised", self.advert_live_date),
            ("Briefed", self.brief_date),
        ):
            if value is not None:
                return label
        return "Not started"


class Upload(db.Model):
    """One file given to Scrutineer, and what became of it."""

    __tablename__ = "upload"
    __table_args__ = (Index("ix_upload_org_sha", "organisation_id", "sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", use_alter=True), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    detected_format: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(
        String(20), default="pending"
    )  # pending, running, stored, rejected, failed, duplicate, superseded
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_stored: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    problems_not_listed: Mapped[int] = mapped_column(Integer, default=0)
    unknown_columns: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    stored_path: Mapped[str | None] = mapped_column(String(500))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    replaces_upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    runner: Mapped[str | None] = mapped_column(String(120))  # "host:pid" of the process importing it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Advert(db.Model):
    __tablename__ = "advert"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within its upload
    source_kind: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    hiring_organisation: Mapped[str | None] = mapped_column(String(300))
    date_posted: Mapped[dt.date | None] = mapped_column(Date)
    valid_through: Mapped[dt.date | None] = mapped_column(Date)
    closing_date_text: Mapped[dt.date | None] = mapped_column(Date)
    employment_type: Mapped[str | None] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(500))
    workplace_type: Mapped[str | None] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(String(200))
    salary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    structured: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    links: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    page: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # title, headings, images, form fields (ACC-01)
    html_lang: Mapped[str | None] = mapped_column(String(40))
    lossy_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_row: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Candidate(db.Model):
    """One candidate in one campaign, pseudonymised. Columns follow the template's Candidates sheet.

    A bulk table: a tracker or an ATS export adds up to millions of rows in one transaction. Its organisation,
    campaign and upload are resolved by the import service in that same transaction, so the table carries no
    foreign-key constraints (checking three parents per row doubled the cost of an import) and only the index the
    audits read by; finding one person by key (subject access, rare) scans it.
    """

    __tablename__ = "candidate"
    __table_args__ = (Index("ix_candidate_campaign_upload", "campaign_id", "upload_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer)
    campaign_id: Mapped[int] = mapped_column(Integer)
    upload_id: Mapped[int] = mapped_column(Integer)
    source_row: Mapped[int | None] = mapped_column(Integer)
    candidate_key: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(40))
    stage_reached: Mapped[str | None] = mapped_column(String(20))
    withdrawn: Mapped[bool | None] = mapped_column(Boolean)
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    first_contact_date: Mapped[dt.date | None] = mapped_column(Date)
    acknowledged_date: Mapped[dt.date | None] = mapped_column(Date)
    feedback_given: Mapped[bool | None] = mapped_column(Boolean)
    sex: Mapped[str | None] = mapped_column(String(20))
    ethnicity_group: Mapped[str | None] = mapped_column(String(30))
    disability: Mapped[str | None] = mapped_column(String(20))
    dc_opt_in: Mapped[bool | None] = mapped_column(Boolean)
    meets_essential_criteria: Mapped[bool | None] = mapped_column(Boolean)
    age_band: Mapped[str | None] = mapped_column(String(40))
    identified_date: Mapped[dt.date | None] = mapped_column(Date)  # when the details were obtained (DP-02)


class Outreach(db.Model):
    __tablename__ = "outreach"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"), index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    channel: Mapped[str | None] = mapped_column(String(20))
    message_chars: Mapped[int | None] = mapped_column(Integer)
    template_id: Mapped[str | None] = mapped_column(String(200))
    privacy_notice_included: Mapped[bool | None] = mapped_column(Boolean)
    responded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    response: Mapped[str | None] = mapped_column(String(20))


class LinkedInJobStat(db.Model):
    """One row of a LinkedIn Recruiter Jobs report: one job in one state period (importers.linkedin_jobs).

    Linked to a campaign when its Employer Job ID is a campaign reference (or --campaign was given); rows for jobs
    Scrutineer does not know yet keep `campaign_id` empty and are matched by `employer_job_id` when audited.
    """

    __tablename__ = "linkedin_job_stat"
    __table_args__ = (Index("ix_linkedin_job_stat_org_employer_job", "organisation_id", "employer_job_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"), index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
    linkedin_job_id: Mapped[str | None] = mapped_column(String(40))
    employer_job_id: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(500))
    standardized_title: Mapped[str | None] = mapped_column(String(500))
    posted_company: Mapped[str | None] = mapped_column(String(300))
    company_hiring_for: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(100))
    workplace_type: Mapped[str | None] = mapped_column(String(40))
    current_status: Mapped[str | None] = mapped_column(String(60))
    state_start: Mapped[dt.date | None] = mapped_column(Date)
    state_end: Mapped[dt.date | None] = mapped_column(Date)
    original_list_date: Mapped[dt.date | None] = mapped_column(Date)
    days_open: Mapped[int | None] = mapped_column(Integer)
    total_views: Mapped[int | None] = mapped_column(Integer)
    total_apply_clicks: Mapped[int | None] = mapped_column(Integer)
    unique_viewers: Mapped[int | None] = mapped_column(Integer)
    unique_apply_clicks: Mapped[int | None] = mapped_column(Integer)
    applications: Mapped[int | None] = mapped_column(Integer)
    apply_rate: Mapped[float | None] = mapped_column(Float)
    completion_rate: Mapped[float | None] = mapped_column(Float)
    job_post_type: Mapped[str | None] = mapped_column(String(60))
    application_method: Mapped[str | None] = mapped_column(String(100))
    company_apply_url: Mapped[str | None] = mapped_column(String(2000))
    industry: Mapped[str | None] = mapped_column(String(300))
    job_function: Mapped[str | None] = mapped_column(String(300))
    ats_posting_method: Mapped[str | None] = mapped_column(String(200))
    skills: Mapped[str | None] = mapped_column(Text)
    report_start: Mapped[dt.date | None] = mapped_column(Date)
    report_end: Mapped[dt.date | None] = mapped_column(Date)


class RecruiterUsage(db.Model):
    """One seat in one period of a LinkedIn Recruiter usage report. The seat holder is a keyed hash."""

    __tablename__ = "linkedin_recruiter_usage"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"), index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
    seat_key: Mapped[str | None] = mapped_column(String(64))
    seat_id: Mapped[str | None] = mapped_column(String(100))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    profiles_viewed: Mapped[int | None] = mapped_column(Integer)
    projects_created: Mapped[int | None] = mapped_column(Integer)
    profiles_saved: Mapped[int | None] = mapped_column(Integer)
    searches_saved: Mapped[int | None] = mapped_column(Integer)
    searches_performed: Mapped[int | None] = mapped_column(Integer)
    inmails_sent: Mapped[int | None] = mapped_column(Integer)
    inmails_accepted: Mapped[int | None] = mapped_column(Integer)
    inmails_declined: Mapped[int | None] = mapped_column(Integer)


class InMailStat(db.Model):
    """One period of a LinkedIn Recruiter InMail report."""

    __tablename__ = "linkedin_inmail_stat"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"), index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
    seat_key: Mapped[str | None] = mapped_column(String(64))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    sent: Mapped[int | None] = mapped_column(Integer)
    accepted: Mapped[int | None] = mapped_column(Integer)
    declined: Mapped[int | None] = mapped_column(Integer)
    response_rate: Mapped[float | None] = mapped_column(Float)


class PageStat(db.Model):
    """One row of a LinkedIn Page analytics export: a day of followers, visitors or content, or one post."""

    __tablename__ = "linkedin_page_stat"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"), index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date | None] = mapped_column(Date)
    label: Mapped[str | None] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(2000))
    sheet: Mapped[str | None] = mapped_column(String(100))
    metrics: Mapped[dict[str, float]] = mapped_column(JSON)


class ColumnMapping(db.Model):
    """How an agency's own layout maps onto the template: saved when confirmed, reused when the same header returns.

    `signature` is importers.mapping.header_signature of the header row; `mapping` is the table's entry in the
    mapping JSON (columns, values, constants).
    """

    __tablename__ = "column_mapping"
    __table_args__ = (Index("ix_column_mapping_org_signature", "organisation_id", "signature"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(20))
    signature: Mapped[str] = mapped_column(String(64))
    headers: Mapped[list[str]] = mapped_column(JSON, default=list)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    agency: Mapped[Agency | None] = relationship(lazy="joined")


class ChecklistVersion(db.Model):
    """A checklist as an organisation keeps it: the shipped one, or its own copy, one row per version."""

    __tablename__ = "checklist_version"
    __table_args__ = (UniqueConstraint("organisation_id", "checklist_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    checklist_id: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    based_on: Mapped[str | None] = mapped_column(String(200))
    change_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditRun(db.Model):
    """One run of a checklist over a campaign: what it read, what it found, and the hash that seals it."""

    __tablename__ = "audit_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    checklist_version_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_version.id"))
    checklist_id: Mapped[str] = mapped_column(String(120))
    checklist_version: Mapped[str] = mapped_column(String(40))
    checklist_sha256: Mapped[str] = mapped_column(String(64))
    checklist_snapshot: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="done")
    score: Mapped[float | None] = mapped_column(Float)
    rag: Mapped[str] = mapped_column(String(20), default="Not rated")
    score_reason: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    inputs: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    as_of: Mapped[dt.date] = mapped_column(Date)
    findings_sha256: Mapped[str] = mapped_column(String(64))
    scrutineer_version: Mapped[str] = mapped_column(String(40))
    library_versions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # What the workbook's Adverts, Pipeline and Outreach sheets and campaign details show, as this audit read them
    # (audits.workbook.EvidenceSheets); None for audits run before it was kept.
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    campaign: Mapped[Campaign] = relationship(lazy="joined")


class Finding(db.Model):
    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("audit_run_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_run_id: Mapped[int] = mapped_column(ForeignKey("audit_run.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(60), unique=True)
    check_id: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    family: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(2300))
    subject_kind: Mapped[str] = mapped_column(String(20), default="campaign")
    advert_id: Mapped[int | None] = mapped_column(ForeignKey("advert.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    agency_response: Mapped[str | None] = mapped_column(String(20))
    response_note: Mapped[str | None] = mapped_column(Text)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    responded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_decision: Mapped[str | None] = mapped_column(String(30))  # "accepted_risk" or "override"
    review_status: Mapped[str | None] = mapped_column(String(20))  # the status an auditor set
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class IssuedScorecard(db.Model):
    """A scorecard workbook Scrutineer wrote: its ID (on the workbook's About sheet) and the fingerprint of what it
    showed, sheet by sheet, so a copy handed in later can be verified (`app.services.verification`)."""

    __tablename__ = "issued_scorecard"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    agency_name: Mapped[str | None] = mapped_column(String(200))  # None: every agency of the organisation
    written_at: Mapped[dt.datetime] = mapped_column(DateTime)
    scrutineer_version: Mapped[str] = mapped_column(String(40))
    content_sha256: Mapped[str] = mapped_column(String(64))
    sheet_sha256: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # sheet name -> SHA-256 of its cells


class Job(db.Model):
    """Background work (an import, a fetch, an audit). Its progress is stored so any process can show it."""

    __tablename__ = "job"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default="queued")  # queued, running, done, failed
    stage: Mapped[str | None] = mapped_column(String(200))
    rows_done: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_total: Mapped[int | None] = mapped_column(BigInteger)
    rate: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    runner: Mapped[str | None] = mapped_column(String(120))  # "host:pid" of the process running it


class Event(db.Model):
    """The append-only record of who did what, when. Nothing in Scrutineer updates or deletes an event."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_label: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_ref: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

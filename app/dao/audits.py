"""Audit runs and their findings."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditRun, Finding


def audits_of_campaign(organisation_id: int, campaign_id: int) -> list[AuditRun]:
    return list(
        db.session.scalars(
            select(AuditRun)
            .where(AuditRun.organisation_id == organisation_id, AuditRun.campaign_id == campaign_id)
            .order_by(AuditRun.id.desc())
        )
    )


def audit_by_public_id(public_id: str, organisation_id: int | None = None) -> AuditRun | None:
    """An audit by its public ID. Without an organisation this is for the command line, which sees every tenant."""
    query = select(AuditRun).where(AuditRun.public_id == public_id.strip())
    if organisation_id is not None:
        query = query.where(AuditRun.organisation_id == organisation_id)
    return db.session.scalar(query)


def findings_of(run: AuditRun) -> list[Finding]:
    return list(
        db.session.scalars(
            select(Finding)
            .where(Finding.audit_run_id == run.id, Finding.organisation_id == run.organisation_id)
            .order_by(Finding.seq)
        )
    )


def filtered_findings(
    run: AuditRun, *, status: str | None = None, severity: str | None = None, family: str | None = None
) -> list[Finding]:
    """An audit's findings, narrowed by status (as reviewed, if an auditor changed it), severity and area."""
    query = select(Finding).where(Finding.audit_run_id == run.id, Finding.organisation_id == run.organisation_id)
    if status:
        query = query.where(func.coalesce(Finding.review_status, Finding.status) == status)
    if severity:
        query = query.where(Finding.severity == severity)
    if family:
        query = query.where(Finding.family == family)
    return list(db.session.scalars(query.order_by(Finding.seq)))


def finding_by_seq(run: AuditRun, seq: int) -> Finding | None:
    return db.session.scalar(
        select(Finding).where(
            Finding.audit_run_id == run.id, Finding.organisation_id == run.organisation_id, Finding.seq == seq
        )
    )


def finding_by_ref(organisation_id: int, ref: str) -> Finding | None:
    return db.session.scalar(select(Finding).where(Finding.organisation_id == organisation_id, Finding.ref == ref))

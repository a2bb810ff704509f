"""Audit runs and their findings."""

from __future__ import annotations

from sqlalchemy import select

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

"""Audit runs and their findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from app.extensions import db
from app.models import AuditRun, Finding


def _of_run(run: AuditRun) -> list[Any]:
    """The conditions that keep to one audit's findings (and, as everywhere, to its organisation)."""
    return [Finding.audit_run_id == run.id, Finding.organisation_id == run.organisation_id]


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
    return list(db.session.scalars(select(Finding).where(*_of_run(run)).order_by(Finding.seq)))


# The columns a workbook row needs: streamed without the evidence and details JSON, which it does not show.
_ROW_COLUMNS = (
    Finding.seq,
    Finding.ref,
    Finding.check_id,
    Finding.title,
    Finding.severity,
    Finding.status,
    Finding.subject,
    Finding.evidence_text,
    Finding.reference,
    Finding.suggestion,
    Finding.agency_response,
    Finding.response_note,
)


def iter_findings(run: AuditRun, batch: int = 2000) -> Iterator[Finding]:
    """An audit's findings in order, loaded `batch` at a time, so a large audit never sits in memory whole."""
    query = (
        select(Finding)
        .options(load_only(*_ROW_COLUMNS, raiseload=True))
        .where(*_of_run(run))
        .order_by(Finding.seq)
        .execution_options(yield_per=batch)
    )
    yield from db.session.scalars(query)


def findings_by_ref(run: AuditRun, refs: Iterable[str]) -> dict[str, Finding]:
    wanted = list(refs)
    found: dict[str, Finding] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(Finding).where(*_of_run(run), Finding.ref.in_(chunk))
        found.update((f.ref, f) for f in db.session.scalars(query))
    return found


def _filtered(run: AuditRun, status: str | None, severity: str | None, family: str | None) -> list[Any]:
    """An audit's findings, narrowed by status (as reviewed, if an auditor changed it), severity and area."""
    conditions = _of_run(run)
    if status:
        conditions.append(func.coalesce(Finding.review_status, Finding.status) == status)
    if severity:
        conditions.append(Finding.severity == severity)
    if family:
        conditions.append(Finding.family == family)
    return conditions


# What a row of the audit page shows: not the evidence, details or advert text, which only a finding's page needs.
_LISTED = (
    Finding.seq,
    Finding.ref,
    Finding.check_id,
    Finding.title,
    Finding.severity,
    Finding.status,
    Finding.subject,
    Finding.summary,
    Finding.agency_response,
    Finding.review_status,
    Finding.review_decision,
)


def findings_page(
    run: AuditRun,
    *,
    status: str | None = None,
    severity: str | None = None,
    family: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> list[Finding]:
    """One page of an audit's findings in order, narrowed as `_filtered` says, with only the columns a list shows."""
    return list(
        db.session.scalars(
            select(Finding)
            .options(load_only(*_LISTED))
            .where(*_filtered(run, status, severity, family))
            .order_by(Finding.seq)
            .offset(offset)
            .limit(limit)
        )
    )


def count_findings(
    run: AuditRun, *, status: str | None = None, severity: str | None = None, family: str | None = None
) -> int:
    return (
        db.session.scalar(select(func.count()).select_from(Finding).where(*_filtered(run, status, severity, family)))
        or 0
    )


def status_counts(run: AuditRun) -> dict[str, int]:
    """How many findings stand at each status (the auditor's, where one changed it)."""
    status = func.coalesce(Finding.review_status, Finding.status)
    rows = db.session.execute(select(status, func.count()).where(*_of_run(run)).group_by(status))
    return {str(value): int(count) for value, count in rows}


def families_of(run: AuditRun) -> list[str]:
    """The areas of the checklist the audit's findings belong to."""
    return list(db.session.scalars(select(Finding.family).where(*_of_run(run)).distinct().order_by(Finding.family)))


def findings_before(run: AuditRun, seq: int) -> int:
    """How many of the audit's findings come before the one numbered `seq`: where it falls in the list."""
    return db.session.scalar(select(func.count()).select_from(Finding).where(*_of_run(run), Finding.seq < seq)) or 0


def finding_by_seq(run: AuditRun, seq: int) -> Finding | None:
    return db.session.scalar(select(Finding).where(*_of_run(run), Finding.seq == seq))


def finding_by_ref(organisation_id: int, ref: str) -> Finding | None:
    return db.session.scalar(select(Finding).where(Finding.organisation_id == organisation_id, Finding.ref == ref))

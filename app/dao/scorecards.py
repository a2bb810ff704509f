"""What the agency scorecard reads: each agency's campaigns, their latest audits, and how those audits' checks went."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from app.extensions import db
from app.models import Finding


def finding_tallies(organisation_id: int, run_ids: Sequence[int]) -> list[tuple[int, str, str, str, str, str, int]]:
    """(audit run id, check ID, title, family, severity, status, findings) for the given audits, one row per
    audit, check, severity and status. Counted in the database, so a large audit costs one short result."""
    rows: list[tuple[int, str, str, str, str, str, int]] = []
    for start in range(0, len(run_ids), 500):
        chunk = list(run_ids[start : start + 500])
        query = (
            select(
                Finding.audit_run_id,
                Finding.check_id,
                func.max(Finding.title),
                func.max(Finding.family),
                Finding.severity,
                Finding.status,
                func.count(),
            )
            .where(Finding.organisation_id == organisation_id, Finding.audit_run_id.in_(chunk))
            .group_by(Finding.audit_run_id, Finding.check_id, Finding.severity, Finding.status)
        )
        rows.extend(tuple(row) for row in db.session.execute(query))  # type: ignore[misc]
    return rows

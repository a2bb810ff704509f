"""Background jobs, as the web pages list and show them."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Job


def job_by_public_id(organisation_id: int, public_id: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.organisation_id == organisation_id, Job.public_id == public_id))


def jobs_for(
    organisation_id: int, *, created_by_id: int | None = None, public_ids: list[str] | None = None, limit: int = 50
) -> list[Job]:
    """The organisation's most recent jobs, optionally only those one person started, or those named."""
    query = select(Job).where(Job.organisation_id == organisation_id)
    if created_by_id is not None:
        query = query.where(Job.created_by_id == created_by_id)
    if public_ids is not None:
        query = query.where(Job.public_id.in_(public_ids))
    return list(db.session.scalars(query.order_by(Job.id.desc()).limit(limit)))

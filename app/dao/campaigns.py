"""Campaigns and what was imported for them: adverts, candidates, outreach."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Advert, AuditRun, Campaign, Candidate, Outreach, Upload


def campaigns_for(organisation_id: int, *, agency_id: int | None = None) -> list[Campaign]:
    query = select(Campaign).where(Campaign.organisation_id == organisation_id)
    if agency_id is not None:
        query = query.where(Campaign.agency_id == agency_id)
    return list(db.session.scalars(query.order_by(Campaign.ref)))


def campaign_by_ref(organisation_id: int, ref: str) -> Campaign | None:
    return db.session.scalar(
        select(Campaign).where(Campaign.organisation_id == organisation_id, Campaign.ref == ref.strip())
    )


def campaign_by_id(organisation_id: int, campaign_id: int) -> Campaign | None:
    return db.session.scalar(
        select(Campaign).where(Campaign.organisation_id == organisation_id, Campaign.id == campaign_id)
    )


def campaign_refs(organisation_id: int) -> dict[str, int]:
    rows = db.session.execute(select(Campaign.ref, Campaign.id).where(Campaign.organisation_id == organisation_id))
    return dict(rows.all())  # type: ignore[arg-type]


def adverts_of(campaign: Campaign) -> list[Advert]:
    return list(
        db.session.scalars(
            select(Advert)
            .where(Advert.organisation_id == campaign.organisation_id, Advert.campaign_id == campaign.id)
            .order_by(Advert.upload_id, Advert.position, Advert.id)
        )
    )


def candidates_of(campaign: Campaign) -> list[tuple[Candidate, str]]:
    """Candidates with the name of the file each came from."""
    rows = db.session.execute(
        select(Candidate, Upload.file_name)
        .join(Upload, Upload.id == Candidate.upload_id)
        .where(Candidate.organisation_id == campaign.organisation_id, Candidate.campaign_id == campaign.id)
        .order_by(Candidate.upload_id, Candidate.source_row, Candidate.id)
    )
    return [(candidate, file_name) for candidate, file_name in rows]


def outreach_of(campaign: Campaign) -> list[tuple[Outreach, str]]:
    rows = db.session.execute(
        select(Outreach, Upload.file_name)
        .join(Upload, Upload.id == Outreach.upload_id)
        .where(Outreach.organisation_id == campaign.organisation_id, Outreach.campaign_id == campaign.id)
        .order_by(Outreach.upload_id, Outreach.source_row, Outreach.id)
    )
    return [(item, file_name) for item, file_name in rows]


def counts_of(campaign: Campaign) -> dict[str, int]:
    def count(model: type) -> int:
        return (
            db.session.scalar(
                select(func.count())
                .select_from(model)
                .where(model.organisation_id == campaign.organisation_id, model.campaign_id == campaign.id)
            )
            or 0
        )

    return {"adverts": count(Advert), "candidates": count(Candidate), "outreach": count(Outreach)}


def latest_audits(organisation_id: int) -> dict[int, AuditRun]:
    """The most recent audit of each campaign of an organisation."""
    latest = (
        select(AuditRun.campaign_id, func.max(AuditRun.id).label("id"))
        .where(AuditRun.organisation_id == organisation_id)
        .group_by(AuditRun.campaign_id)
        .subquery()
    )
    runs = db.session.scalars(select(AuditRun).join(latest, AuditRun.id == latest.c.id))
    return {run.campaign_id: run for run in runs}

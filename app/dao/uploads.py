"""Uploads: the files given to Scrutineer and what became of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, or_, select, union, update

from app.extensions import db
from app.models import (
    Advert,
    Campaign,
    Candidate,
    InMailStat,
    LinkedInJobStat,
    Outreach,
    PageStat,
    RecruiterUsage,
    Upload,
)

# Tables whose rows come from an upload (and go when a corrected file replaces it).
RECORD_MODELS = (Candidate, Outreach, Advert, LinkedInJobStat, RecruiterUsage, InMailStat, PageStat)


def stored_upload_with_hash(organisation_id: int, sha256: str) -> Upload | None:
    return db.session.scalar(
        select(Upload)
        .where(Upload.organisation_id == organisation_id, Upload.sha256 == sha256, Upload.status == "stored")
        .order_by(Upload.id.desc())
    )


def earlier_versions(
    organisation_id: int, file_name: str, detected_format: str, campaign_id: int | None, exclude_id: int
) -> list[Upload]:
    """Stored uploads a new file of the same name, format and campaign replaces."""
    query = select(Upload).where(
        Upload.organisation_id == organisation_id,
        Upload.file_name == file_name,
        Upload.detected_format == detected_format,
        Upload.status == "stored",
        Upload.id != exclude_id,
    )
    if campaign_id is not None:
        query = query.where(Upload.campaign_id == campaign_id)
    return list(db.session.scalars(query))


def delete_records_of(upload_ids: list[int]) -> None:
    """Remove the records that came from these uploads (when a corrected file replaces them)."""
    if not upload_ids:
        return
    for model in RECORD_MODELS:
        db.session.execute(delete(model).where(model.upload_id.in_(upload_ids)))
    db.session.execute(update(Campaign).where(Campaign.upload_id.in_(upload_ids)).values(upload_id=None))


def uploads_for_campaign(organisation_id: int, campaign_id: int) -> list[Upload]:
    return list(
        db.session.scalars(
            select(Upload)
            .where(Upload.organisation_id == organisation_id, Upload.campaign_id == campaign_id)
            .order_by(Upload.id.desc())
        )
    )


def uploads_with_records(organisation_id: int, campaign_id: int) -> list[Upload]:
    """Stored uploads that hold this campaign's records (the inputs an audit reads)."""
    from app.dao import linkedin

    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.organisation_id != organisation_id:
        return []
    # One query: the uploads of the campaign's own records, of the LinkedIn rows its audit reads (organisation-wide
    # figures and Jobs rows joined by reference), and of the tracker that described it.
    parts = [
        select(model.upload_id).where(model.organisation_id == organisation_id, model.campaign_id == campaign_id)
        for model in (Candidate, Outreach, Advert)
    ]
    ids = union(*parts, *linkedin.upload_id_selects(campaign)).subquery()
    wanted = or_(Upload.id.in_(select(ids.c[0])), Upload.id == campaign.upload_id)
    return list(
        db.session.scalars(select(Upload).where(Upload.organisation_id == organisation_id, wanted).order_by(Upload.id))
    )


def get_upload(organisation_id: int, upload_id: int) -> Upload | None:
    return db.session.scalar(select(Upload).where(Upload.organisation_id == organisation_id, Upload.id == upload_id))


def expired_uploads(before: dt.datetime) -> list[Upload]:
    return list(db.session.scalars(select(Upload).where(Upload.created_at < before, Upload.stored_path.is_not(None))))


def _visible_uploads(organisation_id: int, recruiter_agency_id: int | None, recruiter_id: int | None) -> Any:
    """The organisation's uploads; for a recruiter, those it made or that belong to its agency's campaigns."""
    query = select(Upload).where(Upload.organisation_id == organisation_id)
    if recruiter_id is not None:
        own_campaigns = select(Campaign.id).where(
            Campaign.organisation_id == organisation_id, Campaign.agency_id == recruiter_agency_id
        )
        query = query.where(or_(Upload.created_by_id == recruiter_id, Upload.campaign_id.in_(own_campaigns)))
    return query


def recent_uploads(
    organisation_id: int,
    *,
    recruiter_agency_id: int | None = None,
    recruiter_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Upload]:
    """A page of the uploads someone may see (see `_visible_uploads`), newest first."""
    query = _visible_uploads(organisation_id, recruiter_agency_id, recruiter_id)
    return list(db.session.scalars(query.order_by(Upload.id.desc()).offset(offset).limit(limit)))


def count_uploads(
    organisation_id: int, *, recruiter_agency_id: int | None = None, recruiter_id: int | None = None
) -> int:
    query = _visible_uploads(organisation_id, recruiter_agency_id, recruiter_id)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0

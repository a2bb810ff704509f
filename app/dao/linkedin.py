"""LinkedIn report rows stored for a campaign: Jobs report, Recruiter usage, InMail and Page analytics.

Jobs report rows belong to a campaign through `campaign_id`, or, when the report was imported before the campaign
existed, through their Employer Job ID being the campaign's reference. Usage, InMail and Page rows imported without
--campaign are the organisation's own figures (no campaign): they are given to every campaign's audit, and their
records say so by having no campaign reference.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select, union

from app.extensions import db
from app.models import Campaign, InMailStat, LinkedInJobStat, PageStat, RecruiterUsage, Upload


def _rows(model: Any, campaign: Campaign, *, organisation_wide: bool) -> list[tuple[Any, str]]:
    linked = model.campaign_id == campaign.id
    if organisation_wide:
        linked = or_(linked, model.campaign_id.is_(None))
    rows = db.session.execute(
        select(model, Upload.file_name)
        .join(Upload, Upload.id == model.upload_id)
        .where(model.organisation_id == campaign.organisation_id, linked)
        .order_by(model.upload_id, model.source_row, model.id)
    )
    return [(row, file_name) for row, file_name in rows]


def job_stats_of(campaign: Campaign) -> list[tuple[LinkedInJobStat, str]]:
    matched = or_(
        LinkedInJobStat.campaign_id == campaign.id,
        and_(LinkedInJobStat.campaign_id.is_(None), LinkedInJobStat.employer_job_id == campaign.ref),
    )
    rows = db.session.execute(
        select(LinkedInJobStat, Upload.file_name)
        .join(Upload, Upload.id == LinkedInJobStat.upload_id)
        .where(LinkedInJobStat.organisation_id == campaign.organisation_id, matched)
        .order_by(LinkedInJobStat.upload_id, LinkedInJobStat.source_row, LinkedInJobStat.id)
    )
    return [(row, file_name) for row, file_name in rows]


def usage_of(campaign: Campaign) -> list[tuple[RecruiterUsage, str]]:
    return _rows(RecruiterUsage, campaign, organisation_wide=True)


def inmail_stats_of(campaign: Campaign) -> list[tuple[InMailStat, str]]:
    return _rows(InMailStat, campaign, organisation_wide=True)


def page_stats_of(campaign: Campaign) -> list[tuple[PageStat, str]]:
    return _rows(PageStat, campaign, organisation_wide=True)


def upload_id_selects(campaign: Campaign) -> list[Any]:
    """The uploads whose LinkedIn rows an audit of this campaign reads (the same rows as the functions above), as
    SELECTs of upload ids to combine in one UNION with others: only the ids, not the rows."""
    organisation = campaign.organisation_id
    jobs = or_(
        LinkedInJobStat.campaign_id == campaign.id,
        and_(LinkedInJobStat.campaign_id.is_(None), LinkedInJobStat.employer_job_id == campaign.ref),
    )
    parts = [select(LinkedInJobStat.upload_id).where(LinkedInJobStat.organisation_id == organisation, jobs)]
    for model in (RecruiterUsage, InMailStat, PageStat):
        linked = or_(model.campaign_id == campaign.id, model.campaign_id.is_(None))
        parts.append(select(model.upload_id).where(model.organisation_id == organisation, linked))
    return parts


def upload_ids_of(campaign: Campaign) -> set[int]:
    """Uploads whose LinkedIn rows an audit of this campaign reads."""
    return set(db.session.scalars(union(*upload_id_selects(campaign))))

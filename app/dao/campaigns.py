"""Campaigns and what was imported for them: adverts, candidates, outreach."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import lazyload, load_only

from app.extensions import db
from app.models import Advert, AuditRun, Campaign, Candidate, Finding, Outreach, Upload


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


def advert_titles(campaign: Campaign, offset: int = 0, limit: int = 100) -> list[Advert]:
    """A page of the campaign's adverts in the order they were imported, with only what a list of them shows."""
    return list(
        db.session.scalars(
            select(Advert)
            .options(load_only(Advert.id, Advert.title, Advert.url, Advert.source_name))
            .where(Advert.organisation_id == campaign.organisation_id, Advert.campaign_id == campaign.id)
            .order_by(Advert.upload_id, Advert.position, Advert.id)
            .offset(offset)
            .limit(limit)
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

    # a candidate named in several trackers, or at several stages of one, is one candidate (as the audits count)
    people = db.session.scalar(
        select(func.count(func.distinct(Candidate.candidate_key))).where(
            Candidate.organisation_id == campaign.organisation_id, Candidate.campaign_id == campaign.id
        )
    )
    return {
        "adverts": count(Advert),
        "candidates": people or 0,
        "candidate_rows": count(Candidate),
        "outreach": count(Outreach),
    }


_LISTED_AUDIT_COLUMNS = (
    "id",
    "public_id",
    "organisation_id",
    "campaign_id",
    "score",
    "rag",
    "score_reason",
    "as_of",
    "created_at",
    "checklist_id",
    "checklist_version",
    "findings_sha256",
)


def latest_audits(organisation_id: int) -> dict[int, AuditRun]:
    """The most recent audit of each campaign of an organisation."""
    latest = (
        select(AuditRun.campaign_id, func.max(AuditRun.id).label("id"))
        .where(AuditRun.organisation_id == organisation_id)
        .group_by(AuditRun.campaign_id)
        .subquery()
    )
    # Only the columns lists show: not the checklist snapshot and JSON an audit keeps for its workbook, which made
    # this query most of the dashboard's time (anything else is still loaded if asked for).
    runs = db.session.scalars(
        select(AuditRun)
        .join(latest, AuditRun.id == latest.c.id)
        .options(load_only(*(getattr(AuditRun, name) for name in _LISTED_AUDIT_COLUMNS)), lazyload(AuditRun.campaign))
    )
    return {run.campaign_id: run for run in runs}


def search_campaigns(
    organisation_id: int, *, agency_id: int | None = None, only_agency_id: int | None = None, text: str | None = None
) -> list[Campaign]:
    """Campaigns of an organisation, narrowed to one agency (a recruiter's, or a filter) and by reference or role."""
    query = select(Campaign).where(Campaign.organisation_id == organisation_id)
    for wanted in (only_agency_id, agency_id):
        if wanted is not None:
            query = query.where(Campaign.agency_id == wanted)
    if text:
        pattern = "%" + text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(Campaign.ref).like(pattern, escape="\\"),
                func.lower(Campaign.role_title).like(pattern, escape="\\"),
            )
        )
    return list(db.session.scalars(query.order_by(Campaign.ref)))


def open_findings_by_audit(organisation_id: int, audit_ids: list[int]) -> dict[int, int]:
    """For each audit, its findings that failed or warned and have neither an agency response nor a review."""
    if not audit_ids:
        return {}
    rows = db.session.execute(
        select(Finding.audit_run_id, func.count())
        .where(
            Finding.organisation_id == organisation_id,
            Finding.audit_run_id.in_(audit_ids),
            Finding.status.in_(("fail", "warn")),
            Finding.agency_response.is_(None),
            Finding.review_decision.is_(None),
        )
        .group_by(Finding.audit_run_id)
    )
    return {int(audit_id): int(count) for audit_id, count in rows.all()}


def advert_by_id(organisation_id: int, campaign_id: int, advert_id: int) -> Advert | None:
    return db.session.scalar(
        select(Advert).where(
            Advert.organisation_id == organisation_id, Advert.campaign_id == campaign_id, Advert.id == advert_id
        )
    )


def candidates_at_rows(campaign: Campaign, file_name: str, rows: list[int], limit: int = 50) -> list[Candidate]:
    """The stored candidates of a campaign that came from these rows of a file (the rows a finding used)."""
    return list(
        db.session.scalars(
            select(Candidate)
            .join(Upload, Upload.id == Candidate.upload_id)
            .where(
                Candidate.organisation_id == campaign.organisation_id,
                Candidate.campaign_id == campaign.id,
                Upload.file_name == file_name,
                Candidate.source_row.in_(rows[:limit]),
            )
            .order_by(Candidate.source_row)
            .limit(limit)
        )
    )


def outreach_at_rows(campaign: Campaign, file_name: str, rows: list[int], limit: int = 50) -> list[Outreach]:
    return list(
        db.session.scalars(
            select(Outreach)
            .join(Upload, Upload.id == Outreach.upload_id)
            .where(
                Outreach.organisation_id == campaign.organisation_id,
                Outreach.campaign_id == campaign.id,
                Upload.file_name == file_name,
                Outreach.source_row.in_(rows[:limit]),
            )
            .order_by(Outreach.source_row)
            .limit(limit)
        )
    )

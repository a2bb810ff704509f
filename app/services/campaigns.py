"""Campaigns as people work on them in the web app: the dashboard with its filters, corrections to a campaign's
details, and the background work a campaign page starts (an audit, fetching an advert).

Corrections go through the same columns as the agency template and are recorded in the event log with the values
before and after. An audit reads the campaign as it is when the audit runs, and keeps its own record of the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app import jobs
from app.dao import audits as audits_dao
from app.dao import campaigns as campaigns_dao
from app.dao import events, transaction
from app.dao import organisations as organisations_dao
from app.dao import uploads as uploads_dao
from app.models import AuditRun, Campaign, Job, Membership, Upload
from app.services.imports import CAMPAIGN_FIELDS
from importers.agency_template import FACT_FIELDS, json_value

STAGES = ("Not started", "Briefed", "Advertised", "Longlist", "Shortlist", "Interview", "Offer", "Appointed")
RATINGS = ("Red", "Amber", "Green", "Not rated")
NOT_AUDITED = "Not audited"


class CampaignRefused(ValueError):
    """The change or request cannot be made. The message says why."""


@dataclass(frozen=True)
class DashboardFilters:
    agency_id: int | None = None
    stage: str | None = None
    rating: str | None = None
    text: str | None = None

    @property
    def active(self) -> bool:
        return any(value not in (None, "") for value in (self.agency_id, self.stage, self.rating, self.text))


@dataclass
class DashboardRow:
    campaign: Campaign
    latest: AuditRun | None
    open_findings: int | None  # None when the campaign has not been audited


def dashboard(membership: Membership, filters: DashboardFilters) -> list[DashboardRow]:
    """The organisation's campaigns (a recruiter's: its agency's), their latest audit and open findings."""
    only_agency = membership.agency_id if membership.role == "recruiter" else None
    if membership.role == "recruiter" and only_agency is None:
        return []
    campaigns = campaigns_dao.search_campaigns(
        membership.organisation_id, agency_id=filters.agency_id, only_agency_id=only_agency, text=filters.text
    )
    latest = campaigns_dao.latest_audits(membership.organisation_id)
    open_counts = campaigns_dao.open_findings_by_audit(membership.organisation_id, [r.id for r in latest.values()])
    rows = []
    for campaign in campaigns:
        run = latest.get(campaign.id)
        if filters.stage and campaign.stage != filters.stage:
            continue
        if filters.rating:
            rating = run.rag if run else NOT_AUDITED
            if rating != filters.rating:
                continue
        rows.append(DashboardRow(campaign, run, open_counts.get(run.id, 0) if run else None))
    return rows


def _shown(value: Any) -> Any:
    """A value as the event log keeps it: JSON, with amounts written out in full (135000, not 1.35E+5)."""
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, Decimal):
        return format(value, "f")
    return json_value(value)


def update_campaign(
    campaign: Campaign, values: dict[str, Any], facts: dict[str, Any], *, membership: Membership
) -> list[str]:
    """Correct a campaign's details. Returns the names of the fields that changed (empty if none did)."""
    unknown = set(values) - set(CAMPAIGN_FIELDS) - {"agency_id"}
    if unknown:
        raise CampaignRefused(f"these are not campaign fields: {', '.join(sorted(unknown))}")
    if set(facts) - set(FACT_FIELDS):
        raise CampaignRefused(f"these are not campaign facts: {', '.join(sorted(set(facts) - set(FACT_FIELDS)))}")
    agency_id = values.get("agency_id", campaign.agency_id)
    if agency_id is not None and organisations_dao.agency_by_id(campaign.organisation_id, agency_id) is None:
        raise CampaignRefused("choose one of the organisation's agencies")
    minimum, maximum = values.get("salary_min"), values.get("salary_max")
    if minimum is not None and maximum is not None and Decimal(minimum) > Decimal(maximum):
        raise CampaignRefused("the minimum salary is more than the maximum")
    if values.get("fee_percent") is not None:
        values["fee_percent"] = float(values["fee_percent"])
    changes: dict[str, dict[str, Any]] = {}
    for name, new in values.items():
        old = getattr(campaign, name)
        if old != new:
            changes[name] = {"before": _shown(old), "after": _shown(new)}
    new_facts = dict(campaign.facts or {})
    for name, value in facts.items():
        stored = json_value(value)
        if new_facts.get(name) != stored:
            changes[f"facts.{name}"] = {"before": new_facts.get(name), "after": stored}
            if stored is None:
                new_facts.pop(name, None)
            else:
                new_facts[name] = stored
    if not changes:
        return []
    with transaction():
        for name, new in values.items():
            setattr(campaign, name, new)
        campaign.facts = new_facts
        events.record(
            "campaign.edited",
            organisation_id=campaign.organisation_id,
            actor=membership.user,
            object_type="campaign",
            object_ref=campaign.ref,
            changes=changes,
        )
    return sorted(changes)


def request_audit(membership: Membership, campaign: Campaign) -> Job:
    """Start an audit of the campaign in the background. Its job page shows how it goes."""
    return jobs.enqueue("audit", membership.organisation, {"campaign_id": campaign.id}, user=membership.user)


def request_fetch(membership: Membership, campaign: Campaign, url: str) -> Job:
    """Fetch an advert page for the campaign in the background (see importers/fetch.py for what is refused)."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise CampaignRefused("enter a web address that starts with https:// or http://")
    return jobs.enqueue(
        "fetch", membership.organisation, {"url": url, "campaign_ref": campaign.ref}, user=membership.user
    )


def campaign_history(campaign: Campaign, limit: int = 20) -> list[Any]:
    """Changes made to the campaign's details, newest first."""
    return events.events_for(campaign.organisation_id, object_type="campaign", object_ref=campaign.ref, limit=limit)


def audits_of(campaign: Campaign) -> list[AuditRun]:
    return audits_dao.audits_of_campaign(campaign.organisation_id, campaign.id)


def inputs_of(campaign: Campaign) -> list[Upload]:
    """The files given for a campaign: those tied to it, and those whose records it holds (a tracker of several)."""
    tied = uploads_dao.uploads_for_campaign(campaign.organisation_id, campaign.id)
    holding = uploads_dao.uploads_with_records(campaign.organisation_id, campaign.id)
    seen = {upload.id for upload in tied}
    return sorted(tied + [u for u in holding if u.id not in seen], key=lambda u: u.id, reverse=True)

"""Structured data and the advert page: what search engines, LinkedIn and candidates can read (SD checks).

Policy. Google's JobPosting structured data and the GDS open standard for job postings ask for a closing date
(`validThrough`, `dateClosing`) beside the title, employer, location and pay. The Civil Service Recruitment
Principles' "Open" principle needs candidates to have reasonable access to information about the job and the
selection process, and a closing date is the first of those facts. An advert should state one closing date, the
same everywhere it appears, and come down when it closes.

Google's required JobPosting properties are title, description, datePosted, hiringOrganization and jobLocation (or,
for a fully remote job, applicantLocationRequirements with jobLocationType TELECOMMUTE); a page without them is not
shown in Google's job search (SD-01). The GDS standard asks that hiringOrganization name "the end employer offering
the job position": an agency named there hides the public body from candidates (SD-02). These checks apply to adverts
read from web pages or JobPosting files; for plain text there is no structured data to read.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from audits.checklist import Rule
from audits.model import CampaignBundle, DataEvidence, Outcome, Status
from audits.registry import advert_check
from audits.text import AdvertText

PAGE_KINDS = ("html", "json-ld")
_NAME_WORD = re.compile(r"[a-z0-9]+")


def not_a_page(advert: AdvertText) -> Outcome | None:
    """ "no data" for adverts read from plain text, "n/a" for feeds and datasets; None for pages and JobPostings."""
    kind = advert.advert.source_kind
    if kind == "text":
        return Outcome(
            Status.NO_DATA,
            "The advert was imported as plain text: import its web page (fetch-advert URL, or the saved .html) so "
            "its structured data and links can be checked.",
        )
    if kind not in PAGE_KINDS:
        return Outcome(Status.NA, f"The advert came from a {kind} source, not a web page.")
    return None


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | dict):
        return bool(value)
    return True


@advert_check("SD-03")
def closing_date(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    record = advert.advert
    sources: dict[str, dt.date] = {}
    if record.valid_through:
        sources["JobPosting validThrough"] = record.valid_through
    if record.closing_date_text:
        sources["advert text"] = record.closing_date_text
    if bundle.campaign is not None and bundle.campaign.closing_date:
        sources["campaign closing_date"] = bundle.campaign.closing_date
    figures = {name: value.isoformat() for name, value in sources.items()}
    if not sources:
        return Outcome(
            rule.status_param("missing_status"),
            "No closing date: neither the advert text, its JobPosting validThrough nor the campaign record gives one.",
        )
    tolerance = dt.timedelta(days=int(rule.param("tolerance_days")))
    dates = sorted(set(sources.values()))
    if dates[-1] - dates[0] > tolerance:
        return Outcome(
            rule.status_param("mismatch_status"),
            "The closing dates disagree: " + "; ".join(f"{k} {v:%d %B %Y}" for k, v in sources.items()) + ".",
            [DataEvidence("Closing dates", figures)],
            {"closing_dates": figures},
        )
    closes = dates[-1]
    fetched = record.structured.get("_fetched_at") if record.structured else None
    if isinstance(fetched, str):
        try:
            fetched_on = dt.date.fromisoformat(fetched[:10])
        except ValueError:
            fetched_on = None
        if fetched_on and fetched_on > closes + tolerance:
            return Outcome(
                rule.status_param("live_after_close_status"),
                f"The advert was still online on {fetched_on:%d %B %Y}, after it closed on {closes:%d %B %Y}.",
                [DataEvidence("Closing date and fetch", {**figures, "fetched": fetched_on.isoformat()})],
                {"closing_dates": figures},
            )
    return Outcome(
        Status.PASS,
        f"The advert closes on {closes:%d %B %Y}"
        + (f", consistent across {len(sources)} sources." if len(sources) > 1 else "."),
        [DataEvidence("Closing dates", figures)],
        {"closing_dates": figures},
    )


@advert_check("SD-01")
def job_posting(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    skipped = not_a_page(advert)
    if skipped is not None:
        return skipped
    posting = {k: v for k, v in (advert.advert.structured or {}).items() if not k.startswith("_")}
    if not posting:
        return Outcome(
            rule.status_param("missing_status"),
            "The page has no schema.org JobPosting structured data, so Google's job search cannot list it.",
        )
    remote = posting.get("jobLocationType") == "TELECOMMUTE" and _present(posting.get("applicantLocationRequirements"))
    missing_required = [
        name
        for name in rule.param("required")
        if not _present(posting.get(name)) and not (name == "jobLocation" and remote)
    ]
    missing_recommended = [name for name in rule.param("recommended") if not _present(posting.get(name))]
    figures = {
        "required missing": ", ".join(missing_required) or "none",
        "recommended missing": ", ".join(missing_recommended) or "none",
    }
    evidence = [DataEvidence("JobPosting properties", figures)]
    details = {"missing_required": missing_required, "missing_recommended": missing_recommended}
    if missing_required:
        return Outcome(
            rule.status_param("missing_required_status"),
            "The JobPosting lacks properties Google requires: " + ", ".join(missing_required) + ".",
            evidence,
            details,
        )
    if missing_recommended:
        return Outcome(
            rule.status_param("missing_recommended_status"),
            "The JobPosting has every required property but lacks recommended ones: "
            + ", ".join(missing_recommended)
            + ".",
            evidence,
            details,
        )
    return Outcome(Status.PASS, "The JobPosting has every required and recommended property.", evidence, details)


def _name_words(name: str, ignored: set[str]) -> set[str]:
    return {w for w in _NAME_WORD.findall(name.lower()) if w not in ignored}


def same_organisation(a: str, b: str, ignored: set[str], minimum: float) -> bool:
    """Do two organisation names refer to the same body (word overlap, ignoring "the", "ltd", "limited" …)?"""
    left, right = _name_words(a, ignored), _name_words(b, ignored)
    if not left or not right:
        return False
    return len(left & right) / min(len(left), len(right)) >= minimum


@advert_check("SD-02")
def hiring_organisation(advert: AdvertText, rule: Rule, bundle: CampaignBundle) -> Outcome:
    skipped = not_a_page(advert)
    if skipped is not None:
        return skipped
    named = advert.advert.hiring_organisation
    if not named:
        if advert.advert.structured:
            return Outcome(rule.status_param("status"), "The JobPosting names no hiringOrganization.")
        return Outcome(Status.NA, "The page has no JobPosting structured data (SD-01 reports that).")
    ignored = {w.lower() for w in rule.param("ignored_words")}
    minimum = float(rule.param("min_overlap"))
    campaign = bundle.campaign
    client = (campaign.client_organisation if campaign else None) or bundle.organisation_name
    agency = campaign.agency if campaign else None
    figures = {"hiringOrganization": named, "client": client or "not recorded", "agency": agency or "not recorded"}
    evidence = [DataEvidence("Employer named in the JobPosting", figures)]
    if (
        agency
        and same_organisation(named, agency, ignored, minimum)
        and not (client and same_organisation(named, client, ignored, minimum))
    ):
        return Outcome(
            rule.status_param("status"),
            f"The JobPosting names the agency ({named}) as the hiring organisation, not the employer ({client}).",
            evidence,
        )
    if client is None:
        return Outcome(
            Status.NO_DATA,
            f"The JobPosting names {named}; record the client_organisation of the campaign to compare.",
            evidence,
        )
    if same_organisation(named, client, ignored, minimum):
        return Outcome(Status.PASS, f"The JobPosting names the employer, {named}.", evidence)
    return Outcome(
        rule.status_param("status"),
        f"The JobPosting names {named} as the hiring organisation, not the employer ({client}).",
        evidence,
    )

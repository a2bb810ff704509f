"""Structured data and the advert page: what search engines, LinkedIn and candidates can read (SD checks).

Policy. Google's JobPosting structured data and the GDS open standard for job postings ask for a closing date
(`validThrough`, `dateClosing`) beside the title, employer, location and pay. The Civil Service Recruitment
Principles' "Open" principle needs candidates to have reasonable access to information about the job and the
selection process, and a closing date is the first of those facts. An advert should state one closing date, the
same everywhere it appears, and come down when it closes.
"""

from __future__ import annotations

import datetime as dt

from audits.checklist import Rule
from audits.model import CampaignBundle, DataEvidence, Outcome, Status
from audits.registry import advert_check
from audits.text import AdvertText


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

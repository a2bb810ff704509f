"""Run one check over an advert or a bundle, with the shipped checklist's settings."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from audits import engine
from audits.checklist import Checklist, load_shipped
from audits.model import CampaignBundle, Finding
from importers.records import AdvertRecord, CampaignRecord, CandidateRecord

AS_OF = dt.date(2026, 6, 30)


@cache
def checklist() -> Checklist:
    return load_shipped()


def advert(text: str, title: str = "Director of Finance", **fields: object) -> AdvertRecord:
    return AdvertRecord(title=title, text=text, source_kind="text", source_name="test.txt", **fields)  # type: ignore[arg-type]


def page(text: str, title: str = "Director of Finance", **fields: Any) -> AdvertRecord:
    """An advert read from a web page."""
    fields.setdefault("html_lang", "en")
    fields.setdefault("url", "https://jobs.example.gov.uk/director")
    return AdvertRecord(title=title, text=text, source_kind="html", source_name="advert.html", **fields)


def check(check_id: str, bundle: CampaignBundle) -> list[Finding]:
    return engine.run(checklist(), bundle, only=[check_id]).findings


def check_advert(check_id: str, text: str, title: str = "Director of Finance", **fields: object) -> Finding:
    [finding] = check(check_id, CampaignBundle(adverts=[advert(text, title, **fields)]))
    return finding


def check_record(check_id: str, record: AdvertRecord, **bundle: Any) -> Finding:
    [finding] = check(check_id, CampaignBundle(adverts=[record], **bundle))
    return finding


def check_campaign(check_id: str, **bundle: Any) -> Finding:
    bundle.setdefault("campaign", CampaignRecord("C-1", row=2, file="tracker.xlsx"))
    bundle.setdefault("as_of", AS_OF)
    [finding] = check(check_id, CampaignBundle(**bundle))
    return finding


def people(*specs: dict[str, Any], file: str = "tracker.xlsx") -> list[CandidateRecord]:
    """Candidates from field dicts; each spec may carry "n" to repeat it."""
    found: list[CandidateRecord] = []
    for spec in specs:
        spec = dict(spec)
        for _ in range(int(spec.pop("n", 1))):
            row = len(found) + 2
            found.append(CandidateRecord(campaign_ref="C-1", candidate_key=f"k{row}", row=row, file=file, **spec))
    return found

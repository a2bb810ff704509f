"""Run one check over an advert or a bundle, with the shipped checklist's settings."""

from __future__ import annotations

from functools import cache

from audits import engine
from audits.checklist import Checklist, load_shipped
from audits.model import CampaignBundle, Finding
from importers.records import AdvertRecord


@cache
def checklist() -> Checklist:
    return load_shipped()


def advert(text: str, title: str = "Director of Finance", **fields: object) -> AdvertRecord:
    return AdvertRecord(title=title, text=text, source_kind="text", source_name="test.txt", **fields)  # type: ignore[arg-type]


def check(check_id: str, bundle: CampaignBundle) -> list[Finding]:
    return engine.run(checklist(), bundle, only=[check_id]).findings


def check_advert(check_id: str, text: str, title: str = "Director of Finance", **fields: object) -> Finding:
    [finding] = check(check_id, CampaignBundle(adverts=[advert(text, title, **fields)]))
    return finding

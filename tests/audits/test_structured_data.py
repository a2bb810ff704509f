import datetime as dt

from audits.model import CampaignBundle, Status
from importers.records import CampaignRecord
from tests.audits.helpers import advert, check, check_advert


def test_sd03_consistent_closing_dates_pass() -> None:
    finding = check_advert(
        "SD-03",
        "Closing date: 5 February 2026.",
        valid_through=dt.date(2026, 2, 5),
        closing_date_text=dt.date(2026, 2, 5),
    )
    assert finding.status is Status.PASS


def test_sd03_missing_closing_date_warns() -> None:
    assert check_advert("SD-03", "Apply soon.").status is Status.WARN


def test_sd03_mismatch_with_campaign_warns() -> None:
    bundle = CampaignBundle(
        campaign=CampaignRecord(campaign_ref="C-1", closing_date=dt.date(2026, 3, 1)),
        adverts=[advert("Closes 5 February 2026", valid_through=dt.date(2026, 2, 5))],
    )
    [finding] = check("SD-03", bundle)
    assert finding.status is Status.WARN and "disagree" in finding.summary

import datetime as dt

from audits.model import Status
from importers.records import CampaignRecord
from tests.audits.helpers import check_campaign, check_record, page

FULL = (
    "About the role\nYou will lead the directorate.\n\nEssential criteria\n• Leadership\n\n"
    "Selection process\nShortlisting, then an interview with a panel."
)


def test_foc01_civil_service_advert_with_everything_passes() -> None:
    record = page(FULL, valid_through=dt.date(2026, 4, 1))
    assert check_record("FOC-01", record, organisation_type="central_government").status is Status.PASS


def test_foc01_missing_process_warns_and_other_sectors_are_na() -> None:
    record = page("You will lead the directorate.", valid_through=dt.date(2026, 4, 1))
    finding = check_record("FOC-01", record, organisation_type="central_government")
    assert finding.status is Status.WARN and "selection process" in finding.summary
    assert check_record("FOC-01", record, organisation_type="local_authority").status is Status.NA
    assert check_record("FOC-01", record).status is Status.NO_DATA


def test_foc02_scs2_without_commissioner_fails() -> None:
    campaign = CampaignRecord("C-1", grade="SCS2", commissioner_chair=False)
    finding = check_campaign("FOC-02", campaign=campaign, organisation_type="central_government")
    assert finding.status is Status.FAIL
    campaign.commissioner_chair = True
    assert check_campaign("FOC-02", campaign=campaign, organisation_type="central_government").status is Status.PASS


def test_foc02_lower_grades_internal_scs2_and_councils_are_na() -> None:
    deputy = CampaignRecord("C-1", grade="SCS1 Deputy Director")
    assert check_campaign("FOC-02", campaign=deputy, organisation_type="central_government").status is Status.NA
    internal = CampaignRecord("C-1", grade="SCS2", facts={"competition_type": "internal"})
    assert check_campaign("FOC-02", campaign=internal, organisation_type="central_government").status is Status.NA
    assert check_campaign("FOC-02", campaign=deputy, organisation_type="local_authority").status is Status.NA


def test_foc05_nhs_board_role_needs_fppt() -> None:
    campaign = CampaignRecord("C-1", role_title="Chief Nurse", offer_date=dt.date(2026, 5, 1))
    advert = page("You will join the Trust Board.")
    missing = check_campaign("FOC-05", campaign=campaign, organisation_type="nhs", adverts=[advert])
    assert missing.status is Status.WARN
    campaign.facts = {"fppt_checks_completed": True}
    told = page("All board appointments are subject to the Fit and Proper Person Test.")
    assert check_campaign("FOC-05", campaign=campaign, organisation_type="nhs", adverts=[told]).status is Status.PASS
    assert check_campaign("FOC-05", campaign=campaign, organisation_type="local_authority").status is Status.NA


def test_foc07_welsh_category() -> None:
    stated = page("Welsh language skills are desirable for this post.")
    assert check_record("FOC-07", stated, nation="wales").status is Status.PASS
    invented = page("Welsh language skills are very desirable.")
    assert check_record("FOC-07", invented, nation="wales").status is Status.FAIL
    assert check_record("FOC-07", page("Apply now."), nation="wales").status is Status.FAIL
    assert check_record("FOC-07", page("Apply now."), nation="england").status is Status.NA

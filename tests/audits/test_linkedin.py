import datetime as dt

from audits.model import Status
from importers.records import AdvertRecord, CampaignRecord, InMailStatsRecord, JobStatsRecord, OutreachRecord, Salary
from tests.audits.helpers import check_campaign


def inmails(n: int, **fields: object) -> list[OutreachRecord]:
    return [
        OutreachRecord(campaign_ref="C-1", channel="inmail", row=i + 2, file="tracker.xlsx", **fields)  # type: ignore[arg-type]
        for i in range(n)
    ]


def test_li01_jobs_report_with_post_text_passes_and_missing_fields_warn() -> None:
    job = JobStatsRecord(
        job_title="Director",
        location="Leeds",
        workplace_type="Hybrid",
        skills="Finance",
        company_hiring_for="Northshire Council",
        row=3,
        file="jobs.xlsx",
    )
    post = AdvertRecord(
        title="Director",
        text="Responsibilities: lead. Qualifications: experience of finance.",
        source_kind="linkedin",
        source_name="feed.xml",
        location="Leeds",
        workplace_type="hybrid",
        employment_type="FULL_TIME",
        hiring_organisation="Northshire Council",
        salary=Salary(minimum=1, maximum=2),
    )
    assert check_campaign("LI-01", job_stats=[job], adverts=[post]).status is Status.PASS
    bare = JobStatsRecord(job_title="Director", row=3, file="jobs.xlsx")
    finding = check_campaign("LI-01", job_stats=[bare], adverts=[post])
    assert finding.status is Status.WARN and "jobs.xlsx (Jobs Reporting) row 3" in finding.evidence_text()


def test_li01_without_linkedin_data_is_no_data() -> None:
    assert check_campaign("LI-01").status is Status.NO_DATA


def test_li03_inmail_length() -> None:
    assert check_campaign("LI-03", outreach=inmails(5, message_chars=350)).status is Status.PASS
    long = check_campaign("LI-03", outreach=inmails(5, message_chars=1500))
    assert long.status is Status.WARN and "tracker.xlsx (Outreach) rows 2" in long.evidence_text()
    assert check_campaign("LI-03").status is Status.NO_DATA


def test_li04_bulk_template() -> None:
    assert check_campaign("LI-04", outreach=inmails(10, template_id="T1")).status is Status.WARN
    personal = [OutreachRecord(campaign_ref="C-1", channel="inmail", template_id=f"P{i}") for i in range(10)]
    assert check_campaign("LI-04", outreach=personal).status is Status.PASS


def test_li05_response_rate_from_the_inmail_report() -> None:
    low = [InMailStatsRecord(sent=200, accepted=10, declined=5, row=2, file="inmail.csv")]
    finding = check_campaign("LI-05", inmail_stats=low)
    assert finding.status is Status.WARN and "7.5%" in finding.summary
    good = [InMailStatsRecord(sent=200, accepted=30, declined=20, row=2, file="inmail.csv")]
    assert check_campaign("LI-05", inmail_stats=good).status is Status.PASS
    few = [InMailStatsRecord(sent=40, accepted=1, declined=0)]
    assert check_campaign("LI-05", inmail_stats=few).status is Status.NA


def test_li07_privacy_notice_in_first_inmails() -> None:
    campaign = CampaignRecord("C-1", facts={"privacy_notice_names_source": True})
    missing = check_campaign("LI-07", campaign=campaign, outreach=inmails(3, privacy_notice_included=False))
    assert missing.status is Status.FAIL
    ok = check_campaign("LI-07", campaign=campaign, outreach=inmails(3, privacy_notice_included=True))
    assert ok.status is Status.PASS
    unknown = check_campaign("LI-07", outreach=inmails(3, privacy_notice_included=True))
    assert unknown.status is Status.NO_DATA and "privacy_notice_names_source" in unknown.summary


def test_dp02_sourced_candidate_held_over_a_month_fails() -> None:
    from tests.audits.helpers import people

    campaign = CampaignRecord("C-1", facts={"privacy_notice_names_source": True})
    late = people({"source": "linkedin_search", "stage_reached": "identified", "identified_date": dt.date(2026, 1, 5)})
    finding = check_campaign(
        "DP-02", campaign=campaign, candidates=late, outreach=inmails(2, privacy_notice_included=True)
    )
    assert finding.status is Status.FAIL and "one month" in finding.summary
    prompt = people(
        {
            "source": "headhunt",
            "stage_reached": "approached",
            "identified_date": dt.date(2026, 6, 1),
            "first_contact_date": dt.date(2026, 6, 10),
        }
    )
    ok = check_campaign(
        "DP-02", campaign=campaign, candidates=prompt, outreach=inmails(2, privacy_notice_included=True)
    )
    assert ok.status is Status.PASS


def test_dp04_retention() -> None:
    from tests.audits.helpers import people

    ended = CampaignRecord("C-1", start_date=dt.date(2025, 9, 1), facts={"retention_months": 6})
    held = people({"stage_reached": "longlisted", "n": 3}, {"stage_reached": "appointed"})
    assert check_campaign("DP-04", campaign=ended, candidates=held).status is Status.FAIL
    recent = CampaignRecord("C-1", start_date=dt.date(2026, 5, 1), facts={"retention_months": 6})
    assert check_campaign("DP-04", campaign=recent, candidates=held).status is Status.PASS
    unstated = CampaignRecord("C-1", facts={"retention_months": "not stated"})
    assert check_campaign("DP-04", campaign=unstated).status is Status.WARN
    assert check_campaign("DP-04").status is Status.NO_DATA

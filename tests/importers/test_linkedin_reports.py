"""LinkedIn Recruiter usage (formats.md §1.2), InMail (§1.3) and Page analytics (§1.6), from our own fixtures."""

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from importers.records import InMailStatsRecord, PageStatsRecord, RecruiterUsageRecord
from tests.importers.helpers import FIXTURES, pseudo, read

LINKEDIN = FIXTURES / "linkedin"


def test_usage_report_with_bom_time_parts_and_seat_names_hashed() -> None:
    report, records = read(LINKEDIN / "recruiter-usage.csv")
    assert report.format == "linkedin-recruiter-usage"
    assert all(isinstance(r, RecruiterUsageRecord) for r in records)
    first, second = records
    assert first.seat_key == pseudo("Alex Recruiter") and first.seat_id == "SEAT-001"
    assert (first.period_start, first.period_end) == (dt.date(2025, 10, 1), dt.date(2025, 10, 31))  # "00:00:00"
    assert (second.period_start, second.period_end) == (dt.date(2025, 10, 1), dt.date(2025, 10, 31))  # US dates
    assert first.inmails_sent == 48 and first.inmails_accepted == 14 and first.inmails_declined == 9
    assert second.inmails_accepted == 1020 and second.inmails_declined is None
    assert "Alex" not in repr(records) and "Researcher" not in repr(records)
    [problem] = report.problems
    assert (problem.row, problem.column, problem.value) == (4, "InMails sent", "many")


def test_inmail_report_with_preamble_ranges_and_us_dates() -> None:
    report, records = read(LINKEDIN / "inmail-report.csv")
    assert report.format == "linkedin-inmail-report"
    assert all(isinstance(r, InMailStatsRecord) for r in records)
    first, _second, ranged = records
    assert first.period_start == dt.date(2025, 10, 6) and first.sent == 20 and first.response_rate == 45.0
    assert (ranged.period_start, ranged.period_end) == (dt.date(2025, 10, 20), dt.date(2025, 10, 26))
    [problem] = report.problems
    assert (problem.row, problem.column, problem.value) == (8, "Date", "13/10/2025")
    assert "MM/DD/YYYY" in problem.message


def test_inmail_report_columns_are_matched_loosely(tmp_path: Path) -> None:
    path = tmp_path / "inmail.csv"
    path.write_text(
        "Week,Recruiter,Total sent,Total accepted,Total declined,Response Rate %\n"
        "Week of 10/06/2025,Alex Recruiter,12,4,2,50\n",
        encoding="utf-8",
    )
    report, [record] = read(path)
    assert report.format == "linkedin-inmail-report"
    assert record.period_start == dt.date(2025, 10, 6) and record.seat_key == pseudo("Alex Recruiter")
    assert (record.sent, record.accepted, record.declined, record.response_rate) == (12, 4, 2, 50.0)


def test_page_content_workbook_with_description_rows_above_headers() -> None:
    report, records = read(LINKEDIN / "page-content.xlsx")
    assert report.format == "linkedin-page-analytics"
    assert all(isinstance(r, PageStatsRecord) for r in records)
    content = [r for r in records if r.kind == "content"]
    [post] = [r for r in records if r.kind == "post"]
    assert [r.date for r in content] == [dt.date(2025, 10, 6), dt.date(2025, 10, 7), dt.date(2025, 10, 13)]
    assert content[0].metrics["impressions_total"] == 1200 and content[0].metrics["engagement_rate_total"] == 3.75
    assert content[0].row == 3 and content[0].sheet == "Metrics"  # row 1 is the description, row 2 the header
    assert "clicks_organic" not in content[2].metrics  # "n/a" is no figure
    assert post.label == "We're hiring a Chief Executive for Northshire" and post.date == dt.date(2025, 10, 6)
    assert post.link and post.link.startswith("https://www.linkedin.com/feed/update/")
    assert post.metrics["impressions"] == 5400 and post.metrics["click_through_rate_ctr"] == 3.9
    assert "Jo Communications" not in repr(records)  # "Posted by" names a person
    [problem] = report.problems
    assert (problem.sheet, problem.row, problem.value) == ("Metrics", 6, "13/10/2025")


def test_page_followers_legacy_xls_and_demographics() -> None:
    report, records = read(LINKEDIN / "page-followers.xls")
    assert report.format == "linkedin-page-analytics"
    followers = [r for r in records if r.kind == "followers"]
    demographics = [r for r in records if r.kind == "demographic"]
    assert followers[0].date == dt.date(2025, 2, 26) and followers[0].metrics["total_followers"] == 3
    assert [(d.label, d.metrics["total_followers"]) for d in demographics] == [("Director", 41), ("CXO", 12)]


def test_page_visitors_keep_every_metric_column() -> None:
    _report, records = read(LINKEDIN / "page-visitors.xlsx")
    visits = [r for r in records if r.kind == "visitors"]
    assert len(visits[0].metrics) == 24
    assert visits[0].metrics["jobs_page_views_total"] == 15 and visits[1].date == dt.date(2025, 10, 7)
    [location] = [r for r in records if r.kind == "demographic"]
    assert location.label == "Northtown, England" and location.metrics == {"total_views": 120}


def test_a_workbook_with_only_metrics_that_are_not_linkedin_is_not_page_analytics(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Metrics"
    book.active.append(["Quarter", "Budget"])
    path = tmp_path / "metrics.xlsx"
    book.save(path)
    import pytest

    from importers import FileRejected

    with pytest.raises(FileRejected, match="does not match any format"):
        read(path)
